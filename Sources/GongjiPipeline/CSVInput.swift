import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// One input file as a run read it: its counts and rejected rows, and its
/// SHA-256 and size for the manifest and the run log.
struct InputFile: Sendable {
    var rows: FileRows
    var sha256: String
    var bytes: Int64
    /// Read by a job given `--province`: its counts show the skipped rows.
    var filtered = false

    var manifest: Manifest.Input {
        Manifest.Input(file: rows.file, sha256: sha256, bytes: bytes, read: rows.read, accepted: rows.accepted,
                       rejected: rows.rejected.count, skipped: filtered ? rows.skipped : nil)
    }

    /// `read 312, accepted 305, rejected 7` (`, skipped 0` with `--province`).
    var counts: Phrase {
        filtered ? "read \(rows.read), accepted \(rows.accepted), rejected \(rows.rejected.count), skipped \(rows.skipped)"
            : "read \(rows.read), accepted \(rows.accepted), rejected \(rows.rejected.count)"
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
    /// on the second core meanwhile; tells the counts (read = accepted + rejected).
    static func read<R: TableRows>(_ table: CSVTableReader, _ url: URL, _ folder: DataFolder, into rows: inout R,
                                   _ console: Console) throws(RunError) -> InputFile {
        let name = table.name
        let digest = folder.digests ? table.mapped.map(FileDigest.Background.init) : nil
        let size = DataFolder.size(of: url)
        console.progress?.begin(name, totalBytes: size)
        let read: FileRows
        do {
            read = try console.time("read \(name)") { () throws(InputError) in
                try rows.read(table) { count, bytes in console.progress?.update(rows: count, bytes: bytes) }
            }
        } catch {
            console.progress?.end()
            throw RunError(error)
        }
        console.progress?.end()
        let counted = InputFile(rows: read, sha256: "", bytes: 0, filtered: folder.filtered)
        console.info("\(name): \(counted.counts)")
        do {
            let kept = !folder.digests ? (hex: "", bytes: Int64(size))
                : try console.time("sha256 \(name)") { try digest?.wait() ?? FileDigest.sha256(of: url) }
            return InputFile(rows: read, sha256: kept.hex, bytes: kept.bytes, filtered: folder.filtered)
        } catch {
            throw RunError("\(name): cannot read the file")
        }
    }

    /// Opens and reads one file.
    static func read<R: TableRows>(_ url: URL, _ folder: DataFolder, into rows: inout R, _ encoding: TextEncoding,
                                   _ console: Console) throws(RunError) -> InputFile {
        try read(try open(url, folder, R.self, encoding, console), url, folder, into: &rows, console)
    }

    static func tell(_ file: InputFile, _ console: Console) {
        console.info("\(file.rows.file): \(file.counts)")
    }
}
