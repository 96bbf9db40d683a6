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
        usual = table.width == 5 && [c.id, c.name, c.region, c.scheme, c.tier].map(\.index) == [0, 1, 2, 3, 4]
    }

    /// Whether the header is `person_id,name,region_code,scheme,tier`, the form `acceptLine` reads.
    private let usual: Bool

    public static var readsLines: Bool { true }

    /// The usual row, read from its line as `ContributionsRows.acceptLine`
    /// reads a roster's (docs/architecture.md, "The roster's usual row"):
    /// persons.csv is read alone, before every other input, so its rows
    /// hold up the whole run. An 18-character ID (parsed in full, as
    /// `accept` parses it), a name, a region of the policy, `employee` or
    /// `resident`, and a tier, without quotes, the name and tier valid
    /// UTF-8; the person goes into the batch as `accept` puts it there.
    /// Anything else is left to `accept` (0).
    public mutating func acceptLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Int {
        let comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), quote = UInt8(ascii: "\"")
        guard usual, filter == nil, bytes.count > 36, let start = bytes.baseAddress, start[18] == comma,
              let id = try? ResidentID(bytes: UnsafeBufferPointer(start: start, count: 18).span) else { return 0 }
        // The name, up to its comma; then the region and the scheme at the places their lengths give.
        var at = 19
        var high: UInt8 = 0
        while at < bytes.count, start[at] != comma {
            if start[at] == quote || start[at] == lf { return 0 }
            high |= start[at]
            at += 1
        }
        let name = UnsafeBufferPointer(start: start + 19, count: at - 19)
        guard at + 18 < bytes.count, start[at + 7] == comma,
              let region = RegionCode(bytes: UnsafeBufferPointer(start: start + at + 1, count: 6).span) else { return 0 }
        if region != knownRegion {
            guard policy.regions[region] != nil else { return 0 }
            knownRegion = region
        }
        let scheme: Scheme
        at += 8
        if Field.starts(start + at, with: "employee,") {
            scheme = .employee
        } else if Field.starts(start + at, with: "resident,") {
            scheme = .resident
        } else {
            return 0
        }
        // The tier, up to the line end.
        at += 9
        let tierStart = at
        while at < bytes.count, start[at] != lf {
            if start[at] == comma || start[at] == quote { return 0 }
            high |= start[at]
            at += 1
        }
        guard at < bytes.count else { return 0 }
        let end = at > 0 && start[at - 1] == UInt8(ascii: "\r") ? at - 1 : at
        // Text beyond ASCII only in the name and the tier: they must be valid UTF-8, as the reader checks a row.
        if high >= 0x80 {
            guard String(validating: name, as: UTF8.self) != nil,
                  String(validating: UnsafeBufferPointer(start: start + tierStart, count: max(end - tierStart, 0)), as: UTF8.self) != nil
            else { return 0 }
        }
        guard rejectedOwners.isEmpty || rejectedOwners[id.key] == nil else { return 0 }
        batch.append(Person(id: id, region: region, scheme: scheme), line: line,
                     raw: UnsafeBufferPointer(start: start, count: end), name: name)
        if batch.isFull { late += batch.insert(into: &persons) }
        return at + 1
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
        append(person, line: row.line, raw: row.rawBytes, name: name)
    }

    /// The same from a row's line, its raw text without the line end.
    mutating func append(_ person: Person, line: Int, raw rawBytes: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>) {
        persons.append(person)
        lines.append(line)
        text.append(contentsOf: rawBytes)
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
