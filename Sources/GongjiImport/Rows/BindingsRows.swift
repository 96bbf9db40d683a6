import GongjiDomain

/// bindings.csv → bindings. A row is rejected when a field is not valid,
/// the authorizer and beneficiary are the same person, `unbound_on` is not
/// after `bound_on`, `priority` is not a whole number from 1, or its
/// binding_id was on an earlier row. A binding whose authorizer is not
/// insured is accepted: settlement refuses it and says why.
public struct BindingsRows: TableRows {
    public static let columns = (required: ["binding_id", "authorizer_id", "beneficiary_id", "relation", "bound_on"],
                                 optional: ["unbound_on", "channel", "priority"])

    struct Columns { let id, authorizer, beneficiary, relation, boundOn, unboundOn, channel, priority: Column }
    let c: Columns
    let window: DateWindow
    public private(set) var bindings: [Binding] = []
    private var owners = KeyOwners<String>()
    private let file: String

    /// `--province`: bindings of persons of other provinces only are skipped;
    /// one between a person of the job's provinces and a person of another
    /// is kept (settlement refuses it, as between provinces), and the
    /// events of both persons with it (`named`).
    let filter: ProvinceFilter?
    let persons: PersonTable
    /// With `filter`: the persons the kept bindings name.
    public private(set) var named: Set<UInt64> = []

    public init(table: CSVTableReader, window: DateWindow, persons: PersonTable = PersonTable(), filter: ProvinceFilter? = nil) {
        self.filter = filter
        self.persons = persons
        self.window = window
        file = table.name
        c = Columns(id: table.column("binding_id"), authorizer: table.column("authorizer_id"),
                    beneficiary: table.column("beneficiary_id"), relation: table.column("relation"),
                    boundOn: table.column("bound_on"), unboundOn: table.column("unbound_on"),
                    channel: table.column("channel"), priority: table.column("priority"))
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let binding: Binding
        do {
            binding = try take(id, row)
        } catch {
            // Rejected by the run of the beneficiary's province (else the authorizer's): skipped here if not ours.
            if let filter {
                let home = filter.province(ofPerson: try? Field.id(row, c.beneficiary), persons)
                    ?? filter.province(ofPerson: try? Field.id(row, c.authorizer), persons)
                if filter.skips(home) { throw .skip }
            }
            throw error
        }
        if let filter {
            let sides = [filter.province(ofPerson: binding.authorizer.key, persons),
                         filter.province(ofPerson: binding.beneficiary.key, persons)]
            // Kept when a side is of the job's provinces, or neither is in persons.csv.
            guard sides.contains(where: { $0.map(filter.selection.contains) ?? false }) || sides.allSatisfy({ $0 == nil }) else {
                throw .skip
            }
            named.insert(binding.authorizer.key)
            named.insert(binding.beneficiary.key)
        }
        bindings.append(binding)
    }

    /// The row's checks, its binding_id taken (rule R3).
    private mutating func take(_ id: String, _ row: CSVTableReader.Row) throws(RowError) -> Binding {
        let (c, window) = (self.c, self.window)
        return try owners.take(id, column: "binding_id", file: file, line: row.line) { () throws(RowError) -> Binding in
            let authorizer = try Field.id(row, c.authorizer)
            let beneficiary = try Field.id(row, c.beneficiary)
            guard authorizer != beneficiary else {
                throw RowError(column: "beneficiary_id", "a person cannot authorize themselves")
            }
            let relation = try Field.choice(row, c.relation, Relation.self)
            let boundOn = try Field.day(row, c.boundOn)
            if let problem = window.problem(boundOn) { throw RowError(column: "bound_on", problem) }
            let unboundOn = try Field.end(row, c.unboundOn, after: boundOn, "bound_on")
            let priority = Field.isEmpty(row, c.priority) ? nil : try Field.positiveInteger(row, c.priority)
            return Binding(id: id, authorizer: authorizer, beneficiary: beneficiary, relation: relation,
                           boundOn: boundOn, unboundOn: unboundOn, channel: Field.optional(row, c.channel),
                           priority: priority)
        }
    }
}
