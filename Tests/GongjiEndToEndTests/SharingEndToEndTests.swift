import Foundation
import GongjiDomain
import GongjiStore
import Testing

/// Family sharing end to end on SampleData: the usage reports, the store.
@Suite struct SharingEndToEndTests {
    @Test func sampleScenariosReachTheReports() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["run", "--out", out.path, "--quiet"]).status == 0)
        // Langfang allows siblings only from 2022-10-01 (SampleData/policy.yaml).
        let june = try Gongji.text(out.appendingPathComponent("usage-2022-06.md"))
        #expect(june.contains("绑定 B0015：131000 不允许兄弟姐妹共济（2022-10-01 起允许）"))
        let octoberShares = try Gongji.text(out.appendingPathComponent("usage-2022-10-shares.csv"))
        #expect(octoberShares.contains(",sibling,14.34,3105.20,0.00,binding,131000\n"))
        // The Beijing authorizer who died on 2022-09-15.
        let october = try Gongji.text(out.appendingPathComponent("usage-2022-10.md"))
        #expect(october.contains("绑定 B0008 已于 2022-09-15 因授权人死亡终止"))
        // A month without claims for someone is still a whole set of files.
        for month in ["2022-03", "2023-02"] {
            for suffix in [".md", "-claims.csv", "-shares.csv", "-authorizers.csv"] {
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("usage-\(month)\(suffix)").path))
            }
        }
    }

    /// Hebei's two sample regions share across the province from the
    /// illustrative 2022-09-01 (SampleData/policy.yaml): refused before,
    /// paid and cleared after; 廊坊 → 北京 is another province.
    @Test func hebeiRegionsShareAcrossTheProvince() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let store = out.appendingPathComponent("gongji.sqlite").path
        #expect(try Gongji.run(["run", "--out", out.path, "--store", store, "--quiet"]).status == 0)
        let august = try Gongji.text(out.appendingPathComponent("usage-2022-08.md"))
        #expect(august.contains("绑定 H003：授权人参保于 130100，被授权人参保于 131000；130100 仅在本统筹区内共济"
                                + "（2022-09-01 起可省内共济）"))
        #expect(august.contains("绑定 H004：131000 与 110000 不在同一省份"))
        #expect(august.contains("本月没有跨统筹区的家庭共济资金。"))
        #expect(try Gongji.text(out.appendingPathComponent("clearing-2022-08.csv")) == "payer_region,payee_region,channel,draws,amount\n")
        #expect(try Gongji.text(out.appendingPathComponent("clearing-2022-09.csv")) == """
            payer_region,payee_region,channel,draws,amount
            130100,131000,binding,3,3027.95
            131000,130100,binding,1,770.29

            """)
        let september = try Gongji.text(out.appendingPathComponent("usage-2022-09.md"))
        #expect(september.contains("| 130100 石家庄市 | 131000 廊坊市 | 绑定授权 | 3 | 3,027.95 |\n"))
        #expect(september.contains("| 131000 廊坊市 | 130100 石家庄市 | 绑定授权 | 1 | 770.29 |\n"))
        #expect(september.contains("| 河北省 (13) | 4 | 3,798.24 |\n"))
        // The shares name each draw's channel and paying region; 130100 orders by priority.
        let shares = try Gongji.text(out.appendingPathComponent("usage-2022-10-shares.csv"))
        #expect(shares.contains("H202210-0005,2022-10-06 07:41:36,130102********4490,130102********906X,child,201.82,3871.84,0.00,binding,130100\n"))
        // The store keeps the clearing.
        let kept = try Store(path: store).read { try $0.month(YearMonth(text: "2022-09")!, .current).clearing }
        #expect(kept.map(\.amount.yuanText) == ["3027.95", "770.29"])
    }

    /// The claims file says why each claim that paid cash was not paid by
    /// relatives (docs/formats.md, `reason`), in the page language; the
    /// page's exceptions name the same reasons.
    @Test func theClaimsFileGivesEveryRefusalBehindTheCash() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["run", "--quiet", "--out", out.path]).status == 0)
        let claims = try Gongji.text(out.appendingPathComponent("usage-2022-10-claims.csv")).split(separator: "\n")
        #expect(claims.first.map(String.init) == "claim_id,occurred_at,region_code,person_id,category,amount,own_account,"
                + "family_shared,cash,family_status,wallet,pot,reason")
        #expect(claims.contains("C202210-0004,2022-10-02 21:37:02,110000,110105********9032,pharmacy_otc,720.12,0.00,0.00,"
                                + "720.12,category_excluded,0.00,0.00,绑定 B0008 已于 2022-09-15 因授权人死亡终止; "
                                + "110000 于 2022-10-02 不允许以家庭共济支付药店非处方药"))
        // Every claim with a status that leaves cash for a refusal has a reason; the others none.
        let withReason: Set<Substring> = ["partial", "no_binding", "no_excess", "category_excluded", "ineligible"]
        for row in claims.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(withReason.contains(fields[9]) == !fields[12].isEmpty, "\(row)")
        }
    }

    @Test func noProgressLinesInAPipeAndTimingsOnlyWhenAsked() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let plain = try Gongji.run(["validate", "--lang", "en", "--out", out.path])
        #expect(plain.status == 0)
        #expect(!plain.stderr.contains("\u{1B}[K") && !plain.stderr.contains("\r"))
        #expect(!plain.stderr.contains("timing:"))
        #expect(plain.stdout.contains("contributions/2022-06.csv: read 312, accepted 305, rejected 7\n"))
        let timed = try Gongji.run(["validate", "--lang", "en", "--quiet", "--timings", "--out", out.path])
        #expect(timed.stderr.contains("timing: inputs and credits "))
        #expect(timed.stdout.isEmpty)
    }

    @Test func usageReportsMaskIDsUnlessRevealed() throws {
        let masked = try Gongji.temporaryFolder()
        let revealed = try Gongji.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: masked)
            try? FileManager.default.removeItem(at: revealed)
        }
        #expect(try Gongji.run(["run", "--quiet", "--out", masked.path]).status == 0)
        #expect(try Gongji.run(["run", "--quiet", "--reveal-ids", "--out", revealed.path]).status == 0)
        let fullID = try Regex("[0-9]{17}[0-9X]")
        for name in ["usage-2022-10-claims.csv", "usage-2022-10-shares.csv", "usage-2022-10-authorizers.csv", "usage-2022-10.md"] {
            #expect(try Gongji.text(masked.appendingPathComponent(name)).firstMatch(of: fullID) == nil, "\(name)")
            #expect(try Gongji.text(revealed.appendingPathComponent(name)).firstMatch(of: fullID) != nil, "\(name)")
        }
    }

    @Test func aMonthReRunReplacesItsResults() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let storePath = folder.appendingPathComponent("store/gongji.sqlite").path
        let out = folder.appendingPathComponent("reports")
        #expect(try Gongji.run(["run", "--quiet", "--keep-inputs", "--out", out.path, "--store", storePath]).status == 0)
        let counts = { (store: Store) in
            try store.read { reader in
                try ["month_balance", "claim_result", "share", "binding", "event", "input_file", "input_content"].map { try reader.count($0) }
            }
        }
        let first = try counts(Store(path: storePath))
        #expect(try Gongji.run(["run", "--quiet", "--keep-inputs", "--out", out.path, "--store", storePath]).status == 0)
        let store = try Store(path: storePath)
        var second = first
        second[5] = first[5] * 2  // the run log lists each run's input files
        #expect(try counts(store) == second)
        #expect(first[1] == 1554)  // every accepted claim has one result
        #expect(first[3] == 50)    // bindings
        // Each input is kept whole once: policy, 3 bulletins, persons, openings,
        // 15 rosters, bindings, events, 15 usage files, 5 earmark files (all under 8 MiB: one part each).
        #expect(first[5] == 43 && first[6] == 43)
        for file in ["persons.csv", "usage/2022-06.csv"] {
            let digest = try #require(try store.read { try $0.latestDigest(of: file) })
            #expect(try store.read { try $0.input(sha256: digest) }
                == Data(contentsOf: Gongji.packageRoot.appendingPathComponent("SampleData/\(file)")))
        }
        let runs = try store.read { try $0.runs() }
        let months = try #require(YearMonth(year: 2022, month: 3))...#require(YearMonth(year: 2026, month: 2))
        #expect(runs.map(\.months) == [months, months])
        #expect(runs.map(\.rejected) == [29, 29])
        #expect(try store.read { try $0.settledMonths() }.count == 15)
        // The store's closing balances are the report's.
        let balances = try Gongji.text(out.appendingPathComponent("balances-2022-10.csv")).split(separator: "\n")
        let row = balances[1].split(separator: ",")
        #expect(row[0].contains("*"))
        let revealed = folder.appendingPathComponent("revealed")
        #expect(try Gongji.run(["run", "--quiet", "--reveal-ids", "--out", revealed.path, "--store", storePath]).status == 0)
        let full = try Gongji.text(revealed.appendingPathComponent("balances-2022-10.csv")).split(separator: "\n")[1].split(separator: ",")
        let person = try #require(ResidentID(full[0]))
        let closing = try store.read { try $0.closingBalance(of: person, month: YearMonth(text: "2022-10")!) }
        #expect(closing?.yuanText == String(full[6]))
    }

    @Test func aFailedRunLeavesTheStoreWhole() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let storePath = folder.appendingPathComponent("gongji.sqlite").path
        #expect(try Gongji.run(["run", "--lang", "en", "--quiet", "--out", folder.appendingPathComponent("ok").path, "--store", storePath]).status == 0)
        // An out "folder" that is a file: the run fails while writing reports, inside the store transaction.
        let blocked = folder.appendingPathComponent("blocked")
        try Data("not a folder".utf8).write(to: blocked)
        let failed = try Gongji.run(["run", "--lang", "en", "--quiet", "--out", blocked.path, "--store", storePath])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("gongji: error: "))
        let store = try Store(path: storePath)
        #expect(try store.read { try $0.runs() }.count == 1)
        #expect(try store.read { try $0.count("month_balance") } == 4599)
    }
}

/// Roster files read by two workers at once give the sequential outcome.
@Suite struct ParallelRosterTests {
    @Test func theSamePersonAndMonthInTwoFilesRejectsTheLaterRow() throws {
        let root = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.copyItem(at: Gongji.packageRoot.appendingPathComponent("SampleData"), to: data)
        // A later file (by name) repeats a person of 2022-06.
        let june = try Gongji.text(data.appendingPathComponent("contributions/2022-06.csv")).split(separator: "\n")
        try Data((june[0] + "\n" + june[1] + "\n").utf8).write(to: data.appendingPathComponent("contributions/2022-06b.csv"))
        let validated = try Gongji.run(["validate", "--lang", "en", "--quiet", "--data", data.path, "--out", root.appendingPathComponent("v").path])
        #expect(validated.status == 0, "\(validated.stderr)")
        let rejects = try Gongji.text(root.appendingPathComponent("v/rejects.csv"))
        #expect(rejects.contains("contributions/2022-06b.csv,2,person_id,person and month appear on an earlier row,"))
        // validate (two workers, then in order) and run (one worker) agree row for row.
        let ran = try Gongji.run(["run", "--lang", "en", "--quiet", "--data", data.path, "--out", root.appendingPathComponent("r").path])
        #expect(ran.status == 0)
        #expect(try Gongji.text(root.appendingPathComponent("r/rejects.csv")) == rejects)
    }
}

/// The out folder is the run's: a later run with fewer months leaves none of
/// the earlier month reports, and never touches a file gongji did not write.
@Suite struct OutFolderTests {
    @Test func aShorterRunLeavesExactlyWhatItsManifestLists() throws {
        let root = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let out = root.appendingPathComponent("out")
        try FileManager.default.copyItem(at: Gongji.packageRoot.appendingPathComponent("SampleData"), to: data)
        #expect(try Gongji.run(["run", "--quiet", "--data", data.path, "--out", out.path]).status == 0)
        try Data("the analyst's notes\n".utf8).write(to: out.appendingPathComponent("notes.txt"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("usage-2023-02.md").path))
        for folder in ["contributions", "usage"] {
            try FileManager.default.removeItem(at: data.appendingPathComponent("\(folder)/2023-02.csv"))
        }
        #expect(try Gongji.run(["run", "--quiet", "--data", data.path, "--out", out.path]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(!names.contains { $0.contains("2023-02") })
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        let outputs = try #require((manifest as? [String: Any])?["outputs"] as? [String])
        #expect(names == (outputs + ["notes.txt"]).sorted())
        #expect(try Gongji.text(out.appendingPathComponent("notes.txt")) == "the analyst's notes\n")
    }

    @Test func anOutFolderThatCannotBeWrittenStopsTheRunBeforeAnythingIsRead() throws {
        let root = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let blocked = root.appendingPathComponent("reports")
        try Data("a file".utf8).write(to: blocked)
        let result = try Gongji.run(["run", "--lang", "en", "--out", blocked.path])
        #expect(result.status == 1)
        #expect(result.stderr == "gongji: error: \(blocked.path): cannot write: it is a file, not a folder for reports\n")
        #expect(result.stdout.isEmpty)  // not even policy.yaml was read
    }
}
