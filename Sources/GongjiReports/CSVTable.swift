/// A small CSV report built in memory (thresholds, rejects, the change
/// report), written by `CSVWriter`'s rules: UTF-8, RFC 4180 quoting, LF line
/// ends, text fields guarded against formula injection, number columns as
/// they are (a negative amount stays a number). Large reports stream through
/// `CSVWriter` itself.
public struct CSVTable {
    public enum Field {
        /// Free text from inputs or names: guarded against formula injection.
        case text(String)
        /// A number we formatted ourselves (amounts, counts, rates, dates).
        case number(String)
        case empty
    }

    public let columns: [String]
    private var rows: [[Field]] = []

    public init(columns: [String]) { self.columns = columns }

    public mutating func append(_ fields: [Field]) {
        precondition(fields.count == columns.count, "a row must have one field per column")
        rows.append(fields)
    }

    public var text: String {
        CSVWriter.render(columns: columns, disclosure: Disclosure(reveal: true)) { writer throws(AtomicFile.WriteError) in
            for row in rows {
                for field in row {
                    switch field {
                    case let .text(value): writer.text(value)
                    case let .number(value): writer.number(value)
                    case .empty: writer.empty()
                    }
                }
                try writer.endRow()
            }
        }
    }
}
