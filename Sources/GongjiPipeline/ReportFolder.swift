import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports
import GongjiStore

/// Writes a run's reports into its staging folder (`ReportStage`), each
/// atomically, and lists them; `publish` puts them all in the out folder.
final class ReportFolder {
    let stage: ReportStage
    let disclosure: Disclosure
    /// `--csv-bom`: every CSV starts with a UTF-8 BOM, for Excel (docs/formats.md).
    let bom: Bool
    /// Whether each month gets its workbook (`--no-workbook` skips them).
    let workbooks: Bool
    /// The language of the pages and workbooks (`--lang`).
    let words: Words
    private(set) var written: [String] = []
    var url: URL { stage.staging }
    /// `--province`: the provinces the reports cover; every page's header
    /// line says so (`provinceNote`), and manifest.json lists them.
    private(set) var provinces: ProvinceSelection?
    private var provinceNote = ""
    /// Set by `prepare` for a run that stores its results: the store marks
    /// the run finished once the reports are in place.
    private(set) var published: (() throws -> Void)?

    /// Opens the out folder `path` (finishing or removing what an
    /// interrupted run left there, `Publication.settle`): an out folder
    /// that cannot be written stops the job before anything is read.
    init(path: String, reveal: Bool, bom: Bool = false, workbooks: Bool = true, language: Language = .zh,
         console: Console = .silent) throws(RunError) {
        let out = URL(fileURLWithPath: path, isDirectory: true)
        do {
            stage = try ReportStage(out: out) { staging, token, store in
                Publication.settle(staging: staging, out: out, token: token, storePath: store, console: console)
            }
        } catch {
            throw RunError(error)
        }
        disclosure = Disclosure(reveal: reveal)
        self.bom = bom
        self.workbooks = workbooks
        words = Words(language)
    }

    /// Before the store's commit, for a run that stores its results: the
    /// READY list, with a token the returned publication row repeats (the
    /// caller stores it in the same transaction); `published` marks the run
    /// finished in the store once the reports are in place.
    func prepare(run: Int64, storePath: String, published: @escaping () throws -> Void) throws(RunError) -> Store.Publication {
        let token = UUID().uuidString
        // A server's URI as given, less any password (the next start connects with it again).
        let store = PostgresStore.isURI(storePath) ? storeDisplay(storePath) : URL(fileURLWithPath: storePath).standardizedFileURL.path
        do { try stage.prepare(written, token: token, store: store) } catch { throw RunError(error) }
        let manifest = (try? FileDigest.sha256(of: url.appendingPathComponent("manifest.json")).hex) ?? ""
        self.published = published
        return Store.Publication(run: run, token: token, out: stage.out.standardizedFileURL.path, staging: url.standardizedFileURL.path,
                                 manifestSHA256: manifest)
    }

    /// Puts every report written into the out folder at once (after the
    /// store's commit) and removes the previous run's reports this run did
    /// not write.
    func publish() throws(RunError) {
        do {
            if published == nil { try stage.prepare(written) }
            try stage.publish()
        } catch {
            throw RunError(error)
        }
    }

    /// Drops the reports written: the out folder stays as it was.
    func discard() { stage.discard() }

    /// Runs a job's `body` with its report folder at `path`: the reports
    /// appear in the out folder when `body` returns (after any store commit
    /// it made), and none do when it throws.
    ///
    /// A run that stores its results (`prepare`) has committed them when
    /// `body` returns: if its reports cannot then be put in place, they stay
    /// staged, and the next gongji start finishes them.
    static func publishing<T>(_ path: String, reveal: Bool, bom: Bool = false, workbooks: Bool = true,
                              language: Language = .zh, console: Console = .silent,
                              _ body: (ReportFolder) throws(RunError) -> T) throws(RunError) -> T {
        let reports = try ReportFolder(path: path, reveal: reveal, bom: bom, workbooks: workbooks, language: language,
                                       console: console)
        let result: T
        do {
            result = try body(reports)
        } catch {
            reports.discard()
            throw error
        }
        Publication.fault("after-commit")
        do {
            try reports.publish()
        } catch {
            guard reports.published != nil else {
                reports.discard()
                throw error
            }
            throw RunError("\(error.phrase); the results are stored: the next gongji start with this out folder or "
                           + "store puts the reports in place")
        }
        if let published = reports.published {
            do {
                try published()
            } catch {
                console.warning("\(path): the reports are in place, but the store could not record it now "
                                + "(\(Store.describe(error))): the next gongji start records it")
            }
        }
        return result
    }

    /// The reports cover only `selection`'s provinces (`--province`): their
    /// names from `policy` (policy.yaml's `province`).
    func cover(_ selection: ProvinceSelection?, policy: Policy) {
        provinces = selection
        provinceNote = selection.map { words.provincesOnly($0, policy: policy) } ?? ""
    }

    func write(_ name: String, _ text: String) throws(RunError) {
        var text = bom && name.hasSuffix(".csv") ? "\u{FEFF}" + text : text
        // A page of a `--province` job says so in its header line.
        if !provinceNote.isEmpty, name.hasSuffix(".md"), text.hasPrefix("# "), let end = text.firstIndex(of: "\n") {
            text.insert(contentsOf: provinceNote, at: end)
        }
        do { try AtomicFile.write(text, to: url.appendingPathComponent(name)) } catch { throw RunError(error) }
        written.append(name)
    }

    func writeThresholds(_ loaded: LoadedThresholds) throws(RunError) {
        let report = ThresholdReport(policy: loaded.policy, periods: loaded.periods, words: words)
        try write("thresholds.csv", report.csv)
        try write("thresholds.md", report.markdown)
        if !loaded.periods.isEmpty { try write(ThresholdReport.chartName, report.chart) }
    }

    /// Streams a CSV report into place, atomically. `progress` is told the
    /// rows written so far, now and then.
    func writeCSV(_ name: String, columns: [String], progress: ((_ rows: Int) -> Void)? = nil,
                           _ rows: (CSVWriter) throws(AtomicFile.WriteError) -> Void) throws(RunError) {
        do throws(AtomicFile.WriteError) {
            let stream = try AtomicFile.Stream(to: url.appendingPathComponent(name))
            if bom {
                let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
                try stream.write(mark.span)
            }
            let writer = try CSVWriter(columns: columns, disclosure: disclosure) { bytes throws(AtomicFile.WriteError) in
                try stream.write(bytes)
            }
            writer.progress = progress
            try rows(writer)
            progress?(writer.rows)
            try writer.flush()
            try stream.commit()
        } catch {
            throw RunError(error)
        }
        written.append(name)
    }

    /// One CSV file of a month: its name after `PREFIX-YYYY-MM`, its
    /// columns, and what writes its rows.
    struct MonthBlock: Sendable {
        var prefix: String
        var suffix = ""
        var columns: [String]
        var rows: @Sendable (MonthResult, Words, CSVWriter) throws(AtomicFile.WriteError) -> Void
    }

    /// The month's streamed CSV files, in the order they are written
    /// (credits-YYYY-MM.csv is rendered whole, before them).
    static let monthBlocks: [MonthBlock] = [
        MonthBlock(prefix: "balances", columns: CreditReports.balanceColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try CreditReports.writeBalances(result.balances, to: writer)
        },
        MonthBlock(prefix: "base-findings", columns: CreditReports.findingColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try CreditReports.writeFindings(result.findings, to: writer)
        },
        MonthBlock(prefix: "usage", suffix: "-claims", columns: UsageReports.claimColumns) { result, words, writer throws(AtomicFile.WriteError) in
            try UsageReports.writeClaims(result.usage, words: words, to: writer)
        },
        MonthBlock(prefix: "usage", suffix: "-shares", columns: UsageReports.shareColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try UsageReports.writeShares(result.usage, to: writer)
        },
        MonthBlock(prefix: "usage", suffix: "-authorizers", columns: UsageReports.authorizerColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try UsageReports.writeAuthorizers(result.usage, to: writer)
        },
        MonthBlock(prefix: "clearing", columns: UsageReports.clearingColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try UsageReports.writeClearing(result.usage, to: writer)
        },
        MonthBlock(prefix: "wallets", columns: EarmarkReports.walletColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try EarmarkReports.writeWallets(result.usage.earmarks, to: writer)
        },
        MonthBlock(prefix: "transfers", columns: EarmarkReports.transferColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try EarmarkReports.writeTransfers(result.usage.earmarks, to: writer)
        },
        MonthBlock(prefix: "quotas", columns: EarmarkReports.quotaColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try EarmarkReports.writeQuotas(result.usage.earmarks, to: writer)
        },
        MonthBlock(prefix: "pots", columns: EarmarkReports.potColumns) { result, _, writer throws(AtomicFile.WriteError) in
            try EarmarkReports.writePots(result.usage.earmarks, to: writer)
        },
    ]

    /// The month's files: credits, the CSV blocks (balances, base findings,
    /// the usage page's three files, the clearing, the wallets, transfers,
    /// quotas and pots), the workbook and the usage page, listed in that
    /// order. The workbook is written on a thread of its own meanwhile
    /// (`WorkbookThread`). On a terminal (`progress`) one line shows the
    /// rows of both as they go.
    ///
    /// `given` is consumed: once the CSV files and the page are written, the
    /// month's accounts are let go, while the workbook, which needs only the
    /// month's claims and authorizers, is finished.
    func writeMonth(_ given: consuming MonthResult, policy: Policy, imports: [InputRecord], rejected: Int,
                    progress: (any ProgressDisplay)? = nil, console: Console = .silent) throws(RunError) {
        var result = consume given
        let name = result.month.text
        let usage = result.usage
        // The line counts rows: of the CSV files, and of the workbook's sheets (about its claims, draws and
        // authorizers), deflated as they are written (`WorkbookThread`).
        let draws = usage.settlements.reduce(0) { $0 + $1.draws.count }
        let sheetRows = usage.settlements.count + draws + usage.authorizers.count
        let earmarks = usage.earmarks.wallets.count + usage.earmarks.transfers.count + usage.earmarks.quotas.count
            + usage.earmarks.pots.count
        let csvRows = result.balances.count + result.findings.count + sheetRows + usage.clearing.count + earmarks
        let shared = progress.map { display in
            SharedProgress(display, label: "writing the reports of \(name)", totalBytes: Int64(csvRows + (workbooks ? sheetRows : 0)))
        }
        defer { shared?.finish() }
        // The page first: the workbook's sheet 概要 lays it out (UsageWorkbook.summary).
        let words = self.words
        let page = MonthPage.markdown(
            month: result.month, policy: policy,
            usage: UsageReports.sections(usage, policy: policy, disclosure: disclosure, words: words)
                + EarmarkReports.sections(usage, policy: policy, disclosure: disclosure, words: words),
            credits: result.groups, findings: result.findings, balances: result.balances, imports: imports,
            rejectedRows: rejected, disclosure: disclosure, words: words)
        let workbook = workbooks ? WorkbookThread(self, "usage-\(name).xlsx", usage, page: page, policy: policy, progress: shared?.lane(),
                                                  console: console) : nil
        let files = shared?.lane()
        files?.begin("", totalBytes: 0)
        var done = 0, current = 0  // rows of the files written, and of the one being written
        let told: ((Int) -> Void)? = files.map { lane in
            { rows in
                current = rows
                lane.update(rows: done + rows, bytes: Int64(done + rows))
            }
        }
        do throws(RunError) {
            try write("credits-\(name).csv", CreditReports.creditsCSV(month: result.month, rows: result.groups))
            for block in Self.monthBlocks {
                current = 0
                try writeCSV("\(block.prefix)-\(name)\(block.suffix).csv", columns: block.columns, progress: told) { writer throws(AtomicFile.WriteError) in
                    try block.rows(result, words, writer)
                }
                done += current
            }
            try write("usage-\(name).md", page)
        } catch {
            try? workbook?.wait()
            throw error
        }
        files?.end()
        result.balances = []
        result.findings = []
        if let workbook {
            try workbook.wait()
            // Listed before the page, where it was written before the workbook had a thread of its own.
            written.insert(workbook.name, at: written.count - 1)
        }
    }

    /// The month's workbook, written on a thread of its own while the
    /// month's CSV files and page are written (and the next month settles):
    /// a city's workbook is some 190 MB of sheet XML to make and deflate
    /// (XLSXWriter deflates on one more thread), about as long as the rest
    /// of the month's reports together (issue 21).
    final class WorkbookThread: @unchecked Sendable {  // `failure` is set before `done` is signalled, read after
        let name: String
        private let done = DispatchSemaphore(value: 0)
        private var failure: RunError?

        init(_ folder: ReportFolder, _ name: String, _ usage: UsageMonth, page: String, policy: Policy, progress: (any ProgressDisplay)?,
             console: Console) {
            self.name = name
            let job = Job(folder: folder, name: name, usage: usage, page: page, policy: policy, progress: progress, console: console)
            let thread = Thread { [self] in
                do throws(RunError) {
                    try console.time("workbook \(usage.month)") { () throws(RunError) in try job.run() }
                } catch {
                    failure = error
                }
                done.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }

        /// Waits for the workbook; throws its failure.
        func wait() throws(RunError) {
            done.wait()
            done.signal()  // a second wait returns at once
            if let failure { throw failure }
        }

        /// What the thread needs, handed over whole (the folder's
        /// settings are read only; its list of files is not touched).
        private struct Job: @unchecked Sendable {
            let folder: ReportFolder
            let name: String
            let usage: UsageMonth
            let page: String
            let policy: Policy
            let progress: (any ProgressDisplay)?
            let console: Console

            /// Tells the rows of the sheets as they are written (and deflated).
            func run() throws(RunError) {
                progress?.begin(name, totalBytes: 0)
                defer { progress?.end() }
                try folder.writeWorkbook(name, usage, page: page, policy: policy) { rows in
                    progress?.update(rows: rows, bytes: Int64(rows))
                }
            }
        }
    }

    /// The month's workbook: written under a temporary name in the staging
    /// folder (its sheets' temporary files beside it, unlinked), then renamed, like
    /// every report. Not listed in `written`: `writeMonth` lists it in its place.
    func writeWorkbook(_ name: String, _ usage: UsageMonth, page: String, policy: Policy,
                       progress: ((_ rows: Int) -> Void)? = nil) throws(RunError) {
        try placeWorkbook(name) { path, tmpdir throws(UsageWorkbook.Failure) in
            try UsageWorkbook.write(usage, page: page, policy: policy, disclosure: disclosure, words: words, to: path, tmpdir: tmpdir,
                                    progress: progress)
        }
    }

    /// A workbook that `body` writes at the path it is given (with the folder for its temporary files), listed.
    func writeWorkbook(_ name: String, _ body: (String, String) throws(UsageWorkbook.Failure) -> Void) throws(RunError) {
        try placeWorkbook(name, body)
        written.append(name)
    }

    /// Has `body` write a workbook under a temporary name, then renames it.
    private func placeWorkbook(_ name: String, _ body: (String, String) throws(UsageWorkbook.Failure) -> Void) throws(RunError) {
        let target = url.appendingPathComponent(name)
        let partial = url.appendingPathComponent(".\(name).partial")
        do {
            try body(partial.path, url.path)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            // The report's name in the out folder, not the staging file's.
            throw RunError("\(stage.out.appendingPathComponent(name).path): cannot write the workbook: \(error.reason)")
        }
        do { try AtomicFile.place(partial, at: target) } catch { throw RunError(error) }
    }

    /// rejects.csv and manifest.json of a job over `computation`, last.
    func finish(_ computation: Computation, options: JobOptions, now: Date) throws(RunError) {
        try finish(rejects: computation.rejects) { outputs in
            Manifest(version: RunJob.version, command: options.command, runAt: now, dataFolder: options.data,
                     inputs: computation.allInputs, outputs: outputs,
                     provinces: computation.selection?.codes.map(ProvinceSelection.text))
        }
    }

    /// rejects.csv and manifest.json, last.
    func finish(rejects: [RejectedRow], manifest: (_ outputs: [String]) -> Manifest) throws(RunError) {
        try write("rejects.csv", RejectsReport(rejects: rejects, disclosure: disclosure, words: words).csv)
        let text: String
        do { text = try manifest(written + ["manifest.json"]).json() } catch { throw RunError("manifest.json: cannot encode: \(error)") }
        try write("manifest.json", text)
    }
}
