import Foundation
import GongjiDomain
import GongjiReports
import GongjiStore

/// What consumes a settled month (docs/architecture.md, "Sinks"): each
/// takes the months in order, then finishes. A job is the list of its
/// sinks: `run` gives each month to the store and the report folder,
/// `recompute` to a change set, the report folder and the store, `what-if`
/// to a change set only.
protocol MonthSink: AnyObject {
    func take(_ month: MonthResult) throws
    /// After the last month.
    func finish() throws
    /// The job failed: whatever the sink still does in the background ends
    /// (before the job's staging folder is removed).
    func stop()
    /// Before the next month is settled: waits until the sink has room for
    /// it, where it bounds what it holds (the store: `StoreSink.ready`), and
    /// throws what failed in the background meanwhile, so that a failed job
    /// stops settling.
    func ready() throws
}

extension MonthSink {
    func finish() throws {}
    func stop() {}
    func ready() throws {}
}

/// The month's reports (ReportFolder.writeMonth), into the job's staging
/// folder, on a thread of their own (`ReportLane`): month M's reports are
/// written while month M+1 settles, on the other core. The reports of a
/// city's month took longer than its settlement (issue 21).
///
/// So two months' results are held at once: the one being written and the
/// one just settled, which waits for the lane (`submit`); the store sink
/// keeps to the same two (`StoreSink.ready`). A month's accounts
/// are compact (`AccountMonths`: about 30 MB for a city's million, where an array
/// of rows was 80 MB), which made room for that. Until then month M+1
/// waited for M's CSV files (docs/architecture.md, "Speed").
final class ReportSink: MonthSink {
    let folder: ReportFolder
    let policy: Policy
    let imports: [InputRecord]
    let rejected: Int
    let console: Console
    private let lane = ReportLane()

    init(_ folder: ReportFolder, _ computation: Computation, console: Console = .silent) {
        self.folder = folder
        policy = computation.loaded.policy
        imports = computation.inputs.files
        rejected = computation.rejects.count
        self.console = console
    }

    func take(_ month: MonthResult) throws {
        let (folder, policy, imports, rejected, console, lane) = (self.folder, self.policy, self.imports, self.rejected,
                                                                  self.console, self.lane)
        // Handed over in a box the lane empties, so that `writeMonth` holds the month's results alone and its
        // accounts go when it lets them go.
        let box = Handover(month)
        let label = "reports \(month.month)"
        try lane.submit {
            try console.time(label) { () throws(RunError) in
                guard let taken = box.take() else { return }
                try folder.writeMonth(consume taken, policy: policy, imports: imports, rejected: rejected,
                                      progress: console.progress, console: console)
            }
        }
    }

    func ready() throws { try lane.check() }

    func finish() throws { try lane.finish() }

    func stop() { lane.stop() }

    /// A month's results, taken once.
    private final class Handover: @unchecked Sendable {  // taken on the lane, after the handing thread let go
        private var month: MonthResult?
        init(_ month: MonthResult) { self.month = month }
        func take() -> MonthResult? {
            defer { month = nil }
            return month
        }
    }
}

/// One thread that runs the work given to it in order, one piece at a
/// time. `submit` waits until the lane is idle, so at most one piece runs
/// while the caller prepares the next: two months' results in memory, not
/// more. The first failure is thrown by the next `submit` or by `finish`;
/// work after it is not run.
final class ReportLane: @unchecked Sendable {  // every access to the state under `condition`
    typealias Work = () throws -> Void
    private let condition = NSCondition()
    private var work: Work?
    private var running = false
    private var closed = false
    private var ended = false
    private var failure: (any Error)?

    private var started = false

    /// The thread, started with the first work.
    private func start() {
        started = true
        let thread = Thread { [self] in
            while let next = take() {
                var failed: (any Error)?
                do { try next() } catch { failed = error }
                condition.lock()
                running = false
                if let failed, failure == nil { failure = failed }
                condition.broadcast()
                condition.unlock()
            }
            condition.lock()
            ended = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func take() -> Work? {
        condition.lock()
        defer { condition.unlock() }
        while work == nil && !closed { condition.wait() }
        guard let next = work, failure == nil else { return nil }
        work = nil
        running = true
        return next
    }

    /// Throws an earlier failure, without waiting.
    func check() throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
    }

    /// Waits until the lane is idle and hands it `work`; throws an earlier failure.
    func submit(_ work: @escaping Work) throws {
        condition.lock()
        defer { condition.unlock() }
        while (self.work != nil || running) && failure == nil { condition.wait() }
        if let failure { throw failure }
        if !started { start() }
        self.work = work
        condition.broadcast()
    }

    /// Waits for the work given and ends the thread; throws the first failure.
    func finish() throws {
        stop()
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
    }

    /// Ends the thread once the work given is done (or has failed).
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while started && !ended { condition.wait() }
    }
}

/// The month's results into the store, on the store's own thread (the
/// transaction commits once the job is done). A run's results become the
/// baseline a later recompute compares with; a recompute keeps the
/// baseline it compared with (`keepBaseline`).
final class StoreSink: MonthSink {
    let store: BackgroundTransaction
    let run: Int64
    let keepBaseline: Bool

    /// The transaction's provinces (`--province`) decide which rows the month replaces.
    init(_ store: BackgroundTransaction, run: Int64, keepBaseline: Bool) {
        self.store = store
        self.run = run
        self.keepBaseline = keepBaseline
    }

    func take(_ month: MonthResult) throws {
        let (run, keepBaseline) = (self.run, self.keepBaseline)
        // Only what the store writes: the month's authorizers and base findings (12 and 3 MB of a city's) go
        // with its reports, whether or not the store is still writing it.
        let (key, balances, settlements) = (month.month, month.balances, month.usage.settlements)
        let (clearing, earmarks) = (month.usage.clearing, month.usage.earmarks)
        try store.enqueue(weight: balances.count + settlements.count) {
            try $0.replaceMonth(key, run: run, balances: balances, settlements: settlements, clearing: clearing,
                                earmarks: earmarks, keepBaseline: keepBaseline)
        }
    }

    /// The next month settles once the store has begun the last one given:
    /// the store holds at most the month it writes, and the one just
    /// settled waits. Otherwise a store slower than the settlement held a
    /// third month (80 MB of a city's) while the next one settled.
    func ready() throws { try store.waitForRoom() }
}

extension StoredMonth {
    /// Only `selection`'s provinces' results (`--province`; nil: all): a
    /// claim by its region, an account by its region, the clearing by its
    /// payer's (as the stores file them).
    func only(_ selection: ProvinceSelection?) -> StoredMonth {
        guard let selection else { return self }
        return StoredMonth(claims: claims.filter { selection.contains($0.value.claim.region) },
                           balances: balances.filter { selection.contains($0.region) },
                           clearing: clearing.filter { selection.contains($0.payer) })
    }
}

/// Each month against a baseline the store kept (`before`), into a change
/// set; at the end, the baseline's months the data no longer has
/// (`baselineMonths`: recompute lists them, what-if does not).
final class ChangeSink: MonthSink {
    private(set) var changes: ChangeSet
    private let before: (YearMonth) throws -> StoredMonth
    private let baselineMonths: [YearMonth]
    private var seen: Set<YearMonth> = []

    init(_ changes: ChangeSet, baselineMonths: [YearMonth] = [], before: @escaping (YearMonth) throws -> StoredMonth) {
        self.changes = changes
        self.before = before
        self.baselineMonths = baselineMonths
    }

    func take(_ month: MonthResult) throws {
        seen.insert(month.month)
        changes.compare(month.month, after: month, before: try before(month.month))
    }

    func finish() throws {
        for month in baselineMonths where !seen.contains(month) {
            changes.compare(month, after: nil, before: try before(month))
        }
        changes.months.sort()
    }
}
