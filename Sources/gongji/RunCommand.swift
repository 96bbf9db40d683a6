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

    @Option(name: .long, help: ArgumentHelp("The folder for reports.", valueName: "dir"))
    var out: String = "Reports"

    @Option(name: .long, help: ArgumentHelp("The embedded SQLite store; made if missing.", valueName: "path"))
    var store: String = RunJob.defaultStore

    @Flag(name: .customLong("reveal-ids"), help: "Show full ID numbers and names in reports (masked by default).")
    var revealIDs = false

    func run() throws {
        var options = RunJob.Options(data: common.data, out: out, store: store,
                                   command: "gongji run --data \(common.data) --out \(out)")
        options.revealIDs = revealIDs
        options.strict = input.strict
        options.encoding = input.encoding
        try RunJob.run(options, console: common.console)
    }
}
