import Foundation
import GongjiDomain
@testable import GongjiPipeline
import GongjiStore
import Testing

/// The sinks a job hands each month to (docs/architecture.md, "Sinks").
@Suite struct SinkTests {
    /// A change sink compares each month with the baseline, then the
    /// baseline's months the data no longer has, and sorts the months.
    @Test func aChangeSinkAddsTheBaselinesMissingMonths() throws {
        let month = { (text: String) in YearMonth(text: text)! }
        var asked: [String] = []
        // Each baseline month had an account that the data no longer has: both months changed.
        let account = AccountMonth(person: try #require(ResidentID(digits: 44030519870701139)), region: RegionCode("440300")!,
                                   opening: Money(fen: 100), credits: .zero, ownSpending: .zero, sharedOut: .zero)
        let sink = ChangeSink(ChangeSet(title: "t", comparedWith: "c"), baselineMonths: [month("2022-01"), month("2022-03")]) {
            asked.append($0.text)
            return StoredMonth(balances: [account])
        }
        let result = MonthResult(month: month("2022-03"), groups: [], findings: [], balances: [],
                                 usage: UsageMonth(month: month("2022-03"), settlements: [], authorizers: [], clearing: []))
        try sink.take(result)
        try sink.finish()
        #expect(asked == ["2022-03", "2022-01"])
        #expect(sink.changes.months.map(\.text) == ["2022-01", "2022-03"])
        #expect(sink.changes.balances.count == 2)
    }

    /// The report folder's month files: one table, in the order written.
    @Test func theMonthsCSVBlocksAreOneTable() {
        let names = ReportFolder.monthBlocks.map { "\($0.prefix)-2022-06\($0.suffix).csv" }
        #expect(names == ["balances-2022-06.csv", "base-findings-2022-06.csv", "usage-2022-06-claims.csv",
                          "usage-2022-06-shares.csv", "usage-2022-06-authorizers.csv", "clearing-2022-06.csv",
                          "wallets-2022-06.csv", "transfers-2022-06.csv", "quotas-2022-06.csv", "pots-2022-06.csv"])
    }

    /// The report lane runs its work in order, one piece at a time, while
    /// the caller goes on; `submit` waits for the piece before.
    @Test func theReportLaneRunsWorkInOrderOneAtATime() throws {
        let lane = ReportLane()
        let log = Log()
        for n in 0..<4 {
            try lane.submit {
                log.add("start \(n)")
                Thread.sleep(forTimeInterval: 0.01)
                log.add("end \(n)")
            }
        }
        try lane.finish()
        #expect(log.lines == (0..<4).flatMap { ["start \($0)", "end \($0)"] })
    }

    /// A failure on the lane is thrown by the next submit (and by finish),
    /// and no work after it runs.
    @Test func aFailureOnTheLaneStopsIt() throws {
        let lane = ReportLane()
        let log = Log()
        try lane.submit { throw RunError("balances-2022-01.csv: the disk is full") }
        #expect { try lane.submit { log.add("ran") } } throws: { "\($0)" == "balances-2022-01.csv: the disk is full" }
        #expect { try lane.finish() } throws: { "\($0)" == "balances-2022-01.csv: the disk is full" }
        #expect(log.lines.isEmpty)
    }

    /// The next month settles while the running month's reports are
    /// written; it waits for the lane only to be handed over.
    @Test func theNextMonthSettlesWhileTheReportsAreWritten() throws {
        let lane = ReportLane()
        let log = Log()
        let reports = DispatchSemaphore(value: 0)
        try lane.submit {
            reports.wait()
            log.add("reports of 2022-01 written")
        }
        try lane.check()
        log.add("2022-02 settled")
        reports.signal()
        try lane.submit { log.add("reports of 2022-02 written") }
        log.add("2022-02 handed over")
        try lane.finish()
        #expect(log.lines == ["2022-02 settled", "reports of 2022-01 written", "2022-02 handed over", "reports of 2022-02 written"]
                || log.lines == ["2022-02 settled", "reports of 2022-01 written", "reports of 2022-02 written", "2022-02 handed over"])
    }

    /// `check` throws what failed on the lane, and goes on throwing it.
    @Test func checkThrowsAnEarlierFailure() throws {
        let lane = ReportLane()
        try lane.check()
        try lane.submit { throw RunError("usage-2022-01.xlsx: the disk is full") }
        #expect { try lane.submit {} } throws: { "\($0)" == "usage-2022-01.xlsx: the disk is full" }
        #expect { try lane.check() } throws: { "\($0)" == "usage-2022-01.xlsx: the disk is full" }
        lane.stop()
    }

    /// The next month settles once the store has begun the last month it
    /// was given: what waits behind a running piece of work holds the caller.
    @Test func theStoreHasRoomOnceNothingWaits() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gongji-room-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let transaction = BackgroundTransaction(store: try Store(path: folder.appendingPathComponent("gongji.sqlite").path))
        let log = Log()
        let running = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        try transaction.enqueue { _ in
            running.signal()
            release.wait()
            log.add("2022-01 stored")
        }
        running.wait()
        try transaction.waitForRoom()  // 2022-01 runs, nothing waits
        log.add("2022-02 settles")
        try transaction.enqueue { _ in log.add("2022-02 stored") }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) {
            log.add("2022-01 let go")
            release.signal()
        }
        try transaction.waitForRoom()  // 2022-02 waits behind 2022-01
        log.add("2022-03 settles")
        try transaction.commit()
        #expect(log.lines == ["2022-02 settles", "2022-01 let go", "2022-01 stored", "2022-03 settles", "2022-02 stored"]
                || log.lines == ["2022-02 settles", "2022-01 let go", "2022-01 stored", "2022-02 stored", "2022-03 settles"])
    }

    final class Log: @unchecked Sendable {  // under the lock
        private let lock = NSLock()
        private var kept: [String] = []
        func add(_ line: String) {
            lock.lock()
            kept.append(line)
            lock.unlock()
        }
        var lines: [String] {
            lock.lock()
            defer { lock.unlock() }
            return kept
        }
    }
}
