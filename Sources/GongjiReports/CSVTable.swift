import Foundation
/// A CSV report as docs/formats.md fixes it: UTF-8, RFC 4180 quoting, LF line ends,
/// and text fields that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, tab or CR) prefixed with `'`. Number columns are
/// written as they are, so a negative amount stays a number.
public struct CSVTable {
    public enum Field {
        /// Free text from inputs or names: guarded against formula injection.
        case text(String)
        /// A number we formatted ourselves (amounts, counts, rates, dates).
        case number(String)
        case empty
    }

    public let columns: [String]
    private var lines: [String]

    public init(columns: [String]) {
        self.columns = columns
        self.lines = [columns.map(CSVTable.quoted).joined(separator: ",")]
    }

    public mutating func append(_ fields: [Field]) {
        precondition(fields.count == columns.count, "a row must have one field per column")
        lines.append(fields.map(CSVTable.render).joined(separator: ","))
    }

    public var text: String { lines.joined(separator: "\n") + "\n" }

    static func render(_ field: Field) -> String {
        switch field {
        case .empty: return ""
        case let .number(value): return quoted(value)
        case let .text(value): return quoted(neutralized(value))
        }
    }

    /// Prefixes `'` to a text that a spreadsheet would evaluate.
    public static func neutralized(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    /// RFC 4180: quote a field containing a comma, a quote, CR or LF; double quotes.
    public static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
