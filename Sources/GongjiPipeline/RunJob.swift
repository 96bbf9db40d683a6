import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports
import GongjiStore

/// What the jobs that read a data folder and write reports are given.
/// The language of the pages (`--lang`), for the command line.
public typealias Language = GongjiReports.Language
/// The text encoding of CSV inputs (`--encoding`), for the command line,
/// which imports the pipeline only.
public typealias TextEncoding = GongjiImport.TextEncoding

public struct JobOptions: Sendable {
    public var data: String
    public var out: String
    /// The store the results go to (run, recompute) or are compared with (what-if).
    public var store: String
    /// The command line, for the manifest and the run log.
    public var command: String
    public var revealIDs = false
    /// Start every CSV report with a UTF-8 BOM (`--csv-bom`).
    public var csvBOM = false
    /// Write each month's usage-YYYY-MM.xlsx (`--no-workbook`: not).
    public var workbooks = true
    /// The language of the Markdown pages and workbooks (`--lang`).
    public var language = Language.zh
    /// Exit 1 when any row was rejected (run, recompute).
    public var strict = false
    public var encoding = TextEncoding.auto
    /// `--province 44` or `--province 13,32`: only those provinces (as given, checked against the policy); nil: every one.
    public var provinces: String?
    /// Keep a copy of every input file in the store (`--keep-inputs`, run
    /// and recompute). Without it the store keeps each input's SHA-256,
    /// size and row counts (`input_file`), not its bytes (docs/store.md).
    public var keepInputs = false

    public init(data: String, out: String, store: String = RunJob.defaultStore, command: String) {
        self.data = data
        self.out = out
        self.store = store
        self.command = command
    }

    /// `--province` checked against the policy's regions: nil when not given;
    /// a province of no region of the policy stops the job, naming those it has.
    static func selection(_ text: String?, _ policy: Policy) throws(RunError) -> ProvinceSelection? {
        guard let text else { return nil }
        switch ProvinceSelection.parse(text, policy: policy) {
        case let .success(selection): return selection
        case let .failure(error): throw RunError(error.phrase)
        }
    }
}

/// `gongji run`: load everything in the data folder, settle every month,
/// write every report to the out folder and the results to the store.
public enum RunJob {
    public static let version = "0.3.0"
    public static let defaultStore = ".gongji/gongji.sqlite"

    /// A store's path, or its URI without any password: what a message, the
    /// manifest or the run log may show (docs/store.md).
    public static func display(store: String) -> String { storeDisplay(store) }

    /// Returns the names of the reports written.
    @discardableResult
    public static func run(_ options: JobOptions, console: Console, now: Date = Date()) throws(RunError) -> [String] {
        let folder: DataFolder
        do { folder = try DataFolder(path: options.data) } catch { throw RunError(error) }
        let result = try ReportFolder.publishing(options.out, reveal: options.revealIDs, bom: options.csvBOM,
                                                 workbooks: options.workbooks, language: options.language,
                                                 console: console) { reports throws(RunError) in
            let loaded = try ThresholdsJob.load(folder, console: console)
            let selection = try JobOptions.selection(options.provinces, loaded.policy)
            reports.cover(selection, policy: loaded.policy)
            let store = try openStore(options.store, console: console)
            return try inTransaction(store, options.store, console, selection: selection) { transaction -> (written: [String], rejected: Int) in
                let result = try run(options, folder, loaded, selection, transaction, console, now, reports)
                try publishing(result.run, reports, store, options.store, transaction)
                return (result.written, result.rejected)
            }
        }
        console.info("wrote \(result.written.count) reports to \(options.out); results stored in \(storeDisplay(options.store))")
        try reportRejects(result.rejected, out: options.out, strict: options.strict, console: console)
        return result.written
    }

    private static func run(_ options: JobOptions, _ folder: DataFolder, _ loaded: LoadedThresholds,
                            _ selection: ProvinceSelection?, _ store: BackgroundTransaction, _ console: Console, _ now: Date,
                            _ reports: ReportFolder) throws -> (written: [String], rejected: Int, run: Int64) {
        let runID = try store.sync { try $0.beginRun(startedAt: Manifest.timestamp(now), command: options.command,
                                                     dataFolder: options.data, version: version) }
        var (computation, stored) = try loadStoring(folder, loaded, options.encoding, store, console, selection: selection,
                                                    keepInputs: options.keepInputs)
        try reports.writeThresholds(computation.loaded)
        // The store takes each month first and writes it on its own thread while the reports are written.
        try console.time("settle, reports and store, all months") {
            try computation.settle(into: [StoreSink(store, run: runID, keepBaseline: false),
                                          ReportSink(reports, computation, console: console)], console: console)
        }
        try reports.finish(computation, options: options, now: now)
        try finishRun(runID, folder, inputs: computation.allInputs, months: computation.months, stored: stored, store)
        return (reports.written, computation.rejects.count, runID)
    }

    /// The last step before the commit: the staged reports' READY list,
    /// and the same token in the store's `publication`, in this transaction.
    static func publishing(_ runID: Int64, _ reports: ReportFolder, _ store: any ResultStore, _ path: String,
                           _ transaction: BackgroundTransaction) throws {
        let publication = try reports.prepare(run: runID, storePath: path) {
            try store.published(runID, finishedAt: Manifest.timestamp(Date()))
        }
        try transaction.enqueue { try $0.publish(publication) }
        _ = try transaction.sync { _ in }
        Publication.fault("before-commit")
    }

    /// What the store thread kept of each input file: its SHA-256, by the
    /// file's name in the data folder; nothing unless the run keeps copies
    /// of its inputs (`keeping`, `--keep-inputs`).
    final class StoredInputs: @unchecked Sendable {  // written and read on the store thread only
        var digests: [String: String] = [:]
        let keeping: Bool
        init(keeping: Bool = true) { self.keeping = keeping }
    }

    /// With `--keep-inputs`: hands the store every input file of the folder
    /// at once, so that it keeps them (whole, once per content) while the
    /// job reads them. The store thread takes each file's SHA-256 itself;
    /// `finishRun` checks it against the one the run reported.
    ///
    /// Without it, each input is hashed once, as it is read (`CSVInput`):
    /// the copies were half the store (761 MB of 1.5 GB for a city's year)
    /// and their second SHA-256 a third of a run's instructions (issue 21).
    static func storeInputs(_ folder: DataFolder, _ loaded: LoadedThresholds, _ store: BackgroundTransaction,
                            keeping: Bool = true) throws -> StoredInputs {
        let stored = StoredInputs(keeping: keeping)
        guard keeping else { return stored }
        let files = loaded.inputs.map { folder.root.appendingPathComponent($0.file) } + folder.csvInputs()
        try store.enqueue { writer in
            for url in files {
                // A file that cannot be read now is told by its reader, and tried again by `finishRun`.
                guard let digest = try? FileDigest.sha256(of: url) else { continue }
                try writer.storeInput(sha256: digest.hex) { part in try FileDigest.parts(of: url, part) }
                stored.digests[folder.name(of: url)] = digest.hex
            }
        }
        return stored
    }

    /// Ends the run log entry. A run that keeps its inputs (`stored.keeping`)
    /// must have kept every input it reported with the same content: a file
    /// the early pass missed is kept now; a file whose content changed while
    /// the run read it fails the run (and the transaction), since its
    /// reports would not match its record.
    static func finishRun(_ runID: Int64, _ folder: DataFolder, inputs: [InputRecord], months: [YearMonth],
                          stored: StoredInputs, _ store: BackgroundTransaction) throws {
        try store.enqueue { writer in
            for input in inputs where stored.keeping {
                var kept = stored.digests[input.file]
                if kept == nil {
                    let url = folder.root.appendingPathComponent(input.file)
                    guard let digest = try? FileDigest.sha256(of: url) else {
                        throw RunError("\(input.file): cannot read the file again to keep it in the store")
                    }
                    kept = digest.hex
                    try writer.storeInput(sha256: digest.hex) { part in try FileDigest.parts(of: url, part) }
                }
                guard let kept, kept == input.sha256 else {
                    throw RunError("\(input.file): the file changed while gongji read it (SHA-256 \(input.sha256) "
                                   + "when read, \(kept ?? "-") when stored): run again once it is complete")
                }
            }
            try writer.finishRun(runID, finishedAt: Manifest.timestamp(Date()), months: months, inputs: inputs)
        }
    }

    /// Reads the data folder while the store keeps its files (with
    /// `keepInputs`, `storeInputs`), then hands the store the bindings and events, and
    /// the thresholds.
    /// With `selection` (`--province`), only those provinces' rows are
    /// read, and only theirs replaced in the store.
    static func loadStoring(_ folder: DataFolder, _ loaded: LoadedThresholds, _ encoding: TextEncoding,
                            _ store: BackgroundTransaction, _ console: Console, keepBaseline: Bool = false,
                            selection: ProvinceSelection? = nil, keepInputs: Bool) throws -> (Computation, StoredInputs) {
        let stored = try storeInputs(folder, loaded, store, keeping: keepInputs)
        let computation = try Computation.load(folder, loaded, encoding: encoding, console: console, selection: selection)
        // The queued work holds what it writes, not the inputs (`Inputs.regions`).
        let (bindings, events, regions) = (computation.inputs.storedBindings, computation.inputs.storedEvents,
                                           computation.inputs.regions)
        let periods = computation.loaded.periods
        try store.enqueue { writer in
            try writer.replaceBindings(bindings, events: events, regionOf: regions)
            try writer.replaceThresholds(periods, keepBaseline: keepBaseline)
        }
        return (computation, stored)
    }

    /// Opens the store `path` names: an SQLite file, or a `postgresql://` URI (docs/store.md).
    static func openStore(_ path: String, readOnly: Bool = false, console: Console = .silent) throws(RunError) -> any ResultStore {
        let empty = !PostgresStore.isURI(path)
            && (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue == 0
        let store: any ResultStore
        do { store = try GongjiStore.openStore(path, readOnly: readOnly) } catch { throw RunError(Phrase(verbatim: error.description)) }
        if empty && store.made { console.info("\(path): the file was empty: made a new store in it") }
        // A publication an interrupted run left is settled first (a store
        // opened only to read is opened to write for that alone).
        if readOnly {
            if let pending = try? store.pendingPublications(), !pending.isEmpty, let writable = try? GongjiStore.openStore(path) {
                Publication.settle(writable, console: console)
            }
        } else {
            Publication.settle(store, console: console)
        }
        return store
    }

    /// One transaction for the whole job, run beside it on a second thread:
    /// a failure on either side leaves the store as it was.
    /// `selection` (`--province`): the transaction replaces only those provinces' rows.
    static func inTransaction<T>(_ store: any ResultStore, _ path: String, _ console: Console,
                                 selection: ProvinceSelection? = nil,
                                 _ body: (BackgroundTransaction) throws -> T) throws(RunError) -> T {
        let scope = selection.map { ProvinceScope.only(Set($0.codes.map(ProvinceSelection.text))) } ?? .all
        let transaction = BackgroundTransaction(store: store, scope: scope)
        do {
            let result = try body(transaction)
            try console.time("store commit") { try transaction.commit() }
            return result
        } catch let error as RunError {
            transaction.rollback()
            throw error
        } catch {
            transaction.rollback()
            throw RunError("\(store.location): the store could not be written, nothing in it changed: \(store.describe(error))")
        }
    }

    static func reportRejects(_ count: Int, out: String, strict: Bool, console: Console) throws(RunError) {
        guard count > 0 else { return }
        console.warning("\(count) rows rejected: see \(out)/rejects.csv")
        if strict { throw RunError("\(count) rows rejected and --strict was given") }
    }
}
