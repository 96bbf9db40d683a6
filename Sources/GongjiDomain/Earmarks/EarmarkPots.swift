/// Family pots (docs/rules.md section 4b): each pot's members, balance and
/// month, the pots by member and by ID, and the month's accepted and
/// refused deposits.
struct EarmarkPots: Sendable {
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

    private let policy: Policy
    private let deposits: [PotDeposit]
    private var pots: [Pot] = []
    /// Pot indices by member key (the creator among them), in pot_id order.
    private let potsOf: [UInt64: [Int]]
    private let potByID: [String: Int]
    private var refusedDeposits: [RefusedDeposit] = []
    private var acceptedDeposits = 0

    /// `events`: by person, earliest first, for the persons the pots name.
    init(policy: Policy, persons: PersonTable, inputs: EarmarkInputs, events: [UInt64: [LifeEvent]]) {
        self.policy = policy
        deposits = inputs.deposits
        let membersByPot = Dictionary(grouping: inputs.members, by: \.pot)
        var potsOf: [UInt64: [Int]] = [:]
        var potByID: [String: Int] = [:]
        for (index, pot) in inputs.pots.enumerated() {
            potByID[pot.id] = index
            let creator = persons.index(of: pot.creator.key) ?? 0
            let region = persons.regions[creator]
            var dissolution = pot.closedOn.map(PotDissolution.closedOn)
            if let event = events[pot.creator.key]?.first(where: { event in
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
        }
        self.potByID = potByID
        self.potsOf = potsOf.mapValues { $0.sorted { inputs.pots[$0].id < inputs.pots[$1].id } }
    }

    /// Each pot's dissolution, when it has one, in pot order; then each
    /// deposit, in input order.
    var actions: [EarmarkTimeline.Action] {
        var actions: [EarmarkTimeline.Action] = []
        for (index, pot) in pots.enumerated() {
            if let dissolution = pot.dissolution {
                actions.append(EarmarkTimeline.Action(time: Timestamp(day: dissolution.day, second: 0), kind: .potDissolve,
                                                      index: Int32(index), id: pot.month.pot.id))
            }
        }
        for (index, deposit) in deposits.enumerated() {
            actions.append(EarmarkTimeline.Action(time: deposit.at, kind: .deposit, index: Int32(index), id: deposit.id))
        }
        return actions
    }

    /// The members' keys (creators among them): persons whose claims may draw on a pot.
    var members: [UInt64] { Array(potsOf.keys) }

    // MARK: Actions

    /// Makes deposit `index` or refuses it whole. `frozen`: unused quota by
    /// sharer index, which the creator may not deposit.
    mutating func deposit(_ index: Int, frozen: [Int: Int64], accounts: inout AccountLedger) {
        let input = deposits[index]
        guard let potIndex = potByID[input.pot] else { return }
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
        let free = balance.fen - (frozen[pot.creator] ?? 0)
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

    /// Pot `index` is dissolved: its balance returns to the creator's account.
    mutating func dissolve(_ index: Int, accounts: inout AccountLedger) {
        guard !pots[index].dissolved else { return }
        let balance = pots[index].balance
        if balance > 0 { accounts.returnFromPot(index: pots[index].creator, Money(fen: balance)) }
        pots[index].month.returned += Money(fen: balance)
        pots[index].balance = 0
        pots[index].dissolved = true
        pots[index].month.status = .dissolved
        pots[index].month.dissolution = pots[index].dissolution
    }

    // MARK: Drawing at settlement

    /// The patient's pots pay, in pot_id order: pots of the claim's region
    /// whose family rule shares the category, while the patient is a member.
    /// `events`: by person, earliest first.
    mutating func pay(_ claim: Claim, upTo rest: Money, events: [UInt64: [LifeEvent]]) -> Money {
        guard let list = potsOf[claim.person.key] else { return .zero }
        let day = claim.occurredAt.day
        var paid = Money.zero
        for index in list where paid < rest {
            let pot = pots[index]
            guard !pot.dissolved, pot.balance > 0, pot.month.pot.createdOn <= day, pot.region == claim.region,
                  Self.isMember(claim.person, of: pot, on: day, events: events),
                  policy.regions[pot.region]?.family.inForce(on: day)?.rule.categories.contains(claim.category) ?? false
            else { continue }
            let amount = min(pot.balance, (rest - paid).fen)
            pots[index].balance -= amount
            pots[index].month.draws += Money(fen: amount)
            paid += Money(fen: amount)
        }
        return paid
    }

    private static func isMember(_ person: ResidentID, of pot: Pot, on day: Day, events: [UInt64: [LifeEvent]]) -> Bool {
        if person == pot.month.pot.creator { return true }
        guard pot.members.contains(where: { $0.person == person && $0.joinedOn <= day && ($0.leftOn.map { day < $0 } ?? true) })
        else { return false }
        return !(events[person.key]?.contains { $0.date <= day && EarmarkQuotas.endsQuota($0.kind) } ?? false)
    }

    // MARK: The month

    mutating func open() {
        for index in pots.indices {
            pots[index].month.opening = Money(fen: pots[index].balance)
            pots[index].month.deposits = .zero
            pots[index].month.draws = .zero
            pots[index].month.returned = .zero
        }
    }

    /// Reports the pots that exist in `month`, and the month's deposits.
    mutating func close(month: YearMonth, into result: inout EarmarkMonth) {
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
    }
}
