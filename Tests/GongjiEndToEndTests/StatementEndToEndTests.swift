import Foundation
import Testing

/// `gongji statement` (docs/formats.md): a person's account from the store,
/// every month adding up to the next month's opening and to the balances file.
@Suite struct StatementEndToEndTests {
    @Test func aSamplePersonsStatementAddsUpAndMatchesTheBalancesFile() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("s.sqlite").path
        let reports = folder.appendingPathComponent("r")
        #expect(try Gongji.run(["run", "--quiet", "--reveal-ids", "--no-workbook", "--out", reports.path, "--store", store]).status == 0)
        let result = try Gongji.run(["statement", "--person", "440305198707011392", "--store", store, "--out", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "已写出 440305********1392 的对账单，共 15 个月（2022-03 至 2026-02），.md 与 .csv 各一份，"
                + "位于 \(folder.path)\n")
        let csv = try Gongji.text(folder.appendingPathComponent("statement-440305********1392-2022-03-2026-02.csv"))
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // Every line that moves the account leaves the balance it says; each month ends at its closing.
        var balance: Int64 = 0
        var lastClosing: Int64?
        for row in rows {
            let amount = Int64((Double(row[6])! * 100).rounded())
            switch row[1] {
            case "opening":
                balance = amount
                if let lastClosing { #expect(amount == lastClosing, "\(row)") }
            case "own_spending", "paid_for_relative", "transferred_out", "pot_deposits": balance -= amount
            case "credits", "pot_returned": balance += amount
            case "closing":
                #expect(amount == balance, "\(row)")
                lastClosing = amount
                // The balances file of the month has the same closing balance.
                let file = try Gongji.text(reports.appendingPathComponent("balances-\(row[0]).csv"))
                let line = try #require(file.split(separator: "\n").first { $0.hasPrefix("440305198707011392,") })
                #expect(line.split(separator: ",")[6] == row[6], "\(row[0])")
            default: break
            }
            if !row[7].isEmpty { #expect(Int64((Double(row[7])! * 100).rounded()) == balance, "\(row)") }
        }
        #expect(rows.filter { $0[1] == "closing" }.count == 15)
        #expect(csv.contains("2022-10,paid_for_relative,C202210-0080,2022-10-22 17:42:00,440305********983X,spouse,135.69,8852.11\n"))
        #expect(csv.contains("2026-01,paid_for_relative,W202601-0007,2026-01-28 11:00:00,440305********983X,spouse,1145.85,8237.70\n"))
        let page = try Gongji.text(folder.appendingPathComponent("statement-440305********1392-2022-03-2026-02.md"))
        #expect(page.contains("| 为亲属支付 | W202601-0007 | 2026-01-28 11:00:00 | 440305********983X | 配偶 | 1,145.85 | 8,237.70 |\n"))
        #expect(!page.contains("44030519900427983X"))
        // Nothing else in the folder was touched: the run's reports are all there.
        #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent("manifest.json").path))
    }

    @Test func aPersonNotInTheStoreIsAnErrorNamingTheMaskedID() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("s.sqlite").path
        #expect(try Gongji.run(["run", "--lang", "en", "--quiet", "--no-workbook", "--out", folder.appendingPathComponent("r").path, "--store", store]).status == 0)
        let result = try Gongji.run(["statement", "--lang", "en", "--person", "11010519491231002X", "--store", store, "--out", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("110105********002X: not in the store"))
        #expect(!result.stderr.contains("11010519491231002X"))
    }
}
