import GongjiDomain

/// opening-balances.csv → the opening balances by day, with each person's
/// dense index. A row is rejected when its person is not in persons.csv,
/// `as_of` is not the first day of a month, the balance is negative, or the
/// same person and day was on an earlier row, accepted or not (rule R3).
public struct OpeningBalancesRows: TableRows {
    public static let columns = (required: ["person_id", "as_of", "balance"], optional: [String]())

    struct Columns { let id, asOf, balance: Column }
    let c: Columns
    let persons: PersonTable
    let window: DateWindow
    private var hint = 0
    // The rows of one day (usually the only one) are gathered in `current`;
    // another day's rows go back to `byDay`, so that a row costs no
    // dictionary access (measured: 5% of the credit stage).
    private var byDay: [Day: (openings: [AccountLedger.Opening], seen: IndexSet64)] = [:]
    private var day: Day?
    private var current: [AccountLedger.Opening] = []
    private var seen = IndexSet64(count: 0)
    /// Person and day of rows rejected first, with their line (rule R3): few.
    private var rejectedOwners: [OpeningKey: Int] = [:]
    private let file: String
    struct OpeningKey: Hashable { let index: Int, day: Day }

    /// `--province`: a person of a province left out is skipped (`ProvinceFilter`).
    let filter: ProvinceFilter?

    public init(table: CSVTableReader, persons: PersonTable, window: DateWindow, filter: ProvinceFilter? = nil) {
        self.filter = filter
        c = Columns(id: table.column("person_id"), asOf: table.column("as_of"), balance: table.column("balance"))
        file = table.name
        self.persons = persons
        self.window = window
        usual = table.width == 3 && [c.id.index, c.asOf.index, c.balance.index] == [0, 1, 2]
    }

    /// Whether the header is `person_id,as_of,balance`, the form `acceptLine` reads.
    private let usual: Bool
    /// The last row `accept` took, when of the usual form: its `as_of`
    /// with the commas around it, as bytes, and as the day they are.
    private var lastDayBytes: (UInt64, UInt32) = (0, 0)
    private var lastDay: Day?

    public static var readsLines: Bool { true }

    /// The usual row, read from its line as `ContributionsRows.acceptLine`
    /// reads a roster's (docs/architecture.md, "The roster's usual row"): an
    /// ID found in persons.csv's table, the day the rows before were of
    /// (the same bytes), a balance of 0 or more, a person not seen that day,
    /// in ASCII without quotes; anything else is left to `accept` (0).
    public mutating func acceptLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Int {
        let comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n")
        guard usual, let day, lastDay == day, bytes.count > 32, let start = bytes.baseAddress, start[18] == comma,
              start[29] == comma, rejectedOwners.isEmpty else { return 0 }
        // The day's bytes those of the last row `accept` took, whose day the rows now go to.
        guard Self.dayBytes(start) == lastDayBytes,
              let key = ResidentID.uncheckedKey(UnsafeBufferPointer(start: start, count: 18).span),
              let index = persons.index(of: key, hint: hint) else { return 0 }
        var end = 30
        while end < bytes.count, start[end] != lf {
            if start[end] == comma { return 0 }
            end += 1
        }
        guard end < bytes.count else { return 0 }
        let fieldEnd = start[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
        guard fieldEnd > 30, let balance = Money(yuanBytes: UnsafeBufferPointer(start: start + 30, count: fieldEnd - 30).span),
              balance.fen >= 0, seen.insert(index) else { return 0 }
        hint = index + 1
        current.append(.init(index: Int32(index), balance: balance))
        return end + 1
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.id(row, c.id)
        guard let index = persons.index(of: id.key, hint: hint) else {
            // The person's other rows are skipped too: no key of theirs matters to the job (rule R3).
            if let filter, filter.others.index(of: id.key) != nil { throw .skip }
            throw RowError(column: "person_id", "person is not in persons.csv")
        }
        hint = index + 1
        let asOf = try Field.day(row, c.asOf)
        guard asOf.day == 1 else { throw RowError(column: "as_of", "as_of must be the first day of a month") }
        if let problem = window.problem(asOf) { throw RowError(column: "as_of", problem) }
        let key = OpeningKey(index: index, day: asOf)
        let balance: Money
        do throws(RowError) {
            balance = try Field.amount(row, c.balance)
            guard balance.fen >= 0 else { throw RowError(column: "balance", "a balance cannot be negative") }
        } catch {
            // The person and day belong to this row all the same, unless an earlier row has them (rule R3).
            if rejectedOwners[key] == nil && !has(key) { rejectedOwners[key] = row.line }
            throw error
        }
        if !rejectedOwners.isEmpty, let owner = rejectedOwners[key] {
            throw RowError(column: "as_of", "an opening balance for this person and day appears on line \(owner), which was rejected")
        }
        if day != asOf {
            if let day { byDay[day] = (current, seen) }
            let earlier = byDay.removeValue(forKey: asOf)
            (day, current, seen) = (asOf, earlier?.openings ?? [], earlier?.seen ?? IndexSet64(count: persons.count))
        }
        guard seen.insert(index) else {
            throw RowError(column: "as_of", "an opening balance for this person and day appears on an earlier row")
        }
        current.append(.init(index: Int32(index), balance: balance))
        // A row of the usual form (an 18-character ID, then `as_of` from byte 19 to 29): the next rows of
        // its day can be read from their lines.
        let line = row.rawBytes
        if usual, line.count > 30, let start = line.baseAddress, start[18] == UInt8(ascii: ","), start[29] == UInt8(ascii: ",") {
            lastDayBytes = Self.dayBytes(start)
            lastDay = asOf
        } else {
            lastDay = nil
        }
    }

    /// The 12 bytes `,YYYY-MM-DD,` of a usual row (at 18 to 30), as two words.
    @inline(__always)
    private static func dayBytes(_ start: UnsafePointer<UInt8>) -> (UInt64, UInt32) {
        let raw = UnsafeRawPointer(start)
        return (raw.loadUnaligned(fromByteOffset: 18, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 26, as: UInt32.self))
    }

    /// Whether an accepted row has this person and day.
    private func has(_ key: OpeningKey) -> Bool {
        if key.day == day { return seen.contains(key.index) }
        return byDay[key.day]?.seen.contains(key.index) ?? false
    }

    /// Hands over the balances accepted, by their day (the rows are moved
    /// out, not copied: a city's are 16 MB).
    public mutating func takeOpenings() -> [Day: [AccountLedger.Opening]] {
        if let day { byDay[day] = (current, seen) }
        day = nil
        current = []
        defer { byDay = [:] }
        return byDay.mapValues(\.openings)
    }
}
