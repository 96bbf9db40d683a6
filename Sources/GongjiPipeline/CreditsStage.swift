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

    struct GroupKey: Hashable {
        var region: RegionCode
        var band: Int
    }

    /// Credit per account, by dense person index; who had a roster row.
    public var column: CreditColumn
    /// Totals by group slot; `slots` gives each group its slot.
    var totals: [Totals] = []
    var slots: [GroupKey: Int] = [:]
    public var findings: [BaseFindingRow] = []

    init(count: Int) { column = CreditColumn(count: count) }

    mutating func slot(_ key: GroupKey) -> Int {
        if let known = slots[key] { return known }
        slots[key] = totals.count
        totals.append(Totals())
        return totals.count - 1
    }

    /// The totals by region and band label.
    func groups(labels: [String]) -> [Group: Totals] {
        var out: [Group: Totals] = [:]
        for (key, slot) in slots { out[Group(region: key.region, band: labels[key.band])] = totals[slot] }
        return out
    }
}

/// What the credit stage read and computed.
public struct CreditsResult: Sendable {
    public var persons = PersonTable()
    /// Opening balances by their day, with the persons' dense index.
    public var openings: [Day: [AccountLedger.Opening]] = [:]
    public var months: [YearMonth: MonthCredits] = [:]
    /// Band labels, indexed by the band numbers in `months`.
    public var bandLabels: [String] = []
    public var inputs: [Manifest.Input] = []
    public var rejects: [Reject] = []
}

/// A persons.csv row for the store, with the values not kept in memory.
struct PersonRow {
    var person: Person
    var name: String?
    var tier: String?
}

/// persons.csv, opening-balances.csv and contributions/*.csv → credits.
/// Every row is accepted or rejected with file, line, column, reason and
/// the raw text; for each file read = accepted + rejected.
///
/// This is the hot path of a city's run: rows are read as byte views, IDs
/// and amounts are parsed from bytes, each person is a dense index, and a
/// region's credit rule is resolved once per month.
enum CreditsStage {
    static let personColumns = (["person_id", "region_code", "scheme"], ["name", "tier"])
    static let openingColumns = (["person_id", "as_of", "balance"], [String]())
    static let contributionColumns = (["person_id", "month", "region_code", "status"], ["base", "employer_id"])
    static let statusValues: [ContributionStatus] = [.inService, .retired]
    static let statuses = Choices(statusValues.map(\.rawValue))
    static let schemes = Choices(Scheme.allCases.map(\.rawValue))

    struct Sinks {
        /// Each accepted person, with name and tier (the store keeps them).
        var person: ((PersonRow) -> Void)?
        /// Each accepted roster row and its credit.
        var credit: ((Contribution, Money, String) -> Void)?
    }

    static func run(_ folder: DataFolder, thresholds: LoadedThresholds, encoding: TextEncoding, console: Console,
                    sinks: Sinks = Sinks()) throws(RunError) -> CreditsResult {
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
        func record(_ read: (Manifest.Input, [Reject])) {
            result.inputs.append(read.0)
            result.rejects += read.1
        }
        struct PersonColumns { let id, region, scheme, name, tier: Column }
        // About 40 bytes a row: room for every person at once, no rehashing.
        let personsSize = (try? FileManager.default.attributesOfItem(atPath: personsURL.path)[.size] as? NSNumber)?.intValue ?? 0
        result.persons.reserve(personsSize / 40)
        record(try CSVInput.read(personsURL, folder, personColumns, encoding, console, columns: {
            PersonColumns(id: $0.column("person_id"), region: $0.column("region_code"), scheme: $0.column("scheme"),
                          name: $0.column("name"), tier: $0.column("tier"))
        }, sensitive: { row, c in Field.optional(row, c.name) }) { row, c throws(RowError) in
            let id = try Field.id(row, c.id)
            let region = try Field.region(row, c.region)
            guard policy.regions[region] != nil else { throw RowError(column: "region_code", "region \(region) is not in policy.yaml") }
            let scheme = Scheme.allCases[try Field.choice(row, c.scheme, schemes)]
            let person = Person(id: id, region: region, scheme: scheme)
            guard result.persons.insert(person) else {
                throw RowError(column: "person_id", "person_id appears on an earlier row")
            }
            sinks.person?(PersonRow(person: person, name: Field.optional(row, c.name), tier: Field.optional(row, c.tier)))
        })
        let count = result.persons.count
        let openingsURL = folder.root.appendingPathComponent("opening-balances.csv")
        if FileManager.default.fileExists(atPath: openingsURL.path) {
            var seen: [Day: IndexSet64] = [:]
            var openingHint = 0
            struct OpeningColumns { let id, asOf, balance: Column }
            record(try CSVInput.read(openingsURL, folder, openingColumns, encoding, console, columns: {
                OpeningColumns(id: $0.column("person_id"), asOf: $0.column("as_of"), balance: $0.column("balance"))
            }) { row, c throws(RowError) in
                let id = try Field.id(row, c.id)
                guard let index = result.persons.index(of: id.key, hint: openingHint) else {
                    throw RowError(column: "person_id", "person is not in persons.csv")
                }
                openingHint = index + 1
                let asOf = try Field.day(row, c.asOf)
                guard asOf.day == 1 else { throw RowError(column: "as_of", "as_of must be the first day of a month") }
                let balance = try Field.amount(row, c.balance)
                guard balance.fen >= 0 else { throw RowError(column: "balance", "a balance cannot be negative") }
                guard seen[asOf, default: IndexSet64(count: count)].insert(index) else {
                    throw RowError(column: "as_of", "an opening balance for this person and day appears on an earlier row")
                }
                result.openings[asOf, default: []].append(.init(index: Int32(index), balance: balance))
            })
        }

        // A region's rule for a month, resolved once: the credit table, and
        // for each of its bands the month's group slot. Rows of one file are
        // mostly one region and month, so the last one is kept at hand.
        struct RuleKey: Hashable { var region: RegionCode; var month: YearMonth }
        final class Resolved {
            let table: CreditTable, bands: [Int], month: Int, groups: [Int]
            init(table: CreditTable, bands: [Int], month: Int, groups: [Int]) {
                self.table = table
                self.bands = bands
                self.month = month
                self.groups = groups
            }
        }
        var tables: [RuleKey: (table: CreditTable, bands: [Int])] = [:]
        var bandNumbers: [String: Int] = [:]
        var monthSlots: [YearMonth: Int] = [:]
        var months: [MonthCredits] = []
        var monthList: [YearMonth] = []
        var lastKey: RuleKey?
        var last: Resolved?
        func resolve(_ key: RuleKey) throws(RowError) -> Resolved {
            if let last, lastKey == key { return last }
            guard let region = policy.regions[key.region] else {
                throw RowError(column: "region_code", "region \(key.region) is not in policy.yaml")
            }
            var entry = tables[key]
            if entry == nil {
                let series = region.credit.inForce(on: key.month.firstDay)?.rule.wageSeries ?? defaultWageSeries
                let wage = thresholds.wages.latest(region: region.code, series: series, atOrBefore: key.month.year - 1)
                do throws(CreditProblem) {
                    let made = try CreditCalculator.table(region: region, month: key.month,
                                                          averageMonthlyWage: wage?.current.monthlyAverage)
                    let bands = made.labels.map { label in
                        if let number = bandNumbers[label] { return number }
                        bandNumbers[label] = result.bandLabels.count
                        result.bandLabels.append(label)
                        return result.bandLabels.count - 1
                    }
                    entry = (made, bands)
                    tables[key] = entry
                } catch {
                    throw RowError(column: "month", error.description)
                }
            }
            guard let entry else { throw RowError(column: "month", "no credit rule") }
            let slot: Int
            if let known = monthSlots[key.month] {
                slot = known
            } else {
                slot = months.count
                monthSlots[key.month] = slot
                months.append(MonthCredits(count: count))
                monthList.append(key.month)
            }
            let groups = entry.bands.map { months[slot].slot(MonthCredits.GroupKey(region: key.region, band: $0)) }
            let resolved = Resolved(table: entry.table, bands: entry.bands, month: slot, groups: groups)
            lastKey = key
            last = resolved
            return resolved
        }

        struct RosterColumns { let id, month, region, status, base, employer: Column }
        var hint = 0
        for url in contributionFiles {
            record(try CSVInput.read(url, folder, contributionColumns, encoding, console, columns: {
                RosterColumns(id: $0.column("person_id"), month: $0.column("month"), region: $0.column("region_code"),
                              status: $0.column("status"), base: $0.column("base"), employer: $0.column("employer_id"))
            }) { row, c throws(RowError) in
                let id = try Field.id(row, c.id)
                let month = try Field.month(row, c.month)
                let region = try Field.region(row, c.region)
                let status = statusValues[try Field.choice(row, c.status, statuses)]
                var base: Money?
                if !Field.isEmpty(row, c.base) {
                    let amount = try Field.amount(row, c.base)
                    if amount.fen < 0 { throw RowError(column: "base", "a base cannot be negative") }
                    base = amount
                } else if status == .inService {
                    throw RowError(column: "base", "base is required when status is in_service")
                }
                guard let index = result.persons.index(of: id.key, hint: hint) else {
                    throw RowError(column: "person_id", "person is not in persons.csv")
                }
                hint = index + 1
                guard result.persons.schemes[index] == .employee else {
                    throw RowError(column: "person_id", "person is in the resident scheme, which has no individual account")
                }
                let rule = try resolve(RuleKey(region: region, month: month))
                if months[rule.month].column.present.contains(index) {
                    throw RowError(column: "person_id", "person and month appear on an earlier row")
                }
                let credit: (amount: Money, band: Int, finding: BaseFinding?)
                do throws(CreditProblem) {
                    credit = try rule.table.credit(status: status, age: id.age(onFirstDayOf: month), base: base)
                } catch {
                    throw RowError(column: error == .missingBase ? "base" : (error == .notYetBorn ? "person_id" : "month"),
                                   error.description)
                }
                months[rule.month].add(index: index, amount: credit.amount, group: rule.groups[credit.band], base: base)
                if let finding = credit.finding {
                    months[rule.month].findings.append(BaseFindingRow(person: id, region: region, finding: finding))
                }
                if let sink = sinks.credit {
                    sink(Contribution(person: id, month: month, region: region, status: status, base: base,
                                      employerID: Field.optional(row, c.employer)),
                         credit.amount, result.bandLabels[rule.bands[credit.band]])
                }
            })
        }
        for (slot, month) in monthList.enumerated() { result.months[month] = months[slot] }
        return result
    }
}

extension MonthCredits {
    mutating func add(index: Int, amount: Money, group: Int, base: Money?) {
        _ = column.present.insert(index)
        column.amounts[index] = amount.fen
        totals[group].persons += 1
        totals[group].base += base ?? .zero
        totals[group].credit += amount
    }
}
