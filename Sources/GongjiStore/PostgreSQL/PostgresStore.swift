import Foundation
import GongjiDomain

/// The store in a PostgreSQL database (`--store postgresql://user@host:port/db`,
/// docs/store.md): the same tables and meaning as the SQLite store, with
/// those that grow with persons or claims partitioned by province (LIST on
/// a `province` column, the region code's first two digits; a partition is
/// made when its province first appears). Bulk rows go by binary COPY; a
/// run is one transaction, so a killed run leaves nothing.
///
/// The password comes from the URI, PGPASSWORD or the password file, as
/// libpq finds it, and appears in no message: the store is named by
/// `location`, the URI without it.
public final class PostgresStore: ResultStore, @unchecked Sendable {  // the connection is used under `lock` only
    public let location: String
    public private(set) var made = false
    private let connection: PostgresConnection
    private let uri: String
    private let lock = NSLock()
    /// Provinces whose partitions exist.
    private var partitions: Set<String> = []

    /// The schema this gongji writes, kept in `gongji_schema`; a store with a
    /// higher one was made by a newer gongji and is refused unchanged. Its
    /// own numbering: the SQLite store's `user_version` counts that file's
    /// migrations.
    public static let schemaVersion = 3

    public static func isURI(_ text: String) -> Bool { PostgresURI.isURI(text) }

    public init(uri: String, readOnly: Bool = false) throws(StoreError) {
        self.uri = uri
        connection = try PostgresConnection(uri: uri)
        location = connection.display
        do {
            try open(readOnly: readOnly)
        } catch {
            throw StoreError("\(location): \(error.description)")
        }
    }

    private func open(readOnly: Bool) throws(StoreError) {
        var version = try schemaVersion()
        if version == nil, readOnly {
            // A table `run` without `gongji_schema` is another program's, or a store another gongji
            // committed since the first look: look again before saying which.
            guard try hasTable("run") else { throw StoreError("no store there: `gongji run` makes one") }
            version = try schemaVersion()
            if version == nil { throw Self.notGongjis }
        }
        if let version, version > Self.schemaVersion {
            throw StoreError("made by a newer gongji (schema version \(version); this gongji writes version "
                             + "\(Self.schemaVersion)): use that gongji, or give another --store; nothing was changed")
        }
        if readOnly {
            guard version == Self.schemaVersion else { throw StoreError("the store was made by an older gongji: run `gongji run` first") }
        } else if version != Self.schemaVersion {
            try migrate()
        }
        partitions = try knownPartitions()
    }

    private func schemaVersion() throws(StoreError) -> Int? {
        guard try hasTable("gongji_schema") else { return nil }
        return try connection.execute("SELECT max(version) FROM gongji_schema")[0][0].flatMap { Int($0) }
    }

    /// Whether the schema holds the table `name`: read from pg_tables with this statement's snapshot
    /// (`to_regclass` answers from the session's catalog cache, which after waiting for `schemaLock`
    /// may not yet know the table another process just made).
    private func hasTable(_ name: String) throws(StoreError) -> Bool {
        try connection.execute("""
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1)
            """, [.text(name)])[0][0] == "t"
    }

    static let notGongjis = StoreError("the database holds a table `run` that is not a gongji store's: give another database")

    /// Serializes schema changes (migrations, new partitions) among the
    /// gongji processes writing one database; held to the transaction's end.
    static let schemaLock = "SELECT pg_advisory_xact_lock(7450104263)"

    private func migrate() throws(StoreError) {
        try connection.execute("BEGIN")
        var foreign = false
        do {
            try connection.execute(Self.schemaLock)
            // Under the lock: another process may have made the store meanwhile (then this one migrates
            // nothing), and a table `run` without `gongji_schema` is another program's. Looked at before
            // the lock, a store another gongji was making looked like the latter (four provinces' first
            // runs at once, docs/scale.md).
            let found = try schemaVersion()
            if found == nil { foreign = try hasTable("run") }
            let version = foreign ? Self.schemaVersion : found ?? 0
            if version < 1 {
                made = true
                let lz4 = try connection.execute("""
                    SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)
                    """)[0][0] == "1"
                for statement in PostgresSchema.version1(lz4: lz4) { try connection.execute(statement) }
            }
            if version < 2 {
                for statement in PostgresSchema.version2 { try connection.execute(statement) }
            }
            if version < 3 {
                // `gongji audit`'s findings (AuditFindings.swift): few rows, not partitioned.
                for statement in AuditFindingTable.create(integer: "BIGINT") { try connection.execute(statement) }
            }
            if foreign {
                try connection.execute("ROLLBACK")
            } else {
                try connection.execute("DELETE FROM gongji_schema")
                try connection.execute("INSERT INTO gongji_schema VALUES ($1)", [.int(Int64(Self.schemaVersion))])
                try connection.execute("COMMIT")
            }
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw StoreError("cannot make the store's tables: \(error.description)")
        }
        if foreign { throw Self.notGongjis }
    }

    private func knownPartitions() throws(StoreError) -> Set<String> {
        let rows = try connection.execute("""
            SELECT substr(c.relname, length('claim_result_p') + 1) FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'claim_result'::regclass
            """)
        return Set(rows.compactMap { $0[0] }.map { $0 == PostgresSchema.suffix("") ? "" : $0 })
    }

    /// Makes the partitions of `provinces` that do not exist yet, inside the
    /// current transaction.
    func ensurePartitions(_ provinces: some Sequence<String>) throws(StoreError) {
        let missing = Set(provinces).subtracting(partitions).sorted()
        guard !missing.isEmpty else { return }
        try connection.execute(Self.schemaLock)
        partitions = try knownPartitions()
        for province in missing where !partitions.contains(province) {
            guard PostgresSchema.isProvince(province) else { throw StoreError("'\(province)' is not a province code") }
            for table in PostgresSchema.partitioned {
                try connection.execute("""
                    CREATE TABLE \(table)_p\(PostgresSchema.suffix(province)) PARTITION OF \(table) FOR VALUES IN ('\(province)')
                    """)
            }
        }
    }

    // MARK: ResultStore

    public func writing<T>(scope: ProvinceScope, _ body: (any StoreWriting) throws -> T) throws -> T {
        try transaction(scope: scope) { writer in try body(writer) }
    }

    /// Runs `body` in one transaction. A run of some provinces makes their
    /// partitions first, in a transaction of their own: making one locks its
    /// table until the commit, which would hold every other province's run
    /// for the length of this one.
    public func transaction<T>(scope: ProvinceScope = .all, _ body: (PostgresWriter) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if case let .only(provinces) = scope {
            try connection.execute("BEGIN")
            do {
                try ensurePartitions(provinces)
                try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                partitions = (try? knownPartitions()) ?? []
                throw error
            }
        }
        try connection.execute("BEGIN")
        do {
            let writer = PostgresWriter(store: self, connection: connection, scope: scope, uri: uri)
            let result = try body(writer)
            try connection.execute("COMMIT")
            return result
        } catch {
            _ = try? connection.execute("ROLLBACK")
            partitions = (try? knownPartitions()) ?? []
            throw error
        }
    }

    public func reading<T>(_ body: (any StoreReading) throws -> T) throws -> T {
        try read { reader in try body(reader) }
    }

    /// Reads in one REPEATABLE READ transaction: one snapshot of the store,
    /// whatever other processes commit meanwhile.
    public func read<T>(_ body: (PostgresReader) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? connection.execute("COMMIT") }
        return try body(PostgresReader(connection: connection))
    }

    public func pendingPublications() throws -> [Store.Publication] {
        try read { reader in
            try reader.connection.execute("SELECT run_id, token, out_folder, staging, manifest_sha256 FROM publication ORDER BY run_id")
                .map { row in
                    Store.Publication(run: Int64(row[0] ?? "") ?? 0, token: row[1] ?? "", out: row[2] ?? "", staging: row[3] ?? "",
                                      manifestSHA256: row[4] ?? "")
                }
        }
    }

    public func published(_ run: Int64, finishedAt: String) throws {
        _ = try transaction { writer in try writer.published(run, finishedAt: finishedAt) }
    }

    public func abandon(_ run: Int64) throws {
        _ = try transaction { writer in try writer.connection.execute("DELETE FROM publication WHERE run_id = $1", [.int(run)]) }
    }

    public func describe(_ error: any Error) -> String {
        "\(error)".replacingOccurrences(of: "\n", with: " ")
    }
}

/// The PostgreSQL store's tables (docs/store.md, "PostgreSQL"): the SQLite
/// store's columns in the same order, as BIGINT and TEXT, plus `province`
/// on the tables partitioned by it; dates and times as the same text.
///
/// Claim results and draws have a BRIN index on `entry`, not a key: a run
/// deletes a month's rows and copies them again in one transaction, and a
/// unique key checked each new row against the deleted ones (a city's
/// month of 40,000 claims measured 0.34-0.47 s to COPY with the key
/// (entry, province), 0.25-0.28 s with a B-tree index, 0.07-0.11 s with
/// BRIN, 0.06-0.13 s into a new table). Rows go in in entry order, so a
/// month's rows are a few block ranges of the index, as in SQLite they are
/// one range of the rowid.
enum PostgresSchema {
    /// Partitioned by province: the tables that grow with persons or claims.
    static let results = ["month_balance_block", "claim_result", "share", "wallet_month", "transfer_result", "quota_month",
                          "pot_month"]
    static let partitioned = ["binding", "event"] + results + results.map { "baseline_\($0)" }

    /// Two digits, or `''`: the rows of persons the run does not know.
    static func isProvince(_ text: String) -> Bool {
        text.isEmpty || text.utf8.count == 2 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// A province's partitions are `TABLE_p44`; those of rows without one `TABLE_pnone`.
    static func suffix(_ province: String) -> String { province.isEmpty ? "none" : province }

    /// Version 2 (the `--province` work, as SQLite's v6-province): the run
    /// log keeps each run's provinces and each file's skipped rows.
    static let version2 = [
        "ALTER TABLE run ADD COLUMN provinces TEXT, ADD COLUMN rows_skipped BIGINT",
        "ALTER TABLE input_file ADD COLUMN rows_skipped BIGINT NOT NULL DEFAULT 0",
    ]

    static func version1(lz4: Bool) -> [String] {
        var statements = ["""
            CREATE TABLE gongji_schema (version INTEGER NOT NULL);
            CREATE TABLE run (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                started_at TEXT NOT NULL, finished_at TEXT, command TEXT NOT NULL, data_folder TEXT NOT NULL,
                version TEXT NOT NULL, months TEXT, rows_read BIGINT, rows_rejected BIGINT);
            CREATE TABLE input_file (
                run_id BIGINT NOT NULL REFERENCES run(id), file TEXT NOT NULL, sha256 TEXT NOT NULL, bytes BIGINT NOT NULL,
                rows_read BIGINT NOT NULL, rows_accepted BIGINT NOT NULL, rows_rejected BIGINT NOT NULL,
                PRIMARY KEY (run_id, file));
            CREATE TABLE input_content (sha256 TEXT NOT NULL, part BIGINT NOT NULL, content BYTEA NOT NULL, PRIMARY KEY (sha256, part));
            CREATE TABLE binding (
                binding_id TEXT NOT NULL, authorizer_id TEXT NOT NULL, beneficiary_id TEXT NOT NULL, relation TEXT NOT NULL,
                bound_on TEXT NOT NULL, unbound_on TEXT, channel TEXT, priority BIGINT, province TEXT NOT NULL
            ) PARTITION BY LIST (province);
            CREATE TABLE event (person_id TEXT NOT NULL, date TEXT NOT NULL, event TEXT NOT NULL, province TEXT NOT NULL)
                PARTITION BY LIST (province);
            CREATE TABLE settled_month (
                month TEXT NOT NULL, province TEXT NOT NULL, run_id BIGINT NOT NULL REFERENCES run(id),
                PRIMARY KEY (month, province));
            CREATE TABLE publication (
                run_id BIGINT PRIMARY KEY REFERENCES run(id), token TEXT NOT NULL, out_folder TEXT NOT NULL,
                staging TEXT NOT NULL, manifest_sha256 TEXT NOT NULL);
            CREATE TABLE baseline_set (part TEXT NOT NULL, province TEXT NOT NULL, PRIMARY KEY (part, province));
            """]
        for prefix in ["", "baseline_"] {
            let key = prefix.isEmpty  // the baseline tables, as SQLite's, have no keys but claim_result's and share's
            statements.append("""
                CREATE TABLE \(prefix)threshold (
                    region_code TEXT NOT NULL, policy_year_start TEXT NOT NULL, policy_year_end TEXT NOT NULL,
                    stat_year BIGINT NOT NULL, wage_series TEXT NOT NULL, avg_monthly_wage_fen BIGINT, threshold_rate TEXT NOT NULL,
                    threshold_fen BIGINT NOT NULL, basis TEXT NOT NULL, bulletin_revision BIGINT
                    \(key ? ", PRIMARY KEY (region_code, policy_year_start)" : ""));
                CREATE TABLE \(prefix)month_balance_block (
                    month TEXT NOT NULL, block BIGINT NOT NULL, first_person_id TEXT NOT NULL, last_person_id TEXT NOT NULL,
                    accounts BIGINT NOT NULL, balances TEXT NOT NULL, province TEXT NOT NULL,
                    PRIMARY KEY (month, province, block)
                ) PARTITION BY LIST (province);
                CREATE TABLE \(prefix)claim_result (
                    entry BIGINT NOT NULL, claim_id TEXT NOT NULL, month TEXT NOT NULL, occurred_at TEXT NOT NULL,
                    person_id TEXT NOT NULL, region_code TEXT NOT NULL, category TEXT NOT NULL, amount_fen BIGINT NOT NULL,
                    own_account_fen BIGINT NOT NULL, family_shared_fen BIGINT NOT NULL, cash_fen BIGINT NOT NULL,
                    family_status TEXT NOT NULL, refusals TEXT, wallet_fen BIGINT NOT NULL DEFAULT 0,
                    pot_fen BIGINT NOT NULL DEFAULT 0, province TEXT NOT NULL
                ) PARTITION BY LIST (province);
                CREATE INDEX \(prefix)claim_result_entry ON \(prefix)claim_result USING brin (entry);
                CREATE TABLE \(prefix)share (
                    entry BIGINT NOT NULL, month TEXT NOT NULL, claim_id TEXT NOT NULL, authorizer_id TEXT NOT NULL,
                    beneficiary_id TEXT NOT NULL, binding_id TEXT NOT NULL, relation TEXT NOT NULL, amount_fen BIGINT NOT NULL,
                    authorizer_balance_before_fen BIGINT NOT NULL, threshold_fen BIGINT,
                    channel TEXT NOT NULL DEFAULT 'binding', authorizer_region TEXT, province TEXT NOT NULL
                ) PARTITION BY LIST (province);
                CREATE INDEX \(prefix)share_entry ON \(prefix)share USING brin (entry);
                CREATE TABLE \(prefix)clearing (
                    month TEXT NOT NULL, payer_region TEXT NOT NULL, payee_region TEXT NOT NULL, channel TEXT NOT NULL,
                    draws BIGINT NOT NULL, amount_fen BIGINT NOT NULL, PRIMARY KEY (month, payer_region, payee_region, channel));
                CREATE TABLE \(prefix)wallet_month (
                    month TEXT NOT NULL, person_id TEXT NOT NULL, region_code TEXT NOT NULL, opening_fen BIGINT NOT NULL,
                    received_fen BIGINT NOT NULL, sent_fen BIGINT NOT NULL, spent_fen BIGINT NOT NULL,
                    returned_fen BIGINT NOT NULL, closing_fen BIGINT NOT NULL, province TEXT NOT NULL,
                    PRIMARY KEY (month, person_id, province)
                ) PARTITION BY LIST (province);
                CREATE TABLE \(prefix)transfer_result (
                    month TEXT NOT NULL, transfer_id TEXT NOT NULL, sent_at TEXT NOT NULL, from_id TEXT NOT NULL,
                    to_id TEXT NOT NULL, amount_fen BIGINT NOT NULL, status TEXT NOT NULL, reason TEXT, province TEXT NOT NULL,
                    PRIMARY KEY (month, transfer_id, province)
                ) PARTITION BY LIST (province);
                CREATE TABLE \(prefix)quota_month (
                    month TEXT NOT NULL, quota_id TEXT NOT NULL, sharer_id TEXT NOT NULL, beneficiary_id TEXT NOT NULL,
                    amount_fen BIGINT NOT NULL, used_before_fen BIGINT NOT NULL, used_fen BIGINT NOT NULL,
                    released_fen BIGINT NOT NULL, unused_fen BIGINT NOT NULL, status TEXT NOT NULL, reason TEXT,
                    province TEXT NOT NULL, PRIMARY KEY (month, quota_id, province)
                ) PARTITION BY LIST (province);
                CREATE TABLE \(prefix)pot_month (
                    month TEXT NOT NULL, pot_id TEXT NOT NULL, region_code TEXT NOT NULL, creator_id TEXT NOT NULL,
                    opening_fen BIGINT NOT NULL, deposits_fen BIGINT NOT NULL, draws_fen BIGINT NOT NULL,
                    returned_fen BIGINT NOT NULL, closing_fen BIGINT NOT NULL, members BIGINT NOT NULL, status TEXT NOT NULL,
                    province TEXT NOT NULL, PRIMARY KEY (month, pot_id, province)
                ) PARTITION BY LIST (province);
                """)
            // A block is 4 MB of JSON: lz4 stores it in 0.5 s a city's month, pglz (the default) in 1.7 s.
            statements.append(lz4 ? "ALTER TABLE \(prefix)month_balance_block ALTER balances SET COMPRESSION lz4"
                                  : "ALTER TABLE \(prefix)month_balance_block ALTER balances SET STORAGE EXTERNAL")
            // One row per account and month, as SQLite's view gives it.
            statements.append("""
                CREATE VIEW \(prefix)month_balance AS
                SELECT b.month AS month, a.value ->> 0 AS person_id, a.value ->> 1 AS region_code,
                       (a.value ->> 2)::bigint AS opening_fen, (a.value ->> 3)::bigint AS credits_fen,
                       (a.value ->> 4)::bigint AS own_spending_fen, (a.value ->> 5)::bigint AS shared_out_fen,
                       (a.value ->> 6)::bigint AS closing_fen, coalesce((a.value ->> 7)::bigint, 0) AS transferred_out_fen,
                       coalesce((a.value ->> 8)::bigint, 0) AS pot_deposits_fen,
                       coalesce((a.value ->> 9)::bigint, 0) AS pot_returned_fen, coalesce((a.value ->> 10)::bigint, 0) AS frozen_fen
                FROM \(prefix)month_balance_block AS b, json_array_elements(b.balances::json) AS a
                """)
        }
        return statements
    }
}
