import GongjiDomain

/// usage/*.csv → claims, handed one by one to `keep` (the run keeps them
/// on disk by month). A row is rejected when a field is not valid, the time
/// is not local, the amount is negative, the region is not in the policy,
/// the person is not in persons.csv, or its claim_id was on an earlier row
/// of any usage file, accepted or not (rule R3).
public struct UsageRows: TableRows {
    public static let columns = (required: ["claim_id", "person_id", "occurred_at", "region_code", "category", "amount"],
                                 optional: [String]())

    struct Columns { let id, person, occurredAt, region, category, amount: Column }
    let policy: Policy
    let persons: PersonTable
    let window: DateWindow
    let keep: (Claim) throws -> Void
    private var c: Columns?
    private var owners = KeyOwners<String>()
    private var file = ""
    /// Why `keep` failed, if it did: the run cannot go on.
    public private(set) var failure: String?

    public init(policy: Policy, persons: PersonTable, window: DateWindow, keep: @escaping (Claim) throws -> Void) {
        self.policy = policy
        self.persons = persons
        self.window = window
        self.keep = keep
    }

    /// Finds the columns of the next file's header.
    public mutating func use(_ table: CSVTableReader) {
        file = table.name
        c = Columns(id: table.column("claim_id"), person: table.column("person_id"),
                    occurredAt: table.column("occurred_at"), region: table.column("region_code"),
                    category: table.column("category"), amount: table.column("amount"))
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        guard let c else { throw RowError(column: "", "no header read") }
        let id = try Field.string(row, c.id)
        let claim = try owners.take(id, column: "claim_id", file: file, line: row.line) { () throws(RowError) -> Claim in
            let person = try Field.id(row, c.person)
            let occurredAt = try Field.timestamp(row, c.occurredAt)
            if let problem = window.problem(occurredAt.day) { throw RowError(column: "occurred_at", problem) }
            let region = try Field.region(row, c.region)
            let category = try Field.choice(row, c.category, UsageCategory.self)
            let amount = try Field.amount(row, c.amount)
            guard amount.fen >= 0 else { throw RowError(column: "amount", "an amount cannot be negative") }
            guard policy.regions[region] != nil else {
                throw RowError(column: "region_code", "region \(region) is not in policy.yaml")
            }
            guard persons.index(of: person.key) != nil else {
                throw RowError(column: "person_id", "person is not in persons.csv")
            }
            return Claim(id: id, person: person, occurredAt: occurredAt, region: region, category: category, amount: amount)
        }
        do {
            try keep(claim)
        } catch {
            failure = "\(error)"
            throw RowError(column: "", failure ?? "")
        }
    }
}
