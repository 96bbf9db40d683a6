import GongjiDomain

/// persons.csv → the person table. A row is rejected when its ID, region or
/// scheme is not valid, its region is not in the policy, or its person_id
/// was on an earlier row, accepted or not (rule R3).
public struct PersonsRows: TableRows {
    public static let columns = (required: ["person_id", "region_code", "scheme"], optional: ["name", "tier"])
    static let schemes = Choices(Scheme.allCases.map(\.rawValue))

    struct Columns { let id, region, scheme, name, tier: Column }
    let c: Columns
    let policy: Policy
    /// The persons accepted so far.
    public private(set) var persons = PersonTable()
    private var batch: PersonBatch
    private var late: [RejectedRow] = []
    private var knownRegion: RegionCode?
    /// IDs whose first row was rejected, with that row's line (rule R3): few.
    private var rejectedOwners: [UInt64: Int] = [:]
    private let file: String

    /// `--province`: the provinces' persons go to `persons`, the others'
    /// (rows that pass their checks, skipped) to `filter.others`.
    public private(set) var filter: ProvinceFilter?

    /// `expected`: about how many persons the file holds, so that the table
    /// is made large enough once.
    public init(table: CSVTableReader, policy: Policy, expected: Int, filter: ProvinceFilter? = nil) {
        self.filter = filter
        c = Columns(id: table.column("person_id"), region: table.column("region_code"), scheme: table.column("scheme"),
                    name: table.column("name"), tier: table.column("tier"))
        self.policy = policy
        batch = PersonBatch(file: table.name)
        file = table.name
        persons.reserve(expected)
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id: ResidentID
        do {
            id = try Field.id(row, c.id)
        } catch {
            try skipIfOthers(row)
            throw error
        }
        let region: RegionCode, scheme: Scheme
        do throws(RowError) {
            region = try Field.region(row, c.region)
            if region != knownRegion {
                guard policy.regions[region] != nil else {
                    throw RowError(column: "region_code", "region \(region) is not in policy.yaml")
                }
                knownRegion = region
            }
            scheme = Scheme.allCases[try Field.choice(row, c.scheme, Self.schemes)]
        } catch {
            // The ID belongs to this row all the same, unless an earlier row has it (rule R3).
            if rejectedOwners[id.key] == nil && persons.index(of: id.key) == nil && !batch.contains(id.key)
                && filter?.others.index(of: id.key) == nil {
                rejectedOwners[id.key] = row.line
            }
            try skipIfOthers(row)
            throw error
        }
        if !rejectedOwners.isEmpty, let owner = rejectedOwners[id.key] {
            if let filter, !filter.selection.contains(region) { throw .skip }
            throw KeyOwners<UInt64>.taken(column: "person_id", by: (file, owner), file: file)
        }
        if filter != nil {
            // The region is the policy's, so its province is known.
            if filter?.selection.contains(region) == false {
                // Kept aside for the rows that name the person; a person already
                // among the job's is left to its own province's run to reject.
                if persons.index(of: id.key) == nil { filter?.others.insert(Person(id: id, region: region, scheme: scheme)) }
                throw .skip
            }
            if filter?.others.index(of: id.key) != nil {
                throw RowError(column: "person_id", "person_id appears on an earlier row")
            }
        }
        batch.append(Person(id: id, region: region, scheme: scheme), row, name: row.bytes(c.name))
        if batch.isFull { late += batch.insert(into: &persons) }
    }

    /// With `--province`, a row of a province left out is skipped, whatever
    /// is wrong with it (its province's run rejects it).
    private func skipIfOthers(_ row: CSVTableReader.Row) throws(RowError) {
        if let filter, let region = try? Field.region(row, c.region), filter.skips(filter.province(of: region)) { throw .skip }
    }

    /// The name, and, failing closed, any value not known to be harmless.
    public var personal: PersonalColumns? { PersonalColumns(positions: [c.name.index], codes: Scheme.allCases.map(\.rawValue)) }

    public mutating func finish() -> [RejectedRow] {
        late += batch.insert(into: &persons)
        defer { late = [] }
        return late
    }
}

/// Persons waiting to go into the person table, a few thousand at a time
/// (`PersonTable.insert(contentsOf:)`: one insert is a random access into a
/// table of 16 MB, and many at once wait for memory together). A person
/// already in the table is rejected as before, with its line and raw text,
/// kept here until then.
struct PersonBatch {
    let file: String
    private var persons: [Person] = []
    private var lines: [Int] = []
    /// Each row's raw bytes and then its name's, one after the other.
    private var text: [UInt8] = []
    private var ends: [(raw: Int, name: Int)] = []
    static let size = 4096

    init(file: String) { self.file = file }

    var isFull: Bool { persons.count >= PersonBatch.size }

    /// Whether a waiting person has this ID (a rejected row asks: rare).
    func contains(_ key: UInt64) -> Bool { persons.contains { $0.id.key == key } }

    mutating func append(_ person: Person, _ row: CSVTableReader.Row, name: UnsafeBufferPointer<UInt8>) {
        persons.append(person)
        lines.append(row.line)
        text.append(contentsOf: row.rawBytes)
        let raw = text.count
        text.append(contentsOf: name)
        ends.append((raw, text.count))
    }

    /// Inserts the waiting persons in order; the rejects of those already there.
    mutating func insert(into table: inout PersonTable) -> [RejectedRow] {
        let rejects = table.insert(contentsOf: persons).map { position in
            let (raw, name) = ends[position]
            let start = position == 0 ? 0 : ends[position - 1].name
            let nameText = String(decoding: text[raw..<name], as: UTF8.self)
            return RejectedRow(file: file, line: lines[position], column: "person_id",
                               reason: "person_id appears on an earlier row",
                               raw: String(decoding: text[start..<raw], as: UTF8.self),
                               sensitive: nameText.isEmpty ? [] : [nameText])
        }
        persons.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        return rejects
    }
}
