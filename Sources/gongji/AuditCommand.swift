import ArgumentParser
import GongjiPipeline

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check what the platform paid: replay its settlement records and report every breach of the rules.",
        discussion: """
        Reads settlements/*.csv and mutual-aid/*.csv (docs/audit.md) beside the usual inputs. Each month with \
        settlement records is replayed as the platform paid it: every account moves by the platform's amounts, and \
        every payment is checked against the rules in force at that moment (codes A01-A13). Writes \
        audit-YYYY-MM.md, audit-YYYY-MM-findings.csv and audit-YYYY-MM.xlsx per month, rejects.csv and manifest.json. The store \
        keeps the findings beside their month (table audit_finding) and the run in its log; the balances and claim results a \
        run stored are not touched.
        """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions

    @Option(name: .long, help: ArgumentHelp("The folder for reports.", valueName: "dir"))
    var out: String = "Reports"

    @Option(name: .long, help: ArgumentHelp("The store that keeps the findings: an SQLite file, made if missing, or postgresql://user@host:port/db (the password from PGPASSWORD or ~/.pgpass).", valueName: "path-or-uri"))
    var store: String = RunJob.defaultStore

    @Flag(name: .customLong("reveal-ids"), help: "Show full ID numbers in reports (masked by default).")
    var revealIDs = false

    @Flag(name: .customLong("csv-bom"), help: "Start every CSV report with a UTF-8 byte-order mark, so that Excel reads it as UTF-8.")
    var csvBOM = false

    @Option(name: .long, help: "The language of the pages, of the findings' detail and of the messages: zh (default) or en.")
    var lang: Language = .zh

    @Flag(name: .customLong("no-workbook"), help: "Do not write the findings workbooks (audit-YYYY-MM.xlsx).")
    var noWorkbook = false

    func run() throws {
        var options = JobOptions(data: common.data, out: out, store: store,
                                 command: "gongji audit --data \(common.data) --out \(out)\(common.provinceArgument)")
        options.revealIDs = revealIDs
        options.csvBOM = csvBOM
        options.language = lang
        options.workbooks = !noWorkbook
        options.strict = input.strict
        options.encoding = input.encoding
        options.provinces = common.province
        try AuditJob.run(options, console: common.console(language: lang))
    }
}

extension AuditCommand: Speaks {
    var language: Language { lang }
}
