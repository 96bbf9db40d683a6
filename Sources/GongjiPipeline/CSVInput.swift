import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// Reading one input CSV file the way every stage does: each row is accepted
/// or rejected with file, line, column, reason and the raw text, and the
/// counts (read = accepted + rejected) are told and kept for the manifest.
enum CSVInput {
    /// Reads one CSV file through `accept`; a thrown `RowError` rejects the row.
    static func read(_ url: URL, _ folder: DataFolder, _ columns: ([String], [String]), _ encoding: TextEncoding,
                     _ console: Console,
                     _ accept: (CSVTableReader.Row) throws(RowError) -> Void) throws(RunError) -> (Manifest.Input, [Reject]) {
        let name = folder.name(of: url)
        let table: CSVTableReader
        do {
            table = try CSVTableReader(path: url.path, name: name, required: columns.0, optional: columns.1, encoding: encoding)
        } catch {
            throw RunError(error)
        }
        if !table.unknownColumns.isEmpty {
            console.warning("\(name): ignoring unknown column\(table.unknownColumns.count > 1 ? "s" : "") \(table.unknownColumns.joined(separator: ", "))")
        }
        var read = 0
        var rejects: [Reject] = []
        func reject(_ line: Int, _ raw: String, _ error: RowError, name personName: String? = nil) {
            rejects.append(Reject(file: name, line: line, column: error.column, error: error.reason, raw: raw,
                                  sensitive: personName.map { [$0] } ?? []))
        }
        do {
            while let next = try table.next() {
                read += 1
                switch next {
                case let .failure(bad):
                    reject(bad.line, bad.raw, bad.error)
                case let .success(row):
                    do { try accept(row) } catch { reject(row.line, row.raw, error, name: Field.optional(row, "name")) }
                }
            }
        } catch {
            throw RunError(error)
        }
        let rejected = rejects.count
        console.info("\(name): read \(read), accepted \(read - rejected), rejected \(rejected)")
        do {
            let digest = try FileDigest.sha256(of: url)
            return (Manifest.Input(file: name, sha256: digest.hex, bytes: digest.bytes,
                                   read: read, accepted: read - rejected, rejected: rejected), rejects)
        } catch {
            throw RunError("\(name): cannot read the file")
        }
    }
}
