/// One month's credit rows by region and band (credits-YYYY-MM.csv).
public struct CreditGroupRow: Hashable, Sendable {
    public var region: RegionCode
    public var band: String
    public var persons: Int
    public var baseTotal: Money
    public var creditTotal: Money

    public init(region: RegionCode, band: String, persons: Int, baseTotal: Money, creditTotal: Money) {
        self.region = region
        self.band = band
        self.persons = persons
        self.baseTotal = baseTotal
        self.creditTotal = creditTotal
    }
}

/// A base outside the plausible band (base-findings-YYYY-MM.csv).
public struct BaseFindingRow: Hashable, Sendable {
    // In this order a row is 32 bytes, not 40: a city year holds a million of them until their months settle.
    public var person: ResidentID
    public var finding: BaseFinding
    public var region: RegionCode

    public init(person: ResidentID, region: RegionCode, finding: BaseFinding) {
        self.person = person
        self.region = region
        self.finding = finding
    }
}

/// The credits of one month, gathered as roster rows are posted
/// (`CreditBook`): each account's credit, and totals by region and band.
public struct MonthCredits: Sendable {
    struct GroupKey: Hashable {
        var region: RegionCode
        var band: Int
    }

    struct Totals: Sendable {
        var persons = 0
        var base = Money.zero
        var credit = Money.zero
    }

    /// Credit per account, by dense person index; who had a roster row.
    public internal(set) var column: CreditColumn
    /// Totals by group slot; `slots` gives each group its slot.
    var totals: [Totals] = []
    var slots: [GroupKey: Int] = [:]
    /// Bases outside the plausible band, in the order their rows were read.
    public internal(set) var findings: [BaseFindingRow] = []

    init(count: Int) { column = CreditColumn(count: count) }

    mutating func slot(_ key: GroupKey) -> Int {
        if let known = slots[key] { return known }
        slots[key] = totals.count
        totals.append(Totals())
        return totals.count - 1
    }

    mutating func add(index: Int, amount: Money, group: Int, base: Money?) {
        column.set(index, amount.fen)
        totals[group].persons += 1
        totals[group].base += base ?? .zero
        totals[group].credit += amount
    }

    /// The totals by region and band label, in (region, band) order.
    public func groups(labels: [String]) -> [CreditGroupRow] {
        slots.map { key, slot in
            CreditGroupRow(region: key.region, band: labels[key.band], persons: totals[slot].persons,
                           baseTotal: totals[slot].base, creditTotal: totals[slot].credit)
        }.sorted { ($0.region, $0.band) < ($1.region, $1.band) }
    }
}
