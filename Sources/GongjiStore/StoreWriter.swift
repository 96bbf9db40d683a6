import Foundation
import GRDB
import GongjiDomain

/// Writes inside one store transaction (`Store.transaction`).
public struct StoreWriter {
    let db: Database
    private let inserts = Inserts()

    /// The provinces whose rows this transaction replaces: every one's, or
    /// a `--province` run's (docs/store.md, "Provinces").
    let scope: ProvinceScope

    init(db: Database, scope: ProvinceScope = .all) {
        self.db = db
        self.scope = scope
    }

    /// `13,32` for the run log; nil: every province.
    var scopeText: String? {
        switch scope {
        case .all: nil
        case let .only(provinces): provinces.sorted().joined(separator: ",")
        }
    }

    /// The scope's provinces as numbers; nil: every province.
    var only: [UInt32]? {
        switch scope {
        case .all: nil
        case let .only(provinces): provinces.compactMap { UInt32($0) }.sorted()
        }
    }

    /// Prepared bulk inserts, made once per transaction.
    final class Inserts {
        var made: [String: BulkInsert] = [:]
    }

    func insert(_ sql: String) throws -> BulkInsert {
        if let known = inserts.made[sql] { return known }
        let made = try BulkInsert(db, sql)
        inserts.made[sql] = made
        return made
    }

    // MARK: The run log

    /// Starts a run-log entry, with the provinces of a `--province` run
    /// (`13,32`; NULL: every province); returns its id.
    public func beginRun(startedAt: String, command: String, dataFolder: String, version: String) throws -> Int64 {
        try db.execute(sql: "INSERT INTO run (started_at, command, data_folder, version, provinces) VALUES (?, ?, ?, ?, ?)",
                       arguments: [startedAt, command, dataFolder, version, scopeText])
        return db.lastInsertedRowID
    }

    /// Ends the run log entry: each input's provenance (table `input_file`,
    /// a nil `skipped` kept as 0), the months and the totals.
    public func finishRun(_ run: Int64, finishedAt: String, months: [YearMonth], inputs: [InputRecord]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO input_file (run_id, file, sha256, bytes, rows_read, rows_accepted, rows_rejected, rows_skipped)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for input in inputs {
            try statement.execute(arguments: [run, input.file, input.sha256, input.bytes, input.read, input.accepted,
                                              input.rejected, input.skipped ?? 0])
        }
        let read = inputs.reduce(0) { $0 + $1.read }
        let rejected = inputs.reduce(0) { $0 + $1.rejected }
        let skipped = inputs.reduce(0) { $0 + ($1.skipped ?? 0) }
        try db.execute(sql: "UPDATE run SET months = ?, rows_read = ?, rows_rejected = ?, rows_skipped = ? WHERE id = ?",
                       arguments: [StoredRun.text(months), read, rejected, skipped, run])
        // Finished only when its reports are in place (`publish`, then `published`); a run without reports finishes now.
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM publication WHERE run_id = ?", arguments: [run]) != true {
            try db.execute(sql: "UPDATE run SET finished_at = ? WHERE id = ?", arguments: [finishedAt, run])
        }
    }

    /// The run's results come with reports in `publication.staging`, to be
    /// put in place after the commit; until then the run is not finished.
    public func publish(_ publication: Store.Publication) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO publication VALUES (?, ?, ?, ?, ?)",
                       arguments: [publication.run, publication.token, publication.out, publication.staging,
                                   publication.manifestSHA256])
        try db.execute(sql: "UPDATE run SET finished_at = NULL WHERE id = ?", arguments: [publication.run])
    }

    /// The run's reports are in place: the run is finished.
    public func published(_ run: Int64, finishedAt: String) throws {
        try db.execute(sql: "DELETE FROM publication WHERE run_id = ?", arguments: [run])
        try db.execute(sql: "UPDATE run SET finished_at = ? WHERE id = ?", arguments: [finishedAt, run])
    }

    // MARK: Imported data: replaced as a whole by each run

    /// The size of the parts an input file is kept in.
    public static let inputPart = 8 << 20

    /// Keeps an input file whole, once per content: nothing is written when
    /// a file with this SHA-256 is stored already. `contents` hands over the
    /// file in parts of `inputPart` bytes (`part` 0, 1, ...: their
    /// concatenation is the file), so no file is held in memory whole and
    /// none meets SQLite's blob size limit. The store reads no file itself.
    public func storeInput(sha256: String, contents: ((Data) throws -> Void) throws -> Void) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM input_content WHERE sha256 = ?", arguments: [sha256]) != true else {
            return
        }
        let statement = try insert("INSERT INTO input_content VALUES (?, ?, ?)")
        var part: Int64 = 0
        try contents { chunk in
            try statement.text(sha256).int(part).blob(chunk).step()
            part += 1
        }
    }

    /// Replaces the bindings and events: all of them, or those of the
    /// scope's provinces. A binding is of its beneficiary's province, else
    /// its authorizer's; an event of its person's (`regionOf`: where a
    /// person is insured, nil when not in persons.csv: `''`). A run of some
    /// provinces is given only theirs (a binding between provinces is its
    /// beneficiary's run's); one of another province is an error, as in
    /// PostgreSQL.
    public func replaceBindings(_ bindings: [Binding], events: [LifeEvent], regionOf: (ResidentID) -> RegionCode?) throws {
        let bindingProvinces = bindings.map { Provinces.code(regionOf($0.beneficiary) ?? regionOf($0.authorizer)) }
        let eventProvinces = events.map { Provinces.code(regionOf($0.person)) }
        try check(Set(bindingProvinces + eventProvinces), what: "a binding or event")
        let mine = Rows.of(.column, month: nil, only: only).condition
        try db.execute(sql: "DELETE FROM binding WHERE \(mine)")
        try db.execute(sql: "DELETE FROM event WHERE \(mine)")
        let binding = try insert("INSERT INTO binding VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for (item, province) in zip(bindings, bindingProvinces) {
            try binding.text(item.id).id(item.authorizer).id(item.beneficiary).text(item.relation.rawValue)
                .text(item.boundOn.text).text(item.unboundOn?.text).text(item.channel).int(item.priority.map(Int64.init))
                .text(province).step()
        }
        let event = try insert("INSERT INTO event VALUES (?, ?, ?, ?)")
        for (item, province) in zip(events, eventProvinces) {
            try event.id(item.person).text(item.date.text).text(item.kind.rawValue).text(province).step()
        }
    }

    /// A row of a province outside the scope is never written (a run of some
    /// provinces that got one has a fault); `''` (no province) is a run of all's.
    func check(_ provinces: Set<String>, what: String) throws {
        if let outside = provinces.sorted().first(where: { !scope.contains($0) }) {
            throw StoreError("\(what) of province '\(outside)', outside this run's provinces (\(Provinces.describe(scope)))")
        }
    }

    /// Replaces the thresholds. `keepBaseline` (recompute) first keeps the
    /// current ones as the baseline unless one is kept already; otherwise
    /// (run) the baseline is dropped: the new figures are the reported ones.
    /// A run of some provinces replaces the thresholds of their regions only.
    public func replaceThresholds(_ periods: [ThresholdPeriod], keepBaseline: Bool = false) throws {
        try keepOrDropBaseline("thresholds", keep: keepBaseline, tables: [("threshold", .region("region_code"))], month: nil)
        try db.execute(sql: "DELETE FROM threshold WHERE \(Rows.of(.region("region_code"), month: nil, only: only).condition)")
        let statement = try db.cachedStatement(sql: "INSERT INTO threshold VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for period in periods where scope.contains(Provinces.code(period.region)) {
            try statement.execute(arguments: [period.region.text, period.start.text, period.end.text, period.statYear,
                                              period.wageSeries, period.averageMonthlyWage?.fen, period.rate.decimalText,
                                              period.threshold.fen, period.basis.rawValue, period.revision])
        }
    }

    // MARK: Results: one month at a time, idempotent

    /// Keeps the current rows of `tables` (each with how its rows tell
    /// their province) as the baseline of `part` (a month, or the
    /// thresholds), or drops that baseline: all of it, or with `only` (a
    /// `--province` run) its provinces' (docs/policy.md, "Units of work").
    /// A baseline kept by a run of every province is the part's row
    /// (`month 2022-06`); one kept by a `--province` run, a row per province
    /// (`month 2022-06/44`).
    private func keepOrDropBaseline(_ part: String, keep: Bool, tables: [(table: String, kind: Rows.Kind)],
                                    month: YearMonth?) throws {
        let only = self.only.map { ProvinceSelection($0) }
        let whole = try Bool.fetchOne(db, sql: "SELECT 1 FROM baseline_set WHERE part = ?", arguments: [part]) ?? false
        let kept = try db.baselineProvinces(part)
        func copy(_ only: [UInt32]?, excluding: [UInt32] = []) throws {
            for (table, kind) in tables {
                let rows = Rows.of(kind, month: month, only: only, excluding: excluding)
                try db.execute(sql: "INSERT INTO baseline_\(table) SELECT * FROM \(table) WHERE \(rows.condition)",
                               arguments: rows.arguments)
            }
        }
        func drop(_ only: [UInt32]?) throws {
            for (table, kind) in tables {
                let rows = Rows.of(kind, month: month, only: only)
                try db.execute(sql: "DELETE FROM baseline_\(table) WHERE \(rows.condition)", arguments: rows.arguments)
            }
        }
        switch (keep, only) {
        case (true, nil):
            guard !whole else { return }
            try copy(nil, excluding: kept)
            try db.execute(sql: "DELETE FROM baseline_set WHERE part LIKE ?", arguments: ["\(part)/%"])
            try db.execute(sql: "INSERT INTO baseline_set VALUES (?)", arguments: [part])
        case let (true, only?):
            guard !whole else { return }
            for province in only.codes where !kept.contains(province) {
                try copy([province])
                try db.execute(sql: "INSERT INTO baseline_set VALUES (?)",
                               arguments: ["\(part)/\(ProvinceSelection.text(province))"])
            }
        case (false, nil):
            guard whole || !kept.isEmpty else { return }
            try drop(nil)
            try db.execute(sql: "DELETE FROM baseline_set WHERE part = ? OR part LIKE ?", arguments: [part, "\(part)/%"])
        case let (false, only?):
            if whole {
                // The other provinces keep theirs: the whole part becomes a part per province it has rows of.
                var present = Set<String>()
                for (table, kind) in tables {
                    let rows = Rows.of(kind, month: month, only: nil)
                    present.formUnion(try String.fetchAll(db, sql: """
                        SELECT DISTINCT \(kind.province) FROM baseline_\(table) WHERE \(rows.condition)
                        """, arguments: rows.arguments))
                }
                for province in present.sorted() where !only.codes.map(ProvinceSelection.text).contains(province) {
                    try db.execute(sql: "INSERT INTO baseline_set VALUES (?)", arguments: ["\(part)/\(province)"])
                }
                try db.execute(sql: "DELETE FROM baseline_set WHERE part = ?", arguments: [part])
            }
            let mine = only.codes.filter { whole || kept.contains($0) }
            guard !mine.isEmpty else { return }
            try drop(mine)
            for province in mine {
                try db.execute(sql: "DELETE FROM baseline_set WHERE part = ?",
                               arguments: ["\(part)/\(ProvinceSelection.text(province))"])
            }
        }
    }

    /// Which rows of a table: a condition and its arguments.
    struct Rows {
        var condition: String
        var arguments: StatementArguments

        /// How a table's rows tell their province (and month).
        enum Kind {
            /// A `province` column (balance blocks, transfers, quotas), besides `month`.
            case column
            /// The first two digits of a region column, besides `month` (clearing: the payer's; wallets, pots).
            case region(String)
            /// The `entry` key, which holds month and province (claim results, draws: `MonthEntries`).
            case entries

            /// The province of a row, as SQL (two digits).
            var province: String {
                switch self {
                case .column: "province"
                case let .region(column): "substr(\(column), 1, 2)"
                case .entries: "printf('%02d', (entry >> 32) & 127)"
                }
            }
        }

        /// The rows of `month` (nil: of every month: the thresholds) of
        /// `only`'s provinces (nil: every province) but `excluding`'s.
        static func of(_ kind: Kind, month: YearMonth?, only: [UInt32]?, excluding: [UInt32] = []) -> Rows {
            var conditions: [String] = []
            var arguments: StatementArguments = []
            switch kind {
            case .entries:
                guard let month else { break }
                if let only {
                    // A range of the key per province: a province's rows are read or replaced without a scan.
                    let ranges = only.map { MonthEntries.range(month, province: $0) }
                    conditions.append("(" + ranges.map { _ in "entry BETWEEN ? AND ?" }.joined(separator: " OR ") + ")")
                    for range in ranges { arguments += [range.lowerBound, range.upperBound] }
                } else {
                    let range = MonthEntries.range(month)
                    conditions.append("entry BETWEEN ? AND ?")
                    arguments += [range.lowerBound, range.upperBound]
                }
            case .column, .region:
                if let month {
                    conditions.append("month = ?")
                    arguments += [month.text]
                }
                if let only { conditions.append("\(kind.province) IN (\(StoreProvinces.list(only)))") }
            }
            if !excluding.isEmpty { conditions.append("\(kind.province) NOT IN (\(StoreProvinces.list(excluding)))") }
            return Rows(condition: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments: arguments)
        }
    }

    /// The month tables a run replaces, and how their rows tell their province.
    static let monthTables: [(table: String, kind: Rows.Kind)] = [
        ("month_balance_block", .column), ("claim_row", .entries), ("share", .entries),
        ("clearing", .region("payer_region")), ("wallet_month", .region("region_code")), ("transfer_result", .column),
        ("quota_month", .column), ("pot_month", .region("region_code")),
    ]

    /// A month's balances (in person-ID order) as blocks (`BalanceBlocks`),
    /// each province's apart (a `--province` run replaces its own).
    func insertBalances(_ month: YearMonth, _ balances: AccountMonths, table: String) throws {
        let block = try insert("INSERT INTO \(table) VALUES (?, ?, ?, ?, ?, ?, ?)")
        let month = month.text
        // Usually one province (a city, a province's run): its accounts as they are, no copy.
        let first = balances.first?.region.province
        // The region column's codes, not a million rows made whole to read theirs.
        let groups = balances.regions.allSatisfy({ $0.province == first }) ? [(first ?? 0, balances)]
            : Dictionary(grouping: balances, by: \.region.province).sorted { $0.key < $1.key }.map { ($0.key, AccountMonths($0.value)) }
        for (province, accounts) in groups {
            let code = ProvinceSelection.text(province)
            try BalanceBlocks.encode(accounts) { number, first, last, count, bytes in
                try block.text(month).text(code).int(Int64(number)).id(first).id(last).int(Int64(count)).blob(bytes).step()
            }
        }
    }

    /// Replaces everything stored for `month` with these results: all of
    /// it, or the scope's provinces' rows, those of other provinces staying
    /// as earlier runs left them. With `keepBaseline` (recompute) the
    /// results being replaced are first kept as the month's baseline, unless
    /// it has one. A row's province: an account's, claim's (and its draws'),
    /// wallet's or pot's region; the clearing's payer's; a transfer's
    /// sender's and a quota's sharer's account's, among the month's (as in
    /// PostgreSQL: `Provinces`).
    public func replaceMonth(_ month: YearMonth, run: Int64, balances: AccountMonths,
                             settlements: [ClaimSettlement], clearing: [ClearingItem], earmarks: EarmarkMonth? = nil,
                             keepBaseline: Bool) throws {
        let accounts = Provinces.Accounts(balances)
        let transferProvinces = earmarks?.transfers.map { accounts.province($0.transfer.from, else: $0.transfer.to, earmarks) } ?? []
        let quotaProvinces = earmarks?.quotas.map { accounts.province($0.quota.sharer, else: $0.quota.beneficiary, earmarks) } ?? []
        // The regions first, one insert at a time: `Set(balances.map ...)` made an array of a million codes
        // and a set sized for a million (34 MB of a city month's peak, heaptrack) to hold a few.
        var regions = balances.regions
        var last: RegionCode?
        for settled in settlements where settled.claim.region != last {
            regions.insert(settled.claim.region)
            last = settled.claim.region
        }
        var present = Set(regions.map(Provinces.code))
        present.formUnion(transferProvinces + quotaProvinces + clearing.map { Provinces.code($0.payer) })
        present.formUnion((earmarks?.wallets.map { Provinces.code($0.region) } ?? []) + (earmarks?.pots.map { Provinces.code($0.region) } ?? []))
        try check(present, what: "a result of \(month.text)")
        let key = month.text
        try keepOrDropBaseline("month \(key)", keep: keepBaseline, tables: Self.monthTables, month: month)
        for (table, kind) in Self.monthTables {
            let rows = Rows.of(kind, month: month, only: only)
            try db.execute(sql: "DELETE FROM \(table) WHERE \(rows.condition)", arguments: rows.arguments)
        }
        try db.execute(sql: "INSERT OR REPLACE INTO settled_month VALUES (?, ?)", arguments: [key, run])
        try insertBalances(month, balances, table: "month_balance_block")
        // The compact row (v9-claims); claim_result is its view. Codes as the store's tables give them.
        let claim = try insert("INSERT INTO claim_row VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let categories = try codes("claim_category", UsageCategory.self)
        let statuses = try codes("claim_status", FamilyStatus.self)
        let share = try insert("INSERT INTO share VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        // Each province's rows numbered apart, in settlement order (`MonthEntries`): the next claim
        // and draw entry of each province, by its code (an array: no hashing per claim).
        var next = (0..<128).map { MonthEntries.range(month, province: UInt32($0)).lowerBound }
        var nextShare = next
        for settled in settlements {
            let c = settled.claim
            let home = Int(c.region.province & 127)
            let claimEntry = next[home]
            next[home] += 1
            var shareEntry = nextShare[home]
            defer { nextShare[home] = shareEntry }
            let refusals = settled.refusals.isEmpty ? nil : settled.refusals.map(\.description).joined(separator: "; ")
            try claim.int(claimEntry).text(c.id).text(key).int(c.occurredAt.seconds).id(c.person).region(c.region)
                .int(categories[c.category]).int(c.amount.fen).int(settled.ownAccount.fen).int(settled.familyShared.fen)
                .int(settled.cash.fen).int(statuses[settled.status]).text(refusals).int(settled.wallet.fen)
                .int(settled.pot.fen).step()
            for draw in settled.draws {
                try share.int(shareEntry).text(key).text(c.id).id(draw.authorizer).id(c.person).text(draw.binding)
                    .text(draw.relation.rawValue).int(draw.amount.fen).int(draw.balanceBefore.fen).int(draw.threshold?.fen)
                    .text(draw.channel.rawValue).region(draw.authorizerRegion).step()
                shareEntry += 1
            }
        }
        let item = try insert("INSERT INTO clearing VALUES (?, ?, ?, ?, ?, ?)")
        for row in clearing {
            try item.text(key).region(row.payer).region(row.payee).text(row.channel.rawValue).int(Int64(row.draws))
                .int(row.amount.fen).step()
        }
        if let earmarks { try insertEarmarks(key, earmarks, transferProvinces, quotaProvinces) }
    }

    /// Each value's code in the store's code table (`claim_category`,
    /// `claim_status`: v9-claims); a value without one is an error, not a
    /// row lost.
    private func codes<Value: RawRepresentable & CaseIterable & Hashable>(_ table: String, _ type: Value.Type) throws
        -> [Value: Int64] where Value.RawValue == String {
        let known = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, code FROM \(table)").map {
            (($0["name"] as String), ($0["code"] as Int64))
        })
        var codes: [Value: Int64] = [:]
        for value in Value.allCases {
            guard let code = known[value.rawValue] else { throw StoreError("\(table) has no code for \(value.rawValue)") }
            codes[value] = code
        }
        return codes
    }

    /// The month's wallets, transfers, quotas and pots, as their reports show them.
    private func insertEarmarks(_ key: String, _ month: EarmarkMonth, _ transferProvinces: [String],
                                _ quotaProvinces: [String]) throws {
        let wallet = try insert("INSERT INTO wallet_month VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for row in month.wallets {
            try wallet.text(key).id(row.person).region(row.region).int(row.opening.fen).int(row.received.fen)
                .int(row.sent.fen).int(row.spent.fen).int(row.returned.fen).int(row.closing.fen).step()
        }
        let transfer = try insert("INSERT INTO transfer_result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for (outcome, province) in zip(month.transfers, transferProvinces) {
            let row = outcome.transfer
            try transfer.text(key).text(row.id).timestamp(row.sentAt).id(row.from).id(row.to).int(row.amount.fen)
                .text(outcome.status.rawValue).text(outcome.refusal?.description).text(province).step()
        }
        let quota = try insert("INSERT INTO quota_month VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for (row, province) in zip(month.quotas, quotaProvinces) {
            try quota.text(key).text(row.quota.id).id(row.quota.sharer).id(row.quota.beneficiary).int(row.quota.amount.fen)
                .int(row.usedBefore.fen).int(row.used.fen).int(row.released.fen).int(row.unused.fen)
                .text(row.status.rawValue).text(row.reason).text(province).step()
        }
        let pot = try insert("INSERT INTO pot_month VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for row in month.pots {
            try pot.text(key).text(row.pot.id).region(row.region).id(row.pot.creator).int(row.opening.fen)
                .int(row.deposits.fen).int(row.draws.fen).int(row.returned.fen).int(row.closing.fen)
                .int(Int64(row.members)).text(row.status.rawValue).step()
        }
    }
}

/// The `entry` key of claim_result and share: the month (year × 12 +
/// month − 1) × 128 + the province (of the claim's region: 44) in the high
/// bits, the row's place among its province's rows of the month
/// (settlement order) in the low 32 bits. A month's rows are one range of
/// the key, and a province's rows of a month one range inside it (store
/// v6): a run of all provinces and runs of each give the same keys.
enum MonthEntries {
    static func range(_ month: YearMonth) -> ClosedRange<Int64> {
        let first = (Int64(month.year * 12 + month.month - 1) * 128) << 32
        return first...(first | (127 << 32) | 0xFFFF_FFFF)
    }

    static func range(_ month: YearMonth, province: UInt32) -> ClosedRange<Int64> {
        let first = (Int64(month.year * 12 + month.month - 1) * 128 + Int64(province & 127)) << 32
        return first...(first | 0xFFFF_FFFF)
    }
}

/// Provinces in the store's SQL: the two-digit codes, as literals (they
/// come from numbers, never from input text).
enum StoreProvinces {
    static func list(_ codes: [UInt32]) -> String {
        codes.map { "'\(ProvinceSelection.text($0))'" }.joined(separator: ", ")
    }
}

extension Database {
    /// The provinces with a baseline of their own for `part` (`month 2022-06/44`).
    func baselineProvinces(_ part: String) throws -> [UInt32] {
        try String.fetchAll(self, sql: "SELECT part FROM baseline_set WHERE part LIKE ?", arguments: ["\(part)/%"])
            .compactMap { UInt32($0.dropFirst(part.count + 1)) }
    }
}

/// Queries over the store.
public struct StoreReader {
    let db: Database

    /// The number of rows in a table of the store.
    public func count(_ table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
    }

    /// The bytes of a stored input file, by its SHA-256 (as the run log names it).
    public func input(sha256: String) throws -> Data {
        try Data.fetchAll(db, sql: "SELECT content FROM input_content WHERE sha256 = ? ORDER BY part",
                          arguments: [sha256]).reduce(Data(), +)
    }

    /// The SHA-256 the latest run recorded for `file`.
    public func latestDigest(of file: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT sha256 FROM input_file WHERE file = ? ORDER BY run_id DESC LIMIT 1",
                            arguments: [file])
    }

    /// The input files of a run as its log keeps them, in the order the run
    /// read them: `skipped` nil for a run of every province (`run.provinces`
    /// NULL); for a `--province` run, 0 for the policy and the bulletins too,
    /// whose rows are not told apart by province (manifest.json leaves it out).
    public func inputFiles(run: Int64) throws -> [InputRecord] {
        try Row.fetchAll(db, sql: """
            SELECT f.file, f.sha256, f.bytes, f.rows_read, f.rows_rejected, f.rows_skipped, r.provinces IS NOT NULL
            FROM input_file AS f JOIN run AS r ON r.id = f.run_id WHERE f.run_id = ? ORDER BY f.rowid
            """, arguments: [run]).map { row in
            InputRecord(file: row[0], sha256: row[1], bytes: row[2], read: row[3], rejected: row[4],
                        skipped: row[6] ? row[5] as Int : nil)
        }
    }

    /// Months with stored results, earliest first.
    public func settledMonths() throws -> [YearMonth] {
        try db.settledMonthList()
    }

    /// The stored closing balance of an account at the end of `month`.
    public func closingBalance(of person: ResidentID, month: YearMonth) throws -> Money? {
        try db.storedAccount(person, month: month)?.closing
    }

    /// Runs in the log, oldest first.
    public func runs() throws -> [StoredRun] {
        try Row.fetchAll(db, sql: "SELECT id, command, months, rows_read, rows_rejected FROM run ORDER BY id").map {
            StoredRun(id: $0["id"], command: $0["command"], months: try StoredRun.months($0["months"]), read: $0["rows_read"],
                      rejected: $0["rows_rejected"])
        }
    }
}

/// One run of the store's log.
public struct StoredRun: Hashable, Sendable {
    public var id: Int64
    public var command: String
    /// The months it settled (the log writes `2022-03..2026-02`); nil while
    /// the run has not finished, or when it settled none.
    public var months: ClosedRange<YearMonth>?
    /// Input rows read and rejected; nil while the run has not finished.
    public var read: Int?
    public var rejected: Int?

    /// The run log's `months` for `months` (in order): `2022-03..2026-02`, or NULL for none.
    static func text(_ months: [YearMonth]) -> String? {
        guard let first = months.first, let last = months.last else { return nil }
        return "\(first.text)..\(last.text)"
    }

    /// The months the run log's `text` names.
    static func months(_ text: String?) throws -> ClosedRange<YearMonth>? {
        guard let text else { return nil }
        let ends = text.split(separator: "..", omittingEmptySubsequences: false)
        guard ends.count == 2, let first = YearMonth(text: ends[0]), let last = YearMonth(text: ends[1]), first <= last else {
            throw StoreError("run months '\(text)': not the form gongji writes")
        }
        return first...last
    }
}
