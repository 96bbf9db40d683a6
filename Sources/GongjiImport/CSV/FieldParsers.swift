import GongjiDomain

/// The checks every CSV value goes through (SPEC.md, input CSV files). Each
/// returns the value or a `RowError` naming the column.
public enum Field {
    public static func required(_ row: CSVTableReader.Row, _ column: String) throws(RowError) -> String {
        let text = row.value(column)
        guard !text.isEmpty else { throw RowError(column: column, "\(column) is required") }
        return text
    }

    public static func optional(_ row: CSVTableReader.Row, _ column: String) -> String? {
        let text = row.value(column)
        return text.isEmpty ? nil : text
    }

    public static func id(_ row: CSVTableReader.Row, _ column: String) throws(RowError) -> ResidentID {
        let text = try required(row, column)
        do { return try ResidentID(parsing: text) } catch { throw RowError(column: column, error.description) }
    }

    public static func region(_ row: CSVTableReader.Row, _ column: String) throws(RowError) -> RegionCode {
        let text = try required(row, column)
        guard let code = RegionCode(text) else { throw RowError(column: column, "'\(text)' is not a 6-digit region code") }
        return code
    }

    public static func month(_ row: CSVTableReader.Row, _ column: String) throws(RowError) -> YearMonth {
        let text = try required(row, column)
        guard let month = YearMonth(text: text) else { throw RowError(column: column, "'\(text)' is not a month YYYY-MM") }
        return month
    }

    public static func day(_ row: CSVTableReader.Row, _ column: String) throws(RowError) -> Day {
        let text = try required(row, column)
        guard let day = Day(text: text) else { throw RowError(column: column, "'\(text)' is not a date YYYY-MM-DD") }
        return day
    }

    public static func amount(_ text: String, _ column: String) throws(RowError) -> Money {
        guard let money = Money(yuanText: text) else {
            throw RowError(column: column, "'\(text)' is not an amount in yuan with at most 2 decimals")
        }
        return money
    }

    public static func choice<T: RawRepresentable>(_ row: CSVTableReader.Row, _ column: String,
                                                   _ type: T.Type, _ allowed: [T]) throws(RowError) -> T where T.RawValue == String {
        let text = try required(row, column)
        guard let value = T(rawValue: text) else {
            throw RowError(column: column, "'\(text)' is not one of: \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
