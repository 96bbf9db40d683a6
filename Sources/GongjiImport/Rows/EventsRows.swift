import GongjiDomain

/// events.csv → the events that end bindings. A row is rejected when its
/// ID, date or event is not valid.
public struct EventsRows: TableRows {
    public static let columns = (required: ["person_id", "date", "event"], optional: [String]())

    struct Columns { let person, date, event: Column }
    let c: Columns
    let window: DateWindow
    public private(set) var events: [LifeEvent] = []

    public init(table: CSVTableReader, window: DateWindow) {
        c = Columns(person: table.column("person_id"), date: table.column("date"), event: table.column("event"))
        self.window = window
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let person = try Field.id(row, c.person)
        let date = try Field.day(row, c.date)
        if let problem = window.problem(date) { throw RowError(column: "date", problem) }
        let kind = try Field.choice(row, c.event, LifeEventKind.self)
        events.append(LifeEvent(person: person, date: date, kind: kind))
    }
}
