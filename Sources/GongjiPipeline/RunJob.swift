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
        let result = try inTransaction(store, options.store) { writer in
            try run(options, folder, loaded, writer, console, now)
        }
        console.info("wrote \(result.written.count) reports to \(options.out); results stored in \(options.store)")
        try reportRejects(result.rejected, out: options.out, strict: options.strict, console: console)
        return result.written
    }

    private static func run(_ options: Options, _ folder: DataFolder, _ loaded: LoadedThresholds, _ writer: StoreWriter,
                            _ console: Console, _ now: Date) throws -> (written: [String], rejected: Int) {
        let runID = try writer.beginRun(startedAt: Manifest.timestamp(now), command: options.command,
                                        dataFolder: options.data, version: version)
        let computation = try loadStoring(folder, loaded, options.encoding, writer, console)
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
                try console.time("store \(result.month)") {
                    try writer.replaceMonth(result.month, run: runID, balances: result.balances,
                                            settlements: result.usage.settlements, keepBaseline: false)
                }
            }
        }
        try reports.finish(rejects: rejects) { outputs in
            Manifest(version: version, command: options.command, runAt: now, dataFolder: options.data,
                     inputs: loaded.inputs + computation.inputs, outputs: outputs)
        }
        try writer.finishRun(runID, finishedAt: Manifest.timestamp(Date()), months: computation.months,
                             inputs: records(loaded.inputs + computation.inputs))
        return (reports.written, rejects.count)
    }

    /// Reads the data folder's CSV inputs and puts them in the store as they stream by.
    static func loadStoring(_ folder: DataFolder, _ loaded: LoadedThresholds, _ encoding: TextEncoding,
                            _ writer: StoreWriter, _ console: Console, keepBaseline: Bool = false) throws -> Computation {
        try writer.clearImported()
        var storeError: (any Error)?
        func storing(_ body: () throws -> Void) {
            guard storeError == nil else { return }
            do { try body() } catch { storeError = error }
        }
        let sinks = CreditsStage.Sinks(
            person: { row in storing { try writer.insertPerson(row.person, name: row.name, tier: row.tier) } },
            credit: { contribution, credit, band in
                storing { try writer.insertContribution(contribution, credit: credit, band: band) }
            })
        let computation = try Computation.load(folder, loaded, encoding: encoding, console: console, sinks: sinks)
        if let storeError { throw storeError }
        try console.time("store imported data") { () throws in
            let persons = computation.credits.persons
            for (day, list) in computation.credits.openings {
                for opening in list { try writer.insertOpening(persons.ids[Int(opening.index)], asOf: day, balance: opening.balance) }
            }
            try writer.replaceBindings(computation.sharing.bindings, events: computation.sharing.events)
            try writer.replaceClaims(computation.months.flatMap { computation.sharing.claims[$0] ?? [] })
            try writer.replaceThresholds(loaded.periods, keepBaseline: keepBaseline)
        }
        return computation
    }

    static func records(_ inputs: [Manifest.Input]) -> [InputFileRecord] {
        inputs.map {
            InputFileRecord(file: $0.file, sha256: $0.sha256, bytes: $0.bytes, read: $0.read, accepted: $0.accepted,
                            rejected: $0.rejected)
        }
    }

    static func openStore(_ path: String, readOnly: Bool = false) throws(RunError) -> Store {
        do { return try Store(path: path, readOnly: readOnly) } catch { throw RunError(error.description) }
    }

    /// One transaction for the whole job: a failure leaves the store as it was.
    static func inTransaction<T>(_ store: Store, _ path: String, _ body: (StoreWriter) throws -> T) throws(RunError) -> T {
        do {
            return try store.transaction(body)
        } catch let error as RunError {
            throw error
        } catch {
            throw RunError("\(path): the store could not be written, nothing in it changed: \(Store.describe(error))")
        }
    }

    static func reportRejects(_ count: Int, out: String, strict: Bool, console: Console) throws(RunError) {
        guard count > 0 else { return }
        console.warning("\(count) rows rejected: see \(out)/rejects.csv")
        if strict { throw RunError("\(count) rows rejected and --strict was given") }
    }
}
