import GongjiDomain

/// events.csv → the events that end bindings. A row is rejected when its
/// ID, date or event is not valid.
public struct EventsRows: TableRows {
    public static let columns = (required: ["person_id", "date", "event"], optional: [String]())

    struct Columns { let person, date, event: Column }
    let c: Columns
    let window: DateWindow
    public private(set) var events: [LifeEvent] = []

    /// `--province`: events of persons of other provinces are skipped,
    /// unless a binding the job keeps names them (`named`: it may end it).
    let filter: ProvinceFilter?
    let persons: PersonTable
    let named: Set<UInt64>

    public init(table: CSVTableReader, window: DateWindow, persons: PersonTable = PersonTable(),
                filter: ProvinceFilter? = nil, named: Set<UInt64> = []) {
        c = Columns(person: table.column("person_id"), date: table.column("date"), event: table.column("event"))
        self.window = window
        self.persons = persons
        self.filter = filter
        self.named = named
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let person = try Field.id(row, c.person)
        if let filter, filter.skips(filter.province(ofPerson: person.key, persons)), !named.contains(person.key) {
            // All the person's events are skipped alike, whatever is wrong with them.
            throw .skip
        }
        let date = try Field.day(row, c.date)
        if let problem = window.problem(date) { throw RowError(column: "date", problem) }
        let kind = try Field.choice(row, c.event, LifeEventKind.self)
        events.append(LifeEvent(person: person, date: date, kind: kind))
    }
}
