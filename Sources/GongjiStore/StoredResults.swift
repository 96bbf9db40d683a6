import GRDB
import GongjiDomain

/// Which results to read: the baseline (what a `run` last reported) or the
/// current ones (after any recompute).
public enum ResultSet: Sendable {
    case baseline, current
}

/// One month's stored results, keyed for comparison.
public struct StoredMonth: Sendable {
    /// Each claim and how it was paid, by claim ID.
    public var claims: [String: ClaimOutcome] = [:]
    /// Every account of the month, in person-ID order.
    public var balances: [AccountMonth] = []
    /// The month's clearing, in (payer, payee, channel) order.
    public var clearing: [ClearingItem] = []

    public init(claims: [String: ClaimOutcome] = [:], balances: [AccountMonth] = [], clearing: [ClearingItem] = []) {
        self.claims = claims
        self.balances = balances
        self.clearing = clearing
    }
}

extension Database {
    /// Where `set`'s rows of `part` are (docs/policy.md, "Units of work"):
    /// for the current results, the current tables; for the baseline, the
    /// baseline tables for the provinces it was kept for (all, when kept
    /// by a run of every province) and the current ones for the others.
    /// Each source with the provinces to read from it (nil: every one).
    func sources(_ set: ResultSet, part: String, only: [UInt32]?) throws -> [(prefix: String, only: [UInt32]?, excluding: [UInt32])] {
        guard set == .baseline else { return [("", only, [])] }
        if try Bool.fetchOne(self, sql: "SELECT 1 FROM baseline_set WHERE part = ?", arguments: [part]) ?? false {
            return [("baseline_", only, [])]
        }
        let kept = try baselineProvinces(part)
        guard !kept.isEmpty else { return [("", only, [])] }
        if let only {
            return [("baseline_", only.filter(kept.contains), []), ("", only.filter { !kept.contains($0) }, [])]
                .filter { !($0.1?.isEmpty ?? false) }
        }
        return [("baseline_", kept, []), ("", nil, kept)]
    }

    /// A month's stored results: of every province, or of `only`'s.
    func storedMonth(_ month: YearMonth, _ set: ResultSet, only: [UInt32]? = nil) throws -> StoredMonth {
        var result = StoredMonth()
        let sources = try sources(set, part: "month \(month.text)", only: only)
        for (prefix, only, excluding) in sources {
            func rows(_ kind: StoreWriter.Rows.Kind) -> StoreWriter.Rows {
                StoreWriter.Rows.of(kind, month: month, only: only, excluding: excluding)
            }
            let claimRows = rows(.entries)
            let claims = try Row.fetchCursor(self, sql: """
                SELECT claim_id, occurred_at, person_id, region_code, category, amount_fen, own_account_fen,
                       family_shared_fen, cash_fen, family_status, wallet_fen, pot_fen FROM \(prefix)claim_result
                WHERE \(claimRows.condition)
                """, arguments: claimRows.arguments)
            while let row = try claims.next() {
                guard let occurredAt = Timestamp(text: row[1] as String), let person = ResidentID(row[2] as String),
                      let region = RegionCode(row[3] as String), let category = UsageCategory(rawValue: row[4]),
                      let status = FamilyStatus(rawValue: row[9]) else {
                    throw StoreError("\(prefix)claim_result \(month.text) claim \(row[0] as String): not the form gongji writes")
                }
                let claim = Claim(id: row[0], person: person, occurredAt: occurredAt, region: region, category: category,
                                  amount: Money(fen: row[5]))
                result.claims[claim.id] = ClaimOutcome(claim: claim, payment: ClaimPayment(
                    own: Money(fen: row[6]), family: Money(fen: row[7]), cash: Money(fen: row[8]), status: status,
                    wallet: Money(fen: row[10]), pot: Money(fen: row[11])))
            }
            let blockRows = rows(.column)
            let blocks = try Row.fetchCursor(self, sql: """
                SELECT province, block, balances FROM \(prefix)month_balance_block WHERE \(blockRows.condition)
                ORDER BY province, block
                """, arguments: blockRows.arguments)
            while let row = try blocks.next() {
                let block: Int = row[1]
                let decoded = try row.withUnsafeData(atIndex: 2) { data in
                    data?.withUnsafeBytes { BalanceBlocks.decode($0.bindMemory(to: UInt8.self)) }
                }
                guard let decoded = decoded ?? nil else {
                    throw StoreError("\(prefix)month_balance_block \(month.text) province \(row[0] as String) block \(block): "
                                     + "not the form gongji writes")
                }
                result.balances += decoded
            }
            let clearingRows = rows(.region("payee_region"))
            let items = try Row.fetchCursor(self, sql: """
                SELECT payer_region, payee_region, channel, draws, amount_fen FROM \(prefix)clearing
                WHERE \(clearingRows.condition)
                """, arguments: clearingRows.arguments)
            while let row = try items.next() {
                guard let payer = RegionCode(row[0] as String), let payee = RegionCode(row[1] as String),
                      let channel = DrawChannel(rawValue: row[2]) else {
                    throw StoreError("\(prefix)clearing \(month.text): not the form gongji writes")
                }
                result.clearing.append(ClearingItem(payer: payer, payee: payee, channel: channel, draws: row[3],
                                                    amount: Money(fen: row[4])))
            }
        }
        // Each province's blocks are in ID order; the month's accounts are, across provinces.
        if !result.balances.isEmpty, zip(result.balances, result.balances.dropFirst()).contains(where: { $0.person > $1.person }) {
            result.balances.sort { $0.person < $1.person }
        }
        result.clearing.sort { ($0.payer, $0.payee, $0.channel) < ($1.payer, $1.payee, $1.channel) }
        return result
    }

    /// The account of `person` in `month`, from the blocks whose ID range
    /// holds it (blocks are in person-ID order, one run per province),
    /// decoded in Swift (`BalanceBlocks`).
    func storedAccount(_ person: ResidentID, month: YearMonth) throws -> AccountMonth? {
        let id = person.text
        let blocks = StoreWriter.Rows.of(.column, month: month, only: nil)
        let found = try Row.fetchCursor(self, sql: """
            SELECT block, balances FROM month_balance_block
            WHERE \(blocks.condition) AND first_person_id <= ? AND last_person_id >= ?
            """, arguments: blocks.arguments + [id, id])
        while let row = try found.next() {
            let decoded = try row.withUnsafeData(atIndex: 1) { data in
                data?.withUnsafeBytes { BalanceBlocks.decode($0.bindMemory(to: UInt8.self)) }
            }
            guard let rows = decoded ?? nil else {
                throw StoreError("month_balance_block \(month.text) block \(row[0] as Int): not the form gongji writes")
            }
            if let account = rows.first(where: { $0.person == person }) { return account }
        }
        return nil
    }

    /// The stored thresholds: of every region, or of `only`'s provinces'.
    func storedThresholds(_ set: ResultSet, only: [UInt32]? = nil) throws -> [ThresholdFigure] {
        var figures: [ThresholdFigure] = []
        for (prefix, only, excluding) in try sources(set, part: "thresholds", only: only) {
            let rows = StoreWriter.Rows.of(.region("region_code"), month: nil, only: only, excluding: excluding)
            figures += try Row.fetchAll(self, sql: """
                SELECT region_code, policy_year_start, policy_year_end, stat_year, threshold_fen, bulletin_revision, basis
                FROM \(prefix)threshold WHERE \(rows.condition) ORDER BY region_code, policy_year_start
                """, arguments: rows.arguments).map { row throws in
                guard let region = RegionCode(row[0] as String), let start = Day(text: row[1] as String),
                      let end = Day(text: row[2] as String), let basis = ThresholdBasis(rawValue: row[6]) else {
                    throw StoreError("\(prefix)threshold: a row is not in the form gongji writes")
                }
                return ThresholdFigure(region: region, start: start, end: end, statYear: row[3], threshold: Money(fen: row[4]),
                                       revision: row[5], basis: basis)
            }
        }
        return figures.sorted { ($0.region, $0.start) < ($1.region, $1.start) }
    }

    func settledMonthList() throws -> [YearMonth] {
        try String.fetchAll(self, sql: "SELECT month FROM settled_month ORDER BY month").map { text in
            guard let month = YearMonth(text: text) else { throw StoreError("the store holds a month written '\(text)'") }
            return month
        }
    }
}

extension StoreReader {
    public func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth { try db.storedMonth(month, set) }
    public func thresholds(_ set: ResultSet) throws -> [ThresholdFigure] { try db.storedThresholds(set) }
}

extension StoreWriter {
    public func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth { try db.storedMonth(month, set) }
    public func thresholds(_ set: ResultSet) throws -> [ThresholdFigure] { try db.storedThresholds(set) }
    public func settledMonths() throws -> [YearMonth] { try db.settledMonthList() }
}
