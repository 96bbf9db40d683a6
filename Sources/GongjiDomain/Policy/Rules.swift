/// The wage series every region's rules use unless they name another one:
/// 城镇非私营单位在岗职工平均工资.
public let defaultWageSeries = "on-post-non-private"

/// How much of an authorizer's balance must stay in the account
/// (docs/rules.md section 2).
public enum ThresholdRule: Hashable, Sendable {
    /// No threshold: the whole balance may be shared.
    case none
    /// `rate` × the annual average wage of statistical year (policy year − lag).
    case shareOfAnnualWage(ShareOfAnnualWage)
}

/// Which figure of a bulletin a share-of-wage threshold is a share of
/// (docs/rules.md section 2, policy key `wage_basis`).
public enum WageBasis: String, CaseIterable, Hashable, Sendable {
    /// The published annual figure, or monthly × 12 where only the monthly
    /// one is published (Shenzhen: 139436 × 5% = 6971.80).
    case annual
    /// Monthly × 12, the monthly figure being annual / 12 rounded to the
    /// yuan where only the annual one is published (11620 × 12 × 5% = 6972.00).
    case monthly
}

public struct ShareOfAnnualWage: Hashable, Sendable {
    public var rate: Rate
    public var wageBasis: WageBasis
    public var wageSeries: String
    /// The first day of each policy year (`07-01` in Shenzhen).
    public var policyYearStart: MonthDay
    /// Statistical year = policy year − lag (1 in Shenzhen).
    public var statYearLag: Int

    public init(rate: Rate, wageBasis: WageBasis = .annual, wageSeries: String = defaultWageSeries,
                policyYearStart: MonthDay = MonthDay(month: 7, day: 1), statYearLag: Int = 1) {
        self.rate = rate
        self.wageBasis = wageBasis
        self.wageSeries = wageSeries
        self.policyYearStart = policyYearStart
        self.statYearLag = statYearLag
    }

    /// The year in which the policy year containing `day` starts.
    public func policyYear(containing day: Day) -> Int {
        day >= policyYearStart.inYear(day.year) ? day.year : day.year - 1
    }
}

/// Values that change with age: bands that start at an age (in completed
/// years) and run to the next band's start.
public struct AgeBands<Value: Hashable & Sendable>: Hashable, Sendable {
    public struct Band: Hashable, Sendable {
        public var fromAge: Int
        public var value: Value
        public init(fromAge: Int, value: Value) {
            self.fromAge = fromAge
            self.value = value
        }
    }

    /// Bands in ascending `fromAge`; the first starts at 0 when not empty.
    public let bands: [Band]

    public init(_ bands: [Band]) { self.bands = bands.sorted { $0.fromAge < $1.fromAge } }

    public var isEmpty: Bool { bands.isEmpty }

    /// The band that contains `age`.
    public func band(forAge age: Int) -> Band? { bands.last { $0.fromAge <= age } }

    /// A label for the band containing `age`: `0-34`, `35-44`, `45+`.
    public func label(forAge age: Int) -> String? {
        guard let index = bands.lastIndex(where: { $0.fromAge <= age }) else { return nil }
        let start = bands[index].fromAge
        if index + 1 < bands.count { return "\(start)-\(bands[index + 1].fromAge - 1)" }
        return "\(start)+"
    }
}

/// How an individual account is credited each month (docs/rules.md section 3).
public struct CreditRule: Hashable, Sendable {
    /// The personal contribution rate credited to the account (2%).
    public var personalRate: Rate
    /// The employer share credited, by age band; empty after a 14号 reform.
    public var employerShare: AgeBands<Rate>
    /// Retirees' fixed monthly credit, by age band.
    public var retireeMonthly: AgeBands<Money>
    /// Bounds of a plausible contribution base, as rates of the average monthly
    /// wage; a base outside them is a finding, never a change.
    public var baseFloor: Rate?
    public var baseCap: Rate?
    public var wageSeries: String

    public init(personalRate: Rate, employerShare: AgeBands<Rate>, retireeMonthly: AgeBands<Money>,
                baseFloor: Rate? = nil, baseCap: Rate? = nil, wageSeries: String = defaultWageSeries) {
        self.personalRate = personalRate
        self.employerShare = employerShare
        self.retireeMonthly = retireeMonthly
        self.baseFloor = baseFloor
        self.baseCap = baseCap
        self.wageSeries = wageSeries
    }
}

/// Whose claims a region's authorizers may pay (docs/rules.md section 4a,
/// policy key `scope`).
public enum FamilyScope: String, CaseIterable, Hashable, Sendable {
    /// Beneficiaries insured in the authorizer's own pooling region.
    case region
    /// Beneficiaries insured in any pooling region of the same province
    /// (the region codes' first two digits).
    case province
}

/// The order in which several authorizers of one claim pay (docs/rules.md
/// section 4, policy key `order`).
public enum AuthorizerOrder: String, CaseIterable, Hashable, Sendable {
    /// Highest current balance first, equal balances by authorizer ID (Shenzhen).
    case balance
    /// The bindings' `priority` ascending (1 first; a binding without one
    /// after every binding with one), then balance, then ID (Xi'an, Hainan).
    case priority
}

/// Who may share and what shared money may pay for (docs/rules.md sections 1, 4, 4a).
public struct FamilyRule: Hashable, Sendable {
    public var relations: Set<Relation>
    public var categories: Set<UsageCategory>
    public var scope: FamilyScope
    public var order: AuthorizerOrder

    public init(relations: Set<Relation>, categories: Set<UsageCategory>, scope: FamilyScope = .region,
                order: AuthorizerOrder = .balance) {
        self.relations = relations
        self.categories = categories
        self.scope = scope
        self.order = order
    }
}
