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
}

extension MonthSink {
    func finish() throws {}
}

/// The month's reports (ReportFolder.writeMonth), into the job's staging folder.
final class ReportSink: MonthSink {
    let folder: ReportFolder
    let policy: Policy
    let imports: [ImportCount]
    let rejected: Int
    let console: Console

    init(_ folder: ReportFolder, _ computation: Computation, console: Console = .silent) {
        self.folder = folder
        policy = computation.loaded.policy
        imports = computation.imports
        rejected = computation.rejects.count
        self.console = console
    }

    func take(_ month: MonthResult) throws {
        try console.time("reports \(month.month)") {
            try folder.writeMonth(month, policy: policy, imports: imports, rejected: rejected)
        }
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
        try store.enqueue(weight: month.balances.count + month.usage.settlements.count) {
            try $0.replaceMonth(month.month, run: run, balances: month.balances, settlements: month.usage.settlements,
                                clearing: month.usage.clearing, earmarks: month.usage.earmarks, keepBaseline: keepBaseline)
        }
    }
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
