import ArgumentParser
import GongjiPipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load the data folder, settle every month, and write every report to the out folder.",
        discussion: """
        Months run from the first to the last month with a roster row or a claim. Each month: opening balances,         claims settled in time order (own account first, then family money above each authorizer's threshold),         then the month's credits. The results of every month also go to the store, in one transaction.
        """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        var options = RunJob.Options(data: common.data, out: output.out, store: output.store,
                                     command: "gongji run --data \(common.data) --out \(output.out)")
        options.revealIDs = output.revealIDs
        options.strict = input.strict
        options.encoding = input.encoding
        try RunJob.run(options, console: common.console)
    }
}
