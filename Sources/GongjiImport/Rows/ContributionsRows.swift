import GongjiDomain

/// contributions/*.csv → each row's credit, posted to a `CreditBook`. A row
/// is rejected when a field is not valid, the base is missing in service or
/// negative, the person is not in persons.csv or is in the resident scheme,
/// the region is not in the policy or has no credit rule that month, or the
/// same person and month was on an earlier row (of any roster file),
/// accepted or not (rule R3). A file without `base` stops the run at its
/// first row in service (rule R4).
///
/// This is the hot path of a city's run: fields are read as bytes, and the
/// book resolves a region's rule once per month.
public struct ContributionsRows: TableRows {
    public static let columns = (required: ["person_id", "month", "region_code", "status"], optional: ["base", "employer_id"])
    static let statusValues: [ContributionStatus] = [.inService, .retired]
    static let statuses = Choices(statusValues.map(\.rawValue))

    public struct Columns: Sendable { let id, month, region, status, base, employer: Column }

    public let persons: PersonTable
    public let window: DateWindow
    /// What the rows posted so far.
    public var book: CreditBook
    private var c: Columns?
    private var hint = 0
    /// The last row's month, found plausible (rows come grouped by month).
    private var lastMonth: YearMonth?
    /// Person and month of rows rejected first, with their file and line
    /// (rule R3): few, so a city's accepted rows pay one `isEmpty`.
    public private(set) var rejectedOwners: [RosterKey: (file: String, line: Int)] = [:]
    private var file = ""
    /// Whether this file's header has `base` (rule R4).
    private var hasBase = true
    /// Whether this file's header is `person_id,month,region_code,status,base,employer_id`,
    /// the form `acceptLine` reads.
    private var usual = false
    /// The last month and region `acceptLine` parsed, and their bytes (with the commas around them).
    private var lastMonthWord: UInt64 = 0, lastRegionWord: UInt64 = 0
    private var lastMonthValue: YearMonth?
    private var lastRegionValue: RegionCode?

    public struct RosterKey: Hashable, Sendable { public let index: Int, month: YearMonth }

    /// `--province`: rows of other provinces are skipped (`ProvinceFilter`).
    public let filter: ProvinceFilter?
    /// Rows of a region in another province than the person's (with `filter`).
    public private(set) var ties: [ProvinceTie] = []

    public init(persons: PersonTable, book: CreditBook, window: DateWindow, filter: ProvinceFilter? = nil) {
        self.persons = persons
        self.book = book
        self.window = window
        self.filter = filter
    }

    /// Finds the columns of the next file's header.
    public mutating func use(_ table: CSVTableReader) {
        file = table.name
        hasBase = table.column("base").isPresent
        c = Columns(id: table.column("person_id"), month: table.column("month"), region: table.column("region_code"),
                    status: table.column("status"), base: table.column("base"), employer: table.column("employer_id"))
        usual = table.width == 6 && c.map { [$0.id, $0.month, $0.region, $0.status, $0.base, $0.employer].map(\.index) }
            == [0, 1, 2, 3, 4, 5]
    }

    public static var readsLines: Bool { true }

    /// The usual row, read from its line without splitting it into fields
    /// first: an 18-character ID, a month, a region code, `in_service` or
    /// `retired`, a base and an employer, in the header's usual order, in
    /// ASCII without quotes, and one that `accept` would take. The ID must
    /// be one of persons.csv's, whose IDs were checked as they were read
    /// (`ResidentID.uncheckedKey`); the other fields go through the same
    /// parsers as in `accept` (a month and a region the same bytes as the
    /// last row's are that row's), and the row through the same checks. A
    /// row that is anything else, or that any check refuses, is left to
    /// `accept` (0), which then gives its reason. The fields before the
    /// employer are found at the places their lengths give, and neither the
    /// ID's key nor the parsers take commas, quotes or line ends; the
    /// employer is looked at byte by byte. Measured in docs/architecture.md
    /// ("The roster's usual row").
    public mutating func acceptLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Int {
        let comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), quote = UInt8(ascii: "\"")
        guard usual, filter == nil, bytes.count > 44, let start = bytes.baseAddress,
              start[18] == comma, start[26] == comma, start[33] == comma else { return 0 }
        func field(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start + from, count: to - from) }
        // The ID: a key found in persons.csv's table is a valid ID's (`ResidentID.uncheckedKey`); any other is
        // left to `accept`, which says whether the ID is wrong or its person missing.
        guard let key = ResidentID.uncheckedKey(field(0, 18).span), let index = persons.index(of: key, hint: hint) else {
            return 0
        }
        let id = persons.ids[index]
        // The month and the region, with the commas around them, as a word each: a run of rows of one month
        // and region parses them once (the same bytes give the same value).
        let raw = UnsafeRawPointer(start)
        let monthWord = raw.loadUnaligned(fromByteOffset: 19, as: UInt64.self)  // "YYYY-MM,"
        let regionWord = raw.loadUnaligned(fromByteOffset: 26, as: UInt64.self)  // ",RRRRRR,"
        let month: YearMonth, region: RegionCode
        if monthWord == lastMonthWord, let known = lastMonthValue {
            month = known
        } else {
            guard let parsed = YearMonth(bytes: field(19, 26).span) else { return 0 }
            (month, lastMonthWord, lastMonthValue) = (parsed, monthWord, parsed)
        }
        if regionWord == lastRegionWord, let known = lastRegionValue {
            region = known
        } else {
            guard let parsed = RegionCode(bytes: field(27, 33).span) else { return 0 }
            (region, lastRegionWord, lastRegionValue) = (parsed, regionWord, parsed)
        }
        let status: ContributionStatus
        var next: Int
        if start[34] == UInt8(ascii: "i"), start[44] == comma, Field.starts(start + 34, with: "in_service") {
            status = .inService
            next = 45
        } else if start[34] == UInt8(ascii: "r"), start[41] == comma, Field.starts(start + 34, with: "retired") {
            status = .retired
            next = 42
        } else {
            return 0
        }
        // The base, up to its comma.
        let baseStart = next
        while next < bytes.count, start[next] != comma {
            if start[next] == lf { return 0 }
            next += 1
        }
        guard next < bytes.count else { return 0 }
        var base: Money?
        if next > baseStart {
            guard let amount = Money(yuanBytes: field(baseStart, next).span), amount.fen >= 0 else { return 0 }
            base = amount
        } else if status == .inService {
            return 0
        }
        // The employer, up to the line end: no comma, quote or byte outside ASCII (the row's text is then valid UTF-8).
        next += 1
        while next < bytes.count, start[next] != lf {
            let byte = start[next]
            if byte == comma || byte == quote || byte >= 0x80 { return 0 }
            next += 1
        }
        guard next < bytes.count else { return 0 }
        if month != lastMonth {
            guard window.problem(month) == nil else { return 0 }
            lastMonth = month
        }
        hint = index + 1
        guard persons.schemes[index] == .employee,
              rejectedOwners.isEmpty || rejectedOwners[RosterKey(index: index, month: month)] == nil else { return 0 }
        do throws(PostingProblem) {
            try book.post(person: id, month: month, region: region, status: status, base: base, index: index)
        } catch {
            return 0  // `accept` posts it again and gives the reason; a failed post changed nothing it would not
        }
        return next + 1
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        guard let c else { throw RowError(column: "", "no header read") }
        let id: ResidentID, month: YearMonth
        do throws(RowError) {
            id = try Field.id(row, c.id)
            month = try Field.month(row, c.month)
            if month != lastMonth {
                if let problem = window.problem(month) { throw RowError(column: "month", problem) }
                lastMonth = month
            }
        } catch {
            // With `--province`, a row of a region of a province left out is skipped, whatever is wrong with it.
            if let filter, let region = try? Field.region(row, c.region), filter.skips(filter.province(of: region)) { throw .skip }
            throw error
        }
        let region: RegionCode, status: ContributionStatus
        var base: Money?
        do throws(RowError) {
            region = try Field.region(row, c.region)
            status = Self.statusValues[try Field.choice(row, c.status, Self.statuses)]
            if !Field.isEmpty(row, c.base) {
                let amount = try Field.amount(row, c.base)
                if amount.fen < 0 { throw RowError(column: "base", "a base cannot be negative") }
                base = amount
            } else if status == .inService {
                guard hasBase else {
                    throw RowError(column: "base", "missing column base, which a row with status in_service needs",
                                   stopsTheRun: true)
                }
                throw RowError(column: "base", "base is required when status is in_service")
            }
        } catch {
            claim(id, month, line: row.line)
            if let filter {
                let region = try? Field.region(row, c.region)
                if filter.skips(region.flatMap(filter.province(of:)) ?? filter.province(ofPerson: id, persons)) { throw .skip }
            }
            throw error
        }
        if let filter, try sortOut(id, month, region, row.line, filter) { throw .skip }
        guard let index = persons.index(of: id.key, hint: hint) else {
            throw RowError(column: "person_id", "person is not in persons.csv")
        }
        hint = index + 1
        guard persons.schemes[index] == .employee else {
            claim(id, month, line: row.line)
            throw RowError(column: "person_id", "person is in the resident scheme, which has no individual account")
        }
        if !rejectedOwners.isEmpty, let owner = rejectedOwners[RosterKey(index: index, month: month)] {
            let place: Phrase = owner.file == file ? "line \(owner.line)" : "line \(owner.line) of \(owner.file)"
            throw RowError(column: "person_id", "person and month appear on \(place), which was rejected")
        }
        do throws(PostingProblem) {
            try book.post(person: id, month: month, region: region, status: status, base: base, index: index)
        } catch {
            // An earlier accepted row has the person and month; any other fault leaves them to this row (rule R3).
            if case .repeated = error {} else { claim(id, month, line: row.line) }
            switch error {
            case let .unknownRegion(code): throw RowError(column: "region_code", "region \(code) is not in policy.yaml")
            case .repeated: throw RowError(column: "person_id", "person and month appear on an earlier row")
            case let .credit(problem):
                let column = switch problem {
                case .missingBase: "base"
                case .notYetBorn: "person_id"
                default: "month"
                }
                throw RowError(column: column, problem.phrase)
            }
        }
    }

    /// With `--province`, a row whose fields are valid: whether it is skipped
    /// (of a province left out, or for a person insured in one: a tie). A
    /// row of the region of one province for a person of another is a tie
    /// (the credit is the person's, the region's rule gives it).
    private mutating func sortOut(_ id: ResidentID, _ month: YearMonth, _ region: RegionCode, _ line: Int,
                                  _ filter: ProvinceFilter) throws(RowError) -> Bool {
        let regionProvince = filter.province(of: region)
        let person = persons.index(of: id.key, hint: hint)
        if person != nil, regionProvince == nil || filter.selection.contains(region) {
            return false  // the job's: checked and posted as always
        }
        let personProvince = person.map { persons.regions[$0].province } ?? filter.province(ofPerson: id.key, persons)
        if let tie = ProvinceFilter.tie(.roster, "\(file):\(line)", regionProvince, personProvince, month) { ties.append(tie) }
        if person == nil, personProvince == nil, !filter.skips(regionProvince) {
            return false  // not in persons.csv: rejected as always
        }
        return filter.skips(regionProvince ?? personProvince) || person == nil
    }

    /// A rejected row keeps its person and month unless an earlier row has them (rule R3).
    private mutating func claim(_ id: ResidentID, _ month: YearMonth, line: Int) {
        guard let index = persons.index(of: id.key) else { return }
        let key = RosterKey(index: index, month: month)
        guard rejectedOwners[key] == nil, !book.credited(index, in: month) else { return }
        rejectedOwners[key] = (file, line)
    }
}
