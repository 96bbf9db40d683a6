import ArgumentParser
import GongjiPipeline

struct ThresholdsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thresholds",
        abstract: "Print the family-sharing thresholds derived from the bulletins and the policy."
    )

    typealias Format = ThresholdsOutput

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("Only this region (6-digit code).", valueName: "code"))
    var region: String?

    @Option(name: .long, help: "Output format: table, csv or md.")
    var format: Format = .table

    @Option(name: .long, help: "The language of the md format and of the messages: zh (default) or en.")
    var lang: Language = .zh

    @Option(name: .long, help: ArgumentHelp(
        "Derive the thresholds up to this month: policy years after the newest bulletin take its base "
            + "(docs/rules.md, rule R1). Default: this month. A run's thresholds.csv goes to its last month settled.",
        valueName: "YYYY-MM"))
    var through: String?

    func validate() throws {
        if let region, !ThresholdsJob.isRegionCode(region) {
            throw ValidationError("--region takes a 6-digit region code, such as 440300")
        }
        if let through, !ThresholdsJob.isMonth(through) {
            throw ValidationError("--through takes a month written YYYY-MM, such as 2026-01")
        }
    }

    func run() throws {
        print(try ThresholdsJob.render(data: common.data, region: region, through: through, format: format, language: lang,
                                         provinces: common.province),
              terminator: "")
    }
}

extension ThresholdsOutput: ExpressibleByArgument {}

extension ThresholdsCommand: Speaks {
    var language: Language { lang }
}
