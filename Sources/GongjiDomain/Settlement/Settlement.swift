/// Where a month's claims come from: the run's disk spool (claims wait on
/// disk by month), or an array in a test.
public protocol ClaimSource {
    /// The accepted claims that occurred in `month`, in settlement order
    /// (docs/rules.md convention 3: occurred_at, then claim_id).
    func claims(in month: YearMonth) throws -> [Claim]
}

/// The claims of a test or a small job, held in memory.
public struct ClaimList: ClaimSource, Sendable {
    public var claims: [Claim]
    public init(_ claims: [Claim]) { self.claims = claims }
    public func claims(in month: YearMonth) -> [Claim] {
        claims.filter { YearMonth($0.occurredAt.day) == month }.sorted(by: Claim.settlementOrder)
    }
}

/// What settlement needs of a data folder: the domain half of a run's
/// inputs (the other half, each file's provenance and rejected rows, stays
/// with the job).
public struct SettlementInputs: Sendable {
    public var policy: Policy
    /// Every region's threshold periods, up to the last month settled (rule R1).
    public var periods: [ThresholdPeriod]
    public var persons: PersonTable
    /// Opening balances by their day, with the persons' dense index (a
    /// `Settlement` hands them to its ledger, which lets each day's go once applied).
    public var openings: [Day: [AccountLedger.Opening]]
    /// Every roster row's credit, by month.
    public var credits: CreditBook
    public var bindings: [Binding]
    public var events: [LifeEvent]
    /// Wallet transfers, quotas and pots.
    public var earmarks: EarmarkInputs
    /// A `--province` run's persons of other provinces (`FamilySettler.others`).
    public var others: PersonTable

    public init(policy: Policy, periods: [ThresholdPeriod], persons: PersonTable, openings: [Day: [AccountLedger.Opening]],
                credits: CreditBook, bindings: [Binding], events: [LifeEvent], earmarks: EarmarkInputs,
                others: PersonTable = PersonTable(capacity: 0)) {
        self.others = others
        self.policy = policy
        self.periods = periods
        self.persons = persons
        self.openings = openings
        self.credits = credits
        self.bindings = bindings
        self.events = events
        self.earmarks = earmarks
    }
}

/// One month settled: what the sinks take (the reports, the store, a change
/// set against a baseline). A value: nothing in it writes.
public struct MonthResult: Sendable {
    public var month: YearMonth
    /// Credits by region and band.
    public var groups: [CreditGroupRow]
    /// Bases outside the plausible band, in person-ID order.
    public var findings: [BaseFindingRow]
    /// Every account's movements, in person-ID order.
    public var balances: AccountMonths
    /// The claims settled, the authorizers, the clearing, the earmarks and the page's context.
    public var usage: UsageMonth

    public init(month: YearMonth, groups: [CreditGroupRow], findings: [BaseFindingRow], balances: AccountMonths,
                usage: UsageMonth) {
        self.month = month
        self.groups = groups
        self.findings = findings
        self.balances = balances
        self.usage = usage
    }
}

/// Settles month after month (docs/architecture.md, "Where a month is
/// settled"): each month needs the previous one's balances, so months go in
/// order, each `settle(_:)` returning the month's values. Within a month
/// (docs/rules.md conventions 3, 7, 11, rule R2): opening balances due by
/// its first day, the claims in settlement order with the earmark actions
/// due before each, the actions after the last claim, then the credits.
public struct Settlement {
    /// Each month's credits are let go as it is settled (`CreditBook.take`).
    public internal(set) var inputs: SettlementInputs
    public let settler: FamilySettler
    private let source: any ClaimSource
    // Internal, not private: the audit's replay (Audit/AuditReplay.swift) moves the same accounts.
    var ledger: AccountLedger
    var earmarks: EarmarkLedger
    var audit = AuditState()
    private var previous: (month: YearMonth, totals: ClaimTotals)?
    private var yearToDate = ClaimTotals()

    public init(_ inputs: SettlementInputs, claims: any ClaimSource) {
        self.inputs = inputs
        source = claims
        let family = FamilyIndex(bindings: inputs.bindings, events: inputs.events)
        settler = FamilySettler(policy: inputs.policy, periods: inputs.periods, persons: inputs.persons, family: family,
                                others: inputs.others)
        ledger = AccountLedger(persons: inputs.persons, openings: inputs.openings)
        // The ledger holds the opening balances until it applies them, and lets each day's go then.
        self.inputs.openings = [:]
        earmarks = EarmarkLedger(policy: inputs.policy, persons: inputs.persons, inputs: inputs.earmarks, events: inputs.events)
    }

    /// Settles `month`, which must come after every month settled before.
    /// Throws only when the claim source cannot give the month's claims,
    /// or the credits' stash cannot give them back (`CreditBook.take`).
    public mutating func settle(_ month: YearMonth) throws -> MonthResult {
        let monthCredits = try inputs.credits.take(month)
        open(month)
        let claims = try source.claims(in: month)
        var settlements: [ClaimSettlement] = []
        settlements.reserveCapacity(claims.count)
        for claim in claims { settlements.append(settler.settle(claim, ledger: &ledger, earmarks: &earmarks)) }
        let earmarked = earmarks.close(month: month, accounts: &ledger)
        let balances = ledger.close(month: month, credits: monthCredits?.column, frozen: earmarks.frozenByIndex)
        let groups = monthCredits?.groups(labels: inputs.credits.bandLabels) ?? []
        // In person-ID order; a run's book sorted them as it was read (`CreditBook.sortFindings`).
        var findings = monthCredits?.findings ?? []
        if zip(findings, findings.dropFirst()).contains(where: { $0.person > $1.person }) {
            findings.sort { $0.person < $1.person }
        }
        let authorizers = Self.authorizers(in: month, settler: settler, balances: balances)
        var usage = UsageMonth(month: month, settlements: settlements, authorizers: authorizers,
                               clearing: Clearing.items(settlements, transfers: earmarked.clearing), earmarks: earmarked)
        // The page's context: thresholds, the previous month and the year so far, bindings.
        var totals = ClaimTotals()
        for settled in settlements { totals.add(settled) }
        if previous.map({ $0.month.year != month.year }) ?? true { yearToDate = ClaimTotals() }
        yearToDate.merge(totals)
        usage.context.thresholds = inputs.policy.sortedRegions.map { ($0.code, settler.threshold(region: $0.code, on: month.lastDay)) }
        usage.context.previous = previous
        usage.context.yearToDate = yearToDate
        usage.context.bindings = MonthContext.bindings(family: settler.family, in: month)
        previous = (month, totals)
        return MonthResult(month: month, groups: groups, findings: findings, balances: balances, usage: usage)
    }

    /// Starts `month`: earmarks open it; opening balances dated up to its
    /// first day apply, in date order, with what earmarks brought due before
    /// each (in months not settled: docs/rules.md, rule R2).
    mutating func open(_ month: YearMonth) {
        earmarks.open(month: month)
        for day in ledger.openingDays(through: month.firstDay) {
            earmarks.advance(to: Timestamp(day: day.adding(days: -1), second: 86_399), accounts: &ledger)
            ledger.applyOpenings(of: day)
        }
        ledger.open(month: month)
    }

    /// Every insured authorizer with a binding active on some day of `month`, in ID order.
    public static func authorizers(in month: YearMonth, settler: FamilySettler, balances: AccountMonths) -> [AuthorizerRow] {
        var thresholds: [RegionCode: ThresholdInForce] = [:]  // one lookup per region, not per authorizer
        var last: (region: RegionCode, threshold: ThresholdInForce)?  // and none for a run of the same region
        var rows: [AuthorizerRow] = []
        rows.reserveCapacity(settler.family.authorizerCount)
        var next = 0  // both lists are in ID order: one pass joins each authorizer to its account
        settler.family.activeAuthorizers(in: month) { key, beneficiaries in
            // The person column only: making each passed row whole was most of this join's time.
            next = balances.firstRow(ofKeyAtLeast: key, from: next)
            let account = next < balances.count && balances.person(at: next).key == key ? balances[next] : nil
            // An account's row names its person and region (the ledger's persons are the settler's):
            // looking the person up again was a cache miss an authorizer.
            let person: (id: ResidentID, region: RegionCode)
            if let account {
                person = (account.person, account.region)
            } else if let insured = settler.persons[key] {
                person = (insured.id, insured.region)
            } else {
                return
            }
            let threshold: ThresholdInForce
            if let last, last.region == person.region {
                threshold = last.threshold
            } else {
                threshold = thresholds[person.region] ?? settler.threshold(region: person.region, on: month.lastDay)
                thresholds[person.region] = threshold
                last = (person.region, threshold)
            }
            rows.append(AuthorizerRow(authorizer: person.id, region: person.region, account: account, threshold: threshold,
                                      beneficiaries: beneficiaries))
        }
        return rows
    }
}
