import Foundation
import GongjiDomain
@testable import GongjiPipeline
import GongjiTestSupport
import Testing

/// Two lanes reading files at once make one progress line: rows and bytes of
/// the files done and of each lane's current file, added up.
@Suite struct SharedProgressTests {
    final class Recorder: ProgressDisplay, @unchecked Sendable {
        var begun: [(String, Int64)] = []
        var updates: [(rows: Int, bytes: Int64)] = []
        var ended = 0
        func begin(_ label: String, totalBytes: Int64) { begun.append((label, totalBytes)) }
        func update(rows: Int, bytes: Int64) { updates.append((rows, bytes)) }
        func end() { ended += 1 }
    }

    @Test func addsUpTheLanes() {
        let recorder = Recorder()
        let shared = SharedProgress(recorder, label: "reading 3 files on both cores", totalBytes: 1000)
        let first = shared.lane(), second = shared.lane()
        first.begin("a.csv", totalBytes: 400)
        second.begin("b.csv", totalBytes: 500)
        first.update(rows: 10, bytes: 100)
        second.update(rows: 20, bytes: 200)
        first.update(rows: 40, bytes: 400)
        first.end()                          // a.csv done: 40 rows, 400 bytes
        first.begin("c.csv", totalBytes: 100)
        first.update(rows: 5, bytes: 50)
        second.end()
        shared.finish()
        #expect(recorder.begun.map(\.0) == ["reading 3 files on both cores"])
        #expect(recorder.begun.map(\.1) == [1000])
        #expect(recorder.updates.map(\.rows) == [10, 30, 60, 60, 65, 65])
        #expect(recorder.updates.map(\.bytes) == [100, 300, 600, 600, 650, 650])
        #expect(recorder.ended == 1)
    }

    /// A month's reports show one progress line (on a terminal): the rows
    /// written so far of all the month's files, up to their number.
    @Test func aMonthsReportsShowOneLine() throws {
        let folder = try TemporaryFolder("reports")
        defer { folder.remove() }
        let reports = try ReportFolder(path: folder.path("out"), reveal: false, workbooks: false)
        defer { reports.discard() }
        let month = YearMonth(year: 2022, month: 1)!
        let balances = (0..<70_000).map { n in
            let born = Day(ordinal: Day(year: 1950, month: 1, day: 1)!.ordinal + n / 1000)
            let body = "440305" + born.text.replacingOccurrences(of: "-", with: "") + String(1000 + n % 1000).suffix(3)
            return AccountMonth(person: ResidentID(digits: UInt64(body)!)!, region: RegionCode("440300")!,
                         opening: Money(fen: Int64(n)), credits: Money(fen: 12_345), ownSpending: .zero, sharedOut: .zero)
        }
        let result = MonthResult(month: month, groups: [], findings: [], balances: AccountMonths(balances),
                                 usage: UsageMonth(month: month, settlements: [], authorizers: [], clearing: []))
        let recorder = Recorder()
        try reports.writeMonth(result, policy: Policy(regions: []), imports: [], rejected: 0, progress: recorder)
        #expect(recorder.begun.map(\.0) == ["writing the reports of 2022-01"])
        #expect(recorder.begun.map(\.1) == [70_000])
        // The balances file goes out a MiB at a time (about 13,000 rows): the line moves on with each.
        #expect(recorder.updates.count > 4)
        #expect(recorder.updates.map(\.rows) == recorder.updates.map(\.rows).sorted())
        #expect(recorder.updates.last?.rows == 70_000)
        #expect(recorder.ended == 1)
    }
}
