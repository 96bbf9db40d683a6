import ArgumentParser
import GongjiImport
import GongjiPipeline

struct Gongji: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gongji",
        abstract: "Family sharing of employee medical-insurance accounts (职工医保个人账户家庭共济).",
        discussion: """
        Reads a data folder (policy.yaml, bulletins/*.xml, persons.csv, contributions/*.csv, ...) and writes reports.
        Exit codes: 0 done, 1 the run could not be done, 2 wrong usage.
        """,
        version: RunJob.version,
        subcommands: [RunCommand.self, ValidateCommand.self, ThresholdsCommand.self]
    )
}

extension TextEncoding: ExpressibleByArgument {}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data folder.", valueName: "dir"))
    var data: String = "SampleData"

    @Flag(name: .long, help: "Print nothing but warnings and errors.")
    var quiet = false

    var console: Console { .standard(quiet: quiet) }
}

/// Options of the commands that read CSV inputs.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "CSV text encoding: auto (UTF-8, or GB18030 when the text is not UTF-8), utf-8 or gb18030.")
    var encoding: TextEncoding = .auto

    @Flag(name: .long, help: "Exit with code 1 when any input row was rejected (the reports are still written).")
    var strict = false
}
