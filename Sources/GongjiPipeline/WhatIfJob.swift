import Foundation
import GongjiDomain
import GongjiReports
import GongjiStore

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
            let selection = try JobOptions.selection(options.provinces, loaded.policy)
            reports.cover(selection, policy: loaded.policy)
            let store = try RunJob.openStore(RecomputeJob.storePath(options.store), readOnly: true, console: console)
            var computation = try Computation.load(folder, loaded, encoding: options.encoding, console: console,
                                                   selection: selection)
            let changes: ChangeSet
            do {
                changes = try store.reading { reader in
                    guard !(try reader.settledMonths().isEmpty) else {
                        throw RunError("\(store.location): the store holds no results to compare with: run `gongji run` first")
                    }
                    let words = Words(options.language)
                    var changes = ChangeReports.whatIf(loaded.whatIf.map { words.title(zh: $0.zh, en: $0.en) } ?? override, words)
                    // With `--province`, its provinces' results only.
                    changes.compare(thresholds: try reader.thresholds(.current).filter { selection?.contains($0.region) ?? true },
                                    after: computation.loaded.periods.map(\.figure))
                    let compared = ChangeSink(changes) { month in try reader.month(month, .current).only(selection) }
                    try computation.settle(into: [compared])
                    return compared.changes
                }
            } catch let error as RunError {
                throw error
            } catch {
                throw RunError("\(store.location): cannot read the store: \(store.describe(error))")
            }
            try reports.writeThresholds(computation.loaded)
            try Comparison.write(changes, policy: loaded.policy, periods: computation.loaded.periods, to: reports)
            try reports.finish(computation, options: options, now: now)
            console.info(changes.isEmpty ? "the what-if changes nothing"
                         : "\(changes.thresholds.count) thresholds, \(changes.claims.count) claims and "
                            + "\(changes.balances.count) account-months would change: see \(options.out)/changes.md")
            console.info("wrote \(reports.written.count) reports to \(options.out); the store was not changed")
            return reports.written
        }
    }
}
