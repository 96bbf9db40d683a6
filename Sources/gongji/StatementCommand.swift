import ArgumentParser
import GongjiPipeline

struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "One person's account month by month, from the store: where did the account's money go?",
        discussion: """
        Reads the store a run wrote (no data folder) and writes statement-<id>-<from>-<to>.md and .csv: each month's \
        opening balance, the person's own spending claim by claim, what the account paid for relatives and what \
        relatives paid for the person, money set aside, the month-end credit and the closing balance, with the \
        threshold in force. Relatives' IDs (and the person's) are masked unless --reveal-ids. Only these two files \
        are written; nothing else in the out folder is touched.
        """
    )

    @Option(name: .long, help: ArgumentHelp("The person's resident ID.", valueName: "id"))
    var person: String

    @Option(name: .long, help: ArgumentHelp("The first month, YYYY-MM (default: the store's first).", valueName: "YYYY-MM"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("The last month, YYYY-MM (default: the store's last).", valueName: "YYYY-MM"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("The store a run wrote: an SQLite file or a postgresql:// URI.", valueName: "path-or-uri"))
    var store: String = RunJob.defaultStore

    @Option(name: .long, help: ArgumentHelp("The folder for the statement.", valueName: "dir"))
    var out: String = "."

    @Flag(name: .customLong("reveal-ids"), help: "Show full ID numbers (masked by default).")
    var revealIDs = false

    @Flag(name: .customLong("csv-bom"), help: "Start the CSV with a UTF-8 byte-order mark, so that Excel reads it as UTF-8.")
    var csvBOM = false

    @Option(name: .long, help: "The language of the page and of the messages: zh (default) or en.")
    var lang: Language = .zh

    @Option(name: .long, help: ArgumentHelp(
        "Only these provinces' rows of the store (the first two digits of their region codes: 44, or 13,32).",
        valueName: "codes"))
    var province: String?

    @Flag(name: .long, help: "Print nothing but warnings and errors.")
    var quiet = false

    func run() throws {
        try StatementJob.run(person: person, from: from, to: to, store: store, out: out, reveal: revealIDs, bom: csvBOM,
                             language: lang, provinces: province, console: .standard(quiet: quiet, reveal: revealIDs, language: lang))
    }
}

extension StatementCommand: RevealsIDs, Speaks {
    var language: Language { lang }
}
