import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports
import GongjiStore

/// `gongji audit`: replays the platform's settlement records (settlements/
/// and mutual-aid/, docs/audit.md) month by month and checks every payment
/// against the rules in force at that moment. A month with settlement files
/// is replayed from them; the other months with inputs are settled as in a
/// run, so that every audited month opens from the right balances. Writes
/// audit-YYYY-MM.md, audit-YYYY-MM-findings.csv (and .xlsx) for each
/// audited month, rejects.csv and manifest.json; the store (`--store`)
/// keeps the findings and the run log entry.
public enum AuditJob {
    /// The platform's records of a data folder.
    struct Platform {
        var settlements: [PlatformSettlement] = []
        var aid: [MutualAidPayment] = []
        var files: [InputRecord] = []
        /// With `--province`: settlements and payments that join two provinces.
        var ties: [ProvinceTie] = []
    }

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
            let store = try RunJob.openStore(options.store, console: console)
            return try RunJob.inTransaction(store, options.store, console, selection: selection) { transaction in
                let result = try audit(options, folder, loaded, selection, transaction, console, now, reports)
                try RunJob.publishing(result.run, reports, store, options.store, transaction)
                return (result.written, result.rejected)
            }
        }
        console.info("wrote \(result.0.count) reports to \(options.out); findings stored in \(storeDisplay(options.store))")
        try RunJob.reportRejects(result.1, out: options.out, strict: options.strict, console: console)
        return result.0
    }

    /// The audit in the store's transaction: a run log entry (command
    /// `gongji audit`, the months audited), and each audited month's findings
    /// in place of those an earlier audit kept (docs/audit.md, "In the
    /// store"). Balances and claim results are not touched: the months a
    /// run settled stay as it settled them.
    private static func audit(_ options: JobOptions, _ folder: DataFolder, _ loaded: LoadedThresholds,
                              _ selection: ProvinceSelection?, _ store: BackgroundTransaction, _ console: Console, _ now: Date,
                              _ reports: ReportFolder) throws -> (written: [String], rejected: Int, run: Int64) {
        let runID = try store.sync { try $0.beginRun(startedAt: Manifest.timestamp(now), command: options.command,
                                                     dataFolder: options.data, version: RunJob.version) }
        var computation = try Computation.load(folder, loaded, encoding: options.encoding, console: console,
                                               noteGaps: false, selection: selection)
        var readFolder = folder
        readFolder.filtered = selection != nil
        var platform = try read(readFolder, loaded.policy, computation.inputs.persons, options.encoding, console,
                                filter: computation.inputs.filter)
        computation.inputs.ties += platform.ties
        try Computation.checkTies(computation.inputs)
        guard !platform.settlements.isEmpty else {
            throw RunError("\(folder.name(of: folder.root.appendingPathComponent("settlements"))): no settlement "
                           + "records to audit (settlements/*.csv, docs/audit.md)")
        }
        // Months audited: those with settlement records; a month may not also have claims in usage/.
        let audited = Set(platform.settlements.map { YearMonth($0.time.day) })
        let claimed = Set(computation.inputs.claims.months)
        if let both = audited.intersection(claimed).min() {
            throw RunError("\(both): the month has claims in usage/ and settlement records in settlements/: "
                           + "a month is either settled from usage/ or audited from settlements/, not both")
        }
        computation.months = Set(computation.months).union(audited).sorted()
        computation.loaded = computation.loaded.through(computation.months.last?.lastDay)
        computation.noteGaps(console)
        computation.inputs.files += platform.files
        platform.settlements.sort(by: PlatformSettlement.order)  // each month's in replay order: audit(_:) sorts no copy
        let byMonth = Dictionary(grouping: platform.settlements, by: { YearMonth($0.time.day) })
        let known = Set(platform.settlements.map(\.id))
        platform.settlements = []  // byMonth holds them now: not two copies of a city's month through the replay
        let aid = Dictionary(grouping: platform.aid.filter { known.contains($0.settlement) }, by: \.settlement)
        let orphans = platform.aid.filter { !known.contains($0.settlement) }
        var settlement = Settlement(computation.settlementInputs, claims: computation.inputs.claims)
        let regions = computation.inputs.regions  // not the inputs: the store's queue holds it
        var first = true
        for month in computation.months {
            guard let records = byMonth[month] else {
                _ = try console.time("settle \(month)") { () throws(RunError) in
                    do { return try settlement.settle(month) } catch { throw RunError("\(error)") }
                }
                continue
            }
            var audit = console.time("audit \(month)") {
                settlement.audit(month, settlements: records, aid: aid)
            }
            // Mutual-aid rows naming no settlement of the data: listed once, in the first month audited (A09).
            if first {
                audit.findings += orphans.map {
                    AuditFinding(settlement: $0.settlement, time: nil, region: nil, patient: nil, payer: $0.payer,
                                 code: .mutualAidMismatch, amountAtRisk: Money(fen: abs($0.amount.fen)),
                                 detail: .unknownSettlement)
                }
                first = false
            }
            let findings = audit.findings
            try store.enqueue(weight: findings.count) { writer in
                // The store keeps the detail in English, as it keeps a claim's refusals.
                let english = Words(.en)
                try writer.replaceFindings(month, run: runID, findings: findings, detail: { english.detail($0.detail) },
                                           regionOf: regions)
            }
            try reports.writeAudit(audit, policy: computation.loaded.policy)
            console.info("\(month): \(audit.settlements) settlements replayed, \(audit.findings.count) findings")
        }
        try reports.finish(computation, options: options, now: now)
        try RunJob.finishRun(runID, folder, inputs: computation.allInputs, months: audited.sorted(),
                             stored: RunJob.StoredInputs(keeping: false), store)
        return (reports.written, computation.rejects.count, runID)
    }

    /// settlements/*.csv and mutual-aid/*.csv, every row accepted or rejected like any input's.
    /// With `filter` (`--province`), only those provinces' records.
    static func read(_ folder: DataFolder, _ policy: Policy, _ persons: PersonTable, _ encoding: TextEncoding,
                     _ console: Console, filter: ProvinceFilter? = nil) throws(RunError) -> Platform {
        var platform = Platform()
        let window = DateWindow(policy: policy, today: .todayInChina)
        var settlements = SettlementsRows(policy: policy, persons: persons, window: window,
                                          medTypes: MedTypeTable(overrides: policy.medTypes), filter: filter)
        for url in folder.settlements() {
            let table = try CSVInput.open(url, folder, SettlementsRows.self, encoding, console)
            settlements.use(table)
            platform.files.append(try CSVInput.read(table, url, folder, into: &settlements, console))
        }
        var aid = MutualAidRows(persons: persons, filter: filter, settlements: settlements.provinces)
        for url in folder.mutualAid() {
            let table = try CSVInput.open(url, folder, MutualAidRows.self, encoding, console)
            aid.use(table)
            platform.files.append(try CSVInput.read(table, url, folder, into: &aid, console))
        }
        platform.settlements = settlements.settlements
        platform.aid = aid.payments
        platform.ties = settlements.ties + aid.ties
        return platform
    }
}

extension ReportFolder {
    /// audit-YYYY-MM-findings.csv, audit-YYYY-MM.md and (unless `--no-workbook`) audit-YYYY-MM.xlsx.
    func writeAudit(_ audit: AuditMonth, policy: Policy) throws(RunError) {
        let name = audit.month.text
        let words = self.words
        try writeCSV("audit-\(name)-findings.csv", columns: AuditReports.findingColumns) { writer throws(AtomicFile.WriteError) in
            try AuditReports.writeFindings(audit, words: words, to: writer)
        }
        try write("audit-\(name).md", AuditReports.page(audit, policy: policy, disclosure: disclosure, words: words))
        if workbooks {
            try writeWorkbook("audit-\(name).xlsx") { path, tmpdir throws(UsageWorkbook.Failure) in
                try AuditWorkbook.write(audit, policy: policy, disclosure: disclosure, words: words, to: path, tmpdir: tmpdir)
            }
        }
    }
}
