import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// `gongji validate`: read every input, report what is wrong, write only
/// rejects.csv.
public enum ValidateJob {
    /// `provinces` (`--province`): only those provinces' rows are checked,
    /// the others' counted as skipped; a province they are tied to and that
    /// it leaves out is an error, as for `run`. rejects.csv's `error` is in
    /// `language` (`--lang`).
    public static func run(data: String, out: String, strict: Bool = false, encoding: TextEncoding = .auto,
                           bom: Bool = false, provinces: String? = nil, language: Language = .zh,
                           console: Console) throws(RunError) {
        var folder: DataFolder
        do { folder = try DataFolder(path: data) } catch { throw RunError(error) }
        folder.digests = false  // validate writes no manifest
        let loaded = try ThresholdsJob.load(folder, console: console)
        let selection = try JobOptions.selection(provinces, loaded.policy)
        let inputs = try ReadInputs.run(folder, loaded, encoding: encoding, console: console, selection: selection)
        try Computation.checkTies(inputs)
        let rejects = inputs.rejects
        let outFolder = URL(fileURLWithPath: out, isDirectory: true)
        // What an interrupted run left in the out folder is settled before rejects.csv is written there.
        ReportStage.recover(outFolder) { staging, token, store in
            Publication.settle(staging: staging, out: outFolder, token: token, storePath: store, console: console)
        }
        let url = outFolder.appendingPathComponent("rejects.csv")
        let csv = RejectsReport(rejects: rejects, words: Words(language)).csv
        do { try AtomicFile.write(bom ? "\u{FEFF}" + csv : csv, to: url) } catch { throw RunError(error) }
        if rejects.isEmpty {
            console.info("valid: nothing rejected; wrote \(out)/rejects.csv")
        } else {
            console.warning("\(rejects.count) rows rejected: see \(out)/rejects.csv")
            if strict { throw RunError("\(rejects.count) rows rejected and --strict was given") }
        }
    }
}
