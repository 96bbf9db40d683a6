import Foundation
import Testing

/// `gongji audit` on SampleData (docs/audit.md): the platform's records of
/// 2023-03 replayed, one finding of every code planted by
/// Scripts/generate-sample.py, and nothing else found.
@Suite struct AuditEndToEndTests {
    @Test func theSamplesFindingsAreExactlyThePlantedOnes() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let store = out.appendingPathComponent("s.sqlite").path
        let result = try Gongji.run(["audit", "--out", out.path, "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("settlements/2023-03.csv：读取 17 条，接受 16 条，拒绝 1 条\n"))
        #expect(result.stdout.contains("mutual-aid/2023-03.csv：读取 12 条，接受 12 条，拒绝 0 条\n"))
        #expect(result.stdout.contains("2023-03：重放 16 笔结算，发现 13 条问题\n"))
        // 2023-04, clean: March's balances and settlements carried on (a reversal of S2303-13, balances as reported).
        #expect(result.stdout.contains("settlements/2023-04.csv：读取 3 条，接受 3 条，拒绝 0 条\n"))
        #expect(result.stdout.contains("2023-04：重放 3 笔结算，发现 0 条问题\n"))
        #expect(try Gongji.text(out.appendingPathComponent("audit-2023-04.md")).contains(
            "平台报告的结算后余额 2 个，与重放结果一致 2 个，不一致 0 个（A10）。"))
        let findings = try Gongji.text(out.appendingPathComponent("audit-2023-03-findings.csv"))
        let codes = findings.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[5] }
        #expect(codes == ["A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10", "A11", "A12", "A13"])
        for name in ["audit-2023-03-findings.csv", "audit-2023-03.md"] {
            let (actual, golden) = try Gongji.golden(out.appendingPathComponent(name), "audit/\(name)")
            #expect(actual == golden, "\(name) differs from Fixtures/expected/audit/\(name)")
        }
        // The row that fails a check of its own is rejected like any input row.
        let rejects = try Gongji.text(out.appendingPathComponent("rejects.csv"))
        #expect(rejects.contains("settlements/2023-03.csv,18,acct_pay,acct_pay 不能为负（只有冲销记录的才为负）,"))
        // No ID in full without --reveal-ids.
        #expect(!findings.contains("44030519900427983X") && !findings.contains("110105198707010202"))
        // The findings workbook holds the CSV's findings, opened with a real reader (openpyxl).
        let check = try Gongji.shell([try WorkbookEndToEndTests.python(),
                                      Gongji.fixtures.appendingPathComponent("scripts/check_audit_workbook.py").path,
                                      out.path, "2023-03"])
        #expect(check.status == 0 && check.stdout.hasPrefix("checked 117 cells"), "\(check.stdout)\(check.stderr)")
    }

    /// The store keeps the findings beside their month (docs/audit.md, "In
    /// the store"), in English, under the settlement's province; a second
    /// audit replaces them,
    /// and the run log lists both audits; a run's results stay as they were.
    @Test func theStoreKeepsTheFindings() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let store = out.appendingPathComponent("s.sqlite").path
        #expect(try Gongji.run(["run", "--quiet", "--no-workbook", "--out", out.appendingPathComponent("run").path,
                                "--store", store]).status == 0)
        func sql(_ query: String) throws -> String { try Gongji.shell(["sqlite3", store, query], check: true).stdout }
        let claims = try sql("SELECT count(*), sum(cash_fen) FROM claim_result")
        for _ in 1...2 {
            let result = try Gongji.run(["audit", "--quiet", "--no-workbook", "--out", out.appendingPathComponent("audit").path,
                                         "--store", store])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try sql("SELECT province, seq, setl_id, code, amount_at_risk_fen, substr(certno, 15), payer_certno IS NULL, detail "
                        + "FROM audit_finding WHERE month = '2023-03' ORDER BY province, seq") == """
            11|1|S2303-02|A02|10000|6758|0|binding B0012: relation sibling is not allowed in 110000 until 2025-01-01
            11|2|S2303-05|A05|20000|9032|0|binding B0008 ended on 2022-09-15 by the authorizer's death
            13|1|S2303-08|A08|4000|2466|1|the patient's own account still held 40.00
            13|2|S2303-10|A10|500|2466|1|reported 35.00, replayed 30.00
            44|1|S2303-01|A01|15000|983X|0|no binding of the payer with the patient in force that day
            44|2|S2303-03|A03|10000|983X|0|pharmacy_otc may not be paid with family money in 440300 on 2023-03-04
            44|3|S2303-04|A04|30000|1561|0|binding B0007: 110000 and 440300 are in different provinces
            44|4|S2303-06|A06|27957|983X|0|6,692.23 left after paying, below the threshold of 6,971.80
            44|5|S2303-07|A07|28964|983X|0|paid 2,500.00 from 2,210.36 held
            44|6|S2303-09|A09|10000|983X|1|acct_mulaid_pay 300.00, its rows 200.00
            44|7|S2303-11|A11|30000|983X|1|the setl_id appears again
            44|8|S2303-12|A12|5000|983X|1|the reversed settlement S2303-99 is not in the data
            44|9|S2303-13|A13|50000|983X|1|relatives held 1,811.75 the rules let them share

            """)
        #expect(try sql("SELECT id, command LIKE 'gongji audit %', months FROM run WHERE id > 1 ORDER BY id") == "2|1|2023-03..2023-04\n3|1|2023-03..2023-04\n")
        #expect(try sql("SELECT count(*) FROM audit_finding WHERE month = '2023-04'") == "0\n")
        #expect(try sql("SELECT count(*), sum(cash_fen) FROM claim_result") == claims)
    }

    @Test func noWorkbookLeavesOutTheFindingsWorkbook() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let store = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: store) }
        #expect(try Gongji.run(["audit", "--quiet", "--no-workbook", "--out", out.path, "--store",
                                store.appendingPathComponent("s.sqlite").path]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["audit-2023-03-findings.csv", "audit-2023-03.md", "audit-2023-04-findings.csv", "audit-2023-04.md",
                          "manifest.json", "rejects.csv"])
    }

    @Test func theDetailFollowsTheLanguage() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["audit", "--quiet", "--lang", "en", "--out", out.path, "--store",
                                out.appendingPathComponent("s.sqlite").path]).status == 0)
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
        let result = try Gongji.run(["audit", "--lang", "en", "--quiet", "--data", copy.data.path, "--out", copy.root.appendingPathComponent("o").path,
                                     "--store", copy.root.appendingPathComponent("s.sqlite").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("2022-06: the month has claims in usage/ and settlement records in settlements/"))
    }
}
