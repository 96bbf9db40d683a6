/// A contribution base outside floor..cap of the average wage: reported, never changed.
public struct BaseFinding: Hashable, Sendable {
    public enum Side: String, Sendable { case belowFloor = "below_floor", aboveCap = "above_cap" }
    // The amounts first, then the side: 17 bytes, so that a finding row packs its region after it (32 bytes, not 40).
    public var base: Money
    public var bound: Money
    public var side: Side

    public init(side: Side, base: Money, bound: Money) {
        self.side = side
        self.base = base
        self.bound = bound
    }
}

/// Why no credit could be computed for a roster row.
public enum CreditProblem: Error, Hashable, Sendable, CustomStringConvertible {
    case noCreditRule(RegionCode, YearMonth)
    case noRetireeAmount(age: Int)
    case missingBase
    case notYetBorn

    public var description: String { phrase.english }

    /// Why, in either language (`Phrase`).
    public var phrase: Phrase {
        switch self {
        case let .noCreditRule(region, month): return "region \(region) has no credit rule in force in \(month)"
        case let .noRetireeAmount(age): return "the credit rule has no retiree amount for age \(age)"
        case .missingBase: return "base is required when status is in_service"
        case .notYetBorn: return "the birth date in the ID is after the first day of the month"
        }
    }
}

public enum CreditCalculator {
    /// The rule in force in `month`, resolved once for every row of that
    /// region and month.
    public static func table(region: RegionPolicy, month: YearMonth,
                             averageMonthlyWage: Money?) throws(CreditProblem) -> CreditTable {
        guard let rule = region.credit.inForce(on: month.firstDay)?.rule else {
            throw .noCreditRule(region.code, month)
        }
        return CreditTable(rule: rule, wage: averageMonthlyWage)
    }
}

/// A credit rule resolved for one region and month: the rate of each age
/// band combined once (personal + employer share) and the band labels made
/// once, so that a roster row costs a lookup and one rounding.
public struct CreditTable: Sendable {
    /// One object behind the table, so that passing a table around costs
    /// one reference count, not one per array (a roster row passes it).
    final class Storage: Sendable {
        let labels: [String]
        let inService: [(rate: Rate, band: Int)]
        let retired: [(amount: Money, band: Int)?]
        let floor: Money?
        let cap: Money?

        init(labels: [String], inService: [(rate: Rate, band: Int)], retired: [(amount: Money, band: Int)?],
             floor: Money?, cap: Money?) {
            self.labels = labels
            self.inService = inService
            self.retired = retired
            self.floor = floor
            self.cap = cap
        }
    }

    private let storage: Storage
    static let ages = 0...150

    /// `in_service 35-44`, `retired 70+`, `in_service all`: indexed by the band a credit returns.
    public var labels: [String] { storage.labels }

    init(rule: CreditRule, wage: Money?) {
        var labels: [String] = []
        var index: [String: Int] = [:]
        func band(_ label: String) -> Int {
            if let known = index[label] { return known }
            index[label] = labels.count
            labels.append(label)
            return labels.count - 1
        }
        var inService: [(rate: Rate, band: Int)] = []
        var retired: [(amount: Money, band: Int)?] = []
        for age in Self.ages {
            let employer = rule.employerShare.band(forAge: age)?.value ?? .zero
            inService.append((rule.personalRate + employer,
                              band("in_service \(rule.employerShare.label(forAge: age) ?? "all")")))
            if let amount = rule.retireeMonthly.band(forAge: age), let label = rule.retireeMonthly.label(forAge: age) {
                retired.append((amount.value, band("retired \(label)")))
            } else {
                retired.append(nil)
            }
        }
        storage = Storage(labels: labels, inService: inService, retired: retired,
                          floor: wage.flatMap { wage in rule.baseFloor.map { $0.applied(to: wage) } },
                          cap: wage.flatMap { wage in rule.baseCap.map { $0.applied(to: wage) } })
    }

    /// The credit, the band (an index into `labels`) and any base finding.
    public func credit(status: ContributionStatus, age: Int, base: Money?)
        throws(CreditProblem) -> (amount: Money, band: Int, finding: BaseFinding?) {
        try storage.credit(status: status, age: age, base: base).get()
    }

    /// The table's storage, not retained: for `CreditBook`, which keeps
    /// every table it made while it posts a city's rows (a retain and a
    /// release of the table for each row were 1.7% of a city year's
    /// processor time, perf).
    var unretained: Unmanaged<Storage> { .passUnretained(storage) }
}

extension CreditTable.Storage {
    /// `CreditTable.credit`, as a result: a caller holding the storage
    /// unretained reaches it through a closure that cannot throw a typed error.
    func credit(status: ContributionStatus, age: Int, base: Money?)
        -> Result<(amount: Money, band: Int, finding: BaseFinding?), CreditProblem> {
        guard age >= 0 else { return .failure(.notYetBorn) }
        let slot = min(age, CreditTable.ages.upperBound)
        switch status {
        case .retired:
            guard let entry = retired[slot] else { return .failure(.noRetireeAmount(age: age)) }
            return .success((entry.amount, entry.band, nil))
        case .inService:
            guard let base else { return .failure(.missingBase) }
            let entry = inService[slot]
            var finding: BaseFinding?
            if let floor, base < floor {
                finding = BaseFinding(side: .belowFloor, base: base, bound: floor)
            } else if let cap, base > cap {
                finding = BaseFinding(side: .aboveCap, base: base, bound: cap)
            }
            return .success((entry.rate.applied(to: base), entry.band, finding))
        }
    }
}
