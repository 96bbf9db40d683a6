import Foundation
import GongjiDomain
import GongjiReports
import GongjiStore

/// `gongji statement`: one person's account month by month, from the store
/// alone (docs/formats.md, "statement"). Writes statement-<id>-<from>-<to>.md
/// and .csv into the out folder, each atomically, and nothing else: the out
/// folder's other files (a run's reports, its manifest) are not touched.
public enum StatementJob {
    @discardableResult
    /// `provinces` (`--province`): only those provinces' rows of the store
    /// are read (a province is checked against those the store's accounts are in).
    public static func run(person text: String, from: String?, to: String?, store path: String, out: String,
                           reveal: Bool, bom: Bool, language: Language, provinces: String? = nil,
                           console: Console) throws(RunError) -> [String] {
        let disclosure = Disclosure(reveal: reveal)
        guard let person = ResidentID(text) else {
            throw RunError("--person \(disclosure.text(text)): not an 18-character ID (or a 15-digit legacy one)")
        }
        var range: [YearMonth?] = []
        for (name, value) in [("--from", from), ("--to", to)] {
            guard let value else { range.append(nil); continue }
            guard let month = YearMonth(text: value) else { throw RunError("\(name) \(value): a month is written YYYY-MM") }
            range.append(month)
        }
        if let first = range[0], let last = range[1], first > last { throw RunError("--from \(first) is after --to \(last)") }
        let storePath = try RecomputeJob.storePath(path)
        let store = try RunJob.openStore(storePath, readOnly: true)
        // `--province`: the person must be insured in one of them (a statement is one account's).
        var selection: ProvinceSelection?
        if let provinces {
            switch ProvinceSelection.parse(provinces, known: nil, of: "") {
            case let .success(parsed): selection = parsed
            case let .failure(error): throw RunError(error.phrase)
            }
        }
        let read: PersonStatement?
        do { read = try store.reading { try $0.statement(of: person, from: range[0], to: range[1]) } } catch {
            throw RunError("\(store.location): cannot read the store: \(store.describe(error))")
        }
        let statement = read.flatMap { found in
            selection.map { only in found.region.map(only.contains) ?? false } ?? true ? found : nil
        }
        guard let statement else {
            let months: Phrase? = from != nil || to != nil ? "the months asked" : nil
            let asked = [months, selection.map { "province \($0)" as Phrase }].compactMap { $0 }
            throw RunError(asked.isEmpty ? "\(disclosure.id(person)): not in the store"
                           : "\(disclosure.id(person)): not in the store in \(Phrase.list(asked))")
        }
        let words = Words(language)
        let name = "statement-\(disclosure.id(person))-\(statement.months.first!.month.text)-\(statement.months.last!.month.text)"
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        let csv = StatementReport.csv(statement, disclosure: disclosure)
        do {
            try AtomicFile.write((bom ? "\u{FEFF}" : "") + csv, to: folder.appendingPathComponent("\(name).csv"))
            try AtomicFile.write(StatementReport.markdown(statement, policy: nil, disclosure: disclosure, words: words),
                                 to: folder.appendingPathComponent("\(name).md"))
        } catch {
            throw RunError(error)
        }
        // Not the file names: their months after the ID would read as part of it to the console's masking.
        console.info("wrote the statement of \(disclosure.id(person)), \(statement.months.count) months "
                     + "(\(statement.months.first!.month.text) to \(statement.months.last!.month.text)), as .md and .csv, to \(out)")
        return ["\(name).md", "\(name).csv"]
    }
}
