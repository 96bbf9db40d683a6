import Foundation
import GongjiDomain
import GongjiImport

extension InputRecord {
    /// `read 312, accepted 305, rejected 7` (`, skipped 0` with `--province`).
    var counts: Phrase {
        if let skipped {
            "read \(read), accepted \(accepted), rejected \(rejected), skipped \(skipped)"
        } else {
            "read \(read), accepted \(accepted), rejected \(rejected)"
        }
    }
}

/// Reading one input CSV file the way every stage does: the header checked
/// against the input's columns, each row accepted or rejected by the input's
/// row reader (GongjiImport's `Rows/`), the counts told and kept.
enum CSVInput {
    /// Opens `url` for the row reader `rows`; a missing required column
    /// stops the run, an unknown column is a warning.
    static func open<R: TableRows>(_ url: URL, _ folder: DataFolder, _ rows: R.Type, _ encoding: TextEncoding,
                                   _ console: Console) throws(RunError) -> CSVTableReader {
        let name = folder.name(of: url)
        let table: CSVTableReader
        do {
            table = try CSVTableReader(path: url.path, name: name, required: R.columns.required, optional: R.columns.optional,
                                       encoding: encoding)
        } catch {
            throw RunError(error)
        }
        if encoding == .auto, table.encoding == .gb18030 {
            console.warning("\(name): the text is not UTF-8: read as GB18030")
        }
        if !table.unknownColumns.isEmpty {
            let known = R.columns.required + R.columns.optional
            // A field that does not look like a column name (a name, data) is counted, not quoted.
            var listed = table.unknownColumns.filter(CSVTableReader.looksLikeColumnName).map { unknown -> Phrase in
                suggestion(for: unknown, among: known).map { "\(unknown) (did you mean \($0)?)" } ?? "\(unknown)"
            }
            let others = table.unknownColumns.count - listed.count
            if others > 0 {
                let rest: Phrase = switch (listed.isEmpty, others > 1) {
                case (true, true): "\(others) that do not look like column names"
                case (true, false): "\(others) that does not look like column names"
                case (false, true): "\(others) more that do not look like column names"
                case (false, false): "\(others) more that does not look like column names"
                }
                listed.append(rest)
            }
            let list = Phrase.commas(listed)
            console.warning(table.unknownColumns.count > 1 ? "\(name): ignoring unknown columns \(list)"
                            : "\(name): ignoring unknown column \(list)")
        }
        return table
    }

    /// The known column `name` is most likely a misspelling of: at most two
    /// letters added, dropped or changed (`bse` → `base`), or the same but for case.
    static func suggestion(for name: String, among known: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var previous = row[0]
                row[0] = i + 1
                for (j, y) in b.enumerated() {
                    let current = row[j + 1]
                    row[j + 1] = min(row[j + 1] + 1, row[j] + 1, previous + (x == y ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        let lowered = Array(name.lowercased().trimmingCharacters(in: .whitespaces))
        let scored = known.map { ($0, distance(lowered, Array($0))) }.filter { $0.1 <= min(2, max(1, $0.0.count / 3)) }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// Reads every row of `table` into `rows`, with the file's SHA-256 taken
    /// on the second core meanwhile; tells the counts (read = accepted + rejected)
    /// and gives the file's provenance.
    static func read<R: TableRows>(_ table: CSVTableReader, _ url: URL, _ folder: DataFolder, into rows: inout R,
                                   _ console: Console) throws(RunError) -> InputRecord {
        let name = table.name
        let digest = folder.digests ? table.mapped.map(FileDigest.Background.init) : nil
        let size = DataFolder.size(of: url)
        console.progress?.begin(name, totalBytes: size)
        var read: InputRecord
        do {
            read = try console.time("read \(name)") { () throws(InputError) in
                try rows.read(table, filtered: folder.filtered) { count, bytes in
                    console.progress?.update(rows: count, bytes: bytes)
                }
            }
        } catch {
            console.progress?.end()
            throw RunError(error)
        }
        console.progress?.end()
        console.info("\(name): \(read.counts)")
        do {
            let kept = !folder.digests ? (hex: "", bytes: Int64(size))
                : try console.time("sha256 \(name)") { try digest?.wait() ?? FileDigest.sha256(of: url) }
            (read.sha256, read.bytes) = (kept.hex, kept.bytes)
            return read
        } catch {
            throw RunError("\(name): cannot read the file")
        }
    }

    /// Opens and reads one file.
    static func read<R: TableRows>(_ url: URL, _ folder: DataFolder, into rows: inout R, _ encoding: TextEncoding,
                                   _ console: Console) throws(RunError) -> InputRecord {
        try read(try open(url, folder, R.self, encoding, console), url, folder, into: &rows, console)
    }

    static func tell(_ file: InputRecord, _ console: Console) {
        console.info("\(file.file): \(file.counts)")
    }
}
