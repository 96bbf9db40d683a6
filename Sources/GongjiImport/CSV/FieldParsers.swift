import GongjiDomain

/// The checks every CSV value goes through (docs/formats.md, input CSV files). Each
/// returns the value or a `RowError` naming the column. They read the row's
/// bytes in place; a String is made only for text kept or for a message.
public enum Field {
    public static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The value's bytes; an error when empty.
    public static func required(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> UnsafeBufferPointer<UInt8> {
        let bytes = row.bytes(column)
        guard !bytes.isEmpty else { throw RowError(column: column.name, "\(column.name) is required") }
        return bytes
    }

    public static func string(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> String {
        text(try required(row, column))
    }

    public static func optional(_ row: CSVTableReader.Row, _ column: Column) -> String? {
        let bytes = row.bytes(column)
        return bytes.isEmpty ? nil : text(bytes)
    }

    public static func isEmpty(_ row: CSVTableReader.Row, _ column: Column) -> Bool { row.bytes(column).isEmpty }

    public static func id(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> ResidentID {
        let bytes = try required(row, column)
        do { return try ResidentID(bytes: bytes) } catch { throw RowError(column: column.name, error.description) }
    }

    public static func region(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> RegionCode {
        let bytes = try required(row, column)
        guard let code = RegionCode(bytes: bytes) else {
            throw RowError(column: column.name, "'\(text(bytes))' is not a 6-digit region code")
        }
        return code
    }

    public static func month(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> YearMonth {
        let bytes = try required(row, column)
        guard let month = YearMonth(bytes: bytes) else {
            throw RowError(column: column.name, "'\(text(bytes))' is not a month YYYY-MM")
        }
        return month
    }

    public static func day(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> Day {
        let bytes = try required(row, column)
        guard let day = Day(bytes: bytes) else { throw RowError(column: column.name, "'\(text(bytes))' is not a date YYYY-MM-DD") }
        return day
    }

    public static func amount(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> Money {
        let bytes = try required(row, column)
        guard let money = Money(yuanBytes: bytes) else {
            throw RowError(column: column.name, "'\(text(bytes))' is not an amount in yuan with at most 2 decimals")
        }
        return money
    }

    /// A whole number from 1 up (a binding's `priority`).
    public static func positiveInteger(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> Int {
        let bytes = try required(row, column)
        var value = 0
        for byte in bytes {
            let digit = Int(byte &- UInt8(ascii: "0"))
            guard digit < 10, value < 100_000_000 else {
                throw RowError(column: column.name, "'\(text(bytes))' is not a whole number from 1 to 999999999")
            }
            value = value * 10 + digit
        }
        guard value > 0, bytes.count <= 9 else {
            throw RowError(column: column.name, "'\(text(bytes))' is not a whole number from 1 to 999999999")
        }
        return value
    }

    /// One of a few words, matched on the bytes (no String made): the
    /// word's position in `choices`.
    public static func choice(_ row: CSVTableReader.Row, _ column: Column, _ choices: Choices) throws(RowError) -> Int {
        let bytes = try required(row, column)
        for (position, word) in choices.words.enumerated() where word.count == bytes.count {
            let same = word.withUnsafeBufferPointer { stored in
                zip(stored, bytes).allSatisfy { $0 == $1 }
            }
            if same { return position }
        }
        throw RowError(column: column.name, "'\(text(bytes))' is not one of: \(choices.names)")
    }

    public static func choice<T: RawRepresentable & CaseIterable>(_ row: CSVTableReader.Row, _ column: Column,
                                                                  _ type: T.Type) throws(RowError) -> T where T.RawValue == String {
        let value = try string(row, column)  // short: no allocation
        guard let choice = T(rawValue: value) else {
            throw RowError(column: column.name, "'\(value)' is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }
}

/// The words a column may hold, made once; `Field.choice` gives a word's position.
public struct Choices: Sendable {
    let words: [[UInt8]]
    let names: String

    public init(_ words: [String]) {
        self.words = words.map { Array($0.utf8) }
        names = words.joined(separator: ", ")
    }
}
