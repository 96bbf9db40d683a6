import ArgumentParser
import GongjiDomain
import GongjiPipeline
import GongjiReports

struct ThresholdsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thresholds",
        abstract: "Print the family-sharing thresholds derived from the bulletins and the policy."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, md
    }

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Only this region (6-digit code).", valueName: "code"))
    var region: String?

    @Option(name: .long, help: "Output format: table, csv or md.")
    var format: Format = .table

    @Option(name: .long, help: "The language of the md format: zh (default) or en.")
    var lang: Language = .zh

    @Option(name: .long, help: ArgumentHelp(
        "Derive the thresholds up to this month: policy years after the newest bulletin take its base "
            + "(docs/rules.md, rule R1). Default: this month. A run's thresholds.csv goes to its last month settled.",
        valueName: "YYYY-MM"))
    var through: String?

    func validate() throws {
        if let region, RegionCode(region) == nil {
            throw ValidationError("--region takes a 6-digit region code, such as 440300")
        }
        if let through, YearMonth(text: through) == nil {
            throw ValidationError("--through takes a month written YYYY-MM, such as 2026-01")
        }
    }

    func run() throws {
        let folder: DataFolder
        do { folder = try DataFolder(path: common.data) } catch { throw RunError(error.description) }
        // Loading messages go to stderr's silence: stdout carries only the table.
        let month = through.flatMap(YearMonth.init(text:)) ?? YearMonth(Day.todayInChina)
        var loaded = try ThresholdsJob.load(folder, console: Console(info: { _ in }, warning: Console.standard(quiet: true).warning))
            .through(month.lastDay)
        if let code = region.flatMap(RegionCode.init) {
            guard let one = loaded.policy.regions[code] else {
                throw RunError("policy.yaml: no region \(code)")
            }
            loaded.policy = Policy(regions: [one])
            loaded.periods = loaded.periods.filter { $0.region == code }
        }
        let report = ThresholdReport(policy: loaded.policy, periods: loaded.periods, words: Words(lang))
        switch format {
        case .table: print(report.terminalTable, terminator: "")
        case .csv: print(report.csv, terminator: "")
        case .md: print(report.markdown, terminator: "")
        }
    }
}
