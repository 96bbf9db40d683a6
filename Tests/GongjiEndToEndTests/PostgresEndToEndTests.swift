import GongjiTestSupport
import Foundation
import Testing

/// `--store postgresql://…` end to end (docs/store.md): the sample into
/// PostgreSQL gives the rows it gives into SQLite, table by table; a second
/// run replaces them; the password is nowhere a person or a file can see.
@Suite(.enabled(if: TestPostgres.enabled, Comment(rawValue: TestPostgres.why))) struct PostgresEndToEndTests {
    /// Each table's rows as sorted lines, `\u{1F}` between values: from an
    /// SQLite file (sqlite3) or a PostgreSQL database (psql), by the SQLite
    /// store's tables and columns. The balance blocks are compared as the
    /// accounts their view gives (PostgreSQL cuts blocks by province), the
    /// run log without its times, settled months without PostgreSQL's
    /// province, stored files as hex.
    static func tables(sqlite path: String, skip: Set<String> = []) throws -> [String: String] {
        let names = try sqlite(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                     + "AND name NOT LIKE 'grdb_%' ORDER BY name").split(separator: "\n").map(String.init)
            // SQLite keeps a claim's result as a compact row with coded columns (v9-claims, docs/store.md "Size"),
            // claim_result its view; PostgreSQL's claim_result is a table with the same columns.
            .compactMap { name -> String? in
                switch name {
                case "claim_category", "claim_status": nil
                case "claim_row", "baseline_claim_row": name.replacingOccurrences(of: "_row", with: "_result")
                default: name
                }
            }
        var queries: [String: (sqlite: String, postgres: String)] = [:]
        for name in names where !skip.contains(name) {
            var columns = try sqlite(path, "SELECT name FROM pragma_table_info('\(name)') ORDER BY cid").split(separator: "\n").map(String.init)
            var table = name
            var distinct = ""
            if name.hasSuffix("month_balance_block") {
                table = name.replacingOccurrences(of: "_block", with: "")
                columns = try sqlite(path, "SELECT name FROM pragma_table_info('\(table)') ORDER BY cid").split(separator: "\n").map(String.init)
            }
            if name == "run" { columns.removeAll { $0 == "started_at" || $0 == "finished_at" } }
            if name == "settled_month" { distinct = "DISTINCT " }
            let select = "SELECT \(distinct)\(columns.joined(separator: ", ")) FROM \(table)"
            if name == "input_content" {
                queries[name] = ("SELECT sha256, part, lower(hex(content)) FROM input_content",
                                 "SELECT sha256, part, encode(content, 'hex') FROM input_content")
            } else {
                queries[name] = (select, select)
            }
        }
        return queries.mapValues { $0.sqlite + "\n" + $0.postgres }
    }

    static func sqlite(_ path: String, _ sql: String) throws -> String {
        try Gongji.sqlite(path, sql, separator: "\u{1F}").trimmingCharacters(in: .newlines)
    }

    static func postgres(_ uri: String, _ sql: String) throws -> String {
        let result = try Gongji.shell(["psql", uri, "-X", "-q", "-A", "-t", "-F", "\u{1F}", "-v", "ON_ERROR_STOP=1", "-c", sql], check: true)
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    static func sorted(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).sorted() }

    /// Every table's rows from both stores, by the SQLite store's tables.
    static func rows(sqlite path: String, postgres uri: String, skip: Set<String> = []) throws -> [String: (sqlite: [String], postgres: [String])] {
        try tables(sqlite: path, skip: skip).mapValues { queries in
            let parts = queries.split(separator: "\n", maxSplits: 1).map(String.init)
            return (sorted(try sqlite(path, parts[0])), sorted(try postgres(uri, parts[1])))
        }
    }

    @Test func theSampleGivesTheSameRowsInBothStores() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try TestPostgres.database()
        defer { database.drop() }
        let file = folder.appendingPathComponent("gongji.sqlite").path
        for store in [file, database.uri] {
            let result = try Gongji.run(["run", "--quiet", "--no-workbook", "--out", folder.appendingPathComponent("out").path,
                                         "--store", store])
            #expect(result.status == 0, "\(result.stderr)")
            // The audit keeps its findings beside the month (docs/audit.md, "In the store").
            let audit = try Gongji.run(["audit", "--quiet", "--no-workbook", "--out", folder.appendingPathComponent("audit").path,
                                        "--store", store])
            #expect(audit.status == 0, "\(audit.stderr)")
        }
        let compared = try Self.rows(sqlite: file, postgres: database.uri)
        #expect(compared.count == 27)
        #expect(compared["audit_finding"]?.postgres.count == 13)
        for (table, rows) in compared.sorted(by: { $0.key < $1.key }) {
            #expect(rows.sqlite == rows.postgres, "\(table): \(rows.sqlite.count) rows in SQLite, \(rows.postgres.count) in PostgreSQL")
        }
        #expect(compared["claim_result"]?.postgres.count == 1554)
        #expect(compared["month_balance_block"]?.postgres.count == 4599)
        #expect(try Self.postgres(database.uri, "SELECT count(*) FROM publication") == "0")
        // A person's statement reads the same from either store.
        let person = try Self.sqlite(file, "SELECT beneficiary_id FROM share ORDER BY entry LIMIT 1")
        var statements: [String] = []
        for (index, store) in [file, database.uri].enumerated() {
            let out = folder.appendingPathComponent("statement-\(index)")
            let result = try Gongji.run(["statement", "--quiet", "--reveal-ids", "--person", person, "--store", store, "--out", out.path])
            #expect(result.status == 0, "\(result.stderr)")
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasSuffix(".csv") })
            statements.append(try Gongji.text(out.appendingPathComponent(name)))
        }
        #expect(statements[0] == statements[1])
        #expect(statements[0].split(separator: "\n").count > 2)
    }

    /// The same inputs twice give the same rows: a run replaces its months,
    /// and only the run log grows. A recompute and a what-if read it back.
    @Test func aSecondRunReplacesItsRows() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try TestPostgres.database()
        defer { database.drop() }
        let out = folder.appendingPathComponent("out").path
        let tables = ["binding", "event", "threshold", "settled_month", "month_balance_block", "claim_result", "share", "clearing",
                      "wallet_month", "transfer_result", "quota_month", "pot_month", "input_content", "baseline_set"]
        func dump() throws -> [String] {
            try tables.map { table in
                try Self.postgres(database.uri, "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') "
                                                + "FROM \(table) t").replacingOccurrences(of: "settled_month", with: "")
            }
        }
        #expect(try Gongji.run(["run", "--quiet", "--no-workbook", "--out", out, "--store", database.uri]).status == 0)
        let first = try dump()
        #expect(try Gongji.run(["run", "--quiet", "--no-workbook", "--out", out, "--store", database.uri]).status == 0)
        // settled_month names the run that wrote each month: compare it without that.
        #expect(try dump().enumerated().filter { $0.offset != 3 }.map(\.element) == first.enumerated().filter { $0.offset != 3 }.map(\.element))
        #expect(first[4].hasPrefix("51 "))  // 15 months' balance blocks, one a province: 44, 13 and 11 every month, 32 and 35 in 3
        #expect(try Self.postgres(database.uri, "SELECT count(*) FROM run") == "2")
        #expect(try Self.postgres(database.uri, "SELECT string_agg(DISTINCT run_id::text, ',') FROM settled_month") == "2")
        let recompute = try Gongji.run(["recompute", "--quiet", "--no-workbook", "--out", folder.appendingPathComponent("re").path,
                                        "--since", database.uri, "--store", database.uri])
        #expect(recompute.status == 0, "\(recompute.stderr)")
        #expect(try Gongji.text(folder.appendingPathComponent("re/changes.md")).contains("0"))
        #expect(try Self.postgres(database.uri, "SELECT count(*) FROM baseline_set") == "16")
    }

    /// A password given in the URI is used, and appears in no message, no
    /// report, no manifest and no row of the store; nor does a wrong one.
    @Test func thePasswordIsNeverShown() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try TestPostgres.database()
        defer { database.drop() }
        let password = try #require(TestPostgres.password)
        let uri = database.uri.replacingOccurrences(of: "gongji@", with: "gongji:\(password)@")
        // No password file: the URI's password is the one in use.
        let environment = ["PGPASSFILE": folder.appendingPathComponent("none").path]
        let out = folder.appendingPathComponent("out")
        var seen = ""
        for arguments in [["run", "--lang", "en", "--no-workbook", "--out", out.path, "--store", uri],
                          ["recompute", "--lang", "en", "--no-workbook", "--out", out.path, "--since", uri, "--store", uri],
                          ["what-if", "--lang", "en", "--override", "SampleData/what-if/threshold-3pct.yaml", "--out",
                           folder.appendingPathComponent("what-if").path, "--store", uri]] {
            let result = try Gongji.run(arguments, environment: environment)
            #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
            seen += result.stdout + result.stderr
        }
        #expect(seen.contains("results stored in \(database.uri)"))
        let wrong = uri.replacingOccurrences(of: password, with: "Not\(password)")
        let refused = try Gongji.run(["run", "--lang", "en", "--out", folder.appendingPathComponent("x").path, "--store", wrong],
                                     environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the server refused user gongji"))
        seen += refused.stdout + refused.stderr
        #expect(!seen.contains(password))
        for case let file as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! {
            guard let data = try? Data(contentsOf: file) else { continue }
            #expect(data.range(of: Data(password.utf8)) == nil, "\(file.lastPathComponent)")
        }
        // Every text the store holds (input files are the sample's own).
        let stored = try Self.postgres(database.uri, """
            SELECT string_agg(t::text, '|') FROM (SELECT row_to_json(r)::text AS t FROM run r
            UNION ALL SELECT row_to_json(i)::text FROM input_file i UNION ALL SELECT row_to_json(p)::text FROM publication p) t
            """)
        #expect(stored.contains("gongji recompute"))
        #expect(!stored.contains(password))
    }
}
