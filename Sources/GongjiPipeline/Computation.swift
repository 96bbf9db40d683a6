import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports
import GongjiStore

/// One month's results: what the reports and the store are made of.
struct MonthResult {
    var month: YearMonth
    var groups: [CreditGroupRow]
    var findings: [BaseFindingRow]
    var balances: [AccountMonth]
    var usage: UsageMonth
}

/// A job's three stages: read the inputs (`ReadInputs`), settle month after
/// month (`settle`), and hand each month's results to the reports and the
/// store (the `body` the job gives). `run`, `recompute` and `what-if` share
/// it; only what they do with each month differs.
struct Computation {
    var loaded: LoadedThresholds
    var inputs: Inputs
    var months: [YearMonth]

    /// The CSV inputs' provenance, for manifest.json and the run log.
    var manifestInputs: [Manifest.Input] { inputs.files.map(\.manifest) }
    /// Every rejected row, for rejects.csv.
    var rejects: [Reject] { inputs.rejects.map(Reject.init) }
    /// Each file's counts, for the month pages' import summary.
    var imports: [ImportCount] {
        inputs.files.map { ImportCount(file: $0.rows.file, read: $0.rows.read, accepted: $0.rows.accepted,
                                       rejected: $0.rows.rejected.count) }
    }

    static func load(_ folder: DataFolder, _ loaded: LoadedThresholds, encoding: TextEncoding,
                     console: Console) throws(RunError) -> Computation {
        let inputs = try ReadInputs.run(folder, loaded, encoding: encoding, console: console)
        let months = inputs.months
        for gap in Inputs.gaps(in: months) {
            let span = gap.lowerBound == gap.upperBound ? "\(gap.lowerBound)" : "\(gap.lowerBound) .. \(gap.upperBound)"
            console.info("no inputs for \(span): not settled, no reports for it (accounts carry over unchanged)")
        }
        return Computation(loaded: loaded, inputs: inputs, months: months)
    }

    /// Settles month after month (each month needs the previous one's
    /// balances) and hands each month's results to `body`.
    func settle(console: Console = .silent, _ body: (MonthResult) throws -> Void) throws {
        let (settler, start) = console.time("prepare settlement") {
            let family = FamilyIndex(bindings: inputs.bindings, events: inputs.events)
            let settler = FamilySettler(policy: loaded.policy, periods: loaded.periods, persons: inputs.persons, family: family)
            return (settler, AccountLedger(persons: inputs.persons, openings: inputs.openings))
        }
        var ledger = start
        var earmarks = EarmarkLedger(policy: loaded.policy, persons: inputs.persons, inputs: inputs.earmarks,
                                     events: inputs.events)
        var previous: (month: YearMonth, totals: ClaimTotals)?
        var yearToDate = ClaimTotals()
        for month in months {
            let monthCredits = inputs.credits.credits(in: month)
            ledger.open(month: month)
            earmarks.open(month: month)
            let claims = try inputs.claims.claims(in: month)
            let settlements = console.time("settle \(month)") {
                claims.map { settler.settle($0, ledger: &ledger, earmarks: &earmarks) }
            }
            let earmarked = earmarks.close(month: month, accounts: &ledger)
            let balances = console.time("close \(month)") {
                ledger.close(month: month, credits: monthCredits?.column, frozen: earmarks.frozenByIndex)
            }
            let groups = monthCredits?.groups(labels: inputs.credits.bandLabels) ?? []
            let authorizers = console.time("authorizers \(month)") {
                Computation.authorizers(in: month, settler: settler, balances: balances)
            }
            var usage = UsageMonth(month: month, settlements: settlements, authorizers: authorizers,
                                   clearing: Clearing.items(settlements, transfers: earmarked.clearing), earmarks: earmarked)
            // The page's context: thresholds, the previous month and the year so far, bindings.
            var totals = ClaimTotals()
            for settled in settlements { totals.add(settled) }
            if previous.map({ $0.month.year != month.year }) ?? true { yearToDate = ClaimTotals() }
            yearToDate.merge(totals)
            usage.context.thresholds = loaded.policy.sortedRegions.map { ($0.code, settler.threshold(region: $0.code, on: month.lastDay)) }
            usage.context.previous = previous
            usage.context.yearToDate = yearToDate
            usage.context.bindings = MonthContext.bindings(inputs.bindings, family: settler.family, in: month)
            previous = (month, totals)
            try body(MonthResult(
                month: month, groups: groups, findings: (monthCredits?.findings ?? []).sorted { $0.person < $1.person },
                balances: balances, usage: usage))
        }
    }

    /// Every insured authorizer with a binding active on some day of `month`, in ID order.
    static func authorizers(in month: YearMonth, settler: FamilySettler, balances: [AccountMonth]) -> [AuthorizerRow] {
        var thresholds: [RegionCode: ThresholdInForce] = [:]  // one lookup per region, not per authorizer
        var rows: [AuthorizerRow] = []
        let keys = settler.family.authorizerKeys.sorted()
        rows.reserveCapacity(keys.count)
        var next = 0  // both lists are in ID order: one pass joins each authorizer to its account
        for key in keys {
            var beneficiaries: [UInt64] = []
            for binding in settler.family.bindings(ofAuthorizer: key) where settler.family.isActive(binding, in: month) {
                if !beneficiaries.contains(binding.beneficiary.key) { beneficiaries.append(binding.beneficiary.key) }
            }
            guard !beneficiaries.isEmpty, let person = settler.persons[key] else { continue }
            let threshold = thresholds[person.region] ?? settler.threshold(region: person.region, on: month.lastDay)
            thresholds[person.region] = threshold
            while next < balances.count && balances[next].person.key < key { next += 1 }
            let account = next < balances.count && balances[next].person.key == key ? balances[next] : nil
            rows.append(AuthorizerRow(authorizer: person.id, region: person.region, account: account, threshold: threshold,
                                      beneficiaries: beneficiaries.count))
        }
        return rows
    }
}

extension Reject {
    init(_ row: RejectedRow) {
        self.init(file: row.file, line: row.line, column: row.column, error: row.reason, raw: row.raw,
                  sensitive: row.sensitive, hidden: row.hidden)
    }
}

/// Writes a run's reports into its staging folder (`ReportStage`), each
/// atomically, and lists them; `publish` puts them all in the out folder.
struct ReportFolder {
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
    mutating func prepare(run: Int64, storePath: String, published: @escaping () throws -> Void) throws(RunError) -> Store.Publication {
        let token = UUID().uuidString
        let store = URL(fileURLWithPath: storePath).standardizedFileURL.path
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
                              _ body: (inout ReportFolder) throws(RunError) -> T) throws(RunError) -> T {
        var reports = try ReportFolder(path: path, reveal: reveal, bom: bom, workbooks: workbooks, language: language,
                                       console: console)
        let result: T
        do {
            result = try body(&reports)
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
            throw RunError("\(error.description); the results are stored: the next gongji start with this out folder or "
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

    mutating func write(_ name: String, _ text: String) throws(RunError) {
        let text = bom && name.hasSuffix(".csv") ? "\u{FEFF}" + text : text
        do { try AtomicFile.write(text, to: url.appendingPathComponent(name)) } catch { throw RunError(error) }
        written.append(name)
    }

    mutating func writeThresholds(_ loaded: LoadedThresholds) throws(RunError) {
        let report = ThresholdReport(policy: loaded.policy, periods: loaded.periods, words: words)
        try write("thresholds.csv", report.csv)
        try write("thresholds.md", report.markdown)
        if !loaded.periods.isEmpty { try write(ThresholdReport.chartName, report.chart) }
    }

    /// Streams a CSV report into place, atomically.
    mutating func writeCSV(_ name: String, columns: [String],
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
            try rows(writer)
            try writer.flush()
            try stream.commit()
        } catch {
            throw RunError(error)
        }
        written.append(name)
    }

    /// The month's files: credits, balances, base findings, the usage page, its three CSV files, the clearing,
    /// and the wallets, transfers, quotas and pots.
    mutating func writeMonth(_ result: MonthResult, policy: Policy, imports: [ImportCount], rejected: Int) throws(RunError) {
        let name = result.month.text
        try write("credits-\(name).csv", CreditReports.creditsCSV(month: result.month, rows: result.groups))
        try writeCSV("balances-\(name).csv", columns: CreditReports.balanceColumns) { writer throws(AtomicFile.WriteError) in
            try CreditReports.writeBalances(result.balances, to: writer)
        }
        try writeCSV("base-findings-\(name).csv", columns: CreditReports.findingColumns) { writer throws(AtomicFile.WriteError) in
            try CreditReports.writeFindings(result.findings, to: writer)
        }
        try writeCSV("usage-\(name)-claims.csv", columns: UsageReports.claimColumns) { writer throws(AtomicFile.WriteError) in
            try UsageReports.writeClaims(result.usage, to: writer)
        }
        try writeCSV("usage-\(name)-shares.csv", columns: UsageReports.shareColumns) { writer throws(AtomicFile.WriteError) in
            try UsageReports.writeShares(result.usage, to: writer)
        }
        try writeCSV("usage-\(name)-authorizers.csv", columns: UsageReports.authorizerColumns) { writer throws(AtomicFile.WriteError) in
            try UsageReports.writeAuthorizers(result.usage, to: writer)
        }
        try writeCSV("clearing-\(name).csv", columns: UsageReports.clearingColumns) { writer throws(AtomicFile.WriteError) in
            try UsageReports.writeClearing(result.usage, to: writer)
        }
        let earmarks = result.usage.earmarks
        try writeCSV("wallets-\(name).csv", columns: EarmarkReports.walletColumns) { writer throws(AtomicFile.WriteError) in
            try EarmarkReports.writeWallets(earmarks, to: writer)
        }
        try writeCSV("transfers-\(name).csv", columns: EarmarkReports.transferColumns) { writer throws(AtomicFile.WriteError) in
            try EarmarkReports.writeTransfers(earmarks, to: writer)
        }
        try writeCSV("quotas-\(name).csv", columns: EarmarkReports.quotaColumns) { writer throws(AtomicFile.WriteError) in
            try EarmarkReports.writeQuotas(earmarks, to: writer)
        }
        try writeCSV("pots-\(name).csv", columns: EarmarkReports.potColumns) { writer throws(AtomicFile.WriteError) in
            try EarmarkReports.writePots(earmarks, to: writer)
        }
        if workbooks { try writeWorkbook("usage-\(name).xlsx", result.usage, policy: policy) }
        try write("usage-\(name).md", CreditReports.monthPage(
            month: result.month, policy: policy,
            usage: UsageReports.sections(result.usage, policy: policy, disclosure: disclosure, words: words)
                + EarmarkReports.sections(result.usage, policy: policy, disclosure: disclosure, words: words),
            credits: result.groups, findings: result.findings, balances: result.balances, imports: imports,
            rejectedRows: rejected, disclosure: disclosure, words: words))
    }

    /// The month's workbook: written under a temporary name in the staging
    /// folder (libxlsxwriter's row files beside it), then renamed, like every report.
    mutating func writeWorkbook(_ name: String, _ usage: UsageMonth, policy: Policy) throws(RunError) {
        let target = url.appendingPathComponent(name)
        let partial = url.appendingPathComponent(".\(name).partial")
        do {
            try UsageWorkbook.write(usage, policy: policy, disclosure: disclosure, words: words, to: partial.path, tmpdir: url.path)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            // The report's name in the out folder, not the staging file's.
            throw RunError("\(stage.out.appendingPathComponent(name).path): cannot write the workbook: \(error.reason)")
        }
        guard rename(partial.path, target.path) == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw RunError("\(name): cannot put the workbook in place (\(String(cString: strerror(errno))))")
        }
        written.append(name)
    }

    /// rejects.csv and manifest.json, last.
    mutating func finish(rejects: [Reject], manifest: (_ outputs: [String]) -> Manifest) throws(RunError) {
        try write("rejects.csv", RejectsReport(rejects: rejects, disclosure: disclosure).csv)
        let text: String
        do { text = try manifest(written + ["manifest.json"]).json() } catch { throw RunError("manifest.json: cannot encode: \(error)") }
        try write("manifest.json", text)
    }
}
