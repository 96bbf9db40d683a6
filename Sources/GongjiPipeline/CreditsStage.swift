import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// The credits of one month, aggregated as rows stream in.
public struct MonthCredits: Sendable {
    public struct Group: Hashable, Sendable, Comparable {
        public var region: RegionCode
        public var band: String
        public static func < (lhs: Group, rhs: Group) -> Bool { (lhs.region, lhs.band) < (rhs.region, rhs.band) }
    }

    public struct Totals: Sendable {
        public var persons = 0
        public var base = Money.zero
        public var credit = Money.zero
    }

    /// Credit per account (packed ID).
    public var perPerson: [UInt64: Money] = [:]
    public var groups: [Group: Totals] = [:]
    public var findings: [BaseFindingRow] = []

    mutating func add(_ credit: Credit, person: ResidentID, region: RegionCode, base: Money?) {
        perPerson[person.key, default: .zero] += credit.amount
        let group = Group(region: region, band: credit.band)
        groups[group, default: Totals()].persons += 1
        groups[group, default: Totals()].base += base ?? .zero
        groups[group, default: Totals()].credit += credit.amount
        if let finding = credit.baseFinding {
            findings.append(BaseFindingRow(person: person, region: region, finding: finding))
        }
    }
}

/// What the credit stage read and computed.
public struct CreditsResult: Sendable {
    public var persons: [UInt64: Person] = [:]
    public var openings: [UInt64: [AccountLedger.Opening]] = [:]
    public var months: [YearMonth: MonthCredits] = [:]
    public var inputs: [Manifest.Input] = []
    public var rejects: [Reject] = []

    /// Every month from the first to the last with a roster row.
    public var monthRange: [YearMonth] {
        guard let first = months.keys.min(), let last = months.keys.max() else { return [] }
        var list = [first]
        while let month = list.last, month < last { list.append(month.next) }
        return list
    }
}

/// persons.csv, opening-balances.csv and contributions/*.csv → credits.
/// Every row is accepted or rejected with file, line, column, reason and
/// the raw text; for each file read = accepted + rejected.
enum CreditsStage {
    static let personColumns = (["person_id", "region_code", "scheme"], ["name", "tier"])
    static let openingColumns = (["person_id", "as_of", "balance"], [String]())
    static let contributionColumns = (["person_id", "month", "region_code", "status"], ["base", "employer_id"])

    /// `onCredit` sees every accepted roster row and its credit as it streams
    /// by (the store keeps them); nothing else holds the rows.
    static func run(_ folder: DataFolder, thresholds: LoadedThresholds, encoding: TextEncoding, console: Console,
                    onCredit: ((Contribution, Credit) -> Void)? = nil) throws(RunError) -> CreditsResult {
        var result = CreditsResult()
        let contributionFiles = folder.files(in: "contributions", withExtension: "csv")
        let personsURL = folder.root.appendingPathComponent("persons.csv")
        guard FileManager.default.fileExists(atPath: personsURL.path) else {
            if !contributionFiles.isEmpty {
                throw RunError("persons.csv: missing: contribution rosters need the persons they name")
            }
            return result
        }
        let policy = thresholds.policy
        try record(CSVInput.read(personsURL, folder, personColumns, encoding, console) { row throws(RowError) in
            let id = try Field.id(row, "person_id")
            let region = try Field.region(row, "region_code")
            guard policy.regions[region] != nil else { throw RowError(column: "region_code", "region \(region) is not in policy.yaml") }
            let scheme = try Field.choice(row, "scheme", Scheme.self, Scheme.allCases)
            guard result.persons[id.key] == nil else { throw RowError(column: "person_id", "person_id appears on an earlier row") }
            result.persons[id.key] = Person(id: id, name: Field.optional(row, "name"), region: region, scheme: scheme,
                                            tier: Field.optional(row, "tier"))
        }, into: &result)
        let openingsURL = folder.root.appendingPathComponent("opening-balances.csv")
        if FileManager.default.fileExists(atPath: openingsURL.path) {
            try record(CSVInput.read(openingsURL, folder, openingColumns, encoding, console) { row throws(RowError) in
                let id = try Field.id(row, "person_id")
                guard result.persons[id.key] != nil else { throw RowError(column: "person_id", "person is not in persons.csv") }
                let asOf = try Field.day(row, "as_of")
                guard asOf.day == 1 else { throw RowError(column: "as_of", "as_of must be the first day of a month") }
                let balance = try Field.amount(try Field.required(row, "balance"), "balance")
                guard balance.fen >= 0 else { throw RowError(column: "balance", "a balance cannot be negative") }
                if result.openings[id.key]?.contains(where: { $0.asOf == asOf }) == true {
                    throw RowError(column: "as_of", "an opening balance for this person and day appears on an earlier row")
                }
                result.openings[id.key, default: []].append(.init(asOf: asOf, balance: balance))
            }, into: &result)
        }
        var seen = Set<PersonMonth>()
        for url in contributionFiles {
            try record(CSVInput.read(url, folder, contributionColumns, encoding, console) { row throws(RowError) in
                let id = try Field.id(row, "person_id")
                let month = try Field.month(row, "month")
                let region = try Field.region(row, "region_code")
                let status = try Field.choice(row, "status", ContributionStatus.self, [.inService, .retired])
                var base: Money?
                if let text = Field.optional(row, "base") {
                    base = try Field.amount(text, "base")
                    if let base, base.fen < 0 { throw RowError(column: "base", "a base cannot be negative") }
                } else if status == .inService {
                    throw RowError(column: "base", "base is required when status is in_service")
                }
                guard let person = result.persons[id.key] else { throw RowError(column: "person_id", "person is not in persons.csv") }
                guard person.scheme == .employee else {
                    throw RowError(column: "person_id", "person is in the resident scheme, which has no individual account")
                }
                guard let regionPolicy = policy.regions[region] else {
                    throw RowError(column: "region_code", "region \(region) is not in policy.yaml")
                }
                guard seen.insert(PersonMonth(key: id.key, month: month)).inserted else {
                    throw RowError(column: "person_id", "person and month appear on an earlier row")
                }
                let contribution = Contribution(person: id, month: month, region: region, status: status, base: base,
                                                employerID: Field.optional(row, "employer_id"))
                let series = regionPolicy.credit.inForce(on: month.firstDay)?.rule.wageSeries ?? defaultWageSeries
                let wage = thresholds.wages.latest(region: region, series: series, atOrBefore: month.year - 1)
                let credit: Credit
                do throws(CreditProblem) {
                    credit = try CreditCalculator.credit(for: contribution, region: regionPolicy,
                                                         averageMonthlyWage: wage?.current.monthlyAverage)
                } catch {
                    seen.remove(PersonMonth(key: id.key, month: month))
                    throw RowError(column: error == .missingBase ? "base" : "month", error.description)
                }
                // Mutate the month's aggregate in place: copying it out would copy
                // its per-person table on every row.
                result.months[month, default: MonthCredits()].add(credit, person: id, region: region, base: base)
                onCredit?(contribution, credit)
            }, into: &result)
        }
        return result
    }

    struct PersonMonth: Hashable {
        var key: UInt64
        var month: YearMonth
    }

    static func record(_ read: (Manifest.Input, [Reject]), into result: inout CreditsResult) {
        result.inputs.append(read.0)
        result.rejects += read.1
    }}
