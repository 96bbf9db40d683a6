import Foundation
import GongjiDomain

/// A row that failed a check: which column and why. The pipeline turns it
/// into a line of rejects.csv with the file, line and raw text.
public struct RowError: Error, Hashable, Sendable {
    public var column: String
    public var reason: String

    public init(column: String, _ reason: String) {
        self.column = column
        self.reason = reason
    }
}

/// A CSV input whose columns are matched by name (SPEC.md): the header must
/// hold every required column; other columns are ignored with one warning.
public final class CSVTableReader {
    public struct Row {
        public var line: Int
        public var raw: String
        fileprivate var fields: [String]
        fileprivate let columns: [String: Int]

        /// The value of a column; empty when the column is absent.
        public func value(_ column: String) -> String {
            guard let index = columns[column], index < fields.count else { return "" }
            return fields[index]
        }
    }

    public let name: String
    public let unknownColumns: [String]
    private let reader: CSVReader
    private let columns: [String: Int]
    private let width: Int

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
        var columns: [String: Int] = [:]
        for (index, title) in header.fields.enumerated() {
            let key = title.trimmingCharacters(in: .whitespaces)
            if columns[key] != nil { throw InputError(file: name, line: 1, message: "column '\(key)' appears twice in the header") }
            columns[key] = index
        }
        let missing = required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw InputError(file: name, line: 1,
                             message: "missing required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")
        }
        let known = Set(required + optional)
        unknownColumns = header.fields.filter { !known.contains($0) }
        self.columns = columns
        self.width = header.fields.count
    }

    /// The next row, or the reason it cannot be used; nil at the end.
    public func next() throws(InputError) -> Result<Row, RowErrorAt>? {
        let record: CSVRecord?
        do { record = try reader.next() } catch { throw InputError(file: name, line: nil, message: "read error") }
        guard let record else { return nil }
        if let problem = record.problem {
            return .failure(RowErrorAt(line: record.line, raw: record.raw, error: RowError(column: "", problem)))
        }
        guard record.fields.count == width else {
            return .failure(RowErrorAt(line: record.line, raw: record.raw,
                                       error: RowError(column: "", "the row has \(record.fields.count) fields; the header has \(width)")))
        }
        return .success(Row(line: record.line, raw: record.raw, fields: record.fields, columns: columns))
    }
}

/// A row error with where it happened.
public struct RowErrorAt: Error, Sendable {
    public var line: Int
    public var raw: String
    public var error: RowError
}
