import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// `gongji run`: load everything in the data folder, compute, and write
/// every report to the out folder.
public enum RunJob {
    public static let version = "0.1.0"

    public struct Options: Sendable {
        public var data: String
        public var out: String
        public var command: String
        public var revealIDs = false
        public var strict = false
        public var encoding = TextEncoding.auto

        public init(data: String, out: String, command: String) {
            self.data = data
            self.out = out
            self.command = command
        }
    }

    /// Returns the names of the reports written.
    @discardableResult
    public static func run(_ options: Options, console: Console, now: Date = Date()) throws(RunError) -> [String] {
        let folder: DataFolder
        do { folder = try DataFolder(path: options.data) } catch { throw RunError(error) }
        let loaded = try ThresholdsJob.load(folder, console: console)
        let credits = try CreditsStage.run(folder, thresholds: loaded, encoding: options.encoding, console: console)
        let out = URL(fileURLWithPath: options.out, isDirectory: true)
        let report = ThresholdReport(policy: loaded.policy, periods: loaded.periods)
        var written: [String] = []
        func write(_ name: String, _ text: String) throws(RunError) {
            do { try AtomicFile.write(text, to: out.appendingPathComponent(name)) } catch { throw RunError(error) }
            written.append(name)
        }
        try write("thresholds.csv", report.csv)
        try write("thresholds.md", report.markdown)
        let disclosure = Disclosure(reveal: options.revealIDs)
        let imports = credits.inputs.map { ImportCount(file: $0.file, read: $0.read, accepted: $0.accepted, rejected: $0.rejected) }
        var ledger = AccountLedger(openings: credits.openings)
        for month in credits.monthRange {
            let monthCredits = credits.months[month] ?? MonthCredits()
            let groups = monthCredits.groups.keys.sorted().compactMap { key in
                monthCredits.groups[key].map {
                    CreditGroupRow(region: key.region, band: key.band, persons: $0.persons, baseTotal: $0.base, creditTotal: $0.credit)
                }
            }
            let balances = ledger.close(month: month, persons: credits.persons, credits: monthCredits.perPerson)
            let findings = monthCredits.findings.sorted { $0.person < $1.person }
            try write("credits-\(month.text).csv", CreditReports.creditsCSV(month: month, rows: groups))
            try write("balances-\(month.text).csv", CreditReports.balancesCSV(balances, disclosure: disclosure))
            try write("usage-\(month.text).md", CreditReports.monthPage(
                month: month, policy: loaded.policy, credits: groups, findings: findings, balances: balances,
                imports: imports, rejectedRows: credits.rejects.count, disclosure: disclosure))
        }
        try write("rejects.csv", RejectsReport(rejects: credits.rejects, disclosure: disclosure).csv)
        let manifest = Manifest(version: version, command: options.command, runAt: now, dataFolder: options.data,
                                inputs: loaded.inputs + credits.inputs, outputs: written + ["manifest.json"])
        do {
            try write("manifest.json", try manifest.json())
        } catch let error as RunError {
            throw error
        } catch {
            throw RunError("manifest.json: cannot encode: \(error)")
        }
        console.info("wrote \(written.count) reports to \(options.out)")
        if !credits.rejects.isEmpty {
            console.warning("\(credits.rejects.count) rows rejected: see \(options.out)/rejects.csv")
            if options.strict { throw RunError("\(credits.rejects.count) rows rejected and --strict was given") }
        }
        return written
    }
}
