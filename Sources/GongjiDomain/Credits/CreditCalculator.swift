/// The month's credit to one individual account (DOMAIN.md section 3,
/// conventions 1-3).
public struct Credit: Hashable, Sendable {
    public var amount: Money
    /// `in_service 0-34`, `retired 70+`: the status and the age band.
    public var band: String
    public var age: Int
    /// The base was outside floor..cap of the average wage: reported, not changed.
    public var baseFinding: BaseFinding?
}

public struct BaseFinding: Hashable, Sendable {
    public enum Side: String, Sendable { case belowFloor = "below_floor", aboveCap = "above_cap" }
    public var side: Side
    public var base: Money
    public var bound: Money

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

    public var description: String {
        switch self {
        case let .noCreditRule(region, month): return "region \(region) has no credit rule in force in \(month)"
        case let .noRetireeAmount(age): return "the credit rule has no retiree amount for age \(age)"
        case .missingBase: return "base is required when status is in_service"
        }
    }
}

public enum CreditCalculator {
    /// The credit for one roster row under the region's rule in force on the
    /// first day of the month. `averageMonthlyWage` bounds the plausible base.
    public static func credit(for row: Contribution, region: RegionPolicy,
                              averageMonthlyWage: Money?) throws(CreditProblem) -> Credit {
        let firstDay = row.month.firstDay
        guard let rule = region.credit.inForce(on: firstDay)?.rule else {
            throw .noCreditRule(region.code, row.month)
        }
        let age = row.person.age(on: firstDay)
        switch row.status {
        case .retired:
            guard let band = rule.retireeMonthly.band(forAge: age), let label = rule.retireeMonthly.label(forAge: age) else {
                throw .noRetireeAmount(age: age)
            }
            return Credit(amount: band.value, band: "retired \(label)", age: age, baseFinding: nil)
        case .inService:
            guard let base = row.base else { throw .missingBase }
            let employer = rule.employerShare.band(forAge: age)?.value ?? .zero
            let label = rule.employerShare.label(forAge: age) ?? "all"
            let amount = (rule.personalRate + employer).applied(to: base)
            return Credit(amount: amount, band: "in_service \(label)", age: age,
                          baseFinding: finding(base: base, rule: rule, wage: averageMonthlyWage))
        }
    }

    static func finding(base: Money, rule: CreditRule, wage: Money?) -> BaseFinding? {
        guard let wage else { return nil }
        if let floorRate = rule.baseFloor {
            let floor = floorRate.applied(to: wage)
            if base < floor { return BaseFinding(side: .belowFloor, base: base, bound: floor) }
        }
        if let capRate = rule.baseCap {
            let cap = capRate.applied(to: wage)
            if base > cap { return BaseFinding(side: .aboveCap, base: base, bound: cap) }
        }
        return nil
    }
}
