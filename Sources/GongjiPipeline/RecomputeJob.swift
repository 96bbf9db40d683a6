import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports
import GongjiStore

/// `gongji recompute`: after a revised (or late) bulletin, recompute the
/// thresholds, re-settle every month, and write a change report against the
/// results the last `gongji run` reported. The store keeps those reported
/// results as the baseline, so a second recompute compares with the same
/// figures and writes the same report.
public enum RecomputeJob {
    /// A store file, or a folder holding `gongji.sqlite`.
    static func storePath(_ since: String) throws(RunError) -> String {
        if PostgresStore.isURI(since) { return since }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: since, isDirectory: &isFolder) else {
            throw RunError("\(since): no such store or folder (give the store of the earlier run, e.g. .gongji/gongji.sqlite)")
        }
        guard isFolder.boolValue else { return since }
        let inside = URL(fileURLWithPath: since).appendingPathComponent("gongji.sqlite").path
        guard FileManager.default.fileExists(atPath: inside) else {
            throw RunError("\(since): a folder without gongji.sqlite (give the store of the earlier run)")
        }
        return inside
    }

    @discardableResult
    /// `since`: where the earlier results are: a store file, or a folder holding `gongji.sqlite`.
    public static func run(_ options: JobOptions, since: String, console: Console, now: Date = Date()) throws(RunError) -> [String] {
        let folder: DataFolder
        do { folder = try DataFolder(path: options.data) } catch { throw RunError(error) }
        let sincePath = try storePath(since)
        let result = try ReportFolder.publishing(options.out, reveal: options.revealIDs, bom: options.csvBOM,
                                                 workbooks: options.workbooks, language: options.language,
                                                 console: console) { reports throws(RunError) in
            let loaded = try ThresholdsJob.load(folder, console: console)
            let selection = try JobOptions.selection(options.provinces, loaded.policy)
            reports.cover(selection, policy: loaded.policy)
            let sameStore = PostgresStore.isURI(sincePath) || PostgresStore.isURI(options.store)
                ? storeDisplay(sincePath) == storeDisplay(options.store)
                : URL(fileURLWithPath: sincePath).standardizedFileURL == URL(fileURLWithPath: options.store).standardizedFileURL
            let since: (any ResultStore)? = sameStore ? nil : try RunJob.openStore(sincePath, readOnly: true, console: console)
            let store = try RunJob.openStore(options.store, console: console)
            return try RunJob.inTransaction(store, options.store, console, selection: selection) {
                transaction -> (written: [String], rejected: Int, changes: ChangeSet) in
                // Earlier results: the baseline of the same store, or of another one (read only).
                let baselineMonths = try since.map { try $0.reading { try $0.settledMonths() } } ?? transaction.sync { try $0.settledMonths() }
                guard !baselineMonths.isEmpty else {
                    throw RunError("\(storeDisplay(sincePath)): the store holds no results to compare with: run `gongji run` first")
                }
                // With `--province`, its provinces' results only.
                let before: (YearMonth) throws -> StoredMonth = { month in
                    try (since.map { try $0.reading { try $0.month(month, .baseline) } } ?? transaction.sync { try $0.month(month, .baseline) })
                        .only(selection)
                }
                let thresholdsBefore = try (since.map { try $0.reading { try $0.thresholds(.baseline) } }
                    ?? transaction.sync { try $0.thresholds(.baseline) }).filter { selection?.contains($0.region) ?? true }
                let runID = try transaction.sync {
                    try $0.beginRun(startedAt: Manifest.timestamp(now), command: options.command, dataFolder: options.data,
                                    version: RunJob.version)
                }
                var (computation, stored) = try RunJob.loadStoring(folder, loaded, options.encoding, transaction, console,
                                                                   keepBaseline: true, selection: selection,
                                                                   keepInputs: options.keepInputs)
                var changes = ChangeReports.recompute(Words(options.language))
                changes.compare(thresholds: thresholdsBefore, after: computation.loaded.periods.map(\.figure))
                try reports.writeThresholds(computation.loaded)
                let compared = ChangeSink(changes, baselineMonths: baselineMonths, before: before)
                try computation.settle(into: [compared, ReportSink(reports, computation, console: console),
                                              StoreSink(transaction, run: runID, keepBaseline: true)])
                try Comparison.write(compared.changes, policy: loaded.policy, periods: computation.loaded.periods, to: reports)
                try reports.finish(computation, options: options, now: now)
                try RunJob.finishRun(runID, folder, inputs: computation.allInputs, months: computation.months,
                                     stored: stored, transaction)
                try RunJob.publishing(runID, reports, store, options.store, transaction)
                return (reports.written, computation.rejects.count, compared.changes)
            }
        }
        let changes = result.changes
        if changes.isEmpty {
            console.info("no changes against the earlier results")
        } else {
            console.info("\(changes.thresholds.count) thresholds, \(changes.claims.count) claims and "
                         + "\(changes.balances.count) account-months changed: see \(options.out)/changes.md")
        }
        console.info("wrote \(result.written.count) reports to \(options.out); results stored in \(storeDisplay(options.store))")
        try RunJob.reportRejects(result.rejected, out: options.out, strict: options.strict, console: console)
        return result.written
    }
}
