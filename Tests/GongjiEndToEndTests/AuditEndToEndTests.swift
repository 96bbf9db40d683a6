import Foundation
import Testing

/// `gongji audit` on SampleData (docs/audit.md): the platform's records of
/// 2023-03 replayed, one finding of every code planted by
/// Scripts/generate-sample.py, and nothing else found.
@Suite struct AuditEndToEndTests {
    @Test func theSamplesFindingsAreExactlyThePlantedOnes() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Gongji.run(["audit", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("settlements/2023-03.csv: read 17, accepted 16, rejected 1\n"))
        #expect(result.stdout.contains("mutual-aid/2023-03.csv: read 12, accepted 12, rejected 0\n"))
        #expect(result.stdout.contains("2023-03: 16 settlements replayed, 13 findings\n"))
        let findings = try Gongji.text(out.appendingPathComponent("audit-2023-03-findings.csv"))
        let codes = findings.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[5] }
        #expect(codes == ["A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11", "A12", "A13"])
        for name in ["audit-2023-03-findings.csv", "audit-2023-03.md"] {
            let (actual, golden) = try Gongji.golden(out.appendingPathComponent(name), "audit/\(name)")
            #expect(actual == golden, "\(name) differs from Fixtures/expected/audit/\(name)")
        }
        // The row that fails a check of its own is rejected like any input row.
        let rejects = try Gongji.text(out.appendingPathComponent("rejects.csv"))
        #expect(rejects.contains("settlements/2023-03.csv,18,acct_pay,acct_pay cannot be negative (only a reversal's are),"))
        // No ID in full without --reveal-ids.
        #expect(!findings.contains("44030519900427983X") && !findings.contains("110105198707010202"))
        // The findings workbook holds the CSV's findings, opened with a real reader (openpyxl).
        let check = try Gongji.shell([try WorkbookEndToEndTests.python(),
                                      Gongji.fixtures.appendingPathComponent("scripts/check_audit_workbook.py").path,
                                      out.path, "2023-03"])
        #expect(check.status == 0 && check.stdout.hasPrefix("checked 117 cells"), "\(check.stdout)\(check.stderr)")
    }

    @Test func noWorkbookLeavesOutTheFindingsWorkbook() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["audit", "--quiet", "--no-workbook", "--out", out.path]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["audit-2023-03-findings.csv", "audit-2023-03.md", "manifest.json", "rejects.csv"])
    }

    @Test func theDetailFollowsTheLanguage() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["audit", "--quiet", "--lang", "en", "--out", out.path]).status == 0)
        let (actual, golden) = try Gongji.golden(out.appendingPathComponent("audit-2023-03-findings.csv"),
                                                 "audit-en/audit-2023-03-findings.csv")
        #expect(actual == golden)
        #expect(actual.contains(",A06,279.57,\"6,692.23 left after paying, below the threshold of 6,971.80\"\n"))
    }

    /// A month may be settled from usage/ or audited, not both.
    @Test func aMonthWithClaimsAndSettlementsIsRefused() throws {
        let copy = try RobustnessTests.Copy()
        defer { copy.remove() }
        try FileManager.default.copyItem(at: copy.data.appendingPathComponent("settlements/2023-03.csv"),
                                         to: copy.data.appendingPathComponent("settlements/2022-06.csv"))
        try Data("setl_id,certno,setl_time,region_code,category,acct_pay,acct_mulaid_pay,psn_cash_pay\nX1,44030519900427983X,2022-06-30 10:00:00,440300,outpatient,0.00,0.00,1.00\n".utf8)
            .write(to: copy.data.appendingPathComponent("settlements/2022-06.csv"))
        let result = try Gongji.run(["audit", "--quiet", "--data", copy.data.path, "--out", copy.root.appendingPathComponent("o").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("2022-06: the month has claims in usage/ and settlement records in settlements/"))
    }
}
