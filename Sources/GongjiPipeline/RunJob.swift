import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports
import GongjiStore

/// `gongji run`: load everything in the data folder, settle every month,
/// write every report to the out folder and the results to the store.
public enum RunJob {
    public static let version = "0.3.0"
    public static let defaultStore = ".gongji/gongji.sqlite"

    public struct Options: Sendable {
        public var data: String
        public var out: String
        public var store: String
        public var command: String
        public var revealIDs = false
        public var strict = false
        public var encoding = TextEncoding.auto

        public init(data: String, out: String, store: String = RunJob.defaultStore, command: String) {
            self.data = data
            self.out = out
            self.store = store
            self.command = command
        }
    }

    /// Returns the names of the reports written.
    @discardableResult
    public static func run(_ options: Options, console: Console, now: Date = Date()) throws(RunError) -> [String] {
        let folder: DataFolder
        do { folder = try DataFolder(path: options.data) } catch { throw RunError(error) }
        let loaded = try ThresholdsJob.load(folder, console: console)
        let store = try openStore(options.store)
        let result = try inTransaction(store, options.store, console) { transaction in
            try run(options, folder, loaded, transaction, console, now)
        }
        console.info("wrote \(result.written.count) reports to \(options.out); results stored in \(options.store)")
        try reportRejects(result.rejected, out: options.out, strict: options.strict, console: console)
        return result.written
    }

    private static func run(_ options: Options, _ folder: DataFolder, _ loaded: LoadedThresholds,
                            _ store: BackgroundTransaction, _ console: Console, _ now: Date) throws -> (written: [String], rejected: Int) {
        let runID = try store.sync { try $0.beginRun(startedAt: Manifest.timestamp(now), command: options.command,
                                                     dataFolder: options.data, version: version) }
        let computation = try loadStoring(folder, loaded, options.encoding, store, console)
        var reports = ReportFolder(path: options.out, reveal: options.revealIDs)
        try reports.writeThresholds(loaded)
        let imports = computation.inputs.map { ImportCount(file: $0.file, read: $0.read, accepted: $0.accepted, rejected: $0.rejected) }
        let rejects = computation.rejects
        try console.time("settle, reports and store, all months") {
            try computation.settle(console: console) { result in
                try console.time("reports \(result.month)") {
                    try reports.writeMonth(result, policy: loaded.policy, imports: imports, rejected: rejects.count)
                }
                // A run reports these figures: they become the baseline a later recompute compares with.
                try store.enqueue(weight: result.balances.count + result.usage.settlements.count) {
                    try $0.replaceMonth(result.month, run: runID, balances: result.balances,
                                        settlements: result.usage.settlements, keepBaseline: false)
                }
            }
        }
        try reports.finish(rejects: rejects) { outputs in
            Manifest(version: version, command: options.command, runAt: now, dataFolder: options.data,
                     inputs: loaded.inputs + computation.inputs, outputs: outputs)
        }
        let records = records(loaded.inputs + computation.inputs)
        let months = computation.months
        try store.enqueue { try $0.finishRun(runID, finishedAt: Manifest.timestamp(Date()), months: months, inputs: records) }
        return (reports.written, rejects.count)
    }

    /// Reads the data folder, and hands the store each input file (kept
    /// whole, once per content), the bindings and events, and the thresholds.
    static func loadStoring(_ folder: DataFolder, _ loaded: LoadedThresholds, _ encoding: TextEncoding,
                            _ store: BackgroundTransaction, _ console: Console, keepBaseline: Bool = false) throws -> Computation {
        let computation = try Computation.load(folder, loaded, encoding: encoding, console: console)
        let files = (loaded.inputs + computation.inputs).map { (folder.root.appendingPathComponent($0.file).path, $0.sha256) }
        let sharing = computation.sharing
        let periods = loaded.periods
        try store.enqueue { writer in
            for (path, sha256) in files { try writer.storeInput(path: path, sha256: sha256) }
            try writer.replaceBindings(sharing.bindings, events: sharing.events)
            try writer.replaceThresholds(periods, keepBaseline: keepBaseline)
        }
        return computation
    }

    static func records(_ inputs: [Manifest.Input]) -> [InputFileRecord] {
        inputs.map {
            (file: $0.file, sha256: $0.sha256, bytes: $0.bytes, read: $0.read, accepted: $0.accepted, rejected: $0.rejected)
        }
    }

    static func openStore(_ path: String, readOnly: Bool = false) throws(RunError) -> Store {
        do { return try Store(path: path, readOnly: readOnly) } catch { throw RunError(error.description) }
    }

    /// One transaction for the whole job, run beside it on a second thread:
    /// a failure on either side leaves the store as it was.
    static func inTransaction<T>(_ store: Store, _ path: String, _ console: Console,
                                 _ body: (BackgroundTransaction) throws -> T) throws(RunError) -> T {
        let transaction = BackgroundTransaction(store: store)
        do {
            let result = try body(transaction)
            try console.time("store commit") { try transaction.commit() }
            return result
        } catch let error as RunError {
            transaction.rollback()
            throw error
        } catch {
            transaction.rollback()
            throw RunError("\(path): the store could not be written, nothing in it changed: \(Store.describe(error))")
        }
    }

    static func reportRejects(_ count: Int, out: String, strict: Bool, console: Console) throws(RunError) {
        guard count > 0 else { return }
        console.warning("\(count) rows rejected: see \(out)/rejects.csv")
        if strict { throw RunError("\(count) rows rejected and --strict was given") }
    }
}
