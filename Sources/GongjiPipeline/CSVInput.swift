import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// Reading one input CSV file the way every stage does: each row is accepted
/// or rejected with file, line, column, reason and the raw text, and the
/// counts (read = accepted + rejected) are told and kept for the manifest.
enum CSVInput {
    /// Reads one CSV file. `columns` finds the columns once in the header;
    /// `accept` sees each row with them, and a thrown `RowError` rejects the
    /// row. `sensitive` names a personal value of a row (a name) that
    /// rejects.csv masks. `finish`, after the last row, gives rows found
    /// wrong only once later rows were read (see `PersonBatch`); the file's
    /// rejects are then put in line order.
    static func read<Columns>(_ url: URL, _ folder: DataFolder, _ names: ([String], [String]), _ encoding: TextEncoding,
                              _ console: Console, columns: (CSVTableReader) -> Columns,
                              sensitive: ((CSVTableReader.Row, Columns) -> String?)? = nil,
                              finish: (() -> [Reject])? = nil,
                              _ accept: (CSVTableReader.Row, Columns) throws(RowError) -> Void)
        throws(RunError) -> (Manifest.Input, [Reject]) {
        let name = folder.name(of: url)
        let table: CSVTableReader
        do {
            table = try CSVTableReader(path: url.path, name: name, required: names.0, optional: names.1, encoding: encoding)
        } catch {
            throw RunError(error)
        }
        if !table.unknownColumns.isEmpty {
            console.warning("\(name): ignoring unknown column\(table.unknownColumns.count > 1 ? "s" : "") \(table.unknownColumns.joined(separator: ", "))")
        }
        let found = columns(table)
        // The manifest's SHA-256, taken on the second core while the rows are read.
        let digest = folder.digests ? table.mapped.map(FileDigest.Background.init) : nil
        let size = DataFolder.size(of: url)
        console.progress?.begin(name, totalBytes: size)
        var read = 0
        var rejects: [Reject] = []
        do {
            try console.time("read \(name)") { () throws(InputError) in try table.forEachRow { next in
                read += 1
                if read & 0xFFFF == 0 { console.progress?.update(rows: read, bytes: table.bytesConsumed) }
                switch next {
                case let .failure(bad):
                    rejects.append(Reject(file: name, line: bad.line, column: bad.error.column, error: bad.error.reason,
                                          raw: bad.raw))
                case let .row(row):
                    do throws(RowError) {
                        try accept(row, found)
                    } catch {
                        rejects.append(Reject(file: name, line: row.line, column: error.column, error: error.reason,
                                              raw: row.raw, sensitive: sensitive?(row, found).map { [$0] } ?? []))
                    }
                }
            } }
        } catch {
            console.progress?.end()
            throw RunError(error)
        }
        console.progress?.update(rows: read, bytes: table.bytesConsumed)
        console.progress?.end()
        if let late = finish?(), !late.isEmpty {
            rejects = (rejects + late).sorted { $0.line < $1.line }
        }
        let rejected = rejects.count
        console.info("\(name): read \(read), accepted \(read - rejected), rejected \(rejected)")
        do {
            let digest = !folder.digests ? (hex: "", bytes: Int64(size))
                : try console.time("sha256 \(name)") { try digest?.wait() ?? FileDigest.sha256(of: url) }
            return (Manifest.Input(file: name, sha256: digest.hex, bytes: digest.bytes,
                                   read: read, accepted: read - rejected, rejected: rejected), rejects)
        } catch {
            throw RunError("\(name): cannot read the file")
        }
    }
}
