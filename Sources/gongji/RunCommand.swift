import ArgumentParser
import GongjiPipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load the data folder, compute, and write every report to the out folder."
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions

    @Option(name: .long, help: ArgumentHelp("The folder for reports.", valueName: "dir"))
    var out: String = "Reports"

    @Flag(name: .customLong("reveal-ids"), help: "Show full ID numbers and names in reports (masked by default).")
    var revealIDs = false

    func run() throws {
        var options = RunJob.Options(data: common.data, out: out, command: "gongji run --data \(common.data) --out \(out)")
        options.revealIDs = revealIDs
        options.strict = input.strict
        options.encoding = input.encoding
        try RunJob.run(options, console: common.console)
    }
}
