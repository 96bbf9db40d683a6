/// Money earmarked ahead of a claim, beside the account ledger
/// (docs/rules.md section 4b): wallets (filled by transfers), quotas frozen
/// in sharers' accounts, and family pots. One mechanism for the three: each
/// is a balance set aside by a dated action, drawn at settlement in the
/// order of convention 7 (`FamilySettler`), and returned by rule.
///
/// The inputs become a timeline of actions. `advance(to:)` applies every
/// action due at or before a time (before a claim of that time, docs/rules.md
/// convention 11), moving account money only through the `AccountLedger` it
/// is given; `close(month:)` applies the rest of the month and reports it.
/// Per-person state is kept only for the few persons earmarks touch.
///
/// It holds the timeline and the three parts (`EarmarkWallets`,
/// `EarmarkQuotas`, `EarmarkPots`), and hands each part what it needs of
/// the others: the frozen quota, the events, the `touched` set.
public struct EarmarkLedger: Sendable {
    public let policy: Policy
    public let persons: PersonTable
    private let inputs: EarmarkInputs
    /// Events by person, earliest first, for the persons earmarks name.
    private let events: [UInt64: [LifeEvent]]
    /// Persons whose claims may draw on earmarks: quota beneficiaries, pot
    /// members, wallet holders; and sharers with frozen quota.
    private var touched: IndexSet64
    private var timeline: EarmarkTimeline
    private var wallets: EarmarkWallets
    private var quotas: EarmarkQuotas
    private var pots: EarmarkPots

    /// No earmarks: what a run without the five inputs settles with.
    public static func none(policy: Policy, persons: PersonTable) -> EarmarkLedger {
        EarmarkLedger(policy: policy, persons: persons, inputs: EarmarkInputs(), events: [])
    }

    public var isEmpty: Bool { inputs.isEmpty }

    /// `inputs` name only persons of `persons` (the readers check).
    public init(policy: Policy, persons: PersonTable, inputs: EarmarkInputs, events: [LifeEvent]) {
        self.policy = policy
        self.persons = persons
        self.inputs = inputs
        var touched = IndexSet64(count: inputs.isEmpty ? 0 : persons.count)
        var named = Set<UInt64>()
        for quota in inputs.quotas { named.insert(quota.sharer.key); named.insert(quota.beneficiary.key) }
        for pot in inputs.pots { named.insert(pot.creator.key) }
        for member in inputs.members { named.insert(member.person.key) }
        let events = Dictionary(grouping: events.filter { named.contains($0.person.key) }, by: { $0.person.key })
            .mapValues { $0.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) } }
        self.events = events

        wallets = EarmarkWallets(policy: policy, persons: persons, transfers: inputs.transfers)
        quotas = EarmarkQuotas(policy: policy, persons: persons, inputs: inputs.quotas, events: events)
        pots = EarmarkPots(policy: policy, persons: persons, inputs: inputs, events: events)
        timeline = EarmarkTimeline(wallets.actions + quotas.actions + pots.actions)
        for key in quotas.beneficiaries + pots.members {
            if let index = persons.index(of: key) { _ = touched.insert(index) }
        }
        self.touched = touched
    }

    // MARK: The timeline

    /// Applies every action due at or before `time`.
    public mutating func advance(to time: Timestamp, accounts: inout AccountLedger) {
        while let action = timeline.next(dueBy: time) {
            apply(action, accounts: &accounts)
        }
    }

    private mutating func apply(_ action: EarmarkTimeline.Action, accounts: inout AccountLedger) {
        let index = Int(action.index)
        switch action.kind {
        case .transferSend:
            if let outcome = wallets.send(index, frozen: quotas.frozenByIndex, accounts: &accounts) {
                timeline.schedule(outcome)
            }
        case .transferAccept: wallets.accept(index, touched: &touched)
        case .transferReturn: wallets.giveBack(index, accounts: &accounts)
        case .quotaStart: quotas.start(index, events: events, accounts: accounts, touched: &touched)
        case .quotaEnd: quotas.end(index)
        case .deposit: pots.deposit(index, frozen: quotas.frozenByIndex, accounts: &accounts)
        case .potDissolve: pots.dissolve(index, accounts: &accounts)
        }
    }

    // MARK: Drawing at settlement (FamilySettler)

    /// Whether the person at `index` may have earmarked money to draw (a
    /// bit test, so that the claims of a city pay nothing for the few who do).
    public func touches(_ index: Int) -> Bool { !inputs.isEmpty && touched.contains(index) }

    /// Unused quota by sharer index.
    public var frozenByIndex: [Int: Int64] { quotas.frozenByIndex }

    /// The part of the account its owner may not spend (unused quota).
    public func frozen(_ index: Int) -> Money {
        // Every sharer with frozen quota is in `touched`: one bit test first.
        guard !quotas.frozenByIndex.isEmpty, touched.contains(index) else { return .zero }
        return Money(fen: quotas.frozenByIndex[index] ?? 0)
    }

    /// Whether any account has frozen quota now.
    public var hasFrozen: Bool { !quotas.frozenByIndex.isEmpty }

    /// The patient's own wallet pays, for a claim settled in the holder's own region.
    public mutating func payFromWallet(_ claim: Claim, patient: Int, upTo rest: Money) -> Money {
        wallets.pay(claim, patient: patient, upTo: rest)
    }

    /// The patient's pots pay, in pot_id order: pots of the claim's region
    /// whose family rule shares the category, while the patient is a member.
    public mutating func payFromPots(_ claim: Claim, upTo rest: Money) -> Money {
        pots.pay(claim, upTo: rest, events: events)
    }

    /// Relatives' quotas pay, largest unused first (ties by quota_id), in
    /// any region; not a resident premium (a quota pays medical costs).
    public mutating func payFromQuotas(_ claim: Claim, upTo rest: Money, accounts: inout AccountLedger) -> [Draw] {
        quotas.pay(claim, upTo: rest, accounts: &accounts)
    }

    /// The unused amount of `sharer`'s quotas in force for `beneficiary`
    /// (the audit's replay of a quota payment).
    public func quotaUnused(sharer: ResidentID, beneficiary: ResidentID) -> Money {
        Money(fen: quotas.unused(sharer: sharer.key, beneficiary: beneficiary.key))
    }

    /// A quota payment the platform made (the audit's replay): the quotas'
    /// used amounts grow and their frozen part shrinks by `amount`, at most
    /// `quotaUnused`. The account itself moves by the caller's ledger.
    public mutating func useQuota(sharer: ResidentID, beneficiary: ResidentID, amount: Money) {
        quotas.use(sharer: sharer.key, beneficiary: beneficiary.key, amount: amount.fen)
    }

    // MARK: The month

    /// Starts `month` (after the account ledger's `open`).
    public mutating func open(month: YearMonth) {
        wallets.open()
        pots.open()
        quotas.open()
    }

    /// Applies the rest of `month`'s actions and reports it (before the
    /// account ledger's `close`, which takes `frozenByIndex`).
    public mutating func close(month: YearMonth, accounts: inout AccountLedger) -> EarmarkMonth {
        advance(to: Timestamp(day: month.lastDay, second: 86_399), accounts: &accounts)
        var result = EarmarkMonth(month: month)
        guard !inputs.isEmpty else { return result }
        wallets.close(into: &result)
        quotas.close(month: month, into: &result)
        pots.close(month: month, into: &result)
        return result
    }
}
