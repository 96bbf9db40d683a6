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
