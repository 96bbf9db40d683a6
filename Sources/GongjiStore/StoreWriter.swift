import Foundation
import GRDB
import GongjiDomain

/// One input file's provenance, as the run log keeps it.
public typealias InputFileRecord = (file: String, sha256: String, bytes: Int64, read: Int, accepted: Int, rejected: Int)

/// Writes inside one store transaction (`Store.transaction`).
public struct StoreWriter {
    let db: Database
    private let inserts = Inserts()

    init(db: Database) { self.db = db }

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

    /// Starts a run-log entry; returns its id.
    public func beginRun(startedAt: String, command: String, dataFolder: String, version: String) throws -> Int64 {
        try db.execute(sql: "INSERT INTO run (started_at, command, data_folder, version) VALUES (?, ?, ?, ?)",
                       arguments: [startedAt, command, dataFolder, version])
        return db.lastInsertedRowID
    }

    public func finishRun(_ run: Int64, finishedAt: String, months: [YearMonth], inputs: [InputFileRecord]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO input_file (run_id, file, sha256, bytes, rows_read, rows_accepted, rows_rejected)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for input in inputs {
            try statement.execute(arguments: [run, input.file, input.sha256, input.bytes, input.read, input.accepted,
                                              input.rejected])
        }
        let read = inputs.reduce(0) { $0 + $1.read }
        let rejected = inputs.reduce(0) { $0 + $1.rejected }
        let monthList = months.isEmpty ? nil : "\(months[0].text)..\(months[months.count - 1].text)"
        try db.execute(sql: "UPDATE run SET months = ?, rows_read = ?, rows_rejected = ? WHERE id = ?",
                       arguments: [monthList, read, rejected, run])
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

    public func replaceBindings(_ bindings: [Binding], events: [LifeEvent]) throws {
        try db.execute(sql: "DELETE FROM binding")
        try db.execute(sql: "DELETE FROM event")
        let binding = try insert("INSERT INTO binding VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for item in bindings {
            try binding.text(item.id).id(item.authorizer).id(item.beneficiary).text(item.relation.rawValue)
                .text(item.boundOn.text).text(item.unboundOn?.text).text(item.channel).int(item.priority.map(Int64.init))
                .step()
        }
        let event = try insert("INSERT INTO event VALUES (?, ?, ?)")
        for item in events {
            try event.id(item.person).text(item.date.text).text(item.kind.rawValue).step()
        }
    }

    /// Replaces the thresholds. `keepBaseline` (recompute) first keeps the
    /// current ones as the baseline unless one is kept already; otherwise
    /// (run) the baseline is dropped: the new figures are the reported ones.
    public func replaceThresholds(_ periods: [ThresholdPeriod], keepBaseline: Bool = false) throws {
        try keepOrDropBaseline("thresholds", keep: keepBaseline, tables: [("threshold", .all)])
        try db.execute(sql: "DELETE FROM threshold")
        let statement = try db.cachedStatement(sql: "INSERT INTO threshold VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for period in periods {
            try statement.execute(arguments: [period.region.text, period.start.text, period.end.text, period.statYear,
                                              period.wageSeries, period.averageMonthlyWage?.fen, period.rate.decimalText,
                                              period.threshold.fen, period.basis.rawValue, period.revision])
        }
    }

    // MARK: Results: one month at a time, idempotent

    /// Keeps the current rows of `tables` (each with the condition that
    /// picks the part's rows) as the baseline of `part` (when it has none
    /// yet), or drops that baseline.
    private func keepOrDropBaseline(_ part: String, keep: Bool, tables: [(table: String, rows: Rows)]) throws {
        let kept = try Bool.fetchOne(db, sql: "SELECT 1 FROM baseline_set WHERE part = ?", arguments: [part]) ?? false
        if keep {
            guard !kept else { return }
            for (table, rows) in tables {
                try db.execute(sql: "INSERT INTO baseline_\(table) SELECT * FROM \(table) WHERE \(rows.condition)",
                               arguments: rows.arguments)
            }
            try db.execute(sql: "INSERT INTO baseline_set VALUES (?)", arguments: [part])
        } else if kept {
            for (table, rows) in tables {
                try db.execute(sql: "DELETE FROM baseline_\(table) WHERE \(rows.condition)", arguments: rows.arguments)
            }
            try db.execute(sql: "DELETE FROM baseline_set WHERE part = ?", arguments: [part])
        }
    }

    /// Which rows of a table: a condition and its arguments.
    struct Rows {
        var condition: String
        var arguments: StatementArguments
        static let all = Rows(condition: "1", arguments: [])
        static func month(_ month: YearMonth) -> Rows { Rows(condition: "month = ?", arguments: [month.text]) }
        static func entries(_ month: YearMonth) -> Rows {
            let range = MonthEntries.range(month)
            return Rows(condition: "entry BETWEEN ? AND ?", arguments: [range.lowerBound, range.upperBound])
        }
    }

    /// A month's balances (in person-ID order) as blocks (`BalanceBlocks`).
    func insertBalances(_ month: String, _ balances: [AccountMonth], table: String) throws {
        let block = try insert("INSERT INTO \(table) VALUES (?, ?, ?, ?, ?, ?)")
        try BalanceBlocks.encode(balances) { number, first, last, count, json in
            try block.text(month).int(Int64(number)).id(first).id(last).int(Int64(count)).text(json).step()
        }
    }

    /// Replaces everything stored for `month` with these results. With
    /// `keepBaseline` (recompute) the results being replaced are first kept
    /// as the month's baseline, unless it has one.
    public func replaceMonth(_ month: YearMonth, run: Int64, balances: [AccountMonth],
                             settlements: [ClaimSettlement], clearing: [ClearingItem], earmarks: EarmarkMonth? = nil,
                             keepBaseline: Bool) throws {
        let key = month.text
        let tables: [(table: String, rows: Rows)] = [("month_balance_block", .month(month)), ("claim_result", .entries(month)),
                                                     ("share", .entries(month)), ("clearing", .month(month)),
                                                     ("wallet_month", .month(month)), ("transfer_result", .month(month)),
                                                     ("quota_month", .month(month)), ("pot_month", .month(month))]
        try keepOrDropBaseline("month \(key)", keep: keepBaseline, tables: tables)
        for (table, rows) in tables + [("settled_month", .month(month))] {
            try db.execute(sql: "DELETE FROM \(table) WHERE \(rows.condition)", arguments: rows.arguments)
        }
        try db.execute(sql: "INSERT INTO settled_month VALUES (?, ?)", arguments: [key, run])
        try insertBalances(key, balances, table: "month_balance_block")
        let claim = try insert("INSERT INTO claim_result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let share = try insert("INSERT INTO share VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        var claimEntry = MonthEntries.range(month).lowerBound
        var shareEntry = claimEntry
        for settled in settlements {
            let c = settled.claim
            let refusals = settled.refusals.isEmpty ? nil : settled.refusals.map(\.description).joined(separator: "; ")
            try claim.int(claimEntry).text(c.id).text(key).timestamp(c.occurredAt).id(c.person).region(c.region)
                .text(c.category.rawValue).int(c.amount.fen).int(settled.ownAccount.fen).int(settled.familyShared.fen)
                .int(settled.cash.fen).text(settled.status.rawValue).text(refusals).int(settled.wallet.fen)
                .int(settled.pot.fen).step()
            claimEntry += 1
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
        if let earmarks { try insertEarmarks(key, earmarks) }
    }

    /// The month's wallets, transfers, quotas and pots, as their reports show them.
    private func insertEarmarks(_ key: String, _ month: EarmarkMonth) throws {
        let wallet = try insert("INSERT INTO wallet_month VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for row in month.wallets {
            try wallet.text(key).id(row.person).region(row.region).int(row.opening.fen).int(row.received.fen)
                .int(row.sent.fen).int(row.spent.fen).int(row.returned.fen).int(row.closing.fen).step()
        }
        let transfer = try insert("INSERT INTO transfer_result VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for outcome in month.transfers {
            let row = outcome.transfer
            try transfer.text(key).text(row.id).timestamp(row.sentAt).id(row.from).id(row.to).int(row.amount.fen)
                .text(outcome.status.rawValue).text(outcome.refusal?.description).step()
        }
        let quota = try insert("INSERT INTO quota_month VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for row in month.quotas {
            try quota.text(key).text(row.quota.id).id(row.quota.sharer).id(row.quota.beneficiary).int(row.quota.amount.fen)
                .int(row.usedBefore.fen).int(row.used.fen).int(row.released.fen).int(row.unused.fen)
                .text(row.status.rawValue).text(row.reason).step()
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
/// month − 1) in the high 32 bits, the row's place in the month (settlement
/// order) in the low 32 bits. A month's rows are one range of the key.
enum MonthEntries {
    static func range(_ month: YearMonth) -> ClosedRange<Int64> {
        let first = Int64(month.year * 12 + month.month - 1) << 32
        return first...(first | 0xFFFF_FFFF)
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

    /// Months with stored results, earliest first.
    public func settledMonths() throws -> [YearMonth] {
        try db.settledMonthList()
    }

    /// The stored closing balance of an account at the end of `month`.
    public func closingBalance(of person: ResidentID, month: YearMonth) throws -> Money? {
        try Int64.fetchOne(db, sql: "SELECT closing_fen FROM month_balance WHERE month = ? AND person_id = ?",
                           arguments: [month.text, person.text]).map(Money.init(fen:))
    }

    /// Runs in the log, oldest first.
    public func runs() throws -> [StoredRun] {
        try Row.fetchAll(db, sql: "SELECT id, command, months, rows_read, rows_rejected FROM run ORDER BY id").map {
            StoredRun(id: $0["id"], command: $0["command"], months: $0["months"], read: $0["rows_read"],
                      rejected: $0["rows_rejected"])
        }
    }
}

/// One run of the store's log.
public struct StoredRun: Hashable, Sendable {
    public var id: Int64
    public var command: String
    /// The months it settled, `2022-03..2026-02`; nil while the run has not finished.
    public var months: String?
    /// Input rows read and rejected; nil while the run has not finished.
    public var read: Int?
    public var rejected: Int?
}
