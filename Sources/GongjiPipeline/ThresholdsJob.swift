import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// The policy and the bulletins of a data folder, and the thresholds they give.
public struct LoadedThresholds: Sendable {
    public var policy: Policy
    public var bulletins: [WageBulletin]
    public var wages: WageBook
    public var periods: [ThresholdPeriod]
    /// Provenance of each file read, for manifest.json and the run log.
    public var inputs: [InputRecord]
    /// The title of the what-if override applied to the policy, if any.
    public var whatIf: PolicyReader.Title?

    /// Only the regions of `selection`'s provinces (`--province`): their
    /// rules and thresholds, all a job given it settles and reports.
    public func restricted(to selection: ProvinceSelection?) -> LoadedThresholds {
        guard let selection else { return self }
        var restricted = self
        restricted.policy = policy.restricted(to: selection)
        restricted.periods = periods.filter { selection.contains($0.region) }
        return restricted
    }

    /// The same thresholds derived again up to `day`: a run passes the last
    /// day of its last month, so that every policy year it settles has its
    /// threshold, the newest bulletin's base carried forward where later
    /// bulletins are missing (docs/rules.md, rule R1).
    public func through(_ day: Day?) -> LoadedThresholds {
        guard let day else { return self }
        var extended = self
        extended.periods = policy.sortedRegions.flatMap { ThresholdSchedule.periods(for: $0, wages: wages, through: day) }
        return extended
    }
}

/// Loads policy.yaml and bulletins/*.xml and derives every region's thresholds.
public enum ThresholdsJob {
    /// `override`: a what-if override file (docs/policy.md) applied to policy.yaml.
    public static func load(_ folder: DataFolder, through: Day? = nil, override: String? = nil,
                            console: Console) throws(RunError) -> LoadedThresholds {
        let policyName = folder.name(of: folder.policy)
        guard FileManager.default.fileExists(atPath: folder.policy.path) else {
            throw RunError(InputError(file: policyName, line: nil, message: "missing: every data folder needs a policy.yaml"))
        }
        var policy: Policy
        do {
            policy = try PolicyReader.read(path: folder.policy.path, name: policyName)
        } catch {
            throw RunError(error)
        }
        var inputs = [try record(folder.policy, name: policyName, count: policy.regions.count)]
        console.info("\(policyName): \(policy.regions.count) regions")
        var whatIf: PolicyReader.Title?
        if let override {
            let url = URL(fileURLWithPath: override)
            guard FileManager.default.fileExists(atPath: url.path) else { throw RunError("\(override): no such file") }
            do {
                let read = try PolicyReader.override(path: url.path, name: override, base: policy)
                policy = read.policy
                whatIf = read.title
            } catch {
                throw RunError(error)
            }
            inputs.append(try record(url, name: override, count: 1))
            let title = whatIf.map { Words(console.language).title(zh: $0.zh, en: $0.en) }
            console.info("\(override): what-if \"\(title ?? "")\"")
        }

        var bulletins: [WageBulletin] = []
        for url in folder.bulletins() {
            let name = folder.name(of: url)
            let read: [WageBulletin]
            do {
                read = try BulletinReader.read(path: url.path, name: name)
            } catch {
                throw RunError(error)
            }
            for bulletin in read where policy.regions[bulletin.region] == nil {
                console.warning("\(bulletin.origin): region \(bulletin.region) is not in policy.yaml; its figures are not used")
            }
            console.info("\(name): \(read.count) bulletins")
            inputs.append(try record(url, name: name, count: read.count))
            bulletins += read
        }
        let book: WageBook
        do {
            book = try WageBook(bulletins: bulletins)
        } catch {
            throw RunError("\(error.secondOrigin): \(error.message)")
        }
        let periods = policy.sortedRegions.flatMap { ThresholdSchedule.periods(for: $0, wages: book, through: through) }
        return LoadedThresholds(policy: policy, bulletins: bulletins, wages: book, periods: periods, inputs: inputs,
                                whatIf: whatIf)
    }

    /// A file read whole or rejected whole: its records are all accepted.
    static func record(_ url: URL, name: String, count: Int) throws(RunError) -> InputRecord {
        do {
            let digest = try FileDigest.sha256(of: url)
            return InputRecord(file: name, sha256: digest.hex, bytes: digest.bytes, read: count, rejected: 0)
        } catch {
            throw RunError("\(name): cannot read the file")
        }
    }
}

/// `gongji thresholds`: the thresholds as a table, CSV or Markdown, for the
/// command line (which imports the pipeline only).
public enum ThresholdsOutput: String, CaseIterable, Sendable {
    case table, csv, md
}

extension ThresholdsJob {
    /// Whether `text` is a region code (6 digits).
    public static func isRegionCode(_ text: String) -> Bool { RegionCode(text) != nil }

    /// Whether `text` is a month written `YYYY-MM`.
    public static func isMonth(_ text: String) -> Bool { YearMonth(text: text) != nil }

    /// The thresholds of the data folder at `data` (one region's with
    /// `region`), derived up to `through` (`YYYY-MM`; this month in China
    /// when nil: docs/rules.md, rule R1), rendered as `format` in `language`.
    /// `provinces` (`--province`): only those provinces' regions.
    public static func render(data: String, region: String?, through: String?, format: ThresholdsOutput,
                              language: Language, provinces: String? = nil) throws(RunError) -> String {
        let folder: DataFolder
        do { folder = try DataFolder(path: data) } catch { throw RunError(error) }
        let month = through.flatMap(YearMonth.init(text:)) ?? YearMonth(Day.todayInChina)
        // Loading messages go to stderr's silence: stdout carries only the table.
        var loaded = try load(folder, console: Console(info: { _ in }, warning: Console.standard(quiet: true, language: language).warning))
            .through(month.lastDay)
        let selection = try JobOptions.selection(provinces, loaded.policy)
        loaded = loaded.restricted(to: selection)
        if let code = region.flatMap(RegionCode.init) {
            if let selection, !selection.contains(code) { throw RunError("--region \(code) is not in --province \(selection)") }
            guard let one = loaded.policy.regions[code] else { throw RunError("policy.yaml: no region \(code)") }
            loaded.policy = Policy(regions: [one])
            loaded.periods = loaded.periods.filter { $0.region == code }
        }
        let report = ThresholdReport(policy: loaded.policy, periods: loaded.periods, words: Words(language))
        switch format {
        case .table: return report.terminalTable
        case .csv: return report.csv
        case .md: return report.markdown
        }
    }
}
