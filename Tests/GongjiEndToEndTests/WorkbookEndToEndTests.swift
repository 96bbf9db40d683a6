import Foundation
import Testing

/// usage-YYYY-MM.xlsx, opened with a real reader: openpyxl, in a venv this
/// test makes once under .build/ (PyPI). Fixtures/scripts/check_workbook.py
/// compares every cell of the claims, draws and authorizers sheets with the
/// month's CSV files, the sums to the fen, the number formats and the
/// frozen header row.
@Suite struct WorkbookEndToEndTests {
    /// The venv's python, made once per test process: tests run in
    /// parallel, and a second test that saw the venv's `bin/python` while
    /// the first was still installing openpyxl ran without it. A venv left
    /// without openpyxl (an interrupted run) is made again.
    static func python() throws -> String {
        try madePython.get()
    }

    private static let madePython = Result<String, any Error> {
        let venv = Gongji.packageRoot.appendingPathComponent(".build/test-venv-openpyxl")
        let python = venv.appendingPathComponent("bin/python").path
        if FileManager.default.fileExists(atPath: python),
           try Gongji.shell([python, "-c", "import openpyxl"]).status == 0 {
            return python
        }
        try Gongji.shell(["python3", "-m", "venv", "--clear", venv.path], check: true)
        try Gongji.shell([python, "-m", "pip", "install", "--quiet", "openpyxl>=3.1,<4"], check: true)
        return python
    }

    @Test func everyCellMatchesTheCSVFiles() throws {
        let out = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Gongji.run(["run", "--quiet", "--out", out.path, "--store", out.appendingPathComponent("s.sqlite").path]).status == 0)
        let python = try Self.python()
        let script = Gongji.fixtures.appendingPathComponent("scripts/check_workbook.py").path
        for month in ["2022-09", "2022-10", "2025-12", "2026-01", "2026-02"] {
            let result = try Gongji.shell([python, script, out.path, month])
            #expect(result.status == 0, "\(month): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.hasPrefix("checked "), "\(month): \(result.stdout)")
        }
        // The same inputs give the same bytes.
        let again = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: again) }
        #expect(try Gongji.run(["run", "--quiet", "--out", again.path, "--store", again.appendingPathComponent("s.sqlite").path]).status == 0)
        #expect(try Data(contentsOf: again.appendingPathComponent("usage-2026-01.xlsx"))
            == Data(contentsOf: out.appendingPathComponent("usage-2026-01.xlsx")))
        // No temporary file of the workbook's is left beside the reports.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.hasPrefix(".") })
        // --no-workbook: the same reports but the workbooks.
        let without = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: without) }
        #expect(try Gongji.run(["run", "--quiet", "--no-workbook", "--out", without.path]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: without.path)
        #expect(!names.contains { $0.hasSuffix(".xlsx") })
        #expect(names.count == 5 + 12 * 15)
    }
}
