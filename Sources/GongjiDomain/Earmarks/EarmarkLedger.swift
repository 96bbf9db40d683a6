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
public struct EarmarkLedger: Sendable {
    public let policy: Policy
    public let persons: PersonTable
    private let inputs: EarmarkInputs

    /// An action of the timeline. At one time: endings, then returns and
    /// acceptances, then new quotas, deposits and transfers; then by the
    /// input's ID.
    struct Action: Comparable, Sendable {
        enum Kind: Int, Sendable {
            case quotaEnd = 0, potDissolve, transferReturn, transferAccept, quotaStart, deposit, transferSend
        }
        var time: Timestamp
        var kind: Kind
        /// Index into the input list of its kind.
        var index: Int32
        var id: String

        static func < (lhs: Action, rhs: Action) -> Bool {
            (lhs.time, lhs.kind.rawValue, lhs.id) < (rhs.time, rhs.kind.rawValue, rhs.id)
        }
    }

    private var agenda: [Action] = []
    private var next = 0
    /// Acceptances and returns of transfers sent, in time order (few at a time).
    private var pending: [Action] = []

    struct Wallet: Sendable {
        var index: Int
        var balance: Int64 = 0
        var month: WalletMonth
    }
    private var wallets: [UInt64: Wallet] = [:]

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
    private var quotas: [Quota] = []
    /// Quota indices by beneficiary key.
    private let quotasOf: [UInt64: [Int]]
    /// Unused quota by sharer index.
    public private(set) var frozenByIndex: [Int: Int64] = [:]

    struct Pot: Sendable {
        var creator: Int
        var region: RegionCode
        var members: [PotMember]
        var dissolution: PotDissolution?
        var dissolved = false
        var balance: Int64 = 0
        var month: PotMonth
        var depositMonth: YearMonth?
        var depositsInMonth = 0
    }
    private var pots: [Pot] = []
    /// Pot indices by member key (the creator among them), in pot_id order.
    private let potsOf: [UInt64: [Int]]
    private let potByID: [String: Int]

    /// Persons whose claims may draw on earmarks: quota beneficiaries, pot
    /// members, wallet holders; and sharers with frozen quota.
    private var touched: IndexSet64
    /// Each sender's count of transfers sent (not refused) on a day.
    private var sentOnDay: [UInt64: (day: Day, count: Int)] = [:]
    /// Events by person, earliest first, for the persons earmarks name.
    private let events: [UInt64: [LifeEvent]]

    private var monthOutcomes: [TransferOutcome] = []
    private var refusedDeposits: [RefusedDeposit] = []
    private var acceptedDeposits = 0
    private var clearing: [Pair: (draws: Int, amount: Int64)] = [:]
    private var inTransit: Int64 = 0
    private var inTransitAtOpen: Int64 = 0
    struct Pair: Hashable { var payer: RegionCode; var payee: RegionCode }

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
        touched = IndexSet64(count: inputs.isEmpty ? 0 : persons.count)
        var named = Set<UInt64>()
        for quota in inputs.quotas { named.insert(quota.sharer.key); named.insert(quota.beneficiary.key) }
        for pot in inputs.pots { named.insert(pot.creator.key) }
        for member in inputs.members { named.insert(member.person.key) }
        self.events = Dictionary(grouping: events.filter { named.contains($0.person.key) }, by: { $0.person.key })
            .mapValues { $0.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) } }

        var agenda: [Action] = []
        for (index, transfer) in inputs.transfers.enumerated() {
            agenda.append(Action(time: transfer.sentAt, kind: .transferSend, index: Int32(index), id: transfer.id))
        }
        var quotasOf: [UInt64: [Int]] = [:]
        for (index, quota) in inputs.quotas.enumerated() {
            let sharer = persons.index(of: quota.sharer.key) ?? 0
            let beneficiary = persons.index(of: quota.beneficiary.key) ?? 0
            var ending = quota.endedOn.map(QuotaEnding.endedOn)
            for (side, key) in [(EarmarkRefusal.Side.sharer, quota.sharer.key), (.beneficiary, quota.beneficiary.key)] {
                if let event = self.events[key]?.first(where: { $0.date > quota.setOn && Self.endsQuota($0.kind) }),
                   event.date < (ending?.day ?? event.date.adding(days: 1)) {
                    ending = .event(side, event)
                }
            }
            quotas.append(Quota(sharer: sharer, beneficiary: beneficiary, ending: ending, amount: quota.amount.fen))
            quotasOf[quota.beneficiary.key, default: []].append(index)
            agenda.append(Action(time: Timestamp(day: quota.setOn, second: 0), kind: .quotaStart, index: Int32(index),
                                 id: quota.id))
            if let ending {
                agenda.append(Action(time: Timestamp(day: ending.day, second: 0), kind: .quotaEnd, index: Int32(index),
                                     id: quota.id))
            }
        }
        self.quotasOf = quotasOf
        let membersByPot = Dictionary(grouping: inputs.members, by: \.pot)
        var potsOf: [UInt64: [Int]] = [:]
        var potByID: [String: Int] = [:]
        for (index, pot) in inputs.pots.enumerated() {
            potByID[pot.id] = index
            let creator = persons.index(of: pot.creator.key) ?? 0
            let region = persons.regions[creator]
            var dissolution = pot.closedOn.map(PotDissolution.closedOn)
            if let event = self.events[pot.creator.key]?.first(where: { event in
                event.date >= pot.createdOn
                    && (policy.regions[region]?.pot.inForce(on: event.date)?.rule.dissolveOn.contains(event.kind) ?? false)
            }), event.date < (dissolution?.day ?? event.date.adding(days: 1)) {
                dissolution = .event(event)
            }
            let members = membersByPot[pot.id] ?? []
            pots.append(Pot(creator: creator, region: region, members: members, dissolution: dissolution,
                            month: PotMonth(pot: pot, region: region, status: .open)))
            for key in [pot.creator.key] + members.map(\.person.key) where !(potsOf[key]?.contains(index) ?? false) {
                potsOf[key, default: []].append(index)
            }
            if let dissolution {
                agenda.append(Action(time: Timestamp(day: dissolution.day, second: 0), kind: .potDissolve,
                                     index: Int32(index), id: pot.id))
            }
        }
        self.potByID = potByID
        self.potsOf = potsOf.mapValues { $0.sorted { inputs.pots[$0].id < inputs.pots[$1].id } }
        for (index, deposit) in inputs.deposits.enumerated() {
            agenda.append(Action(time: deposit.at, kind: .deposit, index: Int32(index), id: deposit.id))
        }
        self.agenda = agenda.sorted()
        for key in Array(quotasOf.keys) + Array(potsOf.keys) {
            if let index = persons.index(of: key) { _ = touched.insert(index) }
        }
    }

    /// The events that end a quota (docs/rules.md section 4b): either side's
    /// insurance ends or moves to another pooling region.
    static func endsQuota(_ kind: LifeEventKind) -> Bool {
        kind == .death || kind == .leftScheme || kind == .movedRegion
    }

    // MARK: The timeline

    /// Applies every action due at or before `time`.
    public mutating func advance(to time: Timestamp, accounts: inout AccountLedger) {
        while true {
            let fromAgenda = next < agenda.count && agenda[next].time <= time
            let fromPending = !pending.isEmpty && pending[0].time <= time
            guard fromAgenda || fromPending else { return }
            let action: Action
            if fromAgenda && (!fromPending || agenda[next] < pending[0]) {
                action = agenda[next]
                next += 1
            } else {
                action = pending.removeFirst()
            }
            apply(action, accounts: &accounts)
        }
    }

    private mutating func schedule(_ action: Action) {
        let at = pending.firstIndex { action < $0 } ?? pending.count
        pending.insert(action, at: at)
    }

    private mutating func apply(_ action: Action, accounts: inout AccountLedger) {
        let index = Int(action.index)
        switch action.kind {
        case .transferSend: send(index, accounts: &accounts)
        case .transferAccept: accept(index)
        case .transferReturn: giveBack(index, accounts: &accounts)
        case .quotaStart: startQuota(index, accounts: accounts)
        case .quotaEnd: endQuota(index)
        case .deposit: deposit(index, accounts: &accounts)
        case .potDissolve: dissolve(index, accounts: &accounts)
        }
    }

    private func walletRule(_ region: RegionCode, _ day: Day) -> Result<WalletRule, EarmarkRefusal> {
        guard let rule = policy.regions[region]?.wallet.inForce(on: day)?.rule else {
            return .failure(.noWallet(region: region, on: day))
        }
        return .success(rule)
    }

    /// The sender's account less its frozen quota.
    private func free(_ index: Int, _ accounts: AccountLedger) -> Int64? {
        accounts.balance(index: index).map { $0.fen - (frozenByIndex[index] ?? 0) }
    }

    private func check(_ transfer: WalletTransfer, _ sender: Int, _ recipient: Int,
                       _ accounts: AccountLedger) -> Result<WalletRule, EarmarkRefusal> {
        let day = transfer.sentAt.day
        let rule: WalletRule
        switch walletRule(persons.regions[sender], day) {
        case let .success(found): rule = found
        case let .failure(refusal): return .failure(refusal)
        }
        let other: WalletRule
        switch walletRule(persons.regions[recipient], day) {
        case let .success(found): other = found
        case let .failure(refusal): return .failure(refusal)
        }
        guard rule.model == .transfer else { return .failure(.wrongModel(region: persons.regions[sender], on: day, inForce: rule.model)) }
        guard other.model == .transfer else {
            return .failure(.wrongModel(region: persons.regions[recipient], on: day, inForce: other.model))
        }
        guard transfer.amount <= rule.transferMax else {
            return .failure(.overTransferMax(amount: transfer.amount, max: rule.transferMax))
        }
        if let quiet = rule.quietHours, quiet.contains(second: transfer.sentAt.second) {
            return .failure(.quietHours(sentAt: transfer.sentAt, quiet))
        }
        let sentToday = sentOnDay[transfer.from.key].map { $0.day == day ? $0.count : 0 } ?? 0
        guard sentToday < rule.transfersPerDay else {
            return .failure(.overDailyCount(count: sentToday + 1, max: rule.transfersPerDay, on: day))
        }
        if transfer.fromWallet {
            let held = wallets[transfer.from.key]?.balance ?? 0
            guard held >= transfer.amount.fen else {
                return .failure(.short(source: .wallet, free: Money(fen: held), amount: transfer.amount))
            }
        } else {
            guard let free = free(sender, accounts) else { return .failure(.noAccount(.sender)) }
            guard free >= transfer.amount.fen else {
                return .failure(.short(source: .account, free: Money(fen: max(free, 0)), amount: transfer.amount))
            }
        }
        return .success(rule)
    }

    private mutating func send(_ index: Int, accounts: inout AccountLedger) {
        let transfer = inputs.transfers[index]
        guard let sender = persons.index(of: transfer.from.key), let recipient = persons.index(of: transfer.to.key) else { return }
        switch check(transfer, sender, recipient, accounts) {
        case let .failure(refusal):
            monthOutcomes.append(TransferOutcome(transfer: transfer, status: .refused, refusal: refusal))
        case let .success(rule):
            let day = transfer.sentAt.day
            let count = sentOnDay[transfer.from.key].map { $0.day == day ? $0.count : 0 } ?? 0
            sentOnDay[transfer.from.key] = (day, count + 1)
            if transfer.fromWallet {
                wallets[transfer.from.key]?.balance -= transfer.amount.fen
                wallets[transfer.from.key]?.month.sent += transfer.amount
            } else {
                accounts.transferOut(index: sender, transfer.amount)
            }
            inTransit += transfer.amount.fen
            let returnsAt = Timestamp(day: day.adding(days: 1), second: rule.returnAt.second)
            if let accepted = transfer.acceptedAt, accepted < returnsAt {
                schedule(Action(time: accepted, kind: .transferAccept, index: Int32(index), id: transfer.id))
                monthOutcomes.append(TransferOutcome(transfer: transfer, status: .accepted))
            } else {
                schedule(Action(time: returnsAt, kind: .transferReturn, index: Int32(index), id: transfer.id))
                monthOutcomes.append(TransferOutcome(transfer: transfer, status: .returned, returnsAt: returnsAt))
            }
        }
    }

    /// The holder's wallet, made on its first use.
    private mutating func wallet(_ key: UInt64) -> UInt64 {
        if wallets[key] == nil, let index = persons.index(of: key) {
            wallets[key] = Wallet(index: index, month: WalletMonth(person: persons.ids[index], region: persons.regions[index]))
            _ = touched.insert(index)
        }
        return key
    }

    private mutating func accept(_ index: Int) {
        let transfer = inputs.transfers[index]
        let key = wallet(transfer.to.key)
        wallets[key]?.balance += transfer.amount.fen
        wallets[key]?.month.received += transfer.amount
        inTransit -= transfer.amount.fen
        if let sender = persons.index(of: transfer.from.key), let recipient = persons.index(of: transfer.to.key),
           persons.regions[sender] != persons.regions[recipient] {
            let pair = Pair(payer: persons.regions[sender], payee: persons.regions[recipient])
            clearing[pair, default: (0, 0)].draws += 1
            clearing[pair, default: (0, 0)].amount += transfer.amount.fen
        }
    }

    private mutating func giveBack(_ index: Int, accounts: inout AccountLedger) {
        let transfer = inputs.transfers[index]
        inTransit -= transfer.amount.fen
        if transfer.fromWallet {
            wallets[transfer.from.key]?.balance += transfer.amount.fen
            wallets[transfer.from.key]?.month.returned += transfer.amount
        } else if let sender = persons.index(of: transfer.from.key) {
            accounts.transferReturned(index: sender, transfer.amount)
        }
    }

    private mutating func startQuota(_ index: Int, accounts: AccountLedger) {
        let input = inputs.quotas[index]
        let day = input.setOn
        func refuse(_ refusal: EarmarkRefusal) {
            quotas[index].status = .refused
            quotas[index].refusal = refusal
        }
        let sharer = quotas[index].sharer, beneficiary = quotas[index].beneficiary
        for region in [persons.regions[sharer], persons.regions[beneficiary]] {
            switch walletRule(region, day) {
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

    private mutating func endQuota(_ index: Int) {
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

    private mutating func deposit(_ index: Int, accounts: inout AccountLedger) {
        let input = inputs.deposits[index]
        guard let potIndex = potIndex(input.pot) else { return }
        let pot = pots[potIndex]
        let day = input.at.day
        func refuse(_ refusal: EarmarkRefusal) { refusedDeposits.append(RefusedDeposit(deposit: input, refusal: refusal)) }
        guard pot.month.pot.createdOn <= day, !pot.dissolved else { return refuse(.potNotOpen(pot: input.pot, on: day)) }
        guard let rule = policy.regions[pot.region]?.pot.inForce(on: day)?.rule else {
            return refuse(.noPotRule(region: pot.region, on: day))
        }
        let month = YearMonth(day)
        let count = pot.depositMonth == month ? pot.depositsInMonth : 0
        guard count < rule.depositsPerMonth else {
            return refuse(.overMonthlyDeposits(count: count + 1, max: rule.depositsPerMonth, month: month))
        }
        guard let balance = accounts.balance(index: pot.creator) else { return refuse(.noAccount(.creator)) }
        let free = balance.fen - (frozenByIndex[pot.creator] ?? 0)
        guard free >= input.amount.fen else {
            return refuse(.short(source: .account, free: Money(fen: max(free, 0)), amount: input.amount))
        }
        let leaves = balance - input.amount
        guard leaves >= rule.floor else { return refuse(.belowFloor(leaves: leaves, floor: rule.floor)) }
        accounts.depositToPot(index: pot.creator, input.amount)
        pots[potIndex].balance += input.amount.fen
        pots[potIndex].month.deposits += input.amount
        pots[potIndex].depositMonth = month
        pots[potIndex].depositsInMonth = count + 1
        acceptedDeposits += 1
    }

    private func potIndex(_ id: String) -> Int? { potByID[id] }

    private mutating func dissolve(_ index: Int, accounts: inout AccountLedger) {
        guard !pots[index].dissolved else { return }
        let balance = pots[index].balance
        if balance > 0 { accounts.returnFromPot(index: pots[index].creator, Money(fen: balance)) }
        pots[index].month.returned += Money(fen: balance)
        pots[index].balance = 0
        pots[index].dissolved = true
        pots[index].month.status = .dissolved
        pots[index].month.dissolution = pots[index].dissolution
    }

    // MARK: Drawing at settlement (FamilySettler)

    /// Whether the person at `index` may have earmarked money to draw (a
    /// bit test, so that the claims of a city pay nothing for the few who do).
    public func touches(_ index: Int) -> Bool { !inputs.isEmpty && touched.contains(index) }

    /// The part of the account its owner may not spend (unused quota).
    public func frozen(_ index: Int) -> Money {
        // Every sharer with frozen quota is in `touched`: one bit test first.
        guard !frozenByIndex.isEmpty, touched.contains(index) else { return .zero }
        return Money(fen: frozenByIndex[index] ?? 0)
    }

    /// Whether any account has frozen quota now.
    public var hasFrozen: Bool { !frozenByIndex.isEmpty }

    /// The patient's own wallet pays, for a claim settled in the holder's own region.
    public mutating func payFromWallet(_ claim: Claim, patient: Int, upTo rest: Money) -> Money {
        let key = claim.person.key
        guard let held = wallets[key]?.balance, held > 0, persons.regions[patient] == claim.region else { return .zero }
        let amount = Money(fen: min(held, rest.fen))
        wallets[key]?.balance -= amount.fen
        wallets[key]?.month.spent += amount
        return amount
    }

    /// The patient's pots pay, in pot_id order: pots of the claim's region
    /// whose family rule shares the category, while the patient is a member.
    public mutating func payFromPots(_ claim: Claim, upTo rest: Money) -> Money {
        guard let list = potsOf[claim.person.key] else { return .zero }
        let day = claim.occurredAt.day
        var paid = Money.zero
        for index in list where paid < rest {
            let pot = pots[index]
            guard !pot.dissolved, pot.balance > 0, pot.month.pot.createdOn <= day, pot.region == claim.region,
                  isMember(claim.person, of: pot, on: day),
                  policy.regions[pot.region]?.family.inForce(on: day)?.rule.categories.contains(claim.category) ?? false
            else { continue }
            let amount = min(pot.balance, (rest - paid).fen)
            pots[index].balance -= amount
            pots[index].month.draws += Money(fen: amount)
            paid += Money(fen: amount)
        }
        return paid
    }

    private func isMember(_ person: ResidentID, of pot: Pot, on day: Day) -> Bool {
        if person == pot.month.pot.creator { return true }
        guard pot.members.contains(where: { $0.person == person && $0.joinedOn <= day && ($0.leftOn.map { day < $0 } ?? true) })
        else { return false }
        return !(events[person.key]?.contains { $0.date <= day && Self.endsQuota($0.kind) } ?? false)
    }

    /// Relatives' quotas pay, largest unused first (ties by quota_id), in
    /// any region; not a resident premium (a quota pays medical costs).
    public mutating func payFromQuotas(_ claim: Claim, upTo rest: Money, accounts: inout AccountLedger) -> [Draw] {
        guard claim.category != .residentPremium, let list = quotasOf[claim.person.key] else { return [] }
        let ordered = list.filter { quotas[$0].status == .active && quotas[$0].unused > 0 }
            .sorted { (quotas[$1].unused, inputs.quotas[$0].id) < (quotas[$0].unused, inputs.quotas[$1].id) }
        var draws: [Draw] = []
        var left = rest
        for index in ordered where left.fen > 0 {
            let quota = quotas[index], input = inputs.quotas[index]
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

    // MARK: The month

    /// Starts `month` (after the account ledger's `open`).
    public mutating func open(month: YearMonth) {
        inTransitAtOpen = inTransit
        for key in wallets.keys {
            guard var wallet = wallets[key] else { continue }
            wallet.month = WalletMonth(person: wallet.month.person, region: wallet.month.region,
                                       opening: Money(fen: wallet.balance))
            wallets[key] = wallet
        }
        for index in pots.indices {
            pots[index].month.opening = Money(fen: pots[index].balance)
            pots[index].month.deposits = .zero
            pots[index].month.draws = .zero
            pots[index].month.returned = .zero
        }
        for index in quotas.indices {
            quotas[index].usedBeforeMonth = quotas[index].used
            quotas[index].releasedInMonth = false
        }
    }

    /// Applies the rest of `month`'s actions and reports it (before the
    /// account ledger's `close`, which takes `frozenByIndex`).
    public mutating func close(month: YearMonth, accounts: inout AccountLedger) -> EarmarkMonth {
        advance(to: Timestamp(day: month.lastDay, second: 86_399), accounts: &accounts)
        var result = EarmarkMonth(month: month)
        guard !inputs.isEmpty else { return result }
        result.transfers = monthOutcomes
        monthOutcomes = []
        result.wallets = wallets.values.map(\.month).sorted { $0.person < $1.person }
        for (index, input) in inputs.quotas.enumerated() {
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
        for pot in pots where pot.month.pot.createdOn <= month.lastDay
            && (!pot.dissolved || (pot.dissolution.map { $0.day >= month.firstDay } ?? true)) {
            var row = pot.month
            row.members = 1 + pot.members.filter { member in
                member.joinedOn <= month.lastDay && (member.leftOn.map { $0 > month.firstDay } ?? true)
            }.count
            result.pots.append(row)
        }
        result.pots.sort { $0.pot.id < $1.pot.id }
        result.refusedDeposits = refusedDeposits
        result.acceptedDeposits = acceptedDeposits
        (refusedDeposits, acceptedDeposits) = ([], 0)
        result.clearing = clearing.map {
            ClearingItem(payer: $0.key.payer, payee: $0.key.payee, channel: .walletTransfer, draws: $0.value.draws,
                         amount: Money(fen: $0.value.amount))
        }.sorted { ($0.payer, $0.payee) < ($1.payer, $1.payee) }
        clearing = [:]
        result.inTransitBefore = Money(fen: inTransitAtOpen)
        result.inTransitAfter = Money(fen: inTransit)
        return result
    }
}
