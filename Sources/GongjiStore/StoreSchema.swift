import Foundation
import GRDB
import GongjiDomain

/// The SQLite store's schema: its migrations, v1 to today's (docs/store.md,
/// "Size" and "Migration"), each kept as it was first written so that a
/// store of any earlier version is brought up to date without losing what
/// it holds. Store.swift opens the store and runs them.
extension Store {
    /// The columns of claim_result and share (after the `entry` key, v2),
    /// as migration v2 made them; later columns come by later migrations.
    static let claimColumns = """
        claim_id TEXT NOT NULL, month TEXT NOT NULL, occurred_at TEXT NOT NULL, person_id TEXT NOT NULL,
        region_code TEXT NOT NULL, category TEXT NOT NULL, amount_fen INTEGER NOT NULL, own_account_fen INTEGER NOT NULL,
        family_shared_fen INTEGER NOT NULL, cash_fen INTEGER NOT NULL, family_status TEXT NOT NULL, refusals TEXT
        """
    static let shareColumns = """
        month TEXT NOT NULL, claim_id TEXT NOT NULL, authorizer_id TEXT NOT NULL, beneficiary_id TEXT NOT NULL,
        binding_id TEXT NOT NULL, relation TEXT NOT NULL, amount_fen INTEGER NOT NULL,
        authorizer_balance_before_fen INTEGER NOT NULL, threshold_fen INTEGER
        """

    /// `month_balance` over the blocks in their JSON form, one row per
    /// account, as v4 made it and v6 makes it again over the new blocks.
    /// Part of those migrations: never edit it (a later view is a new one).
    static func jsonBalanceView(_ prefix: String) -> String {
        """
        CREATE VIEW \(prefix)month_balance AS
        SELECT b.month AS month, a.value ->> 0 AS person_id, a.value ->> 1 AS region_code,
               a.value ->> 2 AS opening_fen, a.value ->> 3 AS credits_fen, a.value ->> 4 AS own_spending_fen,
               a.value ->> 5 AS shared_out_fen, a.value ->> 6 AS closing_fen,
               coalesce(a.value ->> 7, 0) AS transferred_out_fen, coalesce(a.value ->> 8, 0) AS pot_deposits_fen,
               coalesce(a.value ->> 9, 0) AS pot_returned_fen, coalesce(a.value ->> 10, 0) AS frozen_fen
        FROM \(prefix)month_balance_block AS b, json_each(b.balances) AS a;
        """
    }

    /// The schema. A new version appends a migration; it never edits one.
    /// The imported files are kept whole, once per content (`input_content`,
    /// by SHA-256, linked to each run by `input_file`): the exact bytes a run
    /// read, and an unchanged file costs nothing on the next run. Bindings
    /// and events are also kept as rows, and the results (a row per account
    /// and month, per claim, per draw) have no primary key: the importers
    /// already refuse duplicates. They are indexed by month, the unit a run
    /// replaces.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    command TEXT NOT NULL,
                    data_folder TEXT NOT NULL,
                    version TEXT NOT NULL,
                    months TEXT,
                    rows_read INTEGER,
                    rows_rejected INTEGER
                );
                CREATE TABLE input_file (
                    run_id INTEGER NOT NULL REFERENCES run(id),
                    file TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    rows_read INTEGER NOT NULL,
                    rows_accepted INTEGER NOT NULL,
                    rows_rejected INTEGER NOT NULL,
                    PRIMARY KEY (run_id, file)
                );
                CREATE TABLE input_content (
                    sha256 TEXT NOT NULL,
                    part INTEGER NOT NULL,
                    content BLOB NOT NULL,
                    PRIMARY KEY (sha256, part)
                );
                CREATE TABLE binding (
                    binding_id TEXT NOT NULL,
                    authorizer_id TEXT NOT NULL,
                    beneficiary_id TEXT NOT NULL,
                    relation TEXT NOT NULL,
                    bound_on TEXT NOT NULL,
                    unbound_on TEXT,
                    channel TEXT
                );
                CREATE TABLE event (
                    person_id TEXT NOT NULL,
                    date TEXT NOT NULL,
                    event TEXT NOT NULL
                );
                CREATE TABLE threshold (
                    region_code TEXT NOT NULL,
                    policy_year_start TEXT NOT NULL,
                    policy_year_end TEXT NOT NULL,
                    stat_year INTEGER NOT NULL,
                    wage_series TEXT NOT NULL,
                    avg_monthly_wage_fen INTEGER,
                    threshold_rate TEXT NOT NULL,
                    threshold_fen INTEGER NOT NULL,
                    basis TEXT NOT NULL,
                    bulletin_revision INTEGER,
                    PRIMARY KEY (region_code, policy_year_start)
                );
                CREATE TABLE settled_month (
                    month TEXT PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES run(id)
                );
                CREATE TABLE month_balance (
                    month TEXT NOT NULL,
                    person_id TEXT NOT NULL,
                    region_code TEXT NOT NULL,
                    opening_fen INTEGER NOT NULL,
                    credits_fen INTEGER NOT NULL,
                    own_spending_fen INTEGER NOT NULL,
                    shared_out_fen INTEGER NOT NULL,
                    closing_fen INTEGER NOT NULL
                );
                CREATE INDEX month_balance_month ON month_balance(month);
                CREATE TABLE claim_result (
                    claim_id TEXT NOT NULL,
                    month TEXT NOT NULL,
                    occurred_at TEXT NOT NULL,
                    person_id TEXT NOT NULL,
                    region_code TEXT NOT NULL,
                    category TEXT NOT NULL,
                    amount_fen INTEGER NOT NULL,
                    own_account_fen INTEGER NOT NULL,
                    family_shared_fen INTEGER NOT NULL,
                    cash_fen INTEGER NOT NULL,
                    family_status TEXT NOT NULL,
                    refusals TEXT
                );
                CREATE INDEX claim_result_month ON claim_result(month);
                CREATE TABLE share (
                    month TEXT NOT NULL,
                    claim_id TEXT NOT NULL,
                    authorizer_id TEXT NOT NULL,
                    beneficiary_id TEXT NOT NULL,
                    binding_id TEXT NOT NULL,
                    relation TEXT NOT NULL,
                    amount_fen INTEGER NOT NULL,
                    authorizer_balance_before_fen INTEGER NOT NULL,
                    threshold_fen INTEGER
                );
                CREATE INDEX share_month ON share(month);
                """)
            // The baseline: the results a `run` last reported, kept while
            // `recompute` replaces the current ones, so that a recompute always
            // compares with what was reported (and twice gives the same report).
            // A month (or the thresholds) without a baseline row set has the
            // current results as its baseline.
            try db.execute(sql: """
                CREATE TABLE baseline_set (part TEXT PRIMARY KEY);
                CREATE TABLE baseline_threshold AS SELECT * FROM threshold WHERE 0;
                CREATE TABLE baseline_month_balance AS SELECT * FROM month_balance WHERE 0;
                CREATE INDEX baseline_month_balance_month ON baseline_month_balance(month);
                CREATE TABLE baseline_claim_result AS SELECT * FROM claim_result WHERE 0;
                CREATE INDEX baseline_claim_result_month ON baseline_claim_result(month);
                CREATE TABLE baseline_share AS SELECT * FROM share WHERE 0;
                CREATE INDEX baseline_share_month ON baseline_share(month);
                """)
        }
        // v2: a month's balances as blocks of accounts (`BalanceBlocks`), and
        // `month_balance` a view that spells them out one row per account.
        // Claim results and draws get an `entry` key that holds their month
        // (`MonthEntries`), in place of an index on month: a month's rows
        // are one range of the table's own key, to read, replace or copy.
        migrator.registerMigration("v2") { db in
            for prefix in ["", "baseline_"] {
                for (table, columns) in [("claim_result", Store.claimColumns), ("share", Store.shareColumns)] {
                    let old = "\(prefix)\(table)"
                    try db.execute(sql: """
                        CREATE TABLE \(old)_v2 (entry INTEGER PRIMARY KEY, \(columns));
                        INSERT INTO \(old)_v2
                        SELECT ((CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER) - 1) << 32)
                               + row_number() OVER (PARTITION BY month ORDER BY rowid) - 1, *
                        FROM \(old);
                        DROP TABLE \(old);
                        ALTER TABLE \(old)_v2 RENAME TO \(old);
                        """)
                }
                try db.execute(sql: """
                    CREATE TABLE \(prefix)month_balance_block (
                        month TEXT NOT NULL,
                        block INTEGER NOT NULL,
                        first_person_id TEXT NOT NULL,
                        last_person_id TEXT NOT NULL,
                        accounts INTEGER NOT NULL,
                        balances TEXT NOT NULL,
                        PRIMARY KEY (month, block)
                    )
                    """)
                // Each month's accounts in person-ID order, 65,536 to a block, as
                // `BalanceBlocks` writes them; in SQL, so that the migration stands
                // alone whatever the application's types become.
                try db.execute(sql: """
                    INSERT INTO \(prefix)month_balance_block
                    WITH numbered AS (
                        SELECT *, (row_number() OVER (PARTITION BY month ORDER BY person_id) - 1) / 65536 AS block
                        FROM \(prefix)month_balance),
                    blocks AS (
                        SELECT month, block, first_value(person_id) OVER w AS first, last_value(person_id) OVER w AS last,
                               count(*) OVER w AS accounts,
                               json_group_array(json_array(person_id, region_code, opening_fen, credits_fen,
                                                           own_spending_fen, shared_out_fen, closing_fen)) OVER w AS balances
                        FROM numbered
                        WINDOW w AS (PARTITION BY month, block ORDER BY person_id
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
                    SELECT DISTINCT month, block, first, last, accounts, balances FROM blocks ORDER BY month, block
                    """)
                try db.execute(sql: """
                    DROP TABLE \(prefix)month_balance;
                    CREATE VIEW \(prefix)month_balance AS
                    SELECT b.month AS month, a.value ->> 0 AS person_id, a.value ->> 1 AS region_code,
                           a.value ->> 2 AS opening_fen, a.value ->> 3 AS credits_fen, a.value ->> 4 AS own_spending_fen,
                           a.value ->> 5 AS shared_out_fen, a.value ->> 6 AS closing_fen
                    FROM \(prefix)month_balance_block AS b, json_each(b.balances) AS a;
                    """)
            }
        }
        // v3: sharing across pooling regions. Each draw names its channel
        // and the region of the account it left; a month's clearing (money
        // that crossed regions, by payer, payee and channel) is kept; a
        // binding keeps its `priority`.
        migrator.registerMigration("v3") { db in
            for prefix in ["", "baseline_"] {
                try db.execute(sql: """
                    ALTER TABLE \(prefix)share ADD COLUMN channel TEXT NOT NULL DEFAULT 'binding';
                    ALTER TABLE \(prefix)share ADD COLUMN authorizer_region TEXT;
                    CREATE TABLE \(prefix)clearing (
                        month TEXT NOT NULL,
                        payer_region TEXT NOT NULL,
                        payee_region TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        draws INTEGER NOT NULL,
                        amount_fen INTEGER NOT NULL,
                        PRIMARY KEY (month, payer_region, payee_region, channel)
                    );
                    """)
            }
            try db.execute(sql: "ALTER TABLE binding ADD COLUMN priority INTEGER")
        }
        // v4: money set aside ahead of claims (wallets, quotas, pots). A
        // claim keeps what its own wallet and pots paid; an account's month
        // its transfers, pot deposits and returns and frozen quota (four more
        // numbers in each block's arrays; older arrays read as 0); and each
        // month's wallets, transfers, quotas and pots are kept as reported.
        migrator.registerMigration("v4") { db in
            for prefix in ["", "baseline_"] {
                try db.execute(sql: """
                    ALTER TABLE \(prefix)claim_result ADD COLUMN wallet_fen INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE \(prefix)claim_result ADD COLUMN pot_fen INTEGER NOT NULL DEFAULT 0;
                    DROP VIEW \(prefix)month_balance;
                    \(Store.jsonBalanceView(prefix))
                    CREATE TABLE \(prefix)wallet_month (
                        month TEXT NOT NULL, person_id TEXT NOT NULL, region_code TEXT NOT NULL,
                        opening_fen INTEGER NOT NULL, received_fen INTEGER NOT NULL, sent_fen INTEGER NOT NULL,
                        spent_fen INTEGER NOT NULL, returned_fen INTEGER NOT NULL, closing_fen INTEGER NOT NULL,
                        PRIMARY KEY (month, person_id));
                    CREATE TABLE \(prefix)transfer_result (
                        month TEXT NOT NULL, transfer_id TEXT NOT NULL, sent_at TEXT NOT NULL, from_id TEXT NOT NULL,
                        to_id TEXT NOT NULL, amount_fen INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT,
                        PRIMARY KEY (month, transfer_id));
                    CREATE TABLE \(prefix)quota_month (
                        month TEXT NOT NULL, quota_id TEXT NOT NULL, sharer_id TEXT NOT NULL, beneficiary_id TEXT NOT NULL,
                        amount_fen INTEGER NOT NULL, used_before_fen INTEGER NOT NULL, used_fen INTEGER NOT NULL,
                        released_fen INTEGER NOT NULL, unused_fen INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT,
                        PRIMARY KEY (month, quota_id));
                    CREATE TABLE \(prefix)pot_month (
                        month TEXT NOT NULL, pot_id TEXT NOT NULL, region_code TEXT NOT NULL, creator_id TEXT NOT NULL,
                        opening_fen INTEGER NOT NULL, deposits_fen INTEGER NOT NULL, draws_fen INTEGER NOT NULL,
                        returned_fen INTEGER NOT NULL, closing_fen INTEGER NOT NULL, members INTEGER NOT NULL,
                        status TEXT NOT NULL, PRIMARY KEY (month, pot_id));
                    """)
            }
        }
        // v5: publication is a step the store knows about. A run's results
        // commit with a row here naming its reports' staging folder; the
        // run is finished (`run.finished_at`) once they are in the out
        // folder, and the row goes. A row left by a killed run is finished
        // by the next gongji that opens the store or the out folder.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: """
                CREATE TABLE publication (
                    run_id INTEGER PRIMARY KEY REFERENCES run(id),
                    token TEXT NOT NULL,
                    out_folder TEXT NOT NULL,
                    staging TEXT NOT NULL,
                    manifest_sha256 TEXT NOT NULL
                );
                """)
        }
        // v6-province: a run may take some provinces only (`--province`) and
        // replace only their rows (docs/policy.md, "Units of work"), so
        // every result row says its province: a month's balance blocks are
        // per province (`province` in their key; the accounts of an older
        // block go to the blocks of their provinces, none lost, and
        // `month_balance` spells them out as before); claim results and
        // draws take their province into the `entry` key (`MonthEntries`:
        // a province's rows of a month are one range of it, renumbered here);
        // transfers and quotas, bindings and events get a `province` column
        // (the sender's, the sharer's, the beneficiary's or else the
        // authorizer's, the person's: where the person's account was in the
        // last month the store has it, else their wallet, else their last
        // claim's region (a resident has no account); '' when none). The run log keeps each run's
        // provinces and each file's skipped rows.
        migrator.registerMigration("v6-province") { db in
            try db.execute(sql: """
                ALTER TABLE run ADD COLUMN provinces TEXT;
                ALTER TABLE run ADD COLUMN rows_skipped INTEGER;
                ALTER TABLE input_file ADD COLUMN rows_skipped INTEGER NOT NULL DEFAULT 0;
                CREATE TEMP TABLE person_province (person_id TEXT PRIMARY KEY, province TEXT NOT NULL);
                INSERT OR REPLACE INTO person_province
                SELECT a.value ->> 0, substr(a.value ->> 1, 1, 2)
                FROM month_balance_block AS b, json_each(b.balances) AS a
                ORDER BY b.month;
                INSERT OR IGNORE INTO person_province
                SELECT person_id, substr(region_code, 1, 2) FROM wallet_month ORDER BY month DESC;
                INSERT OR IGNORE INTO person_province
                SELECT person_id, substr(region_code, 1, 2) FROM claim_result ORDER BY entry DESC;
                ALTER TABLE binding ADD COLUMN province TEXT NOT NULL DEFAULT '';
                UPDATE binding SET province = coalesce(
                    (SELECT province FROM person_province WHERE person_id = beneficiary_id),
                    (SELECT province FROM person_province WHERE person_id = authorizer_id), '');
                ALTER TABLE event ADD COLUMN province TEXT NOT NULL DEFAULT '';
                UPDATE event SET province = coalesce((SELECT p.province FROM person_province AS p
                                                      WHERE p.person_id = event.person_id), '');
                """)
            for prefix in ["", "baseline_"] {
                try db.execute(sql: """
                    ALTER TABLE \(prefix)transfer_result ADD COLUMN province TEXT NOT NULL DEFAULT '';
                    UPDATE \(prefix)transfer_result SET province = coalesce(
                        (SELECT province FROM person_province WHERE person_id = from_id),
                        (SELECT province FROM person_province WHERE person_id = to_id), '');
                    ALTER TABLE \(prefix)quota_month ADD COLUMN province TEXT NOT NULL DEFAULT '';
                    UPDATE \(prefix)quota_month SET province = coalesce(
                        (SELECT province FROM person_province WHERE person_id = sharer_id),
                        (SELECT province FROM person_province WHERE person_id = beneficiary_id), '');
                    """)
                // Entries: (month × 128 + province) × 2^32 + the row's place among its province's, in the old order.
                // Every new entry is above every old one, so the rows take their new keys one by one without a clash.
                try db.execute(sql: """
                    CREATE TEMP TABLE remap (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
                    INSERT INTO remap
                    SELECT entry, ((((entry >> 32) * 128) + CAST(substr(region_code, 1, 2) AS INTEGER)) << 32)
                                  + row_number() OVER (PARTITION BY entry >> 32, substr(region_code, 1, 2) ORDER BY entry) - 1
                    FROM \(prefix)claim_result;
                    UPDATE \(prefix)claim_result SET entry = (SELECT new FROM remap WHERE old = entry);
                    DELETE FROM remap;
                    CREATE TEMP TABLE claim_province (month TEXT, claim_id TEXT, province INTEGER, PRIMARY KEY (month, claim_id));
                    INSERT OR IGNORE INTO claim_province
                    SELECT month, claim_id, CAST(substr(region_code, 1, 2) AS INTEGER) FROM \(prefix)claim_result;
                    INSERT INTO remap
                    SELECT entry, ((((entry >> 32) * 128) + province) << 32)
                                  + row_number() OVER (PARTITION BY entry >> 32, province ORDER BY entry) - 1
                    FROM (SELECT s.entry AS entry, coalesce(c.province, 0) AS province
                          FROM \(prefix)share AS s LEFT JOIN claim_province AS c ON c.month = s.month AND c.claim_id = s.claim_id);
                    DROP TABLE claim_province;
                    UPDATE \(prefix)share SET entry = (SELECT new FROM remap WHERE old = entry);
                    DROP TABLE remap;
                    """)
                // The blocks, again per month and province, 65,536 accounts to a block in person-ID order.
                try db.execute(sql: """
                    CREATE TABLE \(prefix)month_balance_block_v6 (
                        month TEXT NOT NULL,
                        province TEXT NOT NULL,
                        block INTEGER NOT NULL,
                        first_person_id TEXT NOT NULL,
                        last_person_id TEXT NOT NULL,
                        accounts INTEGER NOT NULL,
                        balances TEXT NOT NULL,
                        PRIMARY KEY (month, province, block)
                    );
                    INSERT INTO \(prefix)month_balance_block_v6
                    SELECT month, province, block, min(person_id), max(person_id), count(*), json_group_array(json(account))
                    FROM (SELECT month, province, person_id, account,
                                 (row_number() OVER (PARTITION BY month, province ORDER BY person_id) - 1) / 65536 AS block
                          FROM (SELECT b.month AS month, substr(a.value ->> 1, 1, 2) AS province, a.value ->> 0 AS person_id,
                                       a.value AS account
                                FROM \(prefix)month_balance_block AS b, json_each(b.balances) AS a)
                          ORDER BY month, province, block, person_id)
                    GROUP BY month, province, block;
                    DROP VIEW \(prefix)month_balance;
                    DROP TABLE \(prefix)month_balance_block;
                    ALTER TABLE \(prefix)month_balance_block_v6 RENAME TO \(prefix)month_balance_block;
                    \(Store.jsonBalanceView(prefix))
                    """)
            }
            try db.execute(sql: "DROP TABLE person_province")
        }
        // v7: the lean store (docs/store.md, "Size"). A month's balance
        // blocks in the lean binary form (`BalanceBlocks`: about 10 bytes an
        // account-month, where the JSON took 65), read by the view through
        // `gongji_balances`; its columns stay the same. Each block is
        // converted in place, whatever the table's key, and the view's own
        // text is kept but for the function, so that whatever an earlier
        // migration put in either stays. Input files kept so far stay
        // (`input_content`); a run keeps new ones only with --keep-inputs.
        migrator.registerMigration("v7-lean") { db in
            db.add(function: BalanceBlocks.migrationFunction)
            defer { db.remove(function: BalanceBlocks.migrationFunction) }
            for prefix in ["", "baseline_"] {
                try db.execute(sql: "UPDATE \(prefix)month_balance_block SET balances = gongji_lean_balances(balances)")
                let view = "\(prefix)month_balance"
                guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?",
                                                    arguments: [view]),
                      case let lean = sql.replacingOccurrences(of: "json_each(b.balances)", with: "json_each(gongji_balances(b.balances))"),
                      lean != sql else {
                    throw StoreError("the view \(view) is not the one gongji made: not migrated")
                }
                try db.execute(sql: "DROP VIEW \(view)")
                try db.execute(sql: lean)
            }
        }
        // v8-audit: `gongji audit` keeps its findings beside the month (AuditFindings.swift).
        migrator.registerMigration("v8-audit") { db in
            for statement in AuditFindingTable.create(integer: "INTEGER") { try db.execute(sql: statement) }
        }
        // v9-claims (issue 21): a claim's result in a compact row, `claim_row`:
        // its time in seconds (`occurred`), its category and family status as
        // small codes from two tables, `claim_category` and `claim_status`;
        // about 90 bytes a claim instead of 127 (docs/store.md, "Size").
        // `claim_result` becomes a view that gives back its columns, in their
        // order and form, to gongji's readers and a user's SQL alike. A row
        // whose category or status has no code stops the migration, changing
        // nothing.
        migrator.registerMigration("v9-claims") { db in
            try db.execute(sql: """
                CREATE TABLE claim_category (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                INSERT INTO claim_category VALUES (1, 'outpatient'), (2, 'inpatient'), (3, 'pharmacy_otc'), (4, 'pharmacy_rx'),
                    (5, 'vaccination'), (6, 'physical_exam'), (7, 'resident_premium');
                CREATE TABLE claim_status (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                INSERT INTO claim_status VALUES (1, 'not_needed'), (2, 'shared'), (3, 'partial'), (4, 'no_binding'),
                    (5, 'no_excess'), (6, 'category_excluded'), (7, 'ineligible');
                """)
            for prefix in ["", "baseline_"] {
                try db.execute(sql: """
                    CREATE TABLE \(prefix)claim_row (
                        entry INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, month TEXT NOT NULL, occurred INTEGER NOT NULL,
                        person_id TEXT NOT NULL, region_code TEXT NOT NULL, category INTEGER NOT NULL, amount_fen INTEGER NOT NULL,
                        own_account_fen INTEGER NOT NULL, family_shared_fen INTEGER NOT NULL, cash_fen INTEGER NOT NULL,
                        family_status INTEGER NOT NULL, refusals TEXT, wallet_fen INTEGER NOT NULL DEFAULT 0,
                        pot_fen INTEGER NOT NULL DEFAULT 0);
                    INSERT INTO \(prefix)claim_row
                    SELECT c.entry, c.claim_id, c.month, CAST(strftime('%s', c.occurred_at) AS INTEGER), c.person_id, c.region_code,
                           k.code, c.amount_fen, c.own_account_fen, c.family_shared_fen, c.cash_fen, s.code, c.refusals,
                           c.wallet_fen, c.pot_fen
                    FROM \(prefix)claim_result c JOIN claim_category k ON k.name = c.category JOIN claim_status s ON s.name = c.family_status;
                    """)
                let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(prefix)claim_result") ?? 0
                let moved = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(prefix)claim_row") ?? 0
                guard rows == moved else {
                    throw StoreError("\(prefix)claim_result: \(rows - moved) rows have a category or family status this gongji has no code for: not migrated")
                }
                try db.execute(sql: "DROP TABLE \(prefix)claim_result")
                try db.execute(sql: """
                    CREATE VIEW \(prefix)claim_result AS
                    SELECT r.entry AS entry, r.claim_id AS claim_id, r.month AS month,
                           strftime('%Y-%m-%d %H:%M:%S', r.occurred, 'unixepoch') AS occurred_at, r.person_id AS person_id,
                           r.region_code AS region_code, k.name AS category, r.amount_fen AS amount_fen,
                           r.own_account_fen AS own_account_fen, r.family_shared_fen AS family_shared_fen, r.cash_fen AS cash_fen,
                           s.name AS family_status, r.refusals AS refusals, r.wallet_fen AS wallet_fen, r.pot_fen AS pot_fen
                    FROM \(prefix)claim_row r JOIN claim_category k ON k.code = r.category JOIN claim_status s ON s.code = r.family_status
                    """)
            }
        }
        return migrator
    }
}
