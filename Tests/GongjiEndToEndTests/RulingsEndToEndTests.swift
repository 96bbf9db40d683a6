import Foundation
import Testing

/// docs/rules.md rules R1-R5 (issue 19): each defect a second
/// implementation of the written rules found, kept fixed with its amounts.
@Suite struct RulingsEndToEndTests {
    typealias Copy = RobustnessTests.Copy

    /// A data folder of its own: SampleData's policy and bulletins, and the
    /// files given.
    struct Folder {
        let root: URL
        var data: URL { root.appendingPathComponent("data") }
        var out: URL { root.appendingPathComponent("out") }

        init(_ files: [String: String]) throws {
            root = try Gongji.temporaryFolder()
            let sample = Gongji.packageRoot.appendingPathComponent("SampleData")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: sample.appendingPathComponent("policy.yaml"),
                                             to: data.appendingPathComponent("policy.yaml"))
            try FileManager.default.copyItem(at: sample.appendingPathComponent("bulletins"),
                                             to: data.appendingPathComponent("bulletins"))
            for (name, text) in files {
                let url = data.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
        }

        func report(_ name: String) throws -> String { try Gongji.text(out.appendingPathComponent(name)) }
        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    // MARK: R1

    /// The sample's 深圳 bulletins end with statistical year 2022; its
    /// 2026-01 claim of 20,000.00 is shared at the carried 8,237.70 by the
    /// two authorizers above it (before: all cash, threshold unknown).
    @Test func theNewestBulletinsBaseCarriesForwardToTheLastMonthSettled() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["run", "--quiet", "--out", out.path]).status == 0)
        let shares = try Gongji.text(out.appendingPathComponent("usage-2026-01-shares.csv"))
        #expect(shares.contains(
            "W202601-0007,2026-01-28 11:00:00,440305********1392,440305********983X,spouse,1145.85,9383.55,8237.70,binding,440300\n"))
        #expect(shares.contains(
            "W202601-0007,2026-01-28 11:00:00,440305********1494,440305********983X,child,454.53,8692.23,8237.70,binding,440300\n"))
        let claims = try Gongji.text(out.appendingPathComponent("usage-2026-01-claims.csv"))
        #expect(claims.contains(
            "W202601-0007,2026-01-28 11:00:00,440300,440305********983X,outpatient,20000.00,0.00,1600.38,18399.62,partial,0.00,0.00,授权人超出门槛的余额不足以支付全部\n"))
        let thresholds = try Gongji.text(out.appendingPathComponent("thresholds.csv"))
        #expect(thresholds.hasSuffix(
            "440300,深圳市,2025-07-01,2026-06-30,2024,on-post-non-private,,0.05,8237.70,8237.70,0.00,0.00,carried_forward,\n"))
        // The month page and thresholds.md say the same.
        let december = try Gongji.text(out.appendingPathComponent("usage-2025-12.md"))
        #expect(december.contains("| 440300 深圳市 | 8,237.70 | 2025-07-01 至 2026-06-30（沿用 2022 年基数） |\n"))
        let page = try Gongji.text(out.appendingPathComponent("thresholds.md"))
        #expect(page.contains("| 2025-07-01 至 2026-06-30 | 2024 | — | 164,754.00 | 5% | 8,237.70 | 0.00 | 0.00% | 沿用 2022 年基数 |  |\n"))
        // No 深圳 authorizer of 2025-12..2026-02 has an empty threshold (14 a month; 42 were empty).
        for month in ["2025-12", "2026-01", "2026-02"] {
            let authorizers = try Gongji.text(out.appendingPathComponent("usage-\(month)-authorizers.csv"))
            let shenzhen = authorizers.split(separator: "\n").filter { $0.contains(",440300,") }
            #expect(shenzhen.count == 14)
            #expect(shenzhen.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[7] == "8237.70" })
        }
    }

    // MARK: R2

    /// An opening balance dated before the first month settled, and a reset
    /// dated in a month not settled, set the account on their day.
    @Test func openingsInMonthsNotSettledAreApplied() throws {
        let folder = try Folder([
            "persons.csv": "person_id,name,region_code,scheme,tier\n440305198707011392,胡强强,440300,employee,1\n",
            "opening-balances.csv": "person_id,as_of,balance\n"
                + "440305198707011392,2022-06-01,1000.00\n440305198707011392,2022-08-01,500.00\n",
            "usage/2022-07.csv": "claim_id,person_id,occurred_at,region_code,category,amount\n"
                + "C1,440305198707011392,2022-07-05 10:00:00,440300,outpatient,300.00\n",
            "usage/2022-09.csv": "claim_id,person_id,occurred_at,region_code,category,amount\n"
                + "C2,440305198707011392,2022-09-05 10:00:00,440300,outpatient,100.00\n",
        ])
        defer { folder.remove() }
        let result = try Gongji.run(["run", "--quiet", "--data", folder.data.path, "--out", folder.out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try folder.report("usage-2022-07-claims.csv").hasSuffix(
            "C1,2022-07-05 10:00:00,440300,440305********1392,outpatient,300.00,300.00,0.00,0.00,not_needed,0.00,0.00,\n"))
        #expect(try folder.report("balances-2022-07.csv").hasSuffix(
            "440305********1392,440300,1000.00,0.00,300.00,0.00,700.00,0.00,0.00,0.00,0.00\n"))
        #expect(!FileManager.default.fileExists(atPath: folder.out.appendingPathComponent("balances-2022-08.csv").path))
        #expect(try folder.report("balances-2022-09.csv").hasSuffix(
            "440305********1392,440300,500.00,0.00,100.00,0.00,400.00,0.00,0.00,0.00,0.00\n"))
    }

    // MARK: R3

    /// bindings.csv line 2 with a date gongji does not read: line 2 is
    /// rejected, and line 44, another B0001, is rejected too (it was
    /// accepted while line 2 held no key).
    @Test func aBindingIDTakenByARejectedRowStaysTaken() throws {
        let copy = try Copy()
        defer { copy.remove() }
        let url = copy.data.appendingPathComponent("bindings.csv")
        let text = try Gongji.text(url).replacingOccurrences(
            of: "B0001,440305198707011392,44030519900427983X,spouse,2021-09-01,", with: "B0001,440305198707011392,44030519900427983X,spouse,2021/9/1,")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let (result, rejects) = try copy.rejects(["--lang", "en"])
        #expect(result.status == 0)
        #expect(rejects.contains("bindings.csv,2,bound_on,"))
        #expect(rejects.contains("bindings.csv,44,binding_id,\"binding_id appears on line 2, which was rejected\","
                                 + "\"B0001,440305********4500,440305********8886,spouse,2022-01-01,,app,\"\n"))
        #expect(try copy.counts(["--lang", "en"]).contains("bindings.csv: read 55, accepted 49, rejected 6\n"))
    }

    /// persons.csv, usage and rosters (in one file and across two files,
    /// which are read on both cores) keep a key for the rejected row that
    /// carried it first.
    @Test func personClaimAndRosterKeysTakenByRejectedRowsStayTaken() throws {
        let copy = try Copy()
        defer { copy.remove() }
        // persons.csv line 304 (region 999999) is rejected; its ID belongs to it.
        try copy.append("persons.csv", "44030519850315018X,外地,440300,employee,\n")
        try copy.append("usage/2022-06.csv", "C-R3,440305198707011392,2022-06-31 10:00:00,440300,outpatient,10.00\n"
                        + "C-R3,440305198707011392,2022-06-30 10:00:00,440300,outpatient,10.00\n")
        let header = "person_id,month,region_code,status,base,employer_id\n"
        try (header + "440305198707011392,2023-03,440300,in_service,9k,E0001\n"
             + "440305198707011392,2023-03,440300,in_service,9000.00,E0001\n")
            .write(to: copy.data.appendingPathComponent("contributions/2023-03.csv"), atomically: true, encoding: .utf8)
        try (header + "440305198707021494,2023-04,440300,in_service,-1.00,E0002\n")
            .write(to: copy.data.appendingPathComponent("contributions/2023-04a.csv"), atomically: true, encoding: .utf8)
        try (header + "440305198707021494,2023-04,440300,in_service,11300.00,E0002\n")
            .write(to: copy.data.appendingPathComponent("contributions/2023-04b.csv"), atomically: true, encoding: .utf8)
        let (result, rejects) = try copy.rejects(["--lang", "en"])
        #expect(result.status == 0)
        #expect(rejects.contains("persons.csv,347,person_id,\"person_id appears on line 304, which was rejected\","))
        #expect(rejects.contains("usage/2022-06.csv,123,claim_id,\"claim_id appears on line 122, which was rejected\","))
        #expect(rejects.contains("contributions/2023-03.csv,3,person_id,\"person and month appear on line 2, which was rejected\","))
        #expect(rejects.contains("contributions/2023-04b.csv,2,person_id,"
                                 + "\"person and month appear on line 2 of contributions/2023-04a.csv, which was rejected\","))
        #expect(try copy.counts(["--lang", "en"]).contains("persons.csv: read 346, accepted 342, rejected 4\n"))
    }

    // MARK: R4

    /// A roster without `base` stops the run at its first row in service,
    /// naming the file, the line and the column, as a missing required
    /// column does; a roster of retirees needs none.
    @Test func aRosterWithoutBaseStopsAtItsFirstRowInService() throws {
        let copy = try Copy()
        defer { copy.remove() }
        let url = copy.data.appendingPathComponent("contributions/2022-06.csv")
        let rows = try Gongji.text(url).split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count == 6 { fields.remove(at: 4) }
            return fields.joined(separator: ",")
        }
        try rows.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        let (result, _) = try copy.rejects(["--lang", "en"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("contributions/2022-06.csv:2: missing column base, which a row with status in_service needs"))

        let retirees = try Copy()
        defer { retirees.remove() }
        try ("person_id,month,region_code,status\n440305195308240768,2023-03,440300,retired\n")
            .write(to: retirees.data.appendingPathComponent("contributions/2023-03.csv"), atomically: true, encoding: .utf8)
        let (fine, _) = try retirees.rejects(["--lang", "en"])
        #expect(fine.status == 0)
        #expect(try retirees.counts(["--lang", "en"]).contains("contributions/2023-03.csv: read 1, accepted 1, rejected 0\n"))
    }

    // MARK: pages that add up

    /// The month page's comparison has a column for wallets and pots, so
    /// every row adds up; the exceptions' reasons say when one claim counts
    /// under two.
    @Test func everyTableOfTheMonthPageAddsUp() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["run", "--quiet", "--out", out.path]).status == 0)
        let january = try Gongji.text(out.appendingPathComponent("usage-2026-01.md"))
        #expect(january.contains("| 本月 | 7 | 33,220.00 | 7,855.00 | 1,320.00 | 4,125.38 | 19,919.62 | 34.4% |\n"))
        #expect(january.contains("| 上月（2025-12） | 7 | 6,170.00 | 3,360.00 | 2,530.00 | 0.00 | 280.00 | 0.0% |\n"))
        let october = try Gongji.text(out.appendingPathComponent("usage-2022-10.md"))
        #expect(october.contains("| **合计（每笔结算计一次）** | 17 | 10,123.70 |\n"))
        #expect(october.contains("一笔结算可能因多个原因被拒，计入每个原因，因此各原因的笔数之和（18）与现金之和多于合计（17 笔）。"))
    }
}

extension RobustnessTests.Copy {
    /// What `validate` prints of each file: `FILE: read N, accepted N, rejected N`.
    func counts(_ arguments: [String] = []) throws -> String {
        try Gongji.run(["validate", "--data", data.path, "--out", root.appendingPathComponent("counted").path] + arguments).stdout
    }
}
