/// Wallets filled by transfers (docs/rules.md section 4b, the 2024 model):
/// each holder's balance and month, the transfers each sender sent on a day,
/// the money in transit, the month's transfer outcomes and their clearing.
struct EarmarkWallets: Sendable {
    struct Wallet: Sendable {
        var index: Int
        var balance: Int64 = 0
        var month: WalletMonth
    }
    struct Pair: Hashable { var payer: RegionCode; var payee: RegionCode }

    private let policy: Policy
    private let persons: PersonTable
    private let transfers: [WalletTransfer]
    private var wallets: [UInt64: Wallet] = [:]
    /// Each sender's count of transfers sent (not refused) on a day.
    private var sentOnDay: [UInt64: (day: Day, count: Int)] = [:]
    private var inTransit: Int64 = 0
    private var inTransitAtOpen: Int64 = 0
    private var monthOutcomes: [TransferOutcome] = []
    private var clearing: [Pair: (draws: Int, amount: Int64)] = [:]

    init(policy: Policy, persons: PersonTable, transfers: [WalletTransfer]) {
        self.policy = policy
        self.persons = persons
        self.transfers = transfers
    }

    /// The sending of each transfer, in input order.
    var actions: [EarmarkTimeline.Action] {
        transfers.enumerated().map { index, transfer in
            EarmarkTimeline.Action(time: transfer.sentAt, kind: .transferSend, index: Int32(index), id: transfer.id)
        }
    }

    // MARK: Actions

    /// The sender's account less its frozen quota (`frozen`: unused quota by
    /// sharer index).
    private func free(_ index: Int, _ accounts: AccountLedger, frozen: [Int: Int64]) -> Int64? {
        accounts.balance(index: index).map { $0.fen - (frozen[index] ?? 0) }
    }

    private func check(_ transfer: WalletTransfer, _ sender: Int, _ recipient: Int, _ accounts: AccountLedger,
                       frozen: [Int: Int64]) -> Result<WalletRule, EarmarkRefusal> {
        let day = transfer.sentAt.day
        let rule: WalletRule
        switch policy.walletRule(persons.regions[sender], day) {
        case let .success(found): rule = found
        case let .failure(refusal): return .failure(refusal)
        }
        let other: WalletRule
        switch policy.walletRule(persons.regions[recipient], day) {
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
            guard let free = free(sender, accounts, frozen: frozen) else { return .failure(.noAccount(.sender)) }
            guard free >= transfer.amount.fen else {
                return .failure(.short(source: .account, free: Money(fen: max(free, 0)), amount: transfer.amount))
            }
        }
        return .success(rule)
    }

    /// Sends transfer `index` or refuses it; returns its acceptance or
    /// return to schedule. `frozen`: unused quota by sharer index, which the
    /// sender may not send.
    mutating func send(_ index: Int, frozen: [Int: Int64], accounts: inout AccountLedger) -> EarmarkTimeline.Action? {
        let transfer = transfers[index]
        guard let sender = persons.index(of: transfer.from.key), let recipient = persons.index(of: transfer.to.key) else { return nil }
        switch check(transfer, sender, recipient, accounts, frozen: frozen) {
        case let .failure(refusal):
            monthOutcomes.append(TransferOutcome(transfer: transfer, status: .refused, refusal: refusal))
            return nil
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
                monthOutcomes.append(TransferOutcome(transfer: transfer, status: .accepted))
                return EarmarkTimeline.Action(time: accepted, kind: .transferAccept, index: Int32(index), id: transfer.id)
            } else {
                monthOutcomes.append(TransferOutcome(transfer: transfer, status: .returned, returnsAt: returnsAt))
                return EarmarkTimeline.Action(time: returnsAt, kind: .transferReturn, index: Int32(index), id: transfer.id)
            }
        }
    }

    /// The holder's wallet, made on its first use (and its holder added to
    /// `touched`).
    private mutating func wallet(_ key: UInt64, touched: inout IndexSet64) -> UInt64 {
        if wallets[key] == nil, let index = persons.index(of: key) {
            wallets[key] = Wallet(index: index, month: WalletMonth(person: persons.ids[index], region: persons.regions[index]))
            _ = touched.insert(index)
        }
        return key
    }

    /// Transfer `index` reaches the recipient's wallet.
    mutating func accept(_ index: Int, touched: inout IndexSet64) {
        let transfer = transfers[index]
        let key = wallet(transfer.to.key, touched: &touched)
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

    /// Transfer `index`, not accepted in time, goes back where it came from.
    mutating func giveBack(_ index: Int, accounts: inout AccountLedger) {
        let transfer = transfers[index]
        inTransit -= transfer.amount.fen
        if transfer.fromWallet {
            wallets[transfer.from.key]?.balance += transfer.amount.fen
            wallets[transfer.from.key]?.month.returned += transfer.amount
        } else if let sender = persons.index(of: transfer.from.key) {
            accounts.transferReturned(index: sender, transfer.amount)
        }
    }

    // MARK: Drawing at settlement

    /// The patient's own wallet pays, for a claim settled in the holder's own region.
    mutating func pay(_ claim: Claim, patient: Int, upTo rest: Money) -> Money {
        let key = claim.person.key
        guard let held = wallets[key]?.balance, held > 0, persons.regions[patient] == claim.region else { return .zero }
        let amount = Money(fen: min(held, rest.fen))
        wallets[key]?.balance -= amount.fen
        wallets[key]?.month.spent += amount
        return amount
    }

    // MARK: The month

    mutating func open() {
        inTransitAtOpen = inTransit
        for key in wallets.keys {
            guard var wallet = wallets[key] else { continue }
            wallet.month = WalletMonth(person: wallet.month.person, region: wallet.month.region,
                                       opening: Money(fen: wallet.balance))
            wallets[key] = wallet
        }
    }

    /// Reports the month's transfers, wallets, clearing and money in transit.
    mutating func close(into result: inout EarmarkMonth) {
        result.transfers = monthOutcomes
        monthOutcomes = []
        result.wallets = wallets.values.map(\.month).sorted { $0.person < $1.person }
        result.clearing = clearing.map {
            ClearingItem(payer: $0.key.payer, payee: $0.key.payee, channel: .walletTransfer, draws: $0.value.draws,
                         amount: Money(fen: $0.value.amount))
        }.sorted { ($0.payer, $0.payee) < ($1.payer, $1.payee) }
        clearing = [:]
        result.inTransitBefore = Money(fen: inTransitAtOpen)
        result.inTransitAfter = Money(fen: inTransit)
    }
}

extension Policy {
    /// The wallet rule in force in `region` on `day`, or the refusal when
    /// the region has none.
    func walletRule(_ region: RegionCode, _ day: Day) -> Result<WalletRule, EarmarkRefusal> {
        guard let rule = regions[region]?.wallet.inForce(on: day)?.rule else {
            return .failure(.noWallet(region: region, on: day))
        }
        return .success(rule)
    }
}
