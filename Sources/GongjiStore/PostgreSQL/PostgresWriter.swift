import Foundation
import GongjiDomain

/// Writes inside one PostgreSQL store transaction (`PostgresStore.transaction`),
/// as `StoreWriter` does in SQLite, replacing only the rows of the
/// transaction's provinces (`scope`): each delete names them, each row is
/// filed under its province's partition, and a row of another province is
/// an error, never written.
public struct PostgresWriter: StoreWriting {
    let store: PostgresStore
    let connection: PostgresConnection
    let scope: ProvinceScope
    let uri: String
    /// A second connection for the input files of a run of some provinces
    /// (`storeInput`), made when first needed.
    private let side = Side()

    final class Side {
        var connection: PostgresConnection?
    }

    init(store: PostgresStore, connection: PostgresConnection, scope: ProvinceScope, uri: String) {
        self.store = store
        self.connection = connection
        self.scope = scope
        self.uri = uri
    }

    // MARK: The run log

    /// With the provinces of a run of some (`13,32`; NULL: every province).
    public func beginRun(startedAt: String, command: String, dataFolder: String, version: String) throws -> Int64 {
        let provinces: String? = if case let .only(codes) = scope { codes.sorted().joined(separator: ",") } else { nil }
        let rows = try connection.execute("""
            INSERT INTO run (started_at, command, data_folder, version, provinces) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [.text(startedAt), .text(command), .text(dataFolder), .text(version), .text(provinces)])
        guard let text = rows.first?.first ?? nil, let id = Int64(text) else { throw StoreError("the store gave the run no number") }
        return id
    }

    public func finishRun(_ run: Int64, finishedAt: String, months: [YearMonth], inputs: [InputRecord]) throws {
        try connection.copy("input_file", columns: ["run_id", "file", "sha256", "bytes", "rows_read", "rows_accepted",
                                                    "rows_rejected", "rows_skipped"]) { rows in
            for input in inputs {
                try rows.row()
                rows.int(run); rows.text(input.file); rows.text(input.sha256); rows.int(input.bytes)
                rows.int(Int64(input.read)); rows.int(Int64(input.accepted)); rows.int(Int64(input.rejected))
                rows.int(Int64(input.skipped ?? 0))
            }
        }
        let read = inputs.reduce(0) { $0 + $1.read }
        let rejected = inputs.reduce(0) { $0 + $1.rejected }
        let skipped = inputs.reduce(0) { $0 + ($1.skipped ?? 0) }
        try connection.execute("UPDATE run SET months = $1, rows_read = $2, rows_rejected = $3, rows_skipped = $4 WHERE id = $5",
                               [.text(StoredRun.text(months)), .int(Int64(read)), .int(Int64(rejected)), .int(Int64(skipped)),
                                .int(run)])
        // Finished only when its reports are in place; a run without reports finishes now.
        if try connection.execute("SELECT 1 FROM publication WHERE run_id = $1", [.int(run)]).isEmpty {
            try connection.execute("UPDATE run SET finished_at = $1 WHERE id = $2", [.text(finishedAt), .int(run)])
        }
    }

    public func publish(_ publication: Store.Publication) throws {
        try connection.execute("""
            INSERT INTO publication VALUES ($1, $2, $3, $4, $5) ON CONFLICT (run_id) DO UPDATE
            SET token = excluded.token, out_folder = excluded.out_folder, staging = excluded.staging,
                manifest_sha256 = excluded.manifest_sha256
            """, [.int(publication.run), .text(publication.token), .text(publication.out), .text(publication.staging),
                  .text(publication.manifestSHA256)])
        try connection.execute("UPDATE run SET finished_at = NULL WHERE id = $1", [.int(publication.run)])
    }

    public func published(_ run: Int64, finishedAt: String) throws {
        try connection.execute("DELETE FROM publication WHERE run_id = $1", [.int(run)])
        try connection.execute("UPDATE run SET finished_at = $1 WHERE id = $2", [.text(finishedAt), .int(run)])
    }

    // MARK: Imported data

    /// Keeps an input file whole, once per content, as the SQLite store
    /// does. A run of every province keeps it in its transaction. A run of
    /// some provinces keeps it through a connection of its own, committed
    /// at once: the same file (the policy, a bulletin) kept by two province
    /// runs at a time would otherwise hold the second until the first
    /// commits. Content is kept by its SHA-256, so a run killed after that
    /// leaves only content the next run reuses.
    public func storeInput(sha256: String, contents: ((Data) throws -> Void) throws -> Void) throws {
        let target: PostgresConnection
        if scope == .all {
            target = connection
        } else {
            if side.connection == nil { side.connection = try PostgresConnection(uri: uri) }
            target = side.connection!
        }
        guard try target.execute("SELECT 1 FROM input_content WHERE sha256 = $1 LIMIT 1", [.text(sha256)]).isEmpty else { return }
        var part: Int64 = 0
        try contents { chunk in
            try target.execute("INSERT INTO input_content VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                [.text(sha256), .int(part), .bytes(chunk)])
            part += 1
        }
    }

    public func replaceBindings(_ bindings: [Binding], events: [LifeEvent], regionOf: (ResidentID) -> RegionCode?) throws {
        let bindingProvinces = bindings.map { Provinces.code(regionOf($0.beneficiary) ?? regionOf($0.authorizer)) }
        let eventProvinces = events.map { Provinces.code(regionOf($0.person)) }
        try prepare(Set(bindingProvinces + eventProvinces), what: "a binding or event")
        try connection.execute("DELETE FROM binding WHERE \(scopeCondition("province"))")
        try connection.execute("DELETE FROM event WHERE \(scopeCondition("province"))")
        try connection.copy("binding", columns: ["binding_id", "authorizer_id", "beneficiary_id", "relation", "bound_on",
                                                 "unbound_on", "channel", "priority", "province"]) { rows in
            for (item, province) in zip(bindings, bindingProvinces) {
                try rows.row()
                rows.text(item.id); rows.id(item.authorizer); rows.id(item.beneficiary); rows.text(item.relation.rawValue)
                rows.text(item.boundOn.text); rows.text(item.unboundOn?.text); rows.text(item.channel)
                rows.int(item.priority.map(Int64.init)); rows.text(province)
            }
        }
        try connection.copy("event", columns: ["person_id", "date", "event", "province"]) { rows in
            for (item, province) in zip(events, eventProvinces) {
                try rows.row()
                rows.id(item.person); rows.text(item.date.text); rows.text(item.kind.rawValue); rows.text(province)
            }
        }
    }

    /// Replaces the thresholds of the scope's regions (a run of some
    /// provinces keeps only theirs); the baseline as in SQLite.
    public func replaceThresholds(_ periods: [ThresholdPeriod], keepBaseline: Bool) throws {
        let province = "substr(region_code, 1, 2)"
        try keepOrDropBaseline("thresholds", keep: keepBaseline, tables: [Part(table: "threshold", province: province, rows: "TRUE")])
        try connection.execute("DELETE FROM threshold WHERE \(scopeCondition(province))")
        let kept = periods.filter { scope.contains(Provinces.code($0.region)) }
        try connection.copy("threshold", columns: ["region_code", "policy_year_start", "policy_year_end", "stat_year", "wage_series",
                                                   "avg_monthly_wage_fen", "threshold_rate", "threshold_fen", "basis",
                                                   "bulletin_revision"]) { rows in
            for period in kept {
                try rows.row()
                rows.region(period.region); rows.text(period.start.text); rows.text(period.end.text)
                rows.int(Int64(period.statYear)); rows.text(period.wageSeries); rows.int(period.averageMonthlyWage?.fen)
                rows.text(period.rate.decimalText); rows.int(period.threshold.fen); rows.text(period.basis.rawValue)
                rows.int(period.revision.map(Int64.init))
            }
        }
    }

    // MARK: Results

    /// Which rows of a table a part is: the table, the SQL of a row's
    /// province, and the condition that picks the part's rows.
    struct Part {
        var table: String
        var province = "province"
        var rows: String
    }

    /// `expression IN (the scope's provinces)`, or TRUE for every province.
    func scopeCondition(_ expression: String) -> String {
        switch scope {
        case .all: "TRUE"
        case let .only(provinces): "\(expression) IN (\(Provinces.literals(provinces)))"
        }
    }

    /// Makes the partitions of `provinces` (a run of every province makes
    /// them in its transaction), refusing any outside the scope.
    private func prepare(_ provinces: Set<String>, what: String) throws {
        if let outside = provinces.sorted().first(where: { !scope.contains($0) }) {
            throw StoreError("\(what) of province \(outside), outside this run's provinces (\(Provinces.describe(scope)))")
        }
        try store.ensurePartitions(provinces)
    }

    /// Keeps the current rows of `tables` as the baseline of `part` (when it
    /// has none yet), or drops that baseline, for the scope's provinces.
    /// `baseline_set` lists the provinces kept per part; `*` is all of them.
    private func keepOrDropBaseline(_ part: String, keep: Bool, tables: [Part]) throws {
        let kept = Set(try connection.execute("SELECT province FROM baseline_set WHERE part = $1", [.text(part)]).compactMap { $0[0] })
        switch scope {
        case .all:
            if keep {
                guard !kept.contains("*") else { return }
                for item in tables {
                    let except = kept.isEmpty ? "" : " AND \(item.province) NOT IN (\(Provinces.literals(kept)))"
                    try connection.execute("INSERT INTO baseline_\(item.table) SELECT * FROM \(item.table) WHERE \(item.rows)\(except)")
                }
                try connection.execute("DELETE FROM baseline_set WHERE part = $1", [.text(part)])
                try connection.execute("INSERT INTO baseline_set VALUES ($1, '*')", [.text(part)])
            } else if !kept.isEmpty {
                for item in tables { try connection.execute("DELETE FROM baseline_\(item.table) WHERE \(item.rows)") }
                try connection.execute("DELETE FROM baseline_set WHERE part = $1", [.text(part)])
            }
        case let .only(provinces):
            if keep {
                guard !kept.contains("*") else { return }
                let targets = provinces.subtracting(kept)
                guard !targets.isEmpty else { return }
                for item in tables {
                    try connection.execute("""
                        INSERT INTO baseline_\(item.table) SELECT * FROM \(item.table)
                        WHERE \(item.rows) AND \(item.province) IN (\(Provinces.literals(targets)))
                        """)
                }
                for province in targets.sorted() {
                    try connection.execute("INSERT INTO baseline_set VALUES ($1, $2)", [.text(part), .text(province)])
                }
            } else if !kept.isEmpty {
                if kept.contains("*") {
                    // Every province was kept: name those with rows, less the scope's.
                    var named: Set<String> = []
                    for item in tables {
                        for prefix in ["", "baseline_"] {
                            named.formUnion(try connection.execute("SELECT DISTINCT \(item.province) FROM \(prefix)\(item.table) WHERE \(item.rows)")
                                .compactMap { $0[0] })
                        }
                    }
                    try connection.execute("DELETE FROM baseline_set WHERE part = $1", [.text(part)])
                    for province in named.subtracting(provinces).sorted() {
                        try connection.execute("INSERT INTO baseline_set VALUES ($1, $2)", [.text(part), .text(province)])
                    }
                }
                let list = Provinces.literals(provinces)
                for item in tables {
                    try connection.execute("DELETE FROM baseline_\(item.table) WHERE \(item.rows) AND \(item.province) IN (\(list))")
                }
                try connection.execute("DELETE FROM baseline_set WHERE part = $1 AND province IN (\(list))", [.text(part)])
            }
        }
    }

    /// The parts a month's results are, as `replaceMonth` replaces them.
    static func monthParts(_ month: YearMonth) -> [Part] {
        let range = MonthEntries.range(month)
        let entries = "entry BETWEEN \(range.lowerBound) AND \(range.upperBound)"
        let inMonth = "month = '\(month.text)'"
        return [Part(table: "month_balance_block", rows: inMonth), Part(table: "claim_result", rows: entries),
                Part(table: "share", rows: entries),
                Part(table: "clearing", province: "substr(payer_region, 1, 2)", rows: inMonth),
                Part(table: "wallet_month", rows: inMonth), Part(table: "transfer_result", rows: inMonth),
                Part(table: "quota_month", rows: inMonth), Part(table: "pot_month", rows: inMonth)]
    }

    /// Replaces the scope's rows of `month` with these results, as
    /// `StoreWriter.replaceMonth` does in SQLite: balances in blocks (of one
    /// province each), claims and draws with their `entry` key (settlement
    /// order), all by binary COPY.
    public func replaceMonth(_ month: YearMonth, run: Int64, balances: AccountMonths, settlements: [ClaimSettlement],
                             clearing: [ClearingItem], earmarks: EarmarkMonth?, keepBaseline: Bool) throws {
        let key = month.text
        // Each row's province: its account's or claim's region; a transfer's
        // its sender's, a quota's its sharer's (their accounts are the month's).
        let accounts = Provinces.Accounts(balances)
        let balanceGroups = Provinces.group(balances)
        let claimProvinces = settlements.map { Provinces.code($0.claim.region) }
        let transferProvinces = earmarks?.transfers.map { accounts.province($0.transfer.from, else: $0.transfer.to, earmarks) } ?? []
        let quotaProvinces = earmarks?.quotas.map { accounts.province($0.quota.sharer, else: $0.quota.beneficiary, earmarks) } ?? []
        var present = Set(balanceGroups.map(\.province)).union(claimProvinces).union(transferProvinces).union(quotaProvinces)
        present.formUnion(clearing.map { Provinces.code($0.payer) })
        present.formUnion(earmarks?.wallets.map { Provinces.code($0.region) } ?? [])
        present.formUnion(earmarks?.pots.map { Provinces.code($0.region) } ?? [])
        try prepare(present, what: "a result of \(key)")

        let parts = Self.monthParts(month)
        try keepOrDropBaseline("month \(key)", keep: keepBaseline, tables: parts)
        for item in parts {
            try connection.execute("DELETE FROM \(item.table) WHERE \(item.rows) AND \(scopeCondition(item.province))")
        }
        try connection.execute("DELETE FROM settled_month WHERE month = $1 AND \(scopeCondition("province"))", [.text(key)])
        var settled = present
        if settled.isEmpty {
            if case let .only(provinces) = scope { settled = provinces } else { settled = [Provinces.none] }
        }
        for province in settled.sorted() {
            try connection.execute("INSERT INTO settled_month VALUES ($1, $2, $3)", [.text(key), .text(province), .int(run)])
        }

        try connection.copy("month_balance_block", columns: ["month", "block", "first_person_id", "last_person_id", "accounts",
                                                             "balances", "province"]) { rows in
            for group in balanceGroups {
                try BalanceBlocks.encodeJSON(group.balances) { number, first, last, count, json in
                    try rows.row()
                    rows.text(key); rows.int(Int64(number)); rows.id(first); rows.id(last); rows.int(Int64(count))
                    rows.text(json); rows.text(group.province)
                }
            }
        }
        // Entries as SQLite numbers them: each province's claims and draws apart, in settlement order (`MonthEntries`).
        var nextClaim = (0..<128).map { MonthEntries.range(month, province: UInt32($0)).lowerBound }
        var nextDraw = nextClaim
        let homes = settlements.map { Int($0.claim.region.province & 127) }
        try connection.copy("claim_result", columns: ["entry", "claim_id", "month", "occurred_at", "person_id", "region_code",
                                                      "category", "amount_fen", "own_account_fen", "family_shared_fen", "cash_fen",
                                                      "family_status", "refusals", "wallet_fen", "pot_fen", "province"]) { rows in
            for (index, settled) in settlements.enumerated() {
                let c = settled.claim
                let refusals = settled.refusals.isEmpty ? nil : settled.refusals.map(\.description).joined(separator: "; ")
                try rows.row()
                rows.int(nextClaim[homes[index]]); rows.text(c.id); rows.text(key); rows.timestamp(c.occurredAt); rows.id(c.person)
                rows.region(c.region); rows.text(c.category.rawValue); rows.int(c.amount.fen); rows.int(settled.ownAccount.fen)
                rows.int(settled.familyShared.fen); rows.int(settled.cash.fen); rows.text(settled.status.rawValue)
                rows.text(refusals); rows.int(settled.wallet.fen); rows.int(settled.pot.fen); rows.text(claimProvinces[index])
                nextClaim[homes[index]] += 1
            }
        }
        try connection.copy("share", columns: ["entry", "month", "claim_id", "authorizer_id", "beneficiary_id", "binding_id",
                                               "relation", "amount_fen", "authorizer_balance_before_fen", "threshold_fen", "channel",
                                               "authorizer_region", "province"]) { rows in
            for (index, settled) in settlements.enumerated() {
                let c = settled.claim
                for draw in settled.draws {
                    try rows.row()
                    rows.int(nextDraw[homes[index]]); rows.text(key); rows.text(c.id); rows.id(draw.authorizer); rows.id(c.person)
                    rows.text(draw.binding); rows.text(draw.relation.rawValue); rows.int(draw.amount.fen)
                    rows.int(draw.balanceBefore.fen); rows.int(draw.threshold?.fen); rows.text(draw.channel.rawValue)
                    rows.region(draw.authorizerRegion); rows.text(claimProvinces[index])
                    nextDraw[homes[index]] += 1
                }
            }
        }
        try connection.copy("clearing", columns: ["month", "payer_region", "payee_region", "channel", "draws", "amount_fen"]) { rows in
            for row in clearing {
                try rows.row()
                rows.text(key); rows.region(row.payer); rows.region(row.payee); rows.text(row.channel.rawValue)
                rows.int(Int64(row.draws)); rows.int(row.amount.fen)
            }
        }
        if let earmarks {
            try insertEarmarks(key, earmarks, transferProvinces: transferProvinces, quotaProvinces: quotaProvinces)
        }
    }

    /// The month's wallets, transfers, quotas and pots, as their reports show them.
    private func insertEarmarks(_ key: String, _ month: EarmarkMonth, transferProvinces: [String], quotaProvinces: [String]) throws {
        try connection.copy("wallet_month", columns: ["month", "person_id", "region_code", "opening_fen", "received_fen", "sent_fen",
                                                      "spent_fen", "returned_fen", "closing_fen", "province"]) { rows in
            for row in month.wallets {
                try rows.row()
                rows.text(key); rows.id(row.person); rows.region(row.region); rows.int(row.opening.fen); rows.int(row.received.fen)
                rows.int(row.sent.fen); rows.int(row.spent.fen); rows.int(row.returned.fen); rows.int(row.closing.fen)
                rows.text(Provinces.code(row.region))
            }
        }
        try connection.copy("transfer_result", columns: ["month", "transfer_id", "sent_at", "from_id", "to_id", "amount_fen",
                                                         "status", "reason", "province"]) { rows in
            for (outcome, province) in zip(month.transfers, transferProvinces) {
                let row = outcome.transfer
                try rows.row()
                rows.text(key); rows.text(row.id); rows.timestamp(row.sentAt); rows.id(row.from); rows.id(row.to)
                rows.int(row.amount.fen); rows.text(outcome.status.rawValue); rows.text(outcome.refusal?.description)
                rows.text(province)
            }
        }
        try connection.copy("quota_month", columns: ["month", "quota_id", "sharer_id", "beneficiary_id", "amount_fen",
                                                     "used_before_fen", "used_fen", "released_fen", "unused_fen", "status", "reason",
                                                     "province"]) { rows in
            for (row, province) in zip(month.quotas, quotaProvinces) {
                try rows.row()
                rows.text(key); rows.text(row.quota.id); rows.id(row.quota.sharer); rows.id(row.quota.beneficiary)
                rows.int(row.quota.amount.fen); rows.int(row.usedBefore.fen); rows.int(row.used.fen); rows.int(row.released.fen)
                rows.int(row.unused.fen); rows.text(row.status.rawValue); rows.text(row.reason); rows.text(province)
            }
        }
        try connection.copy("pot_month", columns: ["month", "pot_id", "region_code", "creator_id", "opening_fen", "deposits_fen",
                                                   "draws_fen", "returned_fen", "closing_fen", "members", "status", "province"]) { rows in
            for row in month.pots {
                try rows.row()
                rows.text(key); rows.text(row.pot.id); rows.region(row.region); rows.id(row.pot.creator); rows.int(row.opening.fen)
                rows.int(row.deposits.fen); rows.int(row.draws.fen); rows.int(row.returned.fen); rows.int(row.closing.fen)
                rows.int(Int64(row.members)); rows.text(row.status.rawValue); rows.text(Provinces.code(row.region))
            }
        }
    }

    // MARK: Reads inside the transaction (they see its writes)

    public func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth {
        try PostgresReader(connection: connection).month(month, set)
    }

    public func thresholds(_ set: ResultSet) throws -> [ThresholdFigure] {
        try PostgresReader(connection: connection).thresholds(set)
    }

    public func settledMonths() throws -> [YearMonth] {
        try PostgresReader(connection: connection).settledMonths()
    }
}

extension CopyRows {
    mutating func id(_ id: ResidentID) { text { id.append(to: &$0) } }
    mutating func region(_ code: RegionCode) { text { code.append(to: &$0) } }
    mutating func timestamp(_ time: Timestamp) { text { time.append(to: &$0) } }
}

/// Provinces as the PostgreSQL store files rows: two digits, the first of a
/// region code (44 广东); `''` for a row whose person the run does not know
/// (as the SQLite store's `province` columns do).
enum Provinces {
    static let none = ""
    private static let codes: [String] = (0..<100).map { $0 < 10 ? "0\($0)" : "\($0)" }

    static func code(_ region: RegionCode?) -> String {
        guard let region else { return none }
        return codes[Int(region.province % 100)]
    }

    /// `'13', '44'`: provinces as SQL literals (each checked to be two digits).
    static func literals(_ provinces: some Collection<String>) -> String {
        let valid = provinces.filter { PostgresSchema.isProvince($0) || $0 == "*" }.sorted()
        return valid.isEmpty ? "NULL" : valid.map { "'\($0)'" }.joined(separator: ", ")
    }

    static func describe(_ scope: ProvinceScope) -> String {
        switch scope {
        case .all: "all"
        case let .only(provinces): provinces.sorted().joined(separator: ",")
        }
    }

    /// A month's accounts (in person-ID order) in runs of one province each,
    /// in the order of the provinces' first accounts' IDs; one run, without
    /// a copy, when they are all of one province (a city's month).
    static func group(_ balances: AccountMonths) -> [(province: String, balances: AccountMonths)] {
        guard let first = balances.first else { return [] }
        let firstProvince = first.region.province
        // The region column's codes, not a million rows made whole to read theirs.
        if balances.regions.allSatisfy({ $0.province == firstProvince }) { return [(code(first.region), balances)] }
        var order: [UInt32] = []
        var groups: [UInt32: [AccountMonth]] = [:]
        for row in balances {
            if groups[row.region.province] == nil { order.append(row.region.province) }
            groups[row.region.province, default: []].append(row)
        }
        return order.map { (codes[Int($0 % 100)], AccountMonths(groups[$0]!)) }
    }

    /// The province of an account of the month, found in its person-ID order.
    struct Accounts {
        let balances: AccountMonths
        init(_ balances: AccountMonths) { self.balances = balances }

        func province(of person: ResidentID) -> String {
            var low = 0
            var high = balances.count
            while low < high {
                let middle = (low + high) / 2
                if balances[middle].person < person { low = middle + 1 } else { high = middle }
            }
            return low < balances.count && balances[low].person == person ? code(balances[low].region) : none
        }

        /// A transfer's or quota's province: its first person's account's,
        /// else wallet's; else the second person's (a person without an
        /// account, of the resident scheme, may hold a wallet); `''` when
        /// neither has either this month.
        func province(_ first: ResidentID, else second: ResidentID, _ month: EarmarkMonth?) -> String {
            for person in [first, second] {
                let account = province(of: person)
                if account != none { return account }
                if let wallet = month?.wallets.first(where: { $0.person == person }) { return code(wallet.region) }
            }
            return none
        }
    }
}
