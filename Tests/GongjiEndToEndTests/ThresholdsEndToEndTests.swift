import Foundation
import Testing

@Suite struct ThresholdsEndToEndTests {
    /// The pages in both languages (`--lang en`: expected/sample-en holds the English pages; CSV files do not change).
    @Test(arguments: [("SampleData", "sample"), ("SampleData", "sample-en"), ("Tests/GongjiEndToEndTests/Fixtures/revised", "revised"),
                      ("Tests/GongjiEndToEndTests/Fixtures/revised", "revised-en")])
    func runWritesGoldenReports(data: String, expected: String) throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Gongji.run(["run", "--data", data, "--out", out.path] + (expected.hasSuffix("-en") ? ["--lang", "en"] : []))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        if expected == "revised-en" {
            let (actual, golden) = try Gongji.golden(out.appendingPathComponent("thresholds.md"), "revised-en/thresholds.md")
            #expect(actual == golden, "thresholds.md differs from Fixtures/expected/revised-en/thresholds.md")
            return
        }
        if expected == "sample-en" {
            // The claims file's reasons and rejects.csv's errors are in the page language: golden in English too.
            for name in ["thresholds.md", "usage-2022-06.md", "usage-2022-09.md", "usage-2022-10.md", "usage-2025-12.md",
                         "usage-2026-01.md", "usage-2026-02.md", "usage-2022-10-claims.csv", "rejects.csv"] {
                let (actual, golden) = try Gongji.golden(out.appendingPathComponent(name), "\(expected)/\(name)")
                #expect(actual == golden, "\(name) differs from Fixtures/expected/\(expected)/\(name)")
            }
            for name in ["balances-2026-01.csv"] {
                #expect(try Gongji.text(out.appendingPathComponent(name))
                    == Gongji.text(Gongji.fixtures.appendingPathComponent("expected/sample/\(name)")), "\(name)")
            }
            return
        }
        let monthly = expected == "sample"
            ? ["credits-2022-09.csv", "balances-2022-09.csv", "usage-2022-06.md", "balances-2022-10.csv", "usage-2022-10.md",
               "usage-2022-10-claims.csv", "usage-2022-10-shares.csv", "usage-2022-10-authorizers.csv",
               "usage-2022-09.md", "clearing-2022-09.csv",
               // Wallets, quotas and pots (docs/rules.md section 4b).
               "usage-2025-12.md", "usage-2026-01.md", "usage-2026-02.md", "transfers-2025-12.csv", "wallets-2025-12.csv",
               "wallets-2026-01.csv", "quotas-2025-12.csv", "quotas-2026-01.csv", "quotas-2026-02.csv", "pots-2026-01.csv",
               "pots-2026-02.csv", "balances-2026-01.csv", "balances-2026-02.csv", "clearing-2025-12.csv",
               "clearing-2026-01.csv", "usage-2026-01-claims.csv", "usage-2026-01-shares.csv"]
            : []
        let chart = expected == "sample" ? ["thresholds.svg"] : []
        for name in ["thresholds.csv", "thresholds.md", "rejects.csv"] + chart + monthly {
            let (actual, golden) = try Gongji.golden(out.appendingPathComponent(name), "\(expected)/\(name)")
            #expect(actual == golden, "\(name) differs from Fixtures/expected/\(expected)/\(name)")
        }
        let manifest = try Gongji.text(out.appendingPathComponent("manifest.json"))
        #expect(manifest.contains("\"file\" : \"policy.yaml\""))
        #expect(manifest.contains("\"run_at\" : \""))
    }

    @Test func shenzhenRowsAsPublished() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["run", "--out", out.path, "--quiet"]).status == 0)
        let csv = try Gongji.text(out.appendingPathComponent("thresholds.csv")).split(separator: "\n")
        #expect(csv.contains("440300,深圳市,2017-07-01,2018-06-30,2016,on-post-non-private,7480.00,0.05,4488.00,,,,bulletin,1"))
        #expect(csv.contains("440300,深圳市,2018-07-01,2019-06-30,2017,on-post-non-private,8348.00,0.05,5008.80,4488.00,520.80,11.60,bulletin,1"))
        #expect(csv.contains("440300,深圳市,2019-07-01,2020-06-30,2018,on-post-non-private,9309.00,0.05,5585.45,5008.80,576.65,11.51,bulletin,1"))
        #expect(csv.contains("440300,深圳市,2020-07-01,2021-06-30,2019,on-post-non-private,,0.05,5585.45,5585.45,0.00,0.00,carried_forward,"))
        // Published: "2021年7月到2022年6月为6971.8元" = 139436 × 5% (wage_basis: annual).
        #expect(csv.contains("440300,深圳市,2021-07-01,2022-06-30,2020,on-post-non-private,11620.00,0.05,6971.80,5585.45,1386.35,24.82,bulletin,1"))
        #expect(csv.contains("440300,深圳市,2023-07-01,2024-06-30,2022,on-post-non-private,13730.00,0.05,8237.70,6971.80,1265.90,18.16,bulletin,1"))
    }

    @Test func rerunIsByteIdentical() throws {
        let first = try Gongji.temporaryFolder()
        let second = try Gongji.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        #expect(try Gongji.run(["run", "--out", first.path, "--quiet"]).status == 0)
        #expect(try Gongji.run(["run", "--out", second.path, "--quiet"]).status == 0)
        #expect(try Gongji.run(["run", "--out", second.path, "--quiet"]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        // thresholds (3), rejects, manifest + for 12 months: credits, balances, base findings, the page, claims, shares,
        // authorizers, clearing
        #expect(names.count == 5 + 13 * 15)  // 15 months with inputs
        #expect(names.contains("credits-2022-09.csv") && names.contains("balances-2023-02.csv") && names.contains("usage-2022-06.md"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: second.path).sorted() == names)
        for name in names where name != "manifest.json" {
            #expect(try Data(contentsOf: first.appendingPathComponent(name)) == Data(contentsOf: second.appendingPathComponent(name)))
        }
    }

    @Test(arguments: [["--format", "csv"], ["--format", "md"], ["--format", "table"]])
    func thresholdsCommandPrintsTheTable(format: [String]) throws {
        let result = try Gongji.run(["thresholds", "--region", "440300"] + format)
        #expect(result.status == 0)
        #expect(result.stdout.contains("5008.80"))
        #expect(!result.stdout.contains("110000"))
        #expect(result.stderr.isEmpty)
    }

    @Test func thresholdsCSVMatchesTheReport() throws {
        // The sample's last month is 2026-02: its run derives the thresholds up to then (rule R1).
        let result = try Gongji.run(["thresholds", "--format", "csv", "--through", "2026-02"])
        #expect(result.stdout == (try Gongji.text(Gongji.fixtures.appendingPathComponent("expected/sample/thresholds.csv"))))
    }
}

@Suite struct CommandLineContractTests {
    /// A data folder with one file replaced.
    func folder(policy: String? = nil, bulletin: String? = nil) throws -> URL {
        let url = try Gongji.temporaryFolder()
        let sample = Gongji.packageRoot.appendingPathComponent("SampleData")
        try FileManager.default.copyItem(at: sample.appendingPathComponent("policy.yaml"), to: url.appendingPathComponent("policy.yaml"))
        try FileManager.default.copyItem(at: sample.appendingPathComponent("bulletins"), to: url.appendingPathComponent("bulletins"))
        if let policy { try Data(policy.utf8).write(to: url.appendingPathComponent("policy.yaml")) }
        if let bulletin { try Data(bulletin.utf8).write(to: url.appendingPathComponent("bulletins/zz-bad.xml")) }
        return url
    }

    @Test func badPolicyIsOneLineAndExitOne() throws {
        let data = try folder(policy: "regions:\n  \"440300\":\n    name: 深圳市\n    threshold:\n      - from: 2018-02-30\n        rate: 5%\n")
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try Gongji.run(["run", "--lang", "en", "--data", data.path, "--out", data.appendingPathComponent("out").path])
        #expect(result.status == 1)
        #expect(result.stderr == "gongji: error: policy.yaml:5: regions.440300.threshold[0].from: '2018-02-30' is not a date YYYY-MM-DD\n")
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("out/thresholds.csv").path))
    }

    @Test func hostileBulletinIsOneLineAndExitOne() throws {
        let data = try folder(bulletin: "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<wageBulletins xmlns=\"urn:gongji:wage-bulletin:1\">&e;</wageBulletins>\n")
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try Gongji.run(["validate", "--lang", "en", "--data", data.path, "--out", data.path])
        #expect(result.status == 1)
        #expect(result.stderr == "gongji: error: bulletins/zz-bad.xml:2: a DOCTYPE is not allowed in a wage bulletin (no DTDs, no entities)\n")
        #expect(!result.stdout.contains("root:"))
    }

    @Test func missingDataFolderIsExitOne() throws {
        let result = try Gongji.run(["run", "--lang", "en", "--data", "/nonexistent/gongji-data"])
        #expect(result.status == 1)
        #expect(result.stderr == "gongji: error: /nonexistent/gongji-data: no such data folder\n")
        // In Chinese by default, for every command that reads a data folder.
        for command in ["run", "validate", "thresholds", "recompute", "what-if", "audit"] {
            let extra = command == "recompute" ? ["--since", "/nonexistent/s.sqlite"]
                : command == "what-if" ? ["--override", "/nonexistent/o.yaml", "--out", "/nonexistent/out"] : []
            let chinese = try Gongji.run([command, "--data", "/nonexistent/gongji-data"] + extra)
            #expect(chinese.status == 1, "\(command)")
            #expect(chinese.stderr == "gongji：错误：/nonexistent/gongji-data：没有这个数据文件夹\n", "\(command)")
        }
    }

    @Test(arguments: [["frobnicate"], ["run", "--colour"], ["thresholds", "--region", "44"], ["thresholds", "--format", "pdf"]])
    func wrongUsageIsExitTwo(arguments: [String]) throws {
        let result = try Gongji.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Error:") || result.stderr.contains("error:"))
    }

    @Test func validateWritesOnlyRejects() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Gongji.run(["validate", "--lang", "en", "--out", out.path])
        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["rejects.csv"])
        #expect(try Gongji.text(out.appendingPathComponent("rejects.csv"))
            == Gongji.text(Gongji.fixtures.appendingPathComponent("expected/sample-en/rejects.csv")))
    }

    /// `--csv-bom`: every CSV the run writes starts with a UTF-8 BOM and is
    /// otherwise the default run's file; nothing else changes.
    @Test func csvBOMPrefixesEveryCSVAndNothingElse() throws {
        let plain = try Gongji.temporaryFolder()
        let marked = try Gongji.temporaryFolder()
        defer { for folder in [plain, marked] { try? FileManager.default.removeItem(at: folder) } }
        #expect(try Gongji.run(["run", "--quiet", "--out", plain.path, "--store", plain.appendingPathComponent("s.sqlite").path]).status == 0)
        #expect(try Gongji.run(["run", "--quiet", "--csv-bom", "--out", marked.path,
                                "--store", marked.appendingPathComponent("s.sqlite").path]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: plain.path).filter { $0 != "manifest.json" && $0 != "s.sqlite" }
        #expect(names.filter { $0.hasSuffix(".csv") }.count == 2 + 11 * 15)
        let mark = Data([0xEF, 0xBB, 0xBF])
        for name in names {
            let before = try Data(contentsOf: plain.appendingPathComponent(name))
            let after = try Data(contentsOf: marked.appendingPathComponent(name))
            #expect(after == (name.hasSuffix(".csv") ? mark + before : before), "\(name)")
        }
        let validated = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: validated) }
        #expect(try Gongji.run(["validate", "--quiet", "--csv-bom", "--out", validated.path]).status == 0)
        #expect(try Data(contentsOf: validated.appendingPathComponent("rejects.csv"))
            == mark + Data(contentsOf: plain.appendingPathComponent("rejects.csv")))
    }

    @Test func strictExitsOneWhenRowsWereRejected() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Gongji.run(["run", "--lang", "en", "--strict", "--quiet", "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("gongji: error: 29 rows rejected and --strict was given\n"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("rejects.csv").path))
    }

    @Test func idsAreMaskedUnlessRevealed() throws {
        let masked = try Gongji.temporaryFolder()
        let revealed = try Gongji.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: masked)
            try? FileManager.default.removeItem(at: revealed)
        }
        #expect(try Gongji.run(["run", "--quiet", "--out", masked.path]).status == 0)
        #expect(try Gongji.run(["run", "--quiet", "--reveal-ids", "--out", revealed.path]).status == 0)
        let hidden = try Gongji.text(masked.appendingPathComponent("rejects.csv"))
        let shown = try Gongji.text(revealed.appendingPathComponent("rejects.csv"))
        #expect(hidden.contains("\"440305********2806,重*,440300,employee,\""))
        #expect(shown.contains("\"440305199809142806,重复,440300,employee,\""))
        let balances = try Gongji.text(masked.appendingPathComponent("balances-2022-03.csv"))
        #expect(balances.split(separator: "\n").dropFirst().allSatisfy { $0.dropFirst(6).hasPrefix("********") })
    }

    @Test func helpIsExitZero() throws {
        let result = try Gongji.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("thresholds"))
    }
}
