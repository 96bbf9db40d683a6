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
    public private(set) var failure: (any Error)?

    /// `--province`: claims of other provinces are skipped (`ProvinceFilter`).
    let filter: ProvinceFilter?
    /// Claims of a region in another province than the patient's (with `filter`).
    public private(set) var ties: [ProvinceTie] = []

    /// `expected`: about how many claims the usage files hold, so that the
    /// claim IDs' set is made at its size once: grown by doubling, a city
    /// year's 2.4 million IDs were rehashed three times, the last time with
    /// the old and new tables (32 and 64 MB) held at once.
    public init(policy: Policy, persons: PersonTable, window: DateWindow, filter: ProvinceFilter? = nil,
                expected: Int = 0, keep: @escaping (Claim) throws -> Void) {
        self.filter = filter
        self.policy = policy
        self.persons = persons
        self.window = window
        self.keep = keep
        owners.reserve(expected)
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
        let claim: Claim
        do {
            claim = try take(id, row, c)
        } catch {
            // A row of a province left out is skipped, whatever is wrong with it.
            if let filter {
                let region = (try? Field.region(row, c.region)).flatMap(filter.province(of:))
                if filter.skips(region ?? filter.province(ofPerson: try? Field.id(row, c.person), persons)) { throw .skip }
            }
            throw error
        }
        if let filter {
            // The claim's region's province, else the patient's (a region of no policy province is rejected above).
            let region = filter.province(of: claim.region)
            let patient = filter.province(ofPerson: claim.person.key, persons)
            if let tie = ProvinceFilter.tie(.claim, claim.id, region, patient, YearMonth(claim.occurredAt.day)) {
                ties.append(tie)
            }
            // Of a province left out, or of the job's for a patient insured in one (a tie).
            if filter.skips(region ?? patient) || persons.index(of: claim.person.key) == nil { throw .skip }
        }
        do {
            try keep(claim)
        } catch {
            failure = error
            throw RowError(column: "", Phrase(verbatim: "\(error)"))
        }
    }

    /// The row's checks, its claim_id taken (rule R3).
    private mutating func take(_ id: String, _ row: CSVTableReader.Row, _ c: Columns) throws(RowError) -> Claim {
        let (policy, persons, window, filter) = (self.policy, self.persons, self.window, self.filter)
        return try owners.take(id, column: "claim_id", file: file, line: row.line) { () throws(RowError) -> Claim in
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
            guard persons.index(of: person.key) != nil || filter?.isKnown(person.key, persons) == true else {
                throw RowError(column: "person_id", "person is not in persons.csv")
            }
            return Claim(id: id, person: person, occurredAt: occurredAt, region: region, category: category, amount: amount)
        }
    }
}
