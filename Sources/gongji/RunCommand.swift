import ArgumentParser
import GongjiPipeline

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Load the data folder, compute, and write every report to the out folder."
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("The folder for reports.", valueName: "dir"))
    var out: String = "Reports"

    func run() throws {
        let options = RunJob.Options(data: common.data, out: out, command: "gongji run --data \(common.data) --out \(out)")
        try RunJob.run(options, console: common.console)
    }
}
