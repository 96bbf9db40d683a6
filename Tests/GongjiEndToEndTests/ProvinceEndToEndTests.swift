import GongjiTestSupport
import Foundation
import Testing

/// `--province` (issue 23, item 3; docs/policy.md, "Units of work"): a run
/// takes only some provinces' rows, counts the others' as skipped, refuses
/// to leave out a province its rows are tied to, and replaces only its
/// provinces' rows in the store.
@Suite struct ProvinceEndToEndTests {
    /// Every row of the store's tables but the run log's, each table's rows
    /// sorted: what two ways of running the same data must agree on.
    static func tables(_ store: URL) throws -> [String: [String]] {
        func sql(_ query: String) throws -> [String] {
            try Gongji.sqlite(store.path, query).split(separator: "\n").map(String.init)
        }
        var tables: [String: [String]] = [:]
        let names = try sql("""
            SELECT name FROM sqlite_master WHERE type = 'table'
            AND name NOT IN ('run', 'input_file', 'input_content', 'publication', 'grdb_migrations', 'settled_month')
            """)
        for name in names {
            // The balance blocks are blobs (docs/store.md, "Size"): compared as hex.
            let columns = name.hasSuffix("month_balance_block")
                ? "month, province, block, first_person_id, last_person_id, accounts, hex(balances)" : "*"
            tables[name] = try sql("SELECT \(columns) FROM \"\(name)\"").sorted()
        }
        tables["settled_month"] = try sql("SELECT month FROM settled_month ORDER BY month")
        tables["month_balance (view)"] = try sql("SELECT * FROM month_balance").sorted()
        tables["claim_result"] = try sql("SELECT * FROM claim_result").sorted()
        tables["baseline_claim_result"] = try sql("SELECT * FROM baseline_claim_result").sorted()
        return tables
    }

    static func lines(_ url: URL, containing text: String) throws -> [String] {
        try Gongji.text(url).split(separator: "\n").map(String.init).filter { $0.contains(text) }
    }

    /// The sample's provinces 13, 32 and 44 (tied by transfers, quotas and a
    /// claim: they run together): every other province's row is skipped,
    /// the counts say so, and the 深圳 rows are those of the run of all;
    /// then 11 and 35 into the same store give, table by table, the store
    /// one run of all gives.
    @Test func provincesRunApartGiveTheRunOfAll() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (all, parts) = (folder.appendingPathComponent("all"), folder.appendingPathComponent("parts"))
        let full = try Gongji.run(["run", "--out", all.appendingPathComponent("r").path,
                                   "--store", all.appendingPathComponent("gongji.sqlite").path])
        #expect(full.status == 0, "\(full.stderr)")
        let first = try Gongji.run(["run", "--province", "13,32,44", "--out", parts.appendingPathComponent("r1").path,
                                    "--store", parts.appendingPathComponent("gongji.sqlite").path])
        #expect(first.status == 0, "\(first.stderr)")
        let told = first.stdout.split(separator: "\n").map(String.init)
        for line in ["persons.csv：读取 345 条，接受 216 条，拒绝 3 条，跳过 126 条",
                     "opening-balances.csv：读取 313 条，接受 200 条，拒绝 0 条，跳过 113 条",
                     "contributions/2022-06.csv：读取 312 条，接受 195 条，拒绝 7 条，跳过 110 条",
                     "bindings.csv：读取 55 条，接受 35 条，拒绝 5 条，跳过 15 条",
                     "events.csv：读取 7 条，接受 3 条，拒绝 1 条，跳过 3 条",
                     "usage/2022-09.csv：读取 130 条，接受 77 条，拒绝 0 条，跳过 53 条",
                     "wallet-transfers.csv：读取 16 条，接受 12 条，拒绝 4 条，跳过 0 条",
                     "pot-deposits.csv：读取 5 条，接受 0 条，拒绝 0 条，跳过 5 条"] {
            #expect(told.contains(line), "\(line)")
        }
        // Without --province the counts are as they always were.
        #expect(full.stdout.contains("persons.csv：读取 345 条，接受 342 条，拒绝 3 条\n"))

        let (r, r1) = (all.appendingPathComponent("r"), parts.appendingPathComponent("r1"))
        for name in ["balances-2022-06.csv", "usage-2022-09-claims.csv", "usage-2022-09-shares.csv", "credits-2022-06.csv",
                     "usage-2025-12-claims.csv", "balances-2026-01.csv"] {
            let shenzhen = try Self.lines(r.appendingPathComponent(name), containing: "440300")
            #expect(try Self.lines(r1.appendingPathComponent(name), containing: "440300") == shenzhen, "\(name)")
        }
        #expect(try Self.lines(r.appendingPathComponent("balances-2022-06.csv"), containing: "440300").count == 113)
        #expect(try Self.lines(r1.appendingPathComponent("balances-2022-06.csv"), containing: "110000").isEmpty)
        // The page says which provinces it covers, and the import summary counts the skipped rows.
        let page = try Gongji.text(r1.appendingPathComponent("usage-2022-06.md"))
        #expect(page.hasPrefix("# 2022年6月（2022-06）：仅含 13 河北省、32 江苏省、44 广东省\n"))
        #expect(page.contains("| 文件 | 读入 | 接受 | 拒收 | 跳过（其他省份） |\n"))
        #expect(page.contains("| persons.csv | 345 | 216 | 3 | 126 |\n"))
        #expect(try Gongji.text(r.appendingPathComponent("usage-2022-06.md")).hasPrefix("# 2022年6月（2022-06）\n"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: r1.appendingPathComponent("manifest.json")))
            as? [String: Any]
        #expect(manifest?["provinces"] as? [String] == ["13", "32", "44"])
        let persons = (manifest?["inputs"] as? [[String: Any]])?.first { $0["file"] as? String == "persons.csv" }
        #expect(persons?["skipped"] as? Int == 126)
        #expect(persons?["accepted"] as? Int == 216)

        let rest = try Gongji.run(["run", "--quiet", "--province", "11,35", "--out", parts.appendingPathComponent("r2").path,
                                   "--store", parts.appendingPathComponent("gongji.sqlite").path])
        #expect(rest.status == 0, "\(rest.stderr)")
        // Every rejected row is rejected by the run of its province; a row of no province
        // (persons.csv line 304, region 999999) by both.
        let rejects = try [r, r1, parts.appendingPathComponent("r2")].map { folder in
            try Gongji.text(folder.appendingPathComponent("rejects.csv")).split(separator: "\n").dropFirst().map(String.init)
        }
        #expect(rejects[1].count == 28 && rejects[2].count == 2)
        #expect(Set(rejects[1]).union(rejects[2]) == Set(rejects[0]))
        #expect(Set(rejects[1]).intersection(rejects[2]).map { $0.prefix(20) } == ["persons.csv,304,regi"])
        let (whole, apart) = (try Self.tables(all.appendingPathComponent("gongji.sqlite")),
                              try Self.tables(parts.appendingPathComponent("gongji.sqlite")))
        #expect(whole.keys.sorted() == apart.keys.sorted())
        for (table, rows) in whole.sorted(by: { $0.key < $1.key }) {
            #expect(apart[table] == rows, "\(table)")
        }
        #expect(whole["claim_result"]?.count == 1554)
        // The run log keeps each run's provinces and skipped rows.
        let log = try Gongji.shell(["sqlite3", parts.appendingPathComponent("gongji.sqlite").path,
                                    "SELECT provinces, rows_skipped FROM run ORDER BY id"], check: true).stdout
        #expect(log == "13,32,44|2113\n11,35|3888\n")
    }

    /// A skipped row goes through its checks first: its claim_id is taken as
    /// in a run of all (rule R3), so a later row of the job's provinces with
    /// the same claim_id is rejected the same way; and a row whose ID is
    /// broken is skipped by the other provinces' runs, by its region.
    @Test func aSkippedRowTakesItsKeyAsInARunOfAll() throws {
        let copy = try RobustnessTests.Copy()
        defer { copy.remove() }
        try copy.append("usage/2022-06.csv", "C-DUP,110105198707010202,2022-06-20 10:00:00,110000,outpatient,10.00\n"
                        + "C-DUP,440305198707011392,2022-06-21 10:00:00,440300,outpatient,12.00\n"
                        + "C-BAD,4403051987070113,2022-06-21 11:00:00,440300,outpatient,12.00\n")
        let duplicate = "usage/2022-06.csv,123,claim_id,claim_id appears on an earlier row,"
            + "\"C-DUP,440305********1392,2022-06-21 10:00:00,440300,outpatient,12.00\""
        let broken = "usage/2022-06.csv,124,person_id,\"an ID has 18 characters (or 15 digits), not 16\","
        for (province, rejected) in [(nil, [duplicate, broken]), ("13,32,44", [duplicate, broken]), ("11", [])] as [(String?, [String])] {
            let (result, rejects) = try copy.rejects((province.map { ["--province", $0] } ?? []) + ["--lang", "en"])
            #expect(result.status == 0, "\(result.stderr)")
            let found = rejects.split(separator: "\n").filter { $0.contains("C-DUP") || $0.contains("C-BAD") }.map(String.init)
            #expect(found.count == rejected.count, "\(province ?? "all")")
            for (line, expected) in zip(found, rejected) { #expect(line.hasPrefix(expected), "\(province ?? "all")") }
        }
    }

    /// Provinces tied by transfers, quotas or a claim in the months run
    /// cannot run apart: the error names those left out and what ties them.
    @Test func aProvinceTiedToOthersIsRefusedByName() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("gongji.sqlite")
        for command in [["run", "--out", folder.appendingPathComponent("r").path, "--store", store.path],
                        ["validate", "--out", folder.appendingPathComponent("v").path]] {
            let result = try Gongji.run(command + ["--quiet", "--province", "44", "--lang", "en"])
            #expect(result.status == 1)
            #expect(result.stderr == "gongji: error: --province 44 leaves out 13 and 32, tied to it by wallet transfers "
                    + "(WT001, WT002, WT003 and 9 more), quotas (WQ001, WQ003, WQ004) and a claim (W202512-0006) in "
                    + "2025-12..2026-01; run --province 13,32,44\n")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r/manifest.json").path))
        #expect(try Gongji.shell(["sqlite3", store.path, "SELECT count(*) FROM run; SELECT count(*) FROM claim_result"],
                                 check: true).stdout == "0\n0\n")
        // Beijing is tied to none: it runs alone.
        let beijing = try Gongji.run(["run", "--lang", "en", "--quiet", "--province", "11", "--out", folder.appendingPathComponent("b").path,
                                      "--store", store.path])
        #expect(beijing.status == 0, "\(beijing.stderr)")
    }

    @Test(arguments: [
        ("45", "--province 45: 45 is not a province of policy.yaml's regions, which are in 11, 13, 32, 35, 44"),
        ("13,4", "--province 13,4: a province is the first two digits of its region codes (44, or 13,32); "
            + "policy.yaml's regions are in 11, 13, 32, 35, 44"),
    ]) func anUnknownProvinceIsAnErrorNamingTheKnownOnes(province: String, message: String) throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in [["run", "--out", folder.appendingPathComponent("r").path],
                        ["validate", "--out", folder.appendingPathComponent("v").path],
                        ["thresholds"]] {
            let result = try Gongji.run(command + ["--province", province, "--lang", "en"])
            #expect(result.status == 1)
            #expect(result.stderr == "gongji: error: \(message)\n")
        }
    }

    /// A store made by the gongji before store v6 (Fixtures/store-v5:
    /// `run` and `recompute` of the sample's 2022-09 and 2025-12, by main
    /// at 1430322) opens without loss: its accounts read as before, and a
    /// run of provinces 11 and 35 leaves the store a run of all gives, the
    /// other provinces' rows as they were; their baseline stays theirs.
    @Test func aStoreOfTheLastVersionMigratesWithoutLoss() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The data folder the fixture was made from: the sample's 2022-09 and 2025-12, nothing of 2026.
        let data = folder.appendingPathComponent("data")
        try FileManager.default.copyItem(at: Gongji.packageRoot.appendingPathComponent("SampleData"), to: data)
        for sub in ["contributions", "usage"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent(sub).path)
            where !["2022-09.csv", "2025-12.csv"].contains(name) {
                try FileManager.default.removeItem(at: data.appendingPathComponent("\(sub)/\(name)"))
            }
        }
        for name in ["wallet-transfers", "wallet-quotas", "pots", "pot-members", "pot-deposits", "events"] {
            let url = data.appendingPathComponent("\(name).csv")
            let kept = try Gongji.text(url).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("2026-") }.joined(separator: "\n")
            try Data(kept.utf8).write(to: url)
        }
        let old = folder.appendingPathComponent("old.sqlite")
        try Gongji.shell(["sqlite3", old.path, ".read \(Gongji.fixtures.appendingPathComponent("store-v5/gongji.sql").path)"],
                         check: true)
        func sql(_ query: String) throws -> String { try Gongji.sqlite(old.path, query) }
        let accounts = try sql("SELECT * FROM month_balance ORDER BY month, person_id")
        let baseline = try sql("SELECT * FROM baseline_month_balance ORDER BY month, person_id")
        #expect(accounts.split(separator: "\n").count == 618)
        let claimColumns = "claim_id, month, occurred_at, person_id, region_code, category, amount_fen, own_account_fen, "
            + "family_shared_fen, cash_fen, family_status, refusals"
        let baselineClaims = try sql("SELECT \(claimColumns) FROM baseline_claim_result ORDER BY claim_id")
        #expect(baselineClaims.split(separator: "\n").count > 100)

        let migrated = try Gongji.run(["run", "--quiet", "--province", "11,35", "--data", data.path,
                                       "--out", folder.appendingPathComponent("r").path, "--store", old.path])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(try sql("SELECT identifier FROM grdb_migrations ORDER BY identifier")
                == "v1\nv2\nv3\nv4\nv5\nv6-province\nv7-lean\nv8-audit\nv9-claims\n")
        // The claims the baseline kept read as they did through the view (v9-claims), but for the provinces run.
        #expect(try sql("SELECT \(claimColumns) FROM baseline_claim_result ORDER BY claim_id")
                == baselineClaims.split(separator: "\n").filter { !$0.contains("|110000|") && !$0.contains("|350200|") }
                .map { $0 + "\n" }.joined())
        // Blocks per province now; the view reads as before.
        #expect(try sql("SELECT month, province, block, accounts FROM month_balance_block ORDER BY 1, 2")
                == "2022-09|11|0|110\n2022-09|13|0|82\n2022-09|44|0|113\n"
                + "2025-12|11|0|110\n2025-12|13|0|84\n2025-12|32|0|3\n2025-12|35|0|3\n2025-12|44|0|113\n")
        #expect(try sql("SELECT * FROM month_balance ORDER BY month, person_id") == accounts)
        // The baseline main's recompute kept: the provinces run dropped theirs, the others keep theirs
        // (a part per province the baseline has rows of: of the thresholds, only 44 has any).
        #expect(try sql("SELECT part FROM baseline_set ORDER BY part")
                == "month 2022-09/13\nmonth 2022-09/44\nmonth 2025-12/13\nmonth 2025-12/32\nmonth 2025-12/44\n"
                + "thresholds/44\n")
        #expect(try sql("SELECT * FROM baseline_month_balance ORDER BY month, person_id")
                == baseline.split(separator: "\n").filter { !$0.contains("|110000|") && !$0.contains("|350200|") }
                .map { $0 + "\n" }.joined())

        let fresh = folder.appendingPathComponent("fresh.sqlite")
        let full = try Gongji.run(["run", "--quiet", "--data", data.path, "--out", folder.appendingPathComponent("f").path,
                                   "--store", fresh.path])
        #expect(full.status == 0, "\(full.stderr)")
        let (expected, found) = (try Self.tables(fresh), try Self.tables(old))
        for (table, rows) in expected.sorted(by: { $0.key < $1.key }) where !table.hasPrefix("baseline_") {
            #expect(found[table] == rows, "\(table)")
        }
    }
}

/// `--province` into PostgreSQL (SPEC "The store on PostgreSQL"): two
/// processes, one per group of provinces, write one database at the same
/// time, and leave the rows one run of all leaves in SQLite.
@Suite(.enabled(if: TestPostgres.enabled, Comment(rawValue: TestPostgres.why))) struct ProvincePostgresTests {
    /// One run of all into SQLite, then one process per group of provinces,
    /// all started before any ends, into one PostgreSQL database; every
    /// table but the run log's compared. Returns the compared rows and the
    /// database's run log (`provinces|rows_skipped`, by provinces).
    static func runApartAtOnce(data: String, groups: [String]) throws -> (rows: [String: (sqlite: [String], postgres: [String])], runs: String) {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try TestPostgres.database()
        defer { database.drop() }
        let file = folder.appendingPathComponent("gongji.sqlite").path
        let all = try Gongji.run(["run", "--quiet", "--no-workbook", "--data", data,
                                  "--out", folder.appendingPathComponent("all").path, "--store", file])
        #expect(all.status == 0, "\(all.stderr)")
        // Every process started before any ends: each writes its provinces' rows in a transaction of its own.
        let runs = try groups.map { provinces in
            let process = Process()
            process.executableURL = Gongji.binary
            process.arguments = ["run", "--quiet", "--no-workbook", "--data", data, "--province", provinces,
                                 "--out", folder.appendingPathComponent("out-\(provinces)").path, "--store", database.uri]
            process.currentDirectoryURL = Gongji.packageRoot
            let log = folder.appendingPathComponent("log-\(provinces)")
            #expect(FileManager.default.createFile(atPath: log.path, contents: nil))
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return (process, log)
        }
        for (process, log) in runs {
            process.waitUntilExit()
            let told = try Gongji.text(log)
            #expect(process.terminationStatus == 0, "\(told)")
        }
        let compared = try PostgresEndToEndTests.rows(sqlite: file, postgres: database.uri,
                                                      skip: ["run", "input_file", "settled_month", "publication"])
        for (table, rows) in compared.sorted(by: { $0.key < $1.key }) {
            #expect(rows.sqlite == rows.postgres, "\(table): \(rows.sqlite.count) rows in SQLite, \(rows.postgres.count) in PostgreSQL")
        }
        return (compared, try database.sql("SELECT provinces, rows_skipped FROM run ORDER BY provinces"))
    }

    @Test func twoProvinceRunsAtOnceGiveTheRunOfAll() throws {
        let (compared, runs) = try Self.runApartAtOnce(data: "SampleData", groups: ["13,32,44", "11,35"])
        #expect(compared["claim_result"]?.postgres.count == 1554)
        #expect(runs == "11,35|3888\n13,32,44|2113")
    }

    /// docs/scale.md's test: four generated provinces
    /// (Scripts/generate-city.py, 500 persons each, two months, with
    /// wallets, quotas and pots) as four processes at once.
    @Test func fourGeneratedProvincesAsFourProcesses() throws {
        let data = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        let generated = try Gongji.shell(["python3", Gongji.packageRoot.appendingPathComponent("Scripts/generate-city.py").path,
                                          data.path, "500", "2", "1", "440300,110000,131000,320500"], check: true)
        #expect(generated.stdout.hasSuffix("wrote 4 regions x 500 persons x 2 months to \(data.path)\n"))
        let (compared, runs) = try Self.runApartAtOnce(data: data.path, groups: ["44", "11", "13", "32"])
        // 400 claims a month, 100 a province; each province's claims and accounts are there once.
        #expect(compared["claim_result"]?.postgres.count == 800)
        for region in ["440300", "110000", "131000", "320500"] {
            #expect(compared["claim_result"]?.postgres.filter { $0.split(separator: "\u{1F}").contains(Substring(region)) }.count == 200,
                    "\(region)")
        }
        // Each process skipped the other three provinces' rows.
        let skipped = runs.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(skipped.map { $0[0] } == ["11", "13", "32", "44"])
        #expect(skipped.allSatisfy { Int($0[1]) ?? 0 > 3 * 1_000 })
    }
}
