/// A threshold period's figure, as computed now or as a store kept it.
public struct ThresholdFigure: Hashable, Sendable {
    public var region: RegionCode
    public var start: Day
    public var end: Day
    public var statYear: Int
    public var threshold: Money
    public var revision: Int?
    public var basis: ThresholdBasis

    public init(region: RegionCode, start: Day, end: Day, statYear: Int, threshold: Money, revision: Int?,
                basis: ThresholdBasis) {
        self.region = region
        self.start = start
        self.end = end
        self.statYear = statYear
        self.threshold = threshold
        self.revision = revision
        self.basis = basis
    }
}

extension ThresholdPeriod {
    public var figure: ThresholdFigure {
        ThresholdFigure(region: region, start: start, end: end, statYear: statYear, threshold: threshold, revision: revision,
                        basis: basis)
    }
}

/// How a claim was paid (claim_result): own account, family money, cash, status.
public struct ClaimPayment: Hashable, Sendable {
    public var own: Money
    public var family: Money
    public var cash: Money
    public var status: FamilyStatus
    /// From the patient's own wallet and family pots (docs/rules.md convention 7).
    public var wallet: Money
    public var pot: Money

    public init(own: Money, family: Money, cash: Money, status: FamilyStatus, wallet: Money = .zero, pot: Money = .zero) {
        self.own = own
        self.family = family
        self.cash = cash
        self.status = status
        self.wallet = wallet
        self.pot = pot
    }
}

extension ClaimSettlement {
    public var payment: ClaimPayment {
        ClaimPayment(own: ownAccount, family: familyShared, cash: cash, status: status, wallet: wallet, pot: pot)
    }
}

/// A claim and how it was paid, as a store kept it.
public struct ClaimOutcome: Hashable, Sendable {
    public var claim: Claim
    public var payment: ClaimPayment

    public init(claim: Claim, payment: ClaimPayment) {
        self.claim = claim
        self.payment = payment
    }
}

/// One threshold before → after (nil: the period did not exist on that side).
public struct ThresholdChange: Hashable, Sendable {
    public var region: RegionCode
    public var start: Day
    public var before: ThresholdFigure?
    public var after: ThresholdFigure?
}

/// How one claim was paid, before → after.
public struct ClaimChange: Hashable, Sendable {
    public var month: YearMonth
    public var claim: Claim
    public var before: ClaimPayment?
    public var after: ClaimPayment?
}

/// One account's month, before → after.
public struct BalanceChange: Hashable, Sendable {
    public struct Side: Hashable, Sendable {
        public var own: Money
        public var shared: Money
        public var closing: Money
        init(_ row: AccountMonth) {
            own = row.ownSpending
            shared = row.sharedOut
            closing = row.closing
        }
    }
    public var month: YearMonth
    public var person: ResidentID
    public var region: RegionCode
    public var before: Side?
    public var after: Side?
}

/// One clearing row (payer → payee by channel), before → after.
public struct ClearingChange: Hashable, Sendable {
    public var month: YearMonth
    public var payer: RegionCode
    public var payee: RegionCode
    public var channel: DrawChannel
    public var before: DrawTotals?
    public var after: DrawTotals?
}

/// By region and month: the claims that changed, the persons affected, and
/// family money and cash over those claims before → after.
public struct ChangeSummaryRow: Sendable {
    public var region: RegionCode
    public var month: YearMonth
    public var claims = 0
    public var persons = Set<ResidentID>()
    public var familyBefore = Money.zero
    public var familyAfter = Money.zero
    public var cashBefore = Money.zero
    public var cashAfter = Money.zero
}

/// Everything that differs between two sets of results (recompute and
/// what-if): built month by month with `compare`, against what a store kept.
public struct ChangeSet: Sendable {
    /// What the page says was compared, e.g. "the results last reported by `gongji run`".
    public var title: String
    public var comparedWith: String
    public var months: [YearMonth] = []
    public var thresholds: [ThresholdChange] = []
    public var claims: [ClaimChange] = []
    public var balances: [BalanceChange] = []
    public var clearing: [ClearingChange] = []
    /// Family money per month over every claim, before and after (for the chart).
    public var familyByMonth: [(month: YearMonth, before: Money, after: Money)] = []

    public init(title: String, comparedWith: String) {
        self.title = title
        self.comparedWith = comparedWith
    }

    public var isEmpty: Bool { thresholds.isEmpty && claims.isEmpty && balances.isEmpty && clearing.isEmpty }

    /// The first policy year whose threshold changed.
    public var firstAffectedStart: Day? { thresholds.map(\.start).min() }

    /// Every threshold whose figure differs, by region and start.
    public mutating func compare(thresholds before: [ThresholdFigure], after: [ThresholdFigure]) {
        struct Key: Hashable { var region: RegionCode; var start: Day }
        let old = Dictionary(before.map { (Key(region: $0.region, start: $0.start), $0) }, uniquingKeysWith: { first, _ in first })
        let new = Set(after.map { Key(region: $0.region, start: $0.start) })
        var rows: [ThresholdChange] = []
        for figure in after where old[Key(region: figure.region, start: figure.start)] != figure {
            rows.append(ThresholdChange(region: figure.region, start: figure.start,
                                        before: old[Key(region: figure.region, start: figure.start)], after: figure))
        }
        for figure in before where !new.contains(Key(region: figure.region, start: figure.start)) {
            rows.append(ThresholdChange(region: figure.region, start: figure.start, before: figure, after: nil))
        }
        thresholds = rows.sorted { ($0.region, $0.start) < ($1.region, $1.start) }
    }

    /// One month: every claim, account and clearing row whose figures differ.
    /// `settlements` and `balances` are the new results (nil: the month is
    /// gone); the stored ones come from the store.
    public mutating func compare(month: YearMonth, settlements: [ClaimSettlement], balances new: AccountMonths,
                                 clearing clearingAfter: [ClearingItem],
                                 before storedClaims: [String: ClaimOutcome], _ old: [AccountMonth],
                                 _ clearingBefore: [ClearingItem]) {
        months.append(month)
        var familyBefore = Money.zero
        var familyAfter = Money.zero
        var unmatched = storedClaims  // what is left once each new claim took its stored one
        for settled in settlements {
            familyAfter += settled.familyShared
            let payment = settled.payment
            let stored = unmatched.removeValue(forKey: settled.claim.id)?.payment
            familyBefore += stored?.family ?? .zero
            guard stored != payment else { continue }
            claims.append(ClaimChange(month: month, claim: settled.claim, before: stored, after: payment))
        }
        for old in unmatched.values.sorted(by: { Claim.settlementOrder($0.claim, $1.claim) }) {
            familyBefore += old.payment.family
            claims.append(ClaimChange(month: month, claim: old.claim, before: old.payment, after: nil))
        }
        familyByMonth.append((month, familyBefore, familyAfter))

        // Both lists are in person-ID order: one pass pairs them. Accounts
        // only the new results have come in their order, then those only
        // the stored ones had, in theirs.
        var gone: [BalanceChange] = []
        var next = 0
        for row in new {
            while next < old.count && old[next].person < row.person {
                gone.append(BalanceChange(month: month, person: old[next].person, region: old[next].region,
                                          before: .init(old[next]), after: nil))
                next += 1
            }
            let after = BalanceChange.Side(row)
            var before: BalanceChange.Side?
            if next < old.count && old[next].person == row.person {
                before = .init(old[next])
                next += 1
            }
            guard before != after else { continue }
            balances.append(BalanceChange(month: month, person: row.person, region: row.region, before: before, after: after))
        }
        for row in old[next...] {
            gone.append(BalanceChange(month: month, person: row.person, region: row.region, before: .init(row), after: nil))
        }
        balances += gone

        // Clearing rows, by (payer, payee, channel).
        struct Key: Hashable { var payer: RegionCode; var payee: RegionCode; var channel: DrawChannel }
        func key(_ item: ClearingItem) -> Key { Key(payer: item.payer, payee: item.payee, channel: item.channel) }
        func totals(_ item: ClearingItem) -> DrawTotals { DrawTotals(draws: item.draws, amount: item.amount) }
        let stored = Dictionary(clearingBefore.map { (key($0), totals($0)) }, uniquingKeysWith: { first, _ in first })
        let keysAfter = Set(clearingAfter.map(key))
        var rows: [ClearingChange] = []
        for item in clearingAfter where stored[key(item)] != totals(item) {
            rows.append(ClearingChange(month: month, payer: item.payer, payee: item.payee, channel: item.channel,
                                       before: stored[key(item)], after: totals(item)))
        }
        for item in clearingBefore where !keysAfter.contains(key(item)) {
            rows.append(ClearingChange(month: month, payer: item.payer, payee: item.payee, channel: item.channel,
                                       before: totals(item), after: nil))
        }
        clearing += rows.sorted { ($0.payer, $0.payee, $0.channel) < ($1.payer, $1.payee, $1.channel) }
    }

    /// By region and month: claims changed, persons affected, money before → after.
    public var summary: [ChangeSummaryRow] {
        struct Key: Hashable { var region: RegionCode; var month: YearMonth }
        var rows: [Key: ChangeSummaryRow] = [:]
        for change in claims {
            let key = Key(region: change.claim.region, month: change.month)
            rows[key, default: ChangeSummaryRow(region: key.region, month: key.month)].claims += 1
            rows[key]?.persons.insert(change.claim.person)
            rows[key]?.familyBefore += change.before?.family ?? .zero
            rows[key]?.familyAfter += change.after?.family ?? .zero
            rows[key]?.cashBefore += change.before?.cash ?? .zero
            rows[key]?.cashAfter += change.after?.cash ?? .zero
        }
        for change in balances {
            rows[Key(region: change.region, month: change.month), default: ChangeSummaryRow(region: change.region, month: change.month)]
                .persons.insert(change.person)
        }
        return rows.values.sorted { ($0.region, $0.month) < ($1.region, $1.month) }
    }

    /// Family money received per beneficiary, after − before, over the changed claims.
    public var receivedByPerson: [ResidentID: (region: RegionCode, delta: Money)] {
        var received: [ResidentID: (region: RegionCode, delta: Money)] = [:]
        for change in claims {
            let delta = (change.after?.family ?? .zero) - (change.before?.family ?? .zero)
            received[change.claim.person, default: (change.claim.region, .zero)].delta += delta
        }
        return received
    }

    /// Money shared out per authorizer, after − before, over the changed account-months.
    public var sharedOutByPerson: [ResidentID: (region: RegionCode, delta: Money)] {
        var sharedOut: [ResidentID: (region: RegionCode, delta: Money)] = [:]
        for change in balances {
            let delta = (change.after?.shared ?? .zero) - (change.before?.shared ?? .zero)
            if delta.fen != 0 { sharedOut[change.person, default: (change.region, .zero)].delta += delta }
        }
        return sharedOut
    }
}

/// What a clerk acts on after a change, per person (changes-corrections.csv):
/// the cash the person paid on changed claims, before and after, and the
/// refund or recovery it calls for; and the change of the person's account
/// balance at the end of the last month compared.
public struct Correction: Hashable, Sendable {
    public enum Action: String, Sendable {
        /// The person paid more cash than the new figures say: pay it back.
        case refund
        /// The person paid less cash than the new figures say.
        case recover
        /// No cash to move; only the account balance differs.
        case account = "account_only"
    }

    public var person: ResidentID
    public var region: RegionCode
    public var claims: Int
    public var cashBefore: Money
    public var cashAfter: Money
    /// Closing balance after − before, at the end of the last month the person's account changed.
    public var accountChange: Money

    public var action: Action? {
        if cashAfter < cashBefore { return .refund }
        if cashAfter > cashBefore { return .recover }
        return accountChange.fen != 0 ? .account : nil
    }

    /// The cash to refund or recover (never negative).
    public var amount: Money { cashAfter < cashBefore ? cashBefore - cashAfter : cashAfter - cashBefore }
}

extension ChangeSet {
    /// Every person with a cash difference on a changed claim, or a changed
    /// closing balance, in person-ID order.
    public var corrections: [Correction] {
        var rows: [ResidentID: Correction] = [:]
        for change in claims {
            let claim = change.claim
            var row = rows[claim.person] ?? Correction(person: claim.person, region: claim.region, claims: 0, cashBefore: .zero,
                                                       cashAfter: .zero, accountChange: .zero)
            row.claims += 1
            row.cashBefore += change.before?.cash ?? .zero
            row.cashAfter += change.after?.cash ?? .zero
            rows[claim.person] = row
        }
        // The last month each account changed: its closing difference carries into every later month.
        var last: [ResidentID: BalanceChange] = [:]
        for change in balances where last[change.person].map({ $0.month <= change.month }) ?? true { last[change.person] = change }
        for (person, change) in last {
            let delta = (change.after?.closing ?? .zero) - (change.before?.closing ?? .zero)
            var row = rows[person] ?? Correction(person: person, region: change.region, claims: 0, cashBefore: .zero,
                                                 cashAfter: .zero, accountChange: .zero)
            row.accountChange = delta
            rows[person] = row
        }
        return rows.values.filter { $0.action != nil }.sorted { $0.person < $1.person }
    }
}
