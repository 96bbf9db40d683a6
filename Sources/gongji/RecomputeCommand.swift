import ArgumentParser
import GongjiPipeline

struct RecomputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recompute",
        abstract: "After a revised or late wage bulletin: recompute, re-settle, and report what changed.",
        discussion: """
        Compares with the results the last `gongji run` reported (kept in the store as the baseline), writes \
        changes.md, changes.svg and changes-{thresholds,summary,claims,balances,clearing}.csv next to the usual reports, \
        and stores the new results. Running it again compares with the same baseline and writes the same files.
        """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var input: InputOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var kept: StoreOptions

    @Option(name: .long, help: ArgumentHelp(
        "The earlier results: a store file or a folder holding gongji.sqlite (usually the --store, e.g. .gongji).",
        valueName: "store"))
    var since: String

    func run() throws {
        // A URI's password stays out of the manifest and the run log.
        let command = "gongji recompute --data \(common.data) --out \(output.out) --since \(RunJob.display(store: since))"
            + common.provinceArgument
        try RecomputeJob.run(kept.apply(to: output.job(common, input, command: command)), since: since,
                             console: common.console(reveal: output.revealIDs, language: output.lang))
    }
}

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "what-if",
        abstract: "Run the months under a changed policy and report what would change; the store is not touched.",
        discussion: """
        The override file (docs/policy.md, "What-if overrides") replaces rule lists of policy.yaml, e.g. a 3% \
        threshold, or near relatives allowed from an earlier date. The comparison is with the store's current results.
        """
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: ArgumentHelp("The policy override file.", valueName: "file"))
    var override: String

    @Option(name: .long, help: ArgumentHelp("The folder for the change report.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("The store holding the results to compare with: an SQLite file or a postgresql:// URI.", valueName: "path-or-uri"))
    var store: String = RunJob.defaultStore

    @Flag(name: .customLong("reveal-ids"), help: "Show full ID numbers and names in reports (masked by default).")
    var revealIDs = false

    @Flag(name: .customLong("csv-bom"), help: "Start every CSV report with a UTF-8 byte-order mark, so that Excel reads it as UTF-8.")
    var csvBOM = false

    @Option(name: .long, help: "The language of the Markdown pages and of the messages: zh (default) or en. CSV columns and codes never change.")
    var lang: Language = .zh

    @Option(name: .long, help: "CSV text encoding: auto, utf-8 or gb18030.")
    var encoding: TextEncoding = .auto

    func run() throws {
        var options = JobOptions(data: common.data, out: out, store: store,
                                 command: "gongji what-if --data \(common.data) --override \(override) --out \(out)\(common.provinceArgument)")
        options.revealIDs = revealIDs
        options.csvBOM = csvBOM
        options.language = lang
        options.encoding = encoding
        options.provinces = common.province
        try WhatIfJob.run(options, override: override, console: common.console(reveal: revealIDs, language: lang))
    }
}

extension RecomputeCommand: RevealsIDs, Speaks {
    var revealIDs: Bool { output.revealIDs }
    var language: Language { output.lang }
}

extension WhatIfCommand: RevealsIDs, Speaks {
    var language: Language { lang }
}
