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

    public init(table: CSVTableReader, window: DateWindow) {
        self.window = window
        file = table.name
        c = Columns(id: table.column("binding_id"), authorizer: table.column("authorizer_id"),
                    beneficiary: table.column("beneficiary_id"), relation: table.column("relation"),
                    boundOn: table.column("bound_on"), unboundOn: table.column("unbound_on"),
                    channel: table.column("channel"), priority: table.column("priority"))
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let binding = try owners.take(id, column: "binding_id", file: file, line: row.line) { () throws(RowError) -> Binding in
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
        bindings.append(binding)
    }
}
