import Foundation
@testable import GongjiDomain
@testable import GongjiReports
import GongjiTestSupport
import Testing

/// A sheet never drops a row: past the row limit the rows go on to a sheet
/// of the same name with a number. The workbook is read back with Python's
/// zipfile (the standard library: no venv).
@Suite struct UsageWorkbookTests {
    @Test func rowsPastTheLimitGoOnToANumberedSheet() throws {
        let folder = try TemporaryFolder("workbook")
        let person = ResidentID("44030519500101001X")!
        let claims = (1...12).map { n in
            ClaimSettlement(claim: Claim(id: "C\(n)", person: person, occurredAt: Timestamp(text: "2022-03-0\(n % 9 + 1) 10:00")!,
                                         region: RegionCode("440300")!, category: .outpatient, amount: Money(fen: Int64(n) * 100)),
                            ownAccount: Money(fen: Int64(n) * 100), familyShared: .zero, cash: .zero, status: .notNeeded,
                            draws: [], refusals: [])
        }
        let usage = UsageMonth(month: YearMonth(text: "2022-03")!, settlements: claims, authorizers: [], clearing: [])
        let path = folder.path("usage-2022-03.xlsx")
        try UsageWorkbook.write(usage, page: "", policy: Policy(regions: []), disclosure: Disclosure(reveal: false), to: path,
                                tmpdir: folder.url.path, rowLimit: 5)
        let script = """
            import re, sys, zipfile
            book = zipfile.ZipFile(sys.argv[1])
            names = re.findall(r'<sheet name="([^"]+)"', book.read("xl/workbook.xml").decode())
            rows = [len(re.findall(r"<row ", book.read(f"xl/worksheets/sheet{n}.xml").decode())) for n in range(1, len(names) + 1)]
            print(" ".join(f"{name}:{count}" for name, count in zip(names, rows)))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // 12 claims, 4 under each header: 结算 5 rows, 结算 2 5, 结算 3 5 (4 + 4 + 4 data rows).
        #expect(text.contains("结算:5 结算 2:5 结算 3:5 例外:1 共济划扣:1 授权人:1"), "\(text)")
    }

    /// A full disk (here /dev/full, where every write fails with ENOSPC)
    /// says so in gongji's one line (issue 25).
    @Test(.enabled(if: Self.hasDevFull, "needs /dev/full, a character device where every write fails with ENOSPC"))
    func aFullDiskIsSaidInOneLine() throws {
        let folder = try TemporaryFolder("workbook")
        defer { folder.remove() }
        let person = ResidentID("44030519500101001X")!
        let claims = (1...3).map { n in
            ClaimSettlement(claim: Claim(id: "C\(n)", person: person, occurredAt: Timestamp(text: "2022-03-0\(n) 10:00")!,
                                         region: RegionCode("440300")!, category: .outpatient, amount: Money(fen: Int64(n) * 100)),
                            ownAccount: Money(fen: Int64(n) * 100), familyShared: .zero, cash: .zero, status: .notNeeded,
                            draws: [], refusals: [])
        }
        let usage = UsageMonth(month: YearMonth(text: "2022-03")!, settlements: claims, authorizers: [], clearing: [])
        var failure: UsageWorkbook.Failure?
        do throws(UsageWorkbook.Failure) {
            try UsageWorkbook.write(usage, page: "", policy: Policy(regions: []), disclosure: Disclosure(reveal: false), to: "/dev/full",
                                    tmpdir: folder.url.path)
        } catch {
            failure = error
        }
        #expect(failure?.description == "/dev/full: cannot write the workbook: the disk is full")
        // The sheets' temporary files were unlinked as they were made: none is left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == [])
    }

    /// A reason's row is as high as its wrapped lines (a row too short cut
    /// long reasons off the print): a Chinese character takes two columns,
    /// 85% of the column's width is counted as usable.
    @Test(arguments: [("", 1), ("授权人未参保", 1), (String(repeating: "共", count: 20), 1),
                      (String(repeating: "共", count: 21), 2), (String(repeating: "a", count: 41), 2),
                      ("绑定 H001：授权人参保于 131000，被授权人参保于 130100；131000 仅在本统筹区内共济（2022-09-01 起可省内共济）; "
                       + "130100 于 2022-08-19 不允许以家庭共济支付药店处方药", 4)])
    func wrappedLines(text: String, lines: Int) {
        #expect(XLSXWriter.lines(text, width: 48) == lines)
    }

    static var hasDevFull: Bool {
        var status = stat()
        return stat("/dev/full", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR
    }
}
