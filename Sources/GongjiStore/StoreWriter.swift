import GRDB
import GongjiDomain

/// One input file's provenance, as the run log keeps it.
public struct InputFileRecord: Sendable {
    public var file: String
    public var sha256: String
    public var bytes: Int64
    public var read: Int
    public var accepted: Int
    public var rejected: Int

    public init(file: String, sha256: String, bytes: Int64, read: Int, accepted: Int, rejected: Int) {
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.read = read
        self.accepted = accepted
        self.rejected = rejected
    }
}

/// Writes inside one store transaction (`Store.transaction`).
public struct StoreWriter {
    let db: Database

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
        try db.execute(sql: "UPDATE run SET finished_at = ?, months = ?, rows_read = ?, rows_rejected = ? WHERE id = ?",
                       arguments: [finishedAt, monthList, read, rejected, run])
    }

    // MARK: Imported data: replaced as a whole by each run

    public func replacePersons(_ persons: some Sequence<Person>) throws {
        try db.execute(sql: "DELETE FROM person")
        let statement = try db.cachedStatement(sql: "INSERT INTO person VALUES (?, ?, ?, ?, ?)")
        for person in persons {
            try statement.execute(arguments: [person.id.text, person.name, person.region.text, person.scheme.rawValue,
                                              person.tier])
        }
    }

    public func replaceOpenings(_ openings: some Sequence<(ResidentID, AccountLedger.Opening)>) throws {
        try db.execute(sql: "DELETE FROM opening_balance")
        let statement = try db.cachedStatement(sql: "INSERT INTO opening_balance VALUES (?, ?, ?)")
        for (id, opening) in openings {
            try statement.execute(arguments: [id.text, opening.asOf.text, opening.balance.fen])
        }
    }

    public func clearContributions() throws {
        try db.execute(sql: "DELETE FROM contribution")
    }

    public func insertContribution(_ contribution: Contribution, credit: Credit) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO contribution VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        try statement.execute(arguments: [contribution.month.text, contribution.person.text, contribution.region.text,
                                          contribution.status.rawValue, contribution.base?.fen, contribution.employerID,
                                          credit.band, credit.amount.fen])
    }

    public func replaceBindings(_ bindings: [Binding], events: [LifeEvent]) throws {
        try db.execute(sql: "DELETE FROM binding")
        try db.execute(sql: "DELETE FROM event")
        let binding = try db.cachedStatement(sql: "INSERT INTO binding VALUES (?, ?, ?, ?, ?, ?, ?)")
        for item in bindings {
            try binding.execute(arguments: [item.id, item.authorizer.text, item.beneficiary.text, item.relation.rawValue,
                                            item.boundOn.text, item.unboundOn?.text, item.channel])
        }
        let event = try db.cachedStatement(sql: "INSERT INTO event VALUES (?, ?, ?)")
        for item in events {
            try event.execute(arguments: [item.person.text, item.date.text, item.kind.rawValue])
        }
    }

    public func replaceClaims(_ claims: some Sequence<Claim>) throws {
        try db.execute(sql: "DELETE FROM claim")
        let statement = try db.cachedStatement(sql: "INSERT INTO claim VALUES (?, ?, ?, ?, ?, ?, ?)")
        for claim in claims {
            try statement.execute(arguments: [claim.id, YearMonth(claim.occurredAt.day).text, claim.occurredAt.text,
                                              claim.person.text, claim.region.text, claim.category.rawValue,
                                              claim.amount.fen])
        }
    }

    /// Replaces the thresholds. `keepBaseline` (recompute) first keeps the
    /// current ones as the baseline unless one is kept already; otherwise
    /// (run) the baseline is dropped: the new figures are the reported ones.
    public func replaceThresholds(_ periods: [ThresholdPeriod], keepBaseline: Bool = false) throws {
        try keepOrDropBaseline("thresholds", keep: keepBaseline, tables: [("threshold", nil)])
        try db.execute(sql: "DELETE FROM threshold")
        let statement = try db.cachedStatement(sql: "INSERT INTO threshold VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for period in periods {
            try statement.execute(arguments: [period.region.text, period.start.text, period.end.text, period.statYear,
                                              period.wageSeries, period.averageMonthlyWage?.fen, period.rate.decimalText,
                                              period.threshold.fen, period.basis.rawValue, period.revision])
        }
    }

    // MARK: Results: one month at a time, idempotent

    /// Keeps the current rows of `tables` as the baseline of `part` (when it
    /// has none yet), or drops that baseline.
    private func keepOrDropBaseline(_ part: String, keep: Bool, tables: [(String, String?)]) throws {
        let kept = try Bool.fetchOne(db, sql: "SELECT 1 FROM baseline_set WHERE part = ?", arguments: [part]) ?? false
        if keep {
            guard !kept else { return }
            for (table, month) in tables {
                try db.execute(sql: "INSERT INTO baseline_\(table) SELECT * FROM \(table)"
                                   + (month == nil ? "" : " WHERE month = ?"),
                               arguments: month.map { [$0] } ?? [])
            }
            try db.execute(sql: "INSERT INTO baseline_set VALUES (?)", arguments: [part])
        } else if kept {
            for (table, month) in tables {
                try db.execute(sql: "DELETE FROM baseline_\(table)" + (month == nil ? "" : " WHERE month = ?"),
                               arguments: month.map { [$0] } ?? [])
            }
            try db.execute(sql: "DELETE FROM baseline_set WHERE part = ?", arguments: [part])
        }
    }

    /// Replaces everything stored for `month` with these results. With
    /// `keepBaseline` (recompute) the results being replaced are first kept
    /// as the month's baseline, unless it has one.
    public func replaceMonth(_ month: YearMonth, run: Int64, balances: [AccountMonth],
                             settlements: [ClaimSettlement], keepBaseline: Bool) throws {
        let key = month.text
        try keepOrDropBaseline("month \(key)", keep: keepBaseline,
                               tables: [("month_balance", key), ("claim_result", key), ("share", key)])
        for table in ["month_balance", "claim_result", "share", "settled_month"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE month = ?", arguments: [key])
        }
        try db.execute(sql: "INSERT INTO settled_month VALUES (?, ?)", arguments: [key, run])
        let balance = try db.cachedStatement(sql: "INSERT INTO month_balance VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for row in balances {
            try balance.execute(arguments: [key, row.person.text, row.region.text, row.opening.fen, row.credits.fen,
                                            row.ownSpending.fen, row.sharedOut.fen, row.closing.fen])
        }
        let claim = try db.cachedStatement(sql: "INSERT INTO claim_result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let share = try db.cachedStatement(sql: "INSERT INTO share VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for settled in settlements {
            let refusals = settled.refusals.isEmpty ? nil : settled.refusals.map(\.description).joined(separator: "; ")
            let c = settled.claim
            try claim.execute(arguments: [c.id, key, c.occurredAt.text, c.person.text, c.region.text, c.category.rawValue,
                                          c.amount.fen, settled.ownAccount.fen, settled.familyShared.fen,
                                          settled.cash.fen, settled.status.rawValue, refusals])
            for draw in settled.draws {
                try share.execute(arguments: [key, settled.claim.id, draw.authorizer.text, settled.claim.person.text,
                                              draw.binding, draw.relation.rawValue, draw.amount.fen,
                                              draw.balanceBefore.fen, draw.threshold?.fen])
            }
        }
    }
}

/// Queries over the store.
public struct StoreReader {
    let db: Database

    /// The number of rows in a table of the store.
    public func count(_ table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
    }

    /// Months with stored results, earliest first.
    public func settledMonths() throws -> [String] {
        try db.settledMonthList()
    }

    /// The stored closing balance of an account at the end of `month`, in fen.
    public func closingBalance(person: String, month: YearMonth) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT closing_fen FROM month_balance WHERE month = ? AND person_id = ?",
                           arguments: [month.text, person])
    }

    /// Runs in the log, newest last: (id, command, months, rows read, rows rejected).
    public func runs() throws -> [(id: Int64, command: String, months: String?, read: Int?, rejected: Int?)] {
        try Row.fetchAll(db, sql: "SELECT id, command, months, rows_read, rows_rejected FROM run ORDER BY id").map {
            (id: $0["id"], command: $0["command"], months: $0["months"], read: $0["rows_read"], rejected: $0["rows_rejected"])
        }
    }
}
