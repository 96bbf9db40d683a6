import ArgumentParser
import GongjiPipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load the data folder, settle every month, and write every report to the out folder.",
        discussion: """
        Months run from the first to the last month with a roster row or a claim. Each month: opening balances, \
        claims settled in time order (own account first, then family money above each authorizer's threshold), \
        then the month's credits. The results of every month also go to the store, in one transaction. For a \
        city's data, build the release binary once (swift build -c release) and run .build/release/gongji.
        """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions

    @OptionGroup var output: OutputOptions
    @OptionGroup var kept: StoreOptions

    func run() throws {
        try RunJob.run(kept.apply(to: output.job(common, input, command: "gongji run --data \(common.data) --out \(output.out)\(common.provinceArgument)")),
                       console: common.console(reveal: output.revealIDs, language: output.lang))
    }
}

extension RunCommand: RevealsIDs, Speaks {
    var revealIDs: Bool { output.revealIDs }
    var language: Language { output.lang }
}
