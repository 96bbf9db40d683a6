import ArgumentParser
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
        subcommands: [RunCommand.self, ValidateCommand.self, ThresholdsCommand.self, RecomputeCommand.self,
                      WhatIfCommand.self, AuditCommand.self, StatementCommand.self]
    )
}

extension TextEncoding: ExpressibleByArgument {}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data folder.", valueName: "dir"))
    var data: String = "SampleData"

    @Option(name: .long, help: ArgumentHelp(
        "Only these provinces (the first two digits of their region codes: 44, or 13,32): their persons, rows and "
            + "claims; other provinces' rows are counted as skipped, and their results in the store stay as they were.",
        valueName: "codes"))
    var province: String?

    @Flag(name: .long, help: "Print nothing but warnings and errors.")
    var quiet = false

    @Flag(name: .long, help: "Print how long each stage took and the memory in use after it, on standard error (for benchmarks; no progress line then).")
    var timings = false

    /// ` --province 44` for the command line the manifest and the run log record; empty without it.
    var provinceArgument: String { province.map { " --province \($0)" } ?? "" }

    /// Messages in `language` (`--lang`), masked unless `reveal` (a command's `--reveal-ids`).
    func console(reveal: Bool = false, language: Language) -> Console {
        .standard(quiet: quiet, timings: timings, reveal: reveal, language: language)
    }
}

/// A command with `--reveal-ids`: with it, its messages are not masked either.
protocol RevealsIDs {
    var revealIDs: Bool { get }
}

/// A command's language (`--lang`): of its pages, its messages and its error.
protocol Speaks {
    var language: Language { get }
}

/// Options of the commands that read CSV inputs.
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "CSV text encoding: auto (UTF-8, or GB18030 when the text is not UTF-8), utf-8 or gb18030.")
    var encoding: TextEncoding = .auto

    @Flag(name: .long, help: "Exit with code 1 when any input row was rejected (what the command writes is still written).")
    var strict = false
}

/// Options of the commands that write reports about people.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The folder for reports.", valueName: "dir"))
    var out: String = "Reports"

    @Option(name: .long, help: ArgumentHelp("The store: an SQLite file, made if missing, or postgresql://user@host:port/db (the password from PGPASSWORD or ~/.pgpass).", valueName: "path-or-uri"))
    var store: String = RunJob.defaultStore

    @Flag(name: .customLong("reveal-ids"), help: "Show full ID numbers and names in reports (masked by default).")
    var revealIDs = false

    @Flag(name: .customLong("csv-bom"), help: "Start every CSV report with a UTF-8 byte-order mark, so that Excel reads it as UTF-8.")
    var csvBOM = false

    @Option(name: .long, help: "The language of the Markdown pages, workbooks, messages and rejects.csv's error column: zh (default) or en. CSV columns and codes never change.")
    var lang: Language = .zh

    @Flag(name: .customLong("no-workbook"),
          help: "Do not write the month workbooks (usage-YYYY-MM.xlsx): a city's month takes seconds more with them.")
    var noWorkbook = false

    /// The job's options from the command's.
    func job(_ common: CommonOptions, _ input: InputOptions, command: String) -> JobOptions {
        var options = JobOptions(data: common.data, out: out, store: store, command: command)
        options.revealIDs = revealIDs
        options.csvBOM = csvBOM
        options.workbooks = !noWorkbook
        options.language = lang
        options.strict = input.strict
        options.encoding = input.encoding
        options.provinces = common.province
        return options
    }
}

/// `run` and `recompute`: what the store keeps besides the results.
struct StoreOptions: ParsableArguments {
    @Flag(name: .customLong("keep-inputs"),
          help: "Keep a copy of every input file in the store (once per content). Without it the store keeps each input's SHA-256, size and row counts only.")
    var keepInputs = false

    func apply(to options: JobOptions) -> JobOptions {
        var options = options
        options.keepInputs = keepInputs
        return options
    }
}

extension Language: ExpressibleByArgument {}
