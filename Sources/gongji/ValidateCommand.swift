import ArgumentParser
import GongjiPipeline

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every input file and the policy; write the rejects report; change nothing else."
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions

    @Option(name: .long, help: ArgumentHelp("The folder for rejects.csv.", valueName: "dir"))
    var out: String = "Reports"

    @Flag(name: .customLong("csv-bom"), help: "Start rejects.csv with a UTF-8 byte-order mark, so that Excel reads it as UTF-8.")
    var csvBOM = false

    @Option(name: .long, help: "The language of the messages and of rejects.csv's error column: zh (default) or en.")
    var lang: Language = .zh

    func run() throws {
        try ValidateJob.run(data: common.data, out: out, strict: input.strict, encoding: input.encoding, bom: csvBOM,
                            provinces: common.province, language: lang, console: common.console(language: lang))
    }
}

extension ValidateCommand: Speaks {
    var language: Language { lang }
}
