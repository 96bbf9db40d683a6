import Foundation
import Testing

/// Recompute after a revised bulletin, and what-if runs (issue 5), end to end.
@Suite struct RecomputeEndToEndTests {
    /// A copy of SampleData with a store holding one `gongji run`.
    struct Workspace {
        let root: URL
        var data: URL { root.appendingPathComponent("data") }
        var store: String { root.appendingPathComponent("store/gongji.sqlite").path }
        func out(_ name: String) -> URL { root.appendingPathComponent(name) }

        init() throws {
            root = try Gongji.temporaryFolder()
            try FileManager.default.copyItem(at: Gongji.packageRoot.appendingPathComponent("SampleData"), to: data)
            let run = try Gongji.run(["run", "--quiet", "--data", data.path, "--out", out("run").path, "--store", store])
            try #require(run.status == 0, "stderr: \(run.stderr)")
        }

        func revise() throws {
            try FileManager.default.copyItem(at: data.appendingPathComponent("revised/440300-2020-r2.xml"),
                                             to: data.appendingPathComponent("bulletins/440300-2020-r2.xml"))
        }

        func recompute(_ name: String, since: String? = nil) throws -> Gongji.Result {
            try Gongji.run(["recompute", "--quiet", "--data", data.path, "--out", out(name).path, "--store", store,
                            "--since", since ?? store])
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static let changeFiles = ["changes.md", "changes.svg", "changes-thresholds.csv", "changes-summary.csv",
                              "changes-claims.csv", "changes-balances.csv", "changes-clearing.csv", "changes-corrections.csv"]

    @Test func revisedBulletinGivesTheGoldenChangeReport() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.revise()
        let result = try workspace.recompute("recompute")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for name in Self.changeFiles + ["thresholds.md"] {
            let (actual, golden) = try Gongji.golden(workspace.out("recompute").appendingPathComponent(name), "recompute/\(name)")
            #expect(actual == golden, "\(name) differs from Fixtures/expected/recompute/\(name)")
        }
        // The same change report in English (--lang en); its CSV files are the same.
        let english = try Gongji.run(["recompute", "--quiet", "--lang", "en", "--data", workspace.data.path,
                                      "--out", workspace.out("recompute-en").path, "--store", workspace.store,
                                      "--since", workspace.store])
        #expect(english.status == 0, "stderr: \(english.stderr)")
        for name in ["changes.md", "thresholds.md"] {
            let (actual, golden) = try Gongji.golden(workspace.out("recompute-en").appendingPathComponent(name), "recompute-en/\(name)")
            #expect(actual == golden, "\(name) differs from Fixtures/expected/recompute-en/\(name)")
        }
        #expect(try Gongji.text(workspace.out("recompute-en").appendingPathComponent("changes-corrections.csv"))
            == Gongji.text(workspace.out("recompute").appendingPathComponent("changes-corrections.csv")))
        let thresholds = try Gongji.text(workspace.out("recompute").appendingPathComponent("changes-thresholds.csv"))
        #expect(thresholds.contains("440300,2021-07-01,2022-06-30,2020,6971.80,7140.00,168.20,1,2,bulletin,bulletin\n"))
        // Every claim that lost family money lost exactly the 168.20 the threshold rose by, or all it had; the
        // one claim that gained (2026-01, a 20,000.00 claim of a beneficiary of the same authorizers) gained
        // the 168.20 its authorizers kept.
        let claims = try Gongji.text(workspace.out("recompute").appendingPathComponent("changes-claims.csv"))
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(!claims.isEmpty)
        for row in claims {
            let before = Int((Double(row[9])! * 100).rounded()), after = Int((Double(row[10])! * 100).rounded())
            #expect(abs(before - after) == 16_820 || after == 0, "\(row)")
        }
    }

    @Test func recomputeTwiceWritesTheSameFiles() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.revise()
        #expect(try workspace.recompute("first").status == 0)
        #expect(try workspace.recompute("second", since: URL(fileURLWithPath: workspace.store).deletingLastPathComponent().path).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.out("first").path).sorted()
        #expect(names.count == 200 + 8)  // the run's reports and the change report
        for name in names where name != "manifest.json" {
            #expect(try Data(contentsOf: workspace.out("first").appendingPathComponent(name))
                == Data(contentsOf: workspace.out("second").appendingPathComponent(name)), "\(name)")
        }
    }

    @Test func recomputeWithNothingRevisedIsEmpty() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try workspace.recompute("recompute")
        #expect(result.status == 0)
        let page = try Gongji.text(workspace.out("recompute").appendingPathComponent("changes.md"))
        #expect(page.contains("**没有变化**：所有门槛、结算和余额与之前相同。\n"))
        for name in ["changes-thresholds.csv", "changes-claims.csv", "changes-balances.csv", "changes-summary.csv",
                     "changes-clearing.csv", "changes-corrections.csv"] {
            #expect(try Gongji.text(workspace.out("recompute").appendingPathComponent(name)).split(separator: "\n").count == 1)
        }
        // The usual reports are the run's.
        for name in ["usage-2022-10-claims.csv", "balances-2023-02.csv", "thresholds.csv"] {
            #expect(try Gongji.text(workspace.out("recompute").appendingPathComponent(name))
                == Gongji.text(workspace.out("run").appendingPathComponent(name)))
        }
    }

    @Test func whatIfNeverChangesTheStore() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let before = try Data(contentsOf: URL(fileURLWithPath: workspace.store))
        let result = try Gongji.run(["what-if", "--quiet", "--data", workspace.data.path, "--store", workspace.store,
                                     "--override", workspace.data.appendingPathComponent("what-if/threshold-3pct.yaml").path,
                                     "--out", workspace.out("what-if").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.store)) == before)
        let page = try Gongji.text(workspace.out("what-if").appendingPathComponent("changes.md"))
        #expect(page.hasPrefix("# 假设：深圳门槛按 3% 而非 5% 计算\n"))
        // With --lang en, the override's English title, on the page and the console.
        let override = workspace.data.appendingPathComponent("what-if/threshold-3pct.yaml").path
        let english = try Gongji.run(["what-if", "--lang", "en", "--data", workspace.data.path, "--store", workspace.store,
                                      "--override", override, "--out", workspace.out("what-if-en").path])
        #expect(english.stdout.contains("\(override): what-if \"Shenzhen threshold at 3% instead of 5%\"\n"))
        #expect(try Gongji.text(workspace.out("what-if-en").appendingPathComponent("changes.md"))
            .hasPrefix("# What if: Shenzhen threshold at 3% instead of 5%\n"))
        let thresholds = try Gongji.text(workspace.out("what-if").appendingPathComponent("changes-thresholds.csv"))
        #expect(thresholds.contains("440300,2018-07-01,2019-06-30,2017,5008.80,3005.28,-2003.52,1,1,bulletin,bulletin\n"))
        // A second what-if over the unchanged store gives the same report.
        #expect(try Gongji.run(["what-if", "--quiet", "--data", workspace.data.path, "--store", workspace.store,
                                "--override", workspace.data.appendingPathComponent("what-if/threshold-3pct.yaml").path,
                                "--out", workspace.out("what-if-2").path]).status == 0)
        #expect(try Gongji.text(workspace.out("what-if-2").appendingPathComponent("changes-claims.csv"))
            == Gongji.text(workspace.out("what-if").appendingPathComponent("changes-claims.csv")))
    }

    @Test func nearRelativesEarlierLetsBeijingSiblingsShare() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try Gongji.run(["what-if", "--quiet", "--data", workspace.data.path, "--store", workspace.store,
                                     "--override", workspace.data.appendingPathComponent("what-if/near-relatives-2022.yaml").path,
                                     "--out", workspace.out("what-if").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let claims = try Gongji.text(workspace.out("what-if").appendingPathComponent("changes-claims.csv"))
        #expect(claims.contains(",ineligible,shared\n") || claims.contains(",ineligible,partial\n"))
    }

    /// Moving 廊坊's province scope from 2022-09-01 to 2022-06-01: its
    /// authorizer pays the 石家庄 relative's claims three months earlier,
    /// and the clearing 131000 → 130100 appears for those months.
    @Test func earlierProvinceScopeShowsInTheClearing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try Gongji.run(["what-if", "--quiet", "--data", workspace.data.path, "--store", workspace.store,
                                     "--override", workspace.data.appendingPathComponent("what-if/hebei-province-2022-06.yaml").path,
                                     "--out", workspace.out("what-if").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let clearing = try Gongji.text(workspace.out("what-if").appendingPathComponent("changes-clearing.csv"))
            .split(separator: "\n").map(String.init)
        #expect(clearing.first == "month,payer_region,payee_region,channel,draws_before,draws_after,amount_before,amount_after")
        let months = Set(clearing.dropFirst().map { String($0.prefix(7)) })
        #expect(!months.isEmpty && months.isSubset(of: ["2022-06", "2022-07", "2022-08"]), "\(clearing)")
        #expect(clearing.dropFirst().allSatisfy { $0.contains(",131000,130100,binding,,") }, "\(clearing)")
        let page = try Gongji.text(workspace.out("what-if").appendingPathComponent("changes.md"))
        #expect(page.contains("## 跨统筹区资金\n"))
        #expect(page.contains("| 131000 廊坊市 | 130100 石家庄市 | 绑定授权 | - |"))
    }

    /// 苏州 keeps the transfer model in 2026: its quotas are refused, the
    /// claims they paid go to cash, the sharer's own claim uses the whole
    /// account, and the quota clearing disappears.
    @Test func withoutTheQuotaModelTheQuotaDrawsGo() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try Gongji.run(["what-if", "--quiet", "--data", workspace.data.path, "--store", workspace.store,
                                     "--override", workspace.data.appendingPathComponent("what-if/suzhou-keeps-transfers.yaml").path,
                                     "--out", workspace.out("what-if").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let claims = try Gongji.text(workspace.out("what-if").appendingPathComponent("changes-claims.csv"))
            .split(separator: "\n").map(String.init)
        #expect(claims.dropFirst().map { String($0.split(separator: ",")[1]) }
            == ["W202601-0003", "W202601-0004", "W202601-0005", "W202602-0001"])
        #expect(claims.contains(
            "2026-01,W202601-0004,2026-01-20 08:45:00,131000,131002********0384,inpatient,2400.00,375.00,375.00,2025.00,0.00,0.00,2025.00,shared,no_binding"))
        #expect(claims.contains(
            "2026-01,W202601-0003,2026-01-18 15:30:00,320500,320505********7731,inpatient,9000.00,7480.00,9000.00,0.00,0.00,1520.00,0.00,no_binding,not_needed"))
        let clearing = try Gongji.text(workspace.out("what-if").appendingPathComponent("changes-clearing.csv"))
        #expect(clearing.contains("2026-01,320500,131000,quota,1,,2025.00,\n"))
        let page = try Gongji.text(workspace.out("what-if").appendingPathComponent("changes.md"))
        #expect(page.hasPrefix("# 假设：苏州 2026 年保留钱包转账\n"))
    }

    @Test func clearErrorsWithoutEarlierResultsOrWithABadOverride() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = try Gongji.run(["recompute", "--lang", "en", "--out", folder.path, "--since", folder.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("none.sqlite: no such store or folder"))
        let override = folder.appendingPathComponent("bad.yaml")
        try Data("title: bad\nregions:\n  \"999999\":\n    threshold: []\n".utf8).write(to: override)
        let bad = try Gongji.run(["what-if", "--lang", "en", "--override", override.path, "--out", folder.path,
                                  "--store", folder.appendingPathComponent("none.sqlite").path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.yaml:3: regions.999999: not a region of policy.yaml"), "\(bad.stderr)")
    }
}
