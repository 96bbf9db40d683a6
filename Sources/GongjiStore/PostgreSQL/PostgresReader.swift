import Foundation
import GongjiDomain

/// Queries over the PostgreSQL store, as `StoreReader` over SQLite.
public struct PostgresReader: StoreReading, StatementQueries {
    let connection: PostgresConnection

    public func count(_ table: String) throws -> Int {
        Int(try connection.execute("SELECT count(*) FROM \"\(table.replacingOccurrences(of: "\"", with: ""))\"")[0][0] ?? "0") ?? 0
    }

    public func input(sha256: String) throws -> Data {
        var data = Data()
        try connection.query("SELECT content FROM input_content WHERE sha256 = $1 ORDER BY part", [.text(sha256)], binary: true) { row in
            row.bytes(0) { data.append($0) }
        }
        return data
    }

    public func latestDigest(of file: String) throws -> String? {
        try connection.execute("SELECT sha256 FROM input_file WHERE file = $1 ORDER BY run_id DESC LIMIT 1", [.text(file)]).first?[0]
    }

    public func settledMonths() throws -> [YearMonth] {
        try connection.execute("SELECT DISTINCT month FROM settled_month ORDER BY month").map { row in
            guard let text = row[0], let month = YearMonth(text: text) else {
                throw StoreError("the store holds a month written '\(row[0] ?? "")'")
            }
            return month
        }
    }

    public func closingBalance(of person: ResidentID, month: YearMonth) throws -> Money? {
        try connection.execute("SELECT closing_fen FROM month_balance WHERE month = $1 AND person_id = $2",
                               [.text(month.text), .text(person.text)]).first?[0].flatMap { Int64($0) }.map(Money.init(fen:))
    }

    public func runs() throws -> [StoredRun] {
        try connection.execute("SELECT id, command, months, rows_read, rows_rejected FROM run ORDER BY id").map { row in
            StoredRun(id: Int64(row[0] ?? "") ?? 0, command: row[1] ?? "", months: try StoredRun.months(row[2]),
                      read: row[3].flatMap { Int($0) },
                      rejected: row[4].flatMap { Int($0) })
        }
    }

    /// The rows of `table` a read of `set` takes for `part`: the current
    /// ones, or the baseline's for the provinces that kept one and the
    /// current ones for the others (`baseline_set`, `PostgresWriter`).
    func source(_ table: String, part: String, province: String = "province", _ set: ResultSet) throws -> String {
        guard set == .baseline else { return table }
        let kept = Set(try connection.execute("SELECT province FROM baseline_set WHERE part = $1", [.text(part)]).compactMap { $0[0] })
        if kept.isEmpty { return table }
        if kept.contains("*") { return "baseline_\(table)" }
        let list = Provinces.literals(kept)
        return "(SELECT * FROM baseline_\(table) WHERE \(province) IN (\(list)) UNION ALL "
            + "SELECT * FROM \(table) WHERE \(province) NOT IN (\(list))) AS kept"
    }

    public func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth {
        let part = "month \(month.text)"
        var result = StoredMonth()
        let range = MonthEntries.range(month)
        let claims = try source("claim_result", part: part, set)
        try connection.query("""
            SELECT claim_id, occurred_at, person_id, region_code, category, amount_fen, own_account_fen,
                   family_shared_fen, cash_fen, family_status, wallet_fen, pot_fen FROM \(claims) WHERE entry BETWEEN $1 AND $2
            """, [.int(range.lowerBound), .int(range.upperBound)]) { row in
            guard let id = row.text(0), let occurredAt = row.text(1).flatMap({ Timestamp(text: $0) }),
                  let person = row.text(2).flatMap({ ResidentID($0) }), let region = row.text(3).flatMap({ RegionCode($0) }),
                  let category = row.text(4).flatMap({ UsageCategory(rawValue: $0) }),
                  let status = row.text(9).flatMap({ FamilyStatus(rawValue: $0) }), let amount = row.int(5),
                  let own = row.int(6), let family = row.int(7), let cash = row.int(8), let wallet = row.int(10), let pot = row.int(11) else {
                throw StoreError("claim_result \(month.text) claim \(row.text(0) ?? "-"): not the form gongji writes")
            }
            let claim = Claim(id: id, person: person, occurredAt: occurredAt, region: region, category: category,
                              amount: Money(fen: amount))
            result.claims[id] = ClaimOutcome(claim: claim, payment: ClaimPayment(
                own: Money(fen: own), family: Money(fen: family), cash: Money(fen: cash), status: status,
                wallet: Money(fen: wallet), pot: Money(fen: pot)))
        }
        let blocks = try source("month_balance_block", part: part, set)
        var provinces = 0
        var lastProvince: String?
        try connection.query("""
            SELECT province, block, balances FROM \(blocks) WHERE month = $1 ORDER BY province, block
            """, [.text(month.text)]) { row in
            guard let decoded = row.bytes(2, { BalanceBlocks.decode($0) }) else {
                throw StoreError("month_balance_block \(month.text) province \(row.text(0) ?? "-") block \(row.text(1) ?? "-"): "
                                 + "not the form gongji writes")
            }
            if row.text(0) != lastProvince { provinces += 1; lastProvince = row.text(0) }
            result.balances += decoded
        }
        // Each province's blocks are in ID order; the month's accounts are, whatever their provinces.
        if provinces > 1 { result.balances.sort { $0.person < $1.person } }
        let clearing = try source("clearing", part: part, province: "substr(payer_region, 1, 2)", set)
        try connection.query("""
            SELECT payer_region, payee_region, channel, draws, amount_fen FROM \(clearing) WHERE month = $1
            ORDER BY payer_region, payee_region, channel COLLATE "C"
            """, [.text(month.text)]) { row in
            guard let payer = row.text(0).flatMap({ RegionCode($0) }), let payee = row.text(1).flatMap({ RegionCode($0) }),
                  let channel = row.text(2).flatMap({ DrawChannel(rawValue: $0) }), let draws = row.int(3), let amount = row.int(4) else {
                throw StoreError("clearing \(month.text): not the form gongji writes")
            }
            result.clearing.append(ClearingItem(payer: payer, payee: payee, channel: channel, draws: Int(draws),
                                                amount: Money(fen: amount)))
        }
        return result
    }

    public func thresholds(_ set: ResultSet) throws -> [ThresholdFigure] {
        let table = try source("threshold", part: "thresholds", province: "substr(region_code, 1, 2)", set)
        var figures: [ThresholdFigure] = []
        try connection.query("""
            SELECT region_code, policy_year_start, policy_year_end, stat_year, threshold_fen, bulletin_revision, basis
            FROM \(table) ORDER BY region_code, policy_year_start
            """) { row in
            guard let region = row.text(0).flatMap({ RegionCode($0) }), let start = row.text(1).flatMap({ Day(text: $0) }),
                  let end = row.text(2).flatMap({ Day(text: $0) }), let basis = row.text(6).flatMap({ ThresholdBasis(rawValue: $0) }),
                  let year = row.int(3), let threshold = row.int(4) else {
                throw StoreError("threshold: a row is not in the form gongji writes")
            }
            figures.append(ThresholdFigure(region: region, start: start, end: end, statYear: Int(year), threshold: Money(fen: threshold),
                                           revision: row.int(5).map { Int($0) }, basis: basis))
        }
        return figures
    }

    /// A person's statement, as `StoreReader.statement` gives it from SQLite (`StatementQueries`).
    public func statement(of person: ResidentID, from: YearMonth?, to: YearMonth?) throws -> PersonStatement? {
        try assembleStatement(of: person, from: from, to: to)
    }

    func statementAccount(_ person: ResidentID, _ month: YearMonth) throws -> AccountMonth? {
        // The blocks of the month whose ID range holds the person (one per province at most).
        var account: AccountMonth?
        try connection.query("""
            SELECT balances FROM month_balance_block WHERE month = $1 AND first_person_id <= $2 AND last_person_id >= $2
            """, [.text(month.text), .text(person.text)]) { row in
            guard let rows = row.bytes(0, { BalanceBlocks.decode($0) }) else {
                throw StoreError("month_balance_block \(month.text): not the form gongji writes")
            }
            account = account ?? rows.first { $0.person == person }
        }
        return account
    }

    func statementClaims(_ person: ResidentID, _ month: YearMonth) throws -> [ClaimOutcome] {
        let range = MonthEntries.range(month)
        var claims: [ClaimOutcome] = []
        try connection.query("""
            SELECT claim_id, occurred_at, region_code, category, amount_fen, own_account_fen, family_shared_fen, cash_fen,
                   family_status, wallet_fen, pot_fen FROM claim_result
            WHERE entry BETWEEN $1 AND $2 AND person_id = $3 ORDER BY occurred_at, claim_id
            """, [.int(range.lowerBound), .int(range.upperBound), .text(person.text)]) { row in
            guard let claimID = row.text(0), let time = row.text(1).flatMap({ Timestamp(text: $0) }),
                  let region = row.text(2).flatMap({ RegionCode($0) }), let category = row.text(3).flatMap({ UsageCategory(rawValue: $0) }),
                  let status = row.text(8).flatMap({ FamilyStatus(rawValue: $0) }), let amount = row.int(4), let own = row.int(5),
                  let family = row.int(6), let cash = row.int(7), let wallet = row.int(9), let pot = row.int(10) else {
                throw StoreError("claim_result \(month.text): not the form gongji writes")
            }
            claims.append(ClaimOutcome(
                claim: Claim(id: claimID, person: person, occurredAt: time, region: region, category: category,
                             amount: Money(fen: amount)),
                payment: ClaimPayment(own: Money(fen: own), family: Money(fen: family), cash: Money(fen: cash),
                                      status: status, wallet: Money(fen: wallet), pot: Money(fen: pot))))
        }
        return claims
    }

    func statementDraws(_ person: ResidentID, _ month: YearMonth, side: String, other: String) throws -> [PersonStatement.Draw] {
        let range = MonthEntries.range(month)
        var found: [PersonStatement.Draw] = []
        try connection.query("""
            SELECT s.claim_id, c.occurred_at, s.\(other), s.relation, s.channel, s.amount_fen
            FROM share s LEFT JOIN claim_result c
              ON c.claim_id = s.claim_id AND c.province = s.province AND c.entry BETWEEN $1 AND $2
            WHERE s.entry BETWEEN $1 AND $2 AND s.\(side) = $3 ORDER BY c.occurred_at, s.claim_id, s.entry
            """, [.int(range.lowerBound), .int(range.upperBound), .text(person.text)]) { row in
            guard let claimID = row.text(0), let time = Timestamp(text: row.text(1) ?? ""),
                  let relative = row.text(2).flatMap({ ResidentID($0) }), let relation = row.text(3).flatMap({ Relation(rawValue: $0) }),
                  let channel = row.text(4).flatMap({ DrawChannel(rawValue: $0) }), let amount = row.int(5) else {
                throw StoreError("share \(month.text): not the form gongji writes")
            }
            found.append(PersonStatement.Draw(claim: claimID, occurredAt: time, relative: relative, relation: relation,
                                              channel: channel, amount: Money(fen: amount)))
        }
        return found
    }

    func statementThreshold(_ region: RegionCode, on day: Day) throws -> Money? {
        try connection.execute("""
            SELECT threshold_fen FROM threshold WHERE region_code = $1 AND policy_year_start <= $2 AND policy_year_end >= $2
            ORDER BY policy_year_start DESC LIMIT 1
            """, [.text(region.text), .text(day.text)]).first?[0].flatMap { Int64($0) }.map(Money.init(fen:))
    }
}
