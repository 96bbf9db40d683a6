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
            let sameStore = URL(fileURLWithPath: sincePath).standardizedFileURL == URL(fileURLWithPath: options.store).standardizedFileURL
            let since: Store? = sameStore ? nil : try RunJob.openStore(sincePath, readOnly: true, console: console)
            let store = try RunJob.openStore(options.store, console: console)
            return try RunJob.inTransaction(store, options.store, console) { transaction -> (written: [String], rejected: Int, changes: ChangeSet) in
                // Earlier results: the baseline of the same store, or of another one (read only).
                let baselineMonths = try since.map { try $0.read { try $0.settledMonths() } } ?? transaction.sync { try $0.settledMonths() }
                guard !baselineMonths.isEmpty else {
                    throw RunError("\(sincePath): the store holds no results to compare with: run `gongji run` first")
                }
                let before: (YearMonth) throws -> StoredMonth = { month in
                    try since.map { try $0.read { try $0.month(month, .baseline) } } ?? transaction.sync { try $0.month(month, .baseline) }
                }
                let thresholdsBefore = try since.map { try $0.read { try $0.thresholds(.baseline) } }
                    ?? transaction.sync { try $0.thresholds(.baseline) }
                let runID = try transaction.sync {
                    try $0.beginRun(startedAt: Manifest.timestamp(now), command: options.command, dataFolder: options.data,
                                    version: RunJob.version)
                }
                let (computation, stored) = try RunJob.loadStoring(folder, loaded, options.encoding, transaction, console,
                                                                   keepBaseline: true)
                let words = Words(options.language)
                var changes = ChangeSet(title: words.pick("重新计算后的变化", "Changes after recompute"),
                                        comparedWith: words.pick("`gongji run` 上次报告的结果", "the results last reported by `gongji run`"))
                changes.compare(thresholds: thresholdsBefore, after: loaded.periods.map(\.figure))
                try reports.writeThresholds(loaded)
                let imports = computation.imports
                let rejects = computation.rejects
                try computation.settle { result in
                    changes.compare(result.month, after: result, before: try before(result.month))
                    try reports.writeMonth(result, policy: loaded.policy, imports: imports, rejected: rejects.count)
                    try transaction.enqueue(weight: result.balances.count + result.usage.settlements.count) {
                        try $0.replaceMonth(result.month, run: runID, balances: result.balances,
                                            settlements: result.usage.settlements, clearing: result.usage.clearing,
                                        earmarks: result.usage.earmarks,
                                            keepBaseline: true)
                    }
                }
                // Months the earlier results had and the data no longer has.
                for text in baselineMonths {
                    guard let month = YearMonth(text: text), !computation.months.contains(month) else { continue }
                    changes.compare(month, after: nil, before: try before(month))
                }
                changes.months.sort()
                try Comparison.write(changes, policy: loaded.policy, periods: loaded.periods, to: &reports)
                try reports.finish(rejects: rejects) { outputs in
                    Manifest(version: RunJob.version, command: options.command, runAt: now, dataFolder: options.data,
                             inputs: loaded.inputs + computation.manifestInputs, outputs: outputs)
                }
                try RunJob.finishRun(runID, folder, inputs: loaded.inputs + computation.manifestInputs, months: computation.months,
                                     stored: stored, transaction)
                try RunJob.publishing(runID, &reports, store, options.store, transaction)
                return (reports.written, rejects.count, changes)
            }
        }
        let changes = result.changes
        if changes.isEmpty {
            console.info("no changes against the earlier results")
        } else {
            console.info("\(changes.thresholds.count) thresholds, \(changes.claims.count) claims and "
                         + "\(changes.balances.count) account-months changed: see \(options.out)/changes.md")
        }
        console.info("wrote \(result.written.count) reports to \(options.out); results stored in \(options.store)")
        try RunJob.reportRejects(result.rejected, out: options.out, strict: options.strict, console: console)
        return result.written
    }
}

/// `gongji what-if`: the same months under a changed policy (an override
/// file), compared with the store's current results. Writes the change
/// report and the what-if thresholds; never writes to the store.
public enum WhatIfJob {
    @discardableResult
    /// `override`: the policy override file (docs/policy.md, "What-if overrides").
    public static func run(_ options: JobOptions, override: String, console: Console, now: Date = Date()) throws(RunError) -> [String] {
        let folder: DataFolder
        do { folder = try DataFolder(path: options.data) } catch { throw RunError(error) }
        return try ReportFolder.publishing(options.out, reveal: options.revealIDs, bom: options.csvBOM,
                                                 workbooks: options.workbooks, language: options.language,
                                                 console: console) { reports throws(RunError) in
            let loaded = try ThresholdsJob.load(folder, override: override, console: console)
            let store = try RunJob.openStore(RecomputeJob.storePath(options.store), readOnly: true, console: console)
            let computation = try Computation.load(folder, loaded, encoding: options.encoding, console: console)
            let changes: ChangeSet
            do {
                changes = try store.read { reader in
                    guard !(try reader.settledMonths().isEmpty) else {
                        throw RunError("\(options.store): the store holds no results to compare with: run `gongji run` first")
                    }
                    let words = Words(options.language)
                    var changes = ChangeSet(title: words.pick("假设：", "What if: ") + (loaded.whatIf ?? override),
                                            comparedWith: words.pick("库中当前的结果", "the current results in the store"))
                    changes.compare(thresholds: try reader.thresholds(.current), after: loaded.periods.map(\.figure))
                    try computation.settle { result in
                        changes.compare(result.month, after: result, before: try reader.month(result.month, .current))
                    }
                    return changes
                }
            } catch let error as RunError {
                throw error
            } catch {
                throw RunError("\(options.store): cannot read the store: \(Store.describe(error, store: options.store))")
            }
            try reports.writeThresholds(loaded)
            try Comparison.write(changes, policy: loaded.policy, periods: loaded.periods, to: &reports)
            try reports.finish(rejects: computation.rejects) { outputs in
                Manifest(version: RunJob.version, command: options.command, runAt: now, dataFolder: options.data,
                         inputs: loaded.inputs + computation.manifestInputs, outputs: outputs)
            }
            console.info(changes.isEmpty ? "the what-if changes nothing"
                         : "\(changes.thresholds.count) thresholds, \(changes.claims.count) claims and "
                            + "\(changes.balances.count) account-months would change: see \(options.out)/changes.md")
            console.info("wrote \(reports.written.count) reports to \(options.out); the store was not changed")
            return reports.written
        }
    }
}
