import GongjiDomain

/// The checks every CSV value goes through (docs/formats.md, CSV inputs),
/// for the row readers of `Rows/`. Each returns the value or a `RowError`
/// naming the column. They read the row's bytes in place; a String is made
/// only for text kept or for a message.
enum Field {
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The value's bytes; an error when empty.
    static func required(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> UnsafeBufferPointer<UInt8> {
        let bytes = row.bytes(column)
        guard !bytes.isEmpty else { throw RowError(column: column.name, "\(column.name) is required") }
        return bytes
    }

    static func string(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> String {
        text(try required(row, column))
    }

    static func optional(_ row: CSVTableReader.Row, _ column: Column) -> String? {
        let bytes = row.bytes(column)
        return bytes.isEmpty ? nil : text(bytes)
    }

    static func isEmpty(_ row: CSVTableReader.Row, _ column: Column) -> Bool { row.bytes(column).isEmpty }

    /// Whether the bytes at `at` are `word`'s (ASCII), for the row readers'
    /// `acceptLine`; the caller made sure they are in memory.
    @inline(__always)
    static func starts(_ at: UnsafePointer<UInt8>, with word: StaticString) -> Bool {
        let text = word.utf8Start
        for index in 0..<word.utf8CodeUnitCount where at[index] != text[index] { return false }
        return true
    }

    /// A required value that `parse` reads from its bytes; `form` names what
    /// it must be, for the message (`'4403' is not a 6-digit region code`).
    /// `hint`: the kind of value a spreadsheet may have rewritten (`Excel`).
    /// `form` is made only for a message: a `Phrase` holds arrays, and making
    /// one for every field was three allocations a roster row (perf: 5% of a
    /// city year's reading).
    static func parsed<T>(_ row: CSVTableReader.Row, _ column: Column, _ form: @autoclosure () -> Phrase,
                          hint: Excel.Kind? = nil, _ parse: (Span<UInt8>) -> T?) throws(RowError) -> T {
        let bytes = try required(row, column)
        guard let value = parse(bytes.span) else {
            let value = text(bytes)
            throw RowError(column: column.name, hint.flatMap { Excel.hint(value, $0) } ?? "'\(value)' is not \(form())")
        }
        return value
    }

    static func id(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> ResidentID {
        let bytes = try required(row, column)
        do throws(ResidentID.Problem) {
            return try ResidentID(bytes: bytes.span)
        } catch {
            throw RowError(column: column.name, Excel.hint(text(bytes), .id) ?? error.phrase)
        }
    }

    static func region(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> RegionCode {
        try parsed(row, column, "a 6-digit region code") { RegionCode(bytes: $0) }
    }

    static func month(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> YearMonth {
        try parsed(row, column, "a month YYYY-MM", hint: .month) { YearMonth(bytes: $0) }
    }

    static func day(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> Day {
        try parsed(row, column, "a date YYYY-MM-DD", hint: .day) { Day(bytes: $0) }
    }

    static func amount(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> Money {
        try parsed(row, column, "an amount in yuan with at most 2 decimals", hint: .amount) { Money(yuanBytes: $0) }
    }

    /// An optional exclusive end date (`unbound_on`, `ended_on`, ...): nil
    /// when empty, else a date after `start`, which the message names.
    static func end(_ row: CSVTableReader.Row, _ column: Column, after start: Day, _ startName: String) throws(RowError) -> Day? {
        guard !isEmpty(row, column) else { return nil }
        let day = try self.day(row, column)
        guard start < day else { throw RowError(column: column.name, "\(column.name) must be after \(startName)") }
        return day
    }

    /// A local time `YYYY-MM-DD HH:MM[:SS]` (or ISO 8601 with +08:00).
    static func timestamp(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> Timestamp {
        let bytes = try required(row, column)
        guard let time = Timestamp(bytes: bytes.span) else {
            let text = Field.text(bytes)
            if text.count > 19, Timestamp(text: text.prefix(19)) != nil {
                throw RowError(column: column.name,
                               "'\(text)': the time must be local (China Standard Time), written without an offset or with +08:00")
            }
            throw RowError(column: column.name, Excel.hint(text, .time) ?? "'\(text)' is not a time YYYY-MM-DD HH:MM[:SS]")
        }
        return time
    }

    /// An amount above zero.
    static func positiveAmount(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> Money {
        let amount = try amount(row, column)
        guard amount.fen > 0 else { throw RowError(column: column.name, "the amount must be above 0") }
        return amount
    }

    /// `true`/`false`, empty for `default`.
    static func flag(_ row: CSVTableReader.Row, _ column: Column, default value: Bool) throws(RowError) -> Bool {
        let bytes = row.bytes(column)
        if bytes.isEmpty { return value }
        switch text(bytes).lowercased() {
        case "true": return true
        case "false": return false
        default: throw RowError(column: column.name, "'\(text(bytes))' is not true or false")
        }
    }

    /// A whole number from 1 up (a binding's `priority`).
    static func positiveInteger(_ row: CSVTableReader.Row, _ column: Column) throws(RowError) -> Int {
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
    static func choice(_ row: CSVTableReader.Row, _ column: Column, _ choices: Choices) throws(RowError) -> Int {
        let bytes = try required(row, column)
        for (position, word) in choices.words.enumerated() where word.count == bytes.count {
            let same = word.withUnsafeBufferPointer { stored in
                zip(stored, bytes).allSatisfy { $0 == $1 }
            }
            if same { return position }
        }
        throw RowError(column: column.name, "'\(text(bytes))' is not one of: \(choices.names)")
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ row: CSVTableReader.Row, _ column: Column,
                                                                  _ type: T.Type) throws(RowError) -> T where T.RawValue == String {
        let value = try string(row, column)  // short: no allocation
        guard let choice = T(rawValue: value) else {
            throw RowError(column: column.name, "'\(value)' is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }
}

/// What a spreadsheet does to a CSV file opened and saved in it (Excel,
/// WPS): it writes amounts with a thousands separator, dates as it shows
/// them and long numbers in scientific notation. A value rejected for one of
/// these is told so, with the likely cause and the fix (docs/formats.md,
/// "A file saved by a spreadsheet"); only on a rejected value, never on the
/// rows accepted.
enum Excel {
    /// What a column holds, for the hint that fits it.
    enum Kind { case amount, day, month, time, id }

    /// The reason for `value` in a column of `kind`, or nil when it does not look like a spreadsheet's.
    static func hint(_ value: String, _ kind: Kind) -> Phrase? {
        let fix: Phrase = "format the column as text, or save as CSV UTF-8 without reformatting"
        switch kind {
        case .amount:
            guard value.wholeMatch(of: /-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?/) != nil else { return nil }
            let plain = value.replacingOccurrences(of: ",", with: "")
            return "'\(value)' has a thousands separator, as Excel or WPS writes an amount when the file was opened and saved there: write \(plain); \(fix)"
        case .day, .month, .time:
            guard let match = value.wholeMatch(of: /([0-9]{4})\/([0-9]{1,2})\/([0-9]{1,2})(?: ([0-9]{1,2})(:[0-9]{2}(?::[0-9]{2})?))?/)
            else { return nil }
            func two(_ text: Substring) -> String { text.count == 1 ? "0" + text : String(text) }
            var iso = "\(match.1)-\(two(match.2))"
            if kind != .month { iso += "-\(two(match.3))" }
            if kind == .time, let hour = match.4, let rest = match.5 { iso += " \(two(hour))\(rest)" }
            return "'\(value)' is a date as Excel or WPS shows it, written so when the file was opened and saved there: write \(iso); \(fix)"
        case .id:
            guard value.wholeMatch(of: /[0-9](\.[0-9]+)?[eE]\+[0-9]{1,2}/) != nil else { return nil }
            return "'\(value)' is a number in scientific notation, as Excel or WPS writes a long ID when the file was opened and saved there, keeping 15 digits at most: the ID is lost; take the file again from its source and \(fix)"
        }
    }
}

/// The words a column may hold, made once; `Field.choice` gives a word's position.
struct Choices: Sendable {
    let words: [[UInt8]]
    let names: String

    init(_ words: [String]) {
        self.words = words.map { Array($0.utf8) }
        names = words.joined(separator: ", ")
    }
}
