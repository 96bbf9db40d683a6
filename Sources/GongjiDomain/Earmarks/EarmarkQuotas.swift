/// Quotas frozen in sharers' accounts (docs/rules.md section 4b, the 2026
/// model): each quota's state, the quotas by beneficiary, and the unused
/// quota frozen by sharer.
struct EarmarkQuotas: Sendable {
    struct Quota: Sendable {
        var sharer: Int
        var beneficiary: Int
        var ending: QuotaEnding?
        var status: QuotaStatus?  // nil until set_on
        var refusal: EarmarkRefusal?
        var used: Int64 = 0
        var released: Int64 = 0
        var usedBeforeMonth: Int64 = 0
        var releasedInMonth = false
        var unused: Int64 { status == .active ? amount - used : 0 }
        var amount: Int64
    }

    private let policy: Policy
    private let persons: PersonTable
    private let inputs: [WalletQuota]
    private var quotas: [Quota] = []
    /// Quota indices by beneficiary key.
    private let quotasOf: [UInt64: [Int]]
    /// Unused quota by sharer index.
    private(set) var frozenByIndex: [Int: Int64] = [:]

    /// `events`: by person, earliest first, for the persons the quotas name.
    init(policy: Policy, persons: PersonTable, inputs: [WalletQuota], events: [UInt64: [LifeEvent]]) {
        self.policy = policy
        self.persons = persons
        self.inputs = inputs
        var quotasOf: [UInt64: [Int]] = [:]
        for (index, quota) in inputs.enumerated() {
            let sharer = persons.index(of: quota.sharer.key) ?? 0
            let beneficiary = persons.index(of: quota.beneficiary.key) ?? 0
            var ending = quota.endedOn.map(QuotaEnding.endedOn)
            for (side, key) in [(EarmarkRefusal.Side.sharer, quota.sharer.key), (.beneficiary, quota.beneficiary.key)] {
                if let event = events[key]?.first(where: { $0.date > quota.setOn && Self.endsQuota($0.kind) }),
                   event.date < (ending?.day ?? event.date.adding(days: 1)) {
                    ending = .event(side, event)
                }
            }
            quotas.append(Quota(sharer: sharer, beneficiary: beneficiary, ending: ending, amount: quota.amount.fen))
            quotasOf[quota.beneficiary.key, default: []].append(index)
        }
        self.quotasOf = quotasOf
    }

    /// The events that end a quota (docs/rules.md section 4b): either side's
    /// insurance ends or moves to another pooling region.
    static func endsQuota(_ kind: LifeEventKind) -> Bool {
        kind == .death || kind == .leftScheme || kind == .movedRegion
    }

    /// The start of each quota, and its end when it has one, in input order.
    var actions: [EarmarkTimeline.Action] {
        var actions: [EarmarkTimeline.Action] = []
        for (index, quota) in inputs.enumerated() {
            actions.append(EarmarkTimeline.Action(time: Timestamp(day: quota.setOn, second: 0), kind: .quotaStart,
                                                  index: Int32(index), id: quota.id))
            if let ending = quotas[index].ending {
                actions.append(EarmarkTimeline.Action(time: Timestamp(day: ending.day, second: 0), kind: .quotaEnd,
                                                      index: Int32(index), id: quota.id))
            }
        }
        return actions
    }

    /// The beneficiaries' keys: persons whose claims may draw on a quota.
    var beneficiaries: [UInt64] { Array(quotasOf.keys) }

    // MARK: Actions

    /// Sets quota `index` or refuses it; a quota set freezes its amount in
    /// the sharer's account and adds the sharer to `touched`. `events`: by
    /// person, earliest first.
    mutating func start(_ index: Int, events: [UInt64: [LifeEvent]], accounts: AccountLedger,
                        touched: inout IndexSet64) {
        let input = inputs[index]
        let day = input.setOn
        func refuse(_ refusal: EarmarkRefusal) {
            quotas[index].status = .refused
            quotas[index].refusal = refusal
        }
        let sharer = quotas[index].sharer, beneficiary = quotas[index].beneficiary
        for region in [persons.regions[sharer], persons.regions[beneficiary]] {
            switch policy.walletRule(region, day) {
            case let .failure(refusal): return refuse(refusal)
            case let .success(rule) where rule.model != .quota:
                return refuse(.wrongModel(region: region, on: day, inForce: rule.model))
            case .success: break
            }
        }
        for (side, key) in [(EarmarkRefusal.Side.sharer, input.sharer.key), (.beneficiary, input.beneficiary.key)] {
            if let event = events[key]?.first(where: { $0.date <= day && Self.endsQuota($0.kind) }) {
                return refuse(.endedBefore(side, event))
            }
        }
        guard let free = free(sharer, accounts) else { return refuse(.noAccount(.sharer)) }
        guard free >= input.amount.fen else {
            return refuse(.short(source: .account, free: Money(fen: max(free, 0)), amount: input.amount))
        }
        quotas[index].status = .active
        frozenByIndex[sharer, default: 0] += input.amount.fen
        _ = touched.insert(sharer)
    }

    /// The sharer's account less its frozen quota.
    private func free(_ sharer: Int, _ accounts: AccountLedger) -> Int64? {
        accounts.balance(index: sharer).map { $0.fen - (frozenByIndex[sharer] ?? 0) }
    }

    /// Quota `index` ends: its unused amount is released.
    mutating func end(_ index: Int) {
        guard quotas[index].status == .active else { return }
        let unused = quotas[index].unused
        quotas[index].released = unused
        quotas[index].releasedInMonth = true
        quotas[index].status = .ended
        unfreeze(quotas[index].sharer, unused)
    }

    private mutating func unfreeze(_ sharer: Int, _ amount: Int64) {
        let left = (frozenByIndex[sharer] ?? 0) - amount
        frozenByIndex[sharer] = left == 0 ? nil : left
    }

    // MARK: Drawing at settlement

    /// The order quotas are drawn in: largest unused first, ties by quota_id.
    private func drawsBefore(_ a: Int, _ b: Int) -> Bool {
        (quotas[b].unused, inputs[a].id) < (quotas[a].unused, inputs[b].id)
    }

    /// Relatives' quotas pay, largest unused first (ties by quota_id), in
    /// any region; not a resident premium (a quota pays medical costs).
    mutating func pay(_ claim: Claim, upTo rest: Money, accounts: inout AccountLedger) -> [Draw] {
        guard claim.category != .residentPremium, let list = quotasOf[claim.person.key] else { return [] }
        let ordered = list.filter { quotas[$0].status == .active && quotas[$0].unused > 0 }
            .sorted(by: drawsBefore)
        var draws: [Draw] = []
        var left = rest
        for index in ordered where left.fen > 0 {
            let quota = quotas[index], input = inputs[index]
            guard let balance = accounts.balance(index: quota.sharer) else { continue }
            let amount = Money(fen: min(quota.unused, left.fen, balance.fen))
            guard amount.fen > 0 else { continue }
            accounts.shareOut(input.sharer.key, amount)
            quotas[index].used += amount.fen
            unfreeze(quota.sharer, amount.fen)
            draws.append(Draw(authorizer: input.sharer, authorizerRegion: persons.regions[quota.sharer], channel: .quota,
                              binding: input.id, relation: input.relation, amount: amount, balanceBefore: balance,
                              threshold: nil))
            left -= amount
        }
        return draws
    }

    // MARK: The platform's quota payments (the audit's replay)

    /// The unused amount of the sharer's quotas in force for the
    /// beneficiary: what a quota payment may draw (docs/audit.md).
    func unused(sharer: UInt64, beneficiary: UInt64) -> Int64 {
        guard let list = quotasOf[beneficiary], let index = persons.index(of: sharer) else { return 0 }
        return list.filter { quotas[$0].sharer == index && quotas[$0].status == .active }.reduce(0) { $0 + quotas[$1].unused }
    }

    /// A quota payment the platform made, of `amount` (at most `unused`):
    /// drawn from the sharer's quotas for the beneficiary in the order
    /// settlement draws them (largest unused first, ties by quota_id), each
    /// draw unfreezing what it uses, as `pay` does. A negative `amount` (a
    /// reversal) gives back to the quotas still in force what they had
    /// used, frozen again, the last drawn first; what they cannot take
    /// back (a quota ended since) stays free in the account.
    mutating func use(sharer: UInt64, beneficiary: UInt64, amount: Int64) {
        guard let list = quotasOf[beneficiary], let index = persons.index(of: sharer) else { return }
        let active = list.filter { quotas[$0].sharer == index && quotas[$0].status == .active }
        if amount >= 0 {
            var left = amount
            let ordered = active.filter { quotas[$0].unused > 0 }
                .sorted(by: drawsBefore)
            for quota in ordered where left > 0 {
                let drawn = min(quotas[quota].unused, left)
                quotas[quota].used += drawn
                unfreeze(index, drawn)
                left -= drawn
            }
        } else {
            var left = -amount
            let ordered = active.filter { quotas[$0].used > 0 }
                .sorted { drawsBefore($1, $0) }
            for quota in ordered where left > 0 {
                let back = min(quotas[quota].used, left)
                quotas[quota].used -= back
                frozenByIndex[index, default: 0] += back
                left -= back
            }
        }
    }

    // MARK: The month

    mutating func open() {
        for index in quotas.indices {
            quotas[index].usedBeforeMonth = quotas[index].used
            quotas[index].releasedInMonth = false
        }
    }

    /// Reports the quotas in force on some day of `month`, or set or refused in it.
    func close(month: YearMonth, into result: inout EarmarkMonth) {
        for (index, input) in inputs.enumerated() {
            let quota = quotas[index]
            guard let status = quota.status else { continue }
            let setInMonth = YearMonth(input.setOn) == month
            let inMonth = setInMonth || (input.setOn <= month.lastDay && (status == .active || quota.releasedInMonth))
            guard inMonth, status != .refused || setInMonth else { continue }
            result.quotas.append(QuotaMonth(
                quota: input, usedBefore: Money(fen: quota.usedBeforeMonth), used: Money(fen: quota.used - quota.usedBeforeMonth),
                released: Money(fen: quota.releasedInMonth ? quota.released : 0), unused: Money(fen: quota.unused),
                status: status, refusal: quota.refusal, ending: status == .ended ? quota.ending : nil))
        }
        result.quotas.sort { $0.quota.id < $1.quota.id }
    }
}
