import Foundation
import GongjiDomain

/// A row that failed a check: which column and why. The pipeline turns it
/// into a line of rejects.csv with the file, line and raw text.
public struct RowError: Error, Hashable, Sendable {
    public var column: String
    /// Why, said in the language of `--lang` where it is shown.
    public var reason: Phrase
    /// The fault is the file's, not the row's (a column its rows need is
    /// missing: docs/rules.md, rule R4): the run stops, naming file and line.
    public var stopsTheRun = false
    /// Not a fault: the row is of a province the job leaves out
    /// (`--province`), and is counted as skipped, not rejected.
    public var skipped = false

    public init(column: String, _ reason: Phrase, stopsTheRun: Bool = false) {
        self.column = column
        self.reason = reason
        self.stopsTheRun = stopsTheRun
    }

    /// A row of a province the job leaves out (`ProvinceFilter`).
    public static var skip: RowError {
        var error = RowError(column: "", "of a province not run")
        error.skipped = true
        return error
    }
}

/// A column of a table, found once in the header: its name for messages and
/// its position in each row (nil when an optional column is absent).
public struct Column: Sendable {
    public let name: String
    let index: Int?
    /// Whether the header has the column.
    public var isPresent: Bool { index != nil }
}

/// A CSV input whose columns are matched by name (docs/formats.md): the header must
/// hold every required column; other columns are ignored with one warning.
public final class CSVTableReader {
    /// One row: a view valid only while the closure that receives it runs.
    public struct Row {
        public let line: Int
        let record: CSVRecordView

        /// The value's bytes; empty when the column is absent (for the row
        /// readers of this module: the pointer is valid only during the row).
        func bytes(_ column: Column) -> UnsafeBufferPointer<UInt8> {
            guard let index = column.index else { return UnsafeBufferPointer(start: nil, count: 0) }
            return record.field(index)
        }

        public func value(_ column: Column) -> String { String(decoding: bytes(column), as: UTF8.self) }

        /// The row as it stood in the file (made only when asked, e.g. to reject it).
        public var raw: String { record.raw }

        /// The same bytes, valid only during the call that receives the row.
        var rawBytes: UnsafeBufferPointer<UInt8> { record.rawBytes }
    }

    public let name: String
    public let unknownColumns: [String]
    /// The header's field count.
    public var width: Int { headerWidth }
    private let reader: CSVReader
    private let columns: [String: Int]
    private let headerWidth: Int

    public init(path: String, name: String, required: [String], optional: [String],
                encoding: TextEncoding = .auto) throws(InputError) {
        self.name = name
        do {
            reader = try CSVReader(path: path, encoding: encoding)
        } catch {
            throw InputError(file: name, line: nil, message: "cannot read the file")
        }
        let header: CSVRecord?
        do { header = try reader.next() } catch { throw InputError(file: name, line: 1, message: "cannot read the header") }
        guard let header, header.problem == nil else {
            throw InputError(file: name, line: 1, message: header?.problem ?? "the file is empty: a header row is required")
        }
        // A file whose lines end in CR alone is one long header line: its
        // fields are the data (IDs, names), which no message may quote.
        if header.fields.contains(where: { $0.contains("\r") }) {
            throw InputError(file: name, line: 1, message: "the header holds a line break that is a CR alone: the file's lines "
                             + "end in CR (an old Mac format); save it with LF or CRLF line ends")
        }
        var columns: [String: Int] = [:]
        for (index, title) in header.fields.enumerated() {
            let key = title.trimmingCharacters(in: .whitespaces)
            if let first = columns[key] {
                throw InputError(file: name, line: 1, message: CSVTableReader.looksLikeColumnName(key)
                                 ? "column '\(key)' appears twice in the header"
                                 : "fields \(first + 1) and \(index + 1) of the header are the same, and not a column name")
            }
            columns[key] = index
        }
        let missing = required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw InputError(file: name, line: 1,
                             message: missing.count > 1 ? "missing required columns \(missing.joined(separator: ", "))"
                                : "missing required column \(missing.joined(separator: ", "))")
        }
        let known = Set(required + optional)
        unknownColumns = header.fields.filter { !known.contains($0) }
        self.columns = columns
        self.headerWidth = header.fields.count
    }

    /// Whether a header field may be quoted in a message: ASCII letters,
    /// digits, `_`, `-`, `.` and spaces, at most 64 (a header that is
    /// really a data row holds names, which no message quotes; an ID in
    /// one is masked like any other).
    public static func looksLikeColumnName(_ title: String) -> Bool {
        !title.isEmpty && title.utf8.count <= 64
            && title.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-. ".unicodeScalars.contains($0)) }
    }

    /// The column named `name` (look it up once, before the rows).
    public func column(_ name: String) -> Column { Column(name: name, index: columns[name]) }

    /// Bytes of the input consumed so far.
    public var bytesConsumed: Int64 { reader.bytesConsumed }

    /// The whole file, when it is read in place (UTF-8).
    public var mapped: MappedFile? { reader.mapped }

    /// The encoding the file was read in (detected, or as given).
    public var encoding: TextEncoding { reader.encoding }

    /// A row, or why it cannot be used. (A concrete enum rather than a
    /// `Result`: the generic one was copied through runtime witnesses on
    /// every row of a million.)
    public enum Next {
        case row(Row)
        case failure(RowErrorAt)
    }

    /// Calls `body` with each row, or with why it cannot be used.
    public func forEachRow(_ body: (Next) -> Void) throws(InputError) {
        do {
            try reader.forEach { deliver($0, body) }
        } catch {
            throw InputError(file: name, line: nil, message: "read error")
        }
    }

    /// What `forEachRow(offering:_:)` hands out: a row's line, for the
    /// caller to take whole or leave, or a row as `forEachRow` gives it.
    public enum Offer {
        case line(UnsafeBufferPointer<UInt8>, line: Int)
        case next(Next)
    }

    /// The same, offering each row's line first when `lines`
    /// (`CSVReader.forEach(lines:_:)`): `body` gives the bytes it took of a
    /// `.line`, or 0 to have the row again as a `.next`; what it gives for a
    /// `.next` is not used. One closure for both, so that the caller's
    /// state is captured once: with two closures capturing it, every row's
    /// accesses to it were checked for exclusivity at run time (3% of the
    /// roster's reading in `perf`).
    public func forEachRow(offering lines: Bool, _ body: (Offer) -> Int) throws(InputError) {
        do {
            if lines {
                try reader.forEach(lines: { body(.line($0, line: $1)) }) { deliver($0) { _ = body(.next($0)) } }
            } else {
                try reader.forEach { deliver($0) { _ = body(.next($0)) } }
            }
        } catch {
            throw InputError(file: name, line: nil, message: "read error")
        }
    }

    @inline(__always)
    private func deliver(_ record: CSVRecordView, _ body: (Next) -> Void) {
        if let problem = record.problem {
            body(.failure(RowErrorAt(line: record.line, raw: record.raw, error: RowError(column: "", problem))))
        } else if record.count != headerWidth {
            body(.failure(RowErrorAt(line: record.line, raw: record.raw,
                                     error: RowError(column: "", "the row has \(record.count) fields; the header has \(headerWidth)"),
                                     fields: record.count)))
        } else {
            body(.row(Row(line: record.line, record: record)))
        }
    }
}

/// A row error with where it happened.
public struct RowErrorAt: Error, Sendable {
    public var line: Int
    public var raw: String
    public var error: RowError
    /// The row's field count, when that is what is wrong (it differs from the header's).
    public var fields: Int?

    public init(line: Int, raw: String, error: RowError, fields: Int? = nil) {
        self.line = line
        self.raw = raw
        self.error = error
        self.fields = fields
    }
}
