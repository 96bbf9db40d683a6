/// One authorizer's month (usage-YYYY-MM-authorizers.csv).
public struct AuthorizerRow: Hashable, Sendable {
    public var authorizer: ResidentID
    public var region: RegionCode
    public var account: AccountMonth?
    /// What stays in the account: written 0.00 for a region without a
    /// threshold, empty when no bulletin gives it. Refusal texts name
    /// bindings and regions, never people.
    public var threshold: Threshold
    public var beneficiaries: Int

    /// The threshold's figure only: a city has 100k authorizers a month, and
    /// the period behind the figure is the thresholds report's business.
    public enum Threshold: Hashable, Sendable {
        case noThreshold, amount(Money), unknown

        public init(_ inForce: ThresholdInForce) {
            switch inForce {
            case .noThreshold: self = .noThreshold
            case let .amount(amount, _): self = .amount(amount)
            case .unknown: self = .unknown
            }
        }
    }

    public init(authorizer: ResidentID, region: RegionCode, account: AccountMonth?, threshold: ThresholdInForce,
                beneficiaries: Int) {
        self.authorizer = authorizer
        self.region = region
        self.account = account
        self.threshold = Threshold(threshold)
        self.beneficiaries = beneficiaries
    }
}

/// The family sharing of one month, as settled (the month page and its CSV files).
public struct UsageMonth: Sendable {
    public var month: YearMonth
    /// In settlement order.
    public var settlements: [ClaimSettlement]
    /// In authorizer-ID order.
    public var authorizers: [AuthorizerRow]
    /// Money that crossed pooling regions (`Clearing.items`).
    public var clearing: [ClearingItem]
    /// Wallets, transfers, quotas and pots (`EarmarkLedger.close`).
    public var earmarks: EarmarkMonth
    /// Thresholds, the previous month and the year to date, bindings (the month page).
    public var context = MonthContext()

    public init(month: YearMonth, settlements: [ClaimSettlement], authorizers: [AuthorizerRow], clearing: [ClearingItem],
                earmarks: EarmarkMonth? = nil) {
        self.month = month
        self.settlements = settlements
        self.authorizers = authorizers
        self.clearing = clearing
        self.earmarks = earmarks ?? EarmarkMonth(month: month)
    }
}

/// A sum over claims: how many, their amount, and how each was paid.
public struct ClaimTotals: Hashable, Sendable {
    public var claims = 0
    public var amount = Money.zero
    public var own = Money.zero
    /// From the patients' own wallets and family pots.
    public var setAside = Money.zero
    public var family = Money.zero
    public var cash = Money.zero

    public init() {}

    /// Adds another sum's figures.
    public mutating func merge(_ other: ClaimTotals) {
        claims += other.claims
        amount += other.amount
        own += other.own
        setAside += other.setAside
        family += other.family
        cash += other.cash
    }

    public mutating func add(_ settled: ClaimSettlement) {
        claims += 1
        amount += settled.claim.amount
        own += settled.ownAccount
        setAside += settled.wallet + settled.pot
        family += settled.familyShared
        cash += settled.cash
    }
}

/// Draws and their money.
public struct DrawTotals: Hashable, Sendable {
    public var draws = 0
    public var amount = Money.zero
    public init(draws: Int = 0, amount: Money = .zero) {
        self.draws = draws
        self.amount = amount
    }
}

/// What the month page reports of a month's family sharing, gathered once
/// from its `UsageMonth`: the renderers only lay it out.
public struct UsageSummary: Sendable {
    public var total = ClaimTotals()
    public var byStatus: [(status: FamilyStatus, totals: ClaimTotals)] = []
    public var byCategory: [(category: UsageCategory, totals: ClaimTotals)] = []
    public var byRegion: [(region: RegionCode, totals: ClaimTotals)] = []
    public var byRelation: [(relation: Relation, totals: DrawTotals)] = []
    public var draws = 0
    /// Draws per authorizer, for the top authorizers.
    public var drawsByAuthorizer: [ResidentID: Int] = [:]
    /// Authorizers who shared money, most shared out first (ties by ID).
    public var sharingAuthorizers: [AuthorizerRow] = []
    /// Claims that needed family money, had a binding, and paid cash because
    /// they were refused in whole or in part (or found no excess), in
    /// settlement order.
    public var exceptions: [ClaimSettlement] = []
    /// Clearing inside each province (by its code), and across provinces.
    public var byProvince: [(province: UInt32, totals: DrawTotals)] = []
    public var acrossProvinces = DrawTotals()
    public var clearingTotal = DrawTotals()

    public init(_ usage: UsageMonth) {
        var byStatus: [FamilyStatus: ClaimTotals] = [:]
        var byCategory: [UsageCategory: ClaimTotals] = [:]
        var byRegion: [RegionCode: ClaimTotals] = [:]
        var byRelation: [Relation: DrawTotals] = [:]
        for settled in usage.settlements {
            total.add(settled)
            byStatus[settled.status, default: ClaimTotals()].add(settled)
            byCategory[settled.claim.category, default: ClaimTotals()].add(settled)
            byRegion[settled.claim.region, default: ClaimTotals()].add(settled)
            for draw in settled.draws {
                byRelation[draw.relation, default: DrawTotals()].draws += 1
                byRelation[draw.relation, default: DrawTotals()].amount += draw.amount
                drawsByAuthorizer[draw.authorizer, default: 0] += 1
                draws += 1
            }
        }
        self.byStatus = byStatus.keys.sorted().map { ($0, byStatus[$0] ?? ClaimTotals()) }
        self.byCategory = byCategory.keys.sorted().map { ($0, byCategory[$0] ?? ClaimTotals()) }
        self.byRegion = byRegion.keys.sorted().map { ($0, byRegion[$0] ?? ClaimTotals()) }
        self.byRelation = byRelation.keys.sorted().map { ($0, byRelation[$0] ?? DrawTotals()) }

        sharingAuthorizers = usage.authorizers.filter { ($0.account?.sharedOut.fen ?? 0) > 0 }
            .sorted { (($1.account?.sharedOut ?? .zero), $0.authorizer) < (($0.account?.sharedOut ?? .zero), $1.authorizer) }

        // Only claims that lost family money: a refused binding beside one
        // that paid everything is not an exception.
        exceptions = usage.settlements.filter { (!$0.refusals.isEmpty || $0.status == .noExcess) && $0.cash.fen > 0 }

        var provinces: [UInt32: DrawTotals] = [:]
        for item in usage.clearing {
            clearingTotal.draws += item.draws
            clearingTotal.amount += item.amount
            if item.payer.sharesProvince(with: item.payee) {
                provinces[item.payer.province, default: DrawTotals()].draws += item.draws
                provinces[item.payer.province, default: DrawTotals()].amount += item.amount
            } else {
                acrossProvinces.draws += item.draws
                acrossProvinces.amount += item.amount
            }
        }
        byProvince = provinces.keys.sorted().map { ($0, provinces[$0] ?? DrawTotals()) }
    }
}
