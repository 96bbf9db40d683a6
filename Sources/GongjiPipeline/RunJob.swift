import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports
import GongjiStore

/// `gongji run`: load everything in the data folder, settle every month,
/// write every report to the out folder and the results to the store.
public enum RunJob {
    public static let version = "0.2.0"
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
        let store: Store
        do { store = try Store(path: options.store) } catch { throw RunError(error.description) }
        let result: (written: [String], rejected: Int)
        do {
            // One transaction for the whole run: a crash leaves the previous state whole.
            result = try store.transaction { writer in try run(options, folder, loaded, writer, console, now) }
        } catch let error as RunError {
            throw error
        } catch {
            throw RunError("\(options.store): the store could not be written, nothing in it changed: \(Store.describe(error))")
        }
        console.info("wrote \(result.written.count) reports to \(options.out); results stored in \(options.store)")
        if result.rejected > 0 {
            console.warning("\(result.rejected) rows rejected: see \(options.out)/rejects.csv")
            if options.strict { throw RunError("\(result.rejected) rows rejected and --strict was given") }
        }
        return result.written
    }

    private static func run(_ options: Options, _ folder: DataFolder, _ loaded: LoadedThresholds, _ writer: StoreWriter,
                            _ console: Console, _ now: Date) throws -> (written: [String], rejected: Int) {
        let runID = try writer.beginRun(startedAt: Manifest.timestamp(now), command: options.command,
                                        dataFolder: options.data, version: version)
        try writer.clearContributions()
        var storeError: (any Error)?
        let credits = try CreditsStage.run(folder, thresholds: loaded, encoding: options.encoding, console: console) {
            contribution, credit in
            guard storeError == nil else { return }
            do { try writer.insertContribution(contribution, credit: credit) } catch { storeError = error }
        }
        if let storeError { throw storeError }
        let sharing = try SharingStage.run(folder, policy: loaded.policy, persons: credits.persons,
                                           encoding: options.encoding, console: console)
        try writer.replacePersons(credits.persons.values.sorted { $0.id < $1.id })
        try writer.replaceOpenings(credits.openings.compactMap { key, list in
            credits.persons[key].map { person in list.map { (person.id, $0) } }
        }.joined())
        try writer.replaceBindings(sharing.bindings, events: sharing.events)
        try writer.replaceClaims(sharing.claims.keys.sorted().flatMap { sharing.claims[$0] ?? [] })
        try writer.replaceThresholds(loaded.periods)

        let out = URL(fileURLWithPath: options.out, isDirectory: true)
        var written: [String] = []
        func write(_ name: String, _ text: String) throws(RunError) {
            do { try AtomicFile.write(text, to: out.appendingPathComponent(name)) } catch { throw RunError(error) }
            written.append(name)
        }
        let report = ThresholdReport(policy: loaded.policy, periods: loaded.periods)
        try write("thresholds.csv", report.csv)
        try write("thresholds.md", report.markdown)

        let inputs = credits.inputs + sharing.inputs
        let rejects = credits.rejects + sharing.rejects
        let disclosure = Disclosure(reveal: options.revealIDs)
        let imports = inputs.map { ImportCount(file: $0.file, read: $0.read, accepted: $0.accepted, rejected: $0.rejected) }
        let family = FamilyIndex(bindings: sharing.bindings, events: sharing.events)
        let settler = FamilySettler(policy: loaded.policy, periods: loaded.periods, persons: credits.persons, family: family)
        var ledger = AccountLedger(openings: credits.openings)
        let months = monthRange(Set(credits.months.keys).union(sharing.claims.keys))
        for month in months {
            let monthCredits = credits.months[month] ?? MonthCredits()
            ledger.open(month: month)
            let settlements = (sharing.claims[month] ?? []).map { settler.settle($0, ledger: &ledger) }
            let balances = ledger.close(month: month, persons: credits.persons, credits: monthCredits.perPerson)
            let usage = UsageMonth(month: month, settlements: settlements,
                                   authorizers: authorizers(in: month, settler: settler, balances: balances))
            let groups = monthCredits.groups.keys.sorted().compactMap { key in
                monthCredits.groups[key].map {
                    CreditGroupRow(region: key.region, band: key.band, persons: $0.persons, baseTotal: $0.base, creditTotal: $0.credit)
                }
            }
            let findings = monthCredits.findings.sorted { $0.person < $1.person }
            let name = month.text
            try write("credits-\(name).csv", CreditReports.creditsCSV(month: month, rows: groups))
            try write("balances-\(name).csv", CreditReports.balancesCSV(balances, disclosure: disclosure))
            try write("usage-\(name)-claims.csv", UsageReports.claimsCSV(usage, disclosure: disclosure))
            try write("usage-\(name)-shares.csv", UsageReports.sharesCSV(usage, disclosure: disclosure))
            try write("usage-\(name)-authorizers.csv", UsageReports.authorizersCSV(usage, disclosure: disclosure))
            try write("usage-\(name).md", CreditReports.monthPage(
                month: month, policy: loaded.policy,
                usage: UsageReports.sections(usage, policy: loaded.policy, disclosure: disclosure),
                credits: groups, findings: findings, balances: balances, imports: imports,
                rejectedRows: rejects.count, disclosure: disclosure))
            try writer.replaceMonth(month, run: runID, balances: balances, settlements: settlements)
        }
        try write("rejects.csv", RejectsReport(rejects: rejects, disclosure: disclosure).csv)
        let manifest = Manifest(version: version, command: options.command, runAt: now, dataFolder: options.data,
                                inputs: loaded.inputs + inputs, outputs: written + ["manifest.json"])
        do {
            try write("manifest.json", try manifest.json())
        } catch let error as RunError {
            throw error
        } catch {
            throw RunError("manifest.json: cannot encode: \(error)")
        }
        try writer.finishRun(runID, finishedAt: Manifest.timestamp(Date()), months: months,
                             inputs: (loaded.inputs + inputs).map {
                                 InputFileRecord(file: $0.file, sha256: $0.sha256, bytes: $0.bytes, read: $0.read,
                                                 accepted: $0.accepted, rejected: $0.rejected)
                             })
        return (written, rejects.count)
    }

    /// Every month from the first to the last that has a roster row or a claim.
    static func monthRange(_ months: Set<YearMonth>) -> [YearMonth] {
        guard let first = months.min(), let last = months.max() else { return [] }
        var list = [first]
        while let month = list.last, month < last { list.append(month.next) }
        return list
    }

    /// Every insured authorizer with a binding active on some day of `month`, in ID order.
    static func authorizers(in month: YearMonth, settler: FamilySettler, balances: [AccountMonth]) -> [AuthorizerRow] {
        var rows: [UInt64: AuthorizerRow] = [:]
        for key in settler.family.authorizerKeys {
            let active = settler.family.bindings(ofAuthorizer: key).filter { settler.family.isActive($0, in: month) }
            guard !active.isEmpty, let person = settler.persons[key] else { continue }
            rows[key] = AuthorizerRow(authorizer: person.id, region: person.region, account: nil,
                                      threshold: settler.threshold(region: person.region, on: month.lastDay),
                                      beneficiaries: Set(active.map(\.beneficiary.key)).count)
        }
        for account in balances where rows[account.person.key] != nil { rows[account.person.key]?.account = account }
        return rows.values.sorted { $0.authorizer < $1.authorizer }
    }
}
