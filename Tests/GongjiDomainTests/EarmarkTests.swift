import GongjiDomain
import Testing

/// Money set aside ahead of claims (docs/rules.md section 4b, conventions 7,
/// 10, 11): 苏州 and 廊坊 with the wallet (transfers from 2024-12-02, quotas
/// from 2026-01-09), 深圳 without one, 厦门 with a pot rule and a wallet.
struct EarmarkWorld {
    static let suzhou = RegionCode("320500")!
    static let langfang = RegionCode("131000")!
    static let shenzhen = RegionCode("440300")!
    static let xiamen = RegionCode("350200")!

    static func day(_ text: String) -> Day { Day(text: text)! }
    static func time(_ text: String) -> Timestamp { Timestamp(text: text)! }
    static func yuan(_ text: String) -> Money { Money(yuanText: text)! }

    static let policy: Policy = {
        let wallet = DatedRules([Dated(from: day("2024-12-02"), rule: WalletRule(model: .transfer)),
                                 Dated(from: day("2026-01-09"), rule: WalletRule(model: .quota))])
        let family = DatedRules([Dated(from: day("2021-07-01"), rule: FamilyRule(
            relations: [.spouse, .parent, .child], categories: [.outpatient, .inpatient]))])
        let pot = DatedRules([Dated(from: day("2021-11-01"), rule: PotRule(
            floor: yuan("2000"), depositsPerMonth: 1, dissolveOn: Set(LifeEventKind.allCases)))])
        return Policy(regions: [
            RegionPolicy(code: suzhou, name: "苏州市", family: family, wallet: wallet),
            RegionPolicy(code: langfang, name: "廊坊市", family: family, wallet: wallet),
            RegionPolicy(code: shenzhen, name: "深圳市", family: family),
            RegionPolicy(code: xiamen, name: "厦门市", family: family, wallet: wallet, pot: pot),
        ])
    }()

    var personList: [Person] = []
    var openings: [(id: ResidentID, balance: Money)] = []
    var inputs = EarmarkInputs()
    var bindings: [Binding] = []
    var events: [LifeEvent] = []
    private var sequence = 0

    /// A person; `balance` opens an account at the start of the first month run.
    mutating func person(_ region: RegionCode, scheme: Scheme = .employee, balance: String? = nil) -> ResidentID {
        sequence += 1
        let body = String(region.text.prefix(4)) + "0519800101" + String(100 + sequence).suffix(3)
        let id = ResidentID(digits: UInt64(body)!)!
        personList.append(Person(id: id, region: region, scheme: scheme))
        if let balance { openings.append((id, Self.yuan(balance))) }
        return id
    }

    mutating func transfer(_ id: String, _ from: ResidentID, _ to: ResidentID, _ amount: String, at: String,
                           fromWallet: Bool = false, accepted: String? = nil) {
        inputs.transfers.append(WalletTransfer(id: id, from: from, to: to, relation: .spouse, sentAt: Self.time(at),
                                               amount: Self.yuan(amount), fromWallet: fromWallet,
                                               acceptedAt: accepted.map(Self.time)))
    }

    mutating func quota(_ id: String, _ sharer: ResidentID, _ beneficiary: ResidentID, _ amount: String, on: String,
                        until: String? = nil) {
        inputs.quotas.append(WalletQuota(id: id, sharer: sharer, beneficiary: beneficiary, relation: .parent,
                                         setOn: Self.day(on), amount: Self.yuan(amount), endedOn: until.map(Self.day)))
    }

    mutating func pot(_ id: String, creator: ResidentID, members: [ResidentID] = [], on: String = "2025-12-01",
                      closed: String? = nil) {
        inputs.pots.append(FamilyPot(id: id, creator: creator, createdOn: Self.day(on), closedOn: closed.map(Self.day)))
        for member in members {
            inputs.members.append(PotMember(pot: id, person: member, relation: .child, joinedOn: Self.day(on)))
        }
    }

    mutating func deposit(_ id: String, _ pot: String, _ amount: String, at: String) {
        inputs.deposits.append(PotDeposit(id: id, pot: pot, at: Self.time(at), amount: Self.yuan(amount)))
    }

    func claim(_ person: ResidentID, _ amount: String, at: String, _ category: UsageCategory = .outpatient,
               region: RegionCode? = nil, id: String) -> Claim {
        Claim(id: id, person: person, occurredAt: Self.time(at),
              region: region ?? personList.first { $0.id == person }?.region ?? Self.suzhou, category: category,
              amount: Self.yuan(amount))
    }

    struct Month {
        var settled: [ClaimSettlement]
        var balances: [AccountMonth]
        var earmarks: EarmarkMonth
        /// Credits posted, by person (none unless given).
        var credits: Money
    }

    /// Settles `months` in order (the first opens the accounts), each with its claims.
    func run(_ months: [(month: String, claims: [Claim])], credits: [ResidentID: String] = [:]) -> [Month] {
        let persons = PersonTable(personList)
        let first = YearMonth(text: months[0].month)!
        let opened = openings.compactMap { opening in
            persons.index(of: opening.id.key).map { AccountLedger.Opening(index: Int32($0), balance: opening.balance) }
        }
        var ledger = AccountLedger(persons: persons, openings: [first.firstDay: opened])
        var earmarks = EarmarkLedger(policy: Self.policy, persons: persons, inputs: inputs, events: events)
        let settler = FamilySettler(policy: Self.policy, periods: [], persons: persons,
                                    family: FamilyIndex(bindings: bindings, events: events))
        var results: [Month] = []
        for (text, claims) in months {
            let month = YearMonth(text: text)!
            ledger.open(month: month)
            earmarks.open(month: month)
            let settled = claims.sorted(by: Claim.settlementOrder).map { settler.settle($0, ledger: &ledger, earmarks: &earmarks) }
            let earmarked = earmarks.close(month: month, accounts: &ledger)
            var column = CreditColumn(count: persons.count)
            var posted = Money.zero
            for (id, amount) in credits {
                guard let index = persons.index(of: id.key) else { continue }
                column.set(index, Self.yuan(amount).fen)
                posted += Self.yuan(amount)
            }
            let balances = Array(ledger.close(month: month, credits: credits.isEmpty ? nil : column, frozen: earmarks.frozenByIndex))
            results.append(Month(settled: settled, balances: balances, earmarks: earmarked, credits: posted))
        }
        return results
    }
}

extension [AccountMonth] {
    func account(_ id: ResidentID) -> AccountMonth? { first { $0.person == id } }
}

@Suite struct WalletTransferTests {
    typealias W = EarmarkWorld

    /// Each refusal of convention 10, and that a refused transfer moves nothing.
    @Test func everyRefusalKind() throws {
        var world = EarmarkWorld()
        let sender = world.person(W.suzhou, balance: "3000")
        let poor = world.person(W.suzhou, balance: "100")
        let resident = world.person(W.suzhou, scheme: .resident)
        let spouse = world.person(W.langfang, balance: "0")
        let far = world.person(W.shenzhen, balance: "0")
        world.transfer("T01", sender, far, "10", at: "2025-12-03 09:00")                                    // no wallet in 440300
        world.transfer("T02", sender, spouse, "2000.01", at: "2025-12-03 09:01")                            // over 2000
        world.transfer("T03", sender, spouse, "10", at: "2025-12-03 22:00")                                 // quiet from 22:00
        world.transfer("T04", sender, spouse, "10", at: "2025-12-04 05:59:59")                              // quiet until 06:00
        world.transfer("T05", sender, spouse, "10", at: "2025-12-04 06:00", accepted: "2025-12-04 06:01")   // fine
        world.transfer("T06", sender, spouse, "10", at: "2025-12-04 07:00", accepted: "2025-12-04 07:01")
        world.transfer("T07", sender, spouse, "10", at: "2025-12-04 08:00", accepted: "2025-12-04 08:01")
        world.transfer("T08", sender, spouse, "10", at: "2025-12-04 09:00", accepted: "2025-12-04 09:01")   // a 4th that day
        world.transfer("T09", poor, spouse, "100.01", at: "2025-12-04 10:00")                               // account short
        world.transfer("T10", spouse, sender, "30.01", at: "2025-12-04 11:00", fromWallet: true)            // wallet short
        world.transfer("T11", resident, spouse, "1", at: "2025-12-04 12:00")                                // no account
        world.transfer("T12", sender, spouse, "10", at: "2026-01-09 09:00")                                 // quota model
        let months = world.run([("2025-12", []), ("2026-01", [])])
        let outcomes = months.flatMap(\.earmarks.transfers)
        #expect(outcomes.map(\.status) == [.refused, .refused, .refused, .refused, .accepted, .accepted, .accepted,
                                           .refused, .refused, .refused, .refused, .refused])
        #expect(outcomes.compactMap(\.refusal?.description) == [
            "no wallet in force in 440300 on 2025-12-03",
            "2000.01 is over the limit of 2000.00 a transfer",
            "sent at 2025-12-03 22:00:00, inside the quiet hours 22:00-06:00",
            "sent at 2025-12-04 05:59:59, inside the quiet hours 22:00-06:00",
            "the sender's transfer number 4 on 2025-12-04: at most 3 a day",
            "the account (less frozen quota) holds 100.00, short of 100.01",
            "the wallet holds 30.00, short of 30.01",
            "the sender has no individual account (resident scheme)",
            "the wallet in force in 320500 on 2026-01-09 is the quota model",
        ])
        let december = months[0]
        #expect(december.balances.account(sender)?.transferredOut == W.yuan("30"))
        #expect(december.balances.account(sender)?.closing == W.yuan("2970"))
        #expect(december.balances.account(poor)?.closing == W.yuan("100"))
        #expect(december.earmarks.wallets.map(\.closing) == [W.yuan("30")])
        #expect(december.earmarks.clearing == [ClearingItem(payer: W.suzhou, payee: W.langfang, channel: .walletTransfer,
                                                            draws: 3, amount: W.yuan("30"))])
    }

    /// An unaccepted transfer comes back at 06:00 the next day, across a
    /// month's end: the money is in transit over it, in no account or wallet.
    @Test func anUnacceptedTransferReturnsAtSixTheNextDay() {
        var world = EarmarkWorld()
        let sender = world.person(W.suzhou, balance: "1000")
        let spouse = world.person(W.langfang, balance: "0")
        world.transfer("T1", sender, spouse, "400", at: "2025-12-31 20:00")
        world.transfer("T2", sender, spouse, "100", at: "2025-12-10 10:00", accepted: "2025-12-11 06:00")  // too late
        let claim = world.claim(sender, "1000", at: "2026-01-01 06:00", id: "C1")  // after the return, at the same time
        let months = world.run([("2025-12", []), ("2026-01", [claim])])
        #expect(months[0].earmarks.transfers.map(\.status) == [.returned, .returned])
        #expect(months[0].earmarks.inTransitAfter == W.yuan("400"))
        #expect(months[0].balances.account(sender)?.closing == W.yuan("600"))
        #expect(months[0].balances.account(sender)?.transferredOut == W.yuan("400"))
        #expect(months[1].earmarks.inTransitBefore == W.yuan("400"))
        #expect(months[1].balances.account(sender)?.transferredOut == W.yuan("-400"))
        #expect(months[1].settled[0].ownAccount == W.yuan("1000"))
        #expect(months[0].earmarks.wallets.isEmpty && months[0].earmarks.clearing.isEmpty)
    }

    /// Wallet money pays its holder's claims in the holder's own region only,
    /// and the holder's resident premium.
    @Test func walletPaysOnlyInTheHoldersRegion() {
        var world = EarmarkWorld()
        let sender = world.person(W.suzhou, balance: "1000")
        let holder = world.person(W.langfang, scheme: .resident)
        world.transfer("T1", sender, holder, "500", at: "2025-12-01 09:00", accepted: "2025-12-01 09:05")
        let claims = [world.claim(holder, "120", at: "2025-12-02 10:00", .residentPremium, id: "C1"),
                      world.claim(holder, "100", at: "2025-12-03 10:00", region: W.suzhou, id: "C2"),
                      world.claim(holder, "500", at: "2025-12-04 10:00", .inpatient, id: "C3")]
        let settled = world.run([("2025-12", claims)])[0].settled
        #expect(settled.map(\.wallet) == [W.yuan("120"), .zero, W.yuan("380")])
        #expect(settled.map(\.cash) == [.zero, W.yuan("100"), W.yuan("120")])
        #expect(settled.map(\.status) == [.notNeeded, .noBinding, .noBinding])
    }
}

@Suite struct QuotaTests {
    typealias W = EarmarkWorld

    /// The frozen part of a sharer's account pays neither the sharer's own
    /// claims nor the sharer's bindings; it stays in the closing balance.
    @Test func aQuotaIsFrozenAgainstTheSharersOwnUse() {
        var world = EarmarkWorld()
        let sharer = world.person(W.suzhou, balance: "1000")
        let parent = world.person(W.langfang, balance: "0")
        let spouse = world.person(W.suzhou, balance: "0")
        world.bindings.append(Binding(id: "B1", authorizer: sharer, beneficiary: spouse, relation: .spouse,
                                      boundOn: W.day("2020-01-01")))
        world.quota("Q1", sharer, parent, "600", on: "2026-01-12")
        let claims = [world.claim(sharer, "800", at: "2026-01-13 10:00", id: "C1"),
                      world.claim(spouse, "100", at: "2026-01-14 10:00", id: "C2")]
        let month = world.run([("2026-01", claims)])[0]
        #expect(month.settled[0].ownAccount == W.yuan("400"))
        #expect(month.settled[0].cash == W.yuan("400"))
        #expect(month.settled[1].status == .noExcess)
        let account = month.balances.account(sharer)
        #expect(account?.closing == W.yuan("600"))
        #expect(account?.frozen == W.yuan("600"))
        #expect(month.earmarks.quotas.map(\.status) == [.active])
    }

    /// Refused whole: before the quota model, or more than the free balance.
    @Test func refusals() {
        var world = EarmarkWorld()
        let sharer = world.person(W.suzhou, balance: "1000")
        let parent = world.person(W.langfang)
        let far = world.person(W.shenzhen)
        world.quota("Q1", sharer, parent, "100", on: "2026-01-08")
        world.quota("Q2", sharer, parent, "700", on: "2026-01-09")
        world.quota("Q3", sharer, parent, "300.01", on: "2026-01-10")
        world.quota("Q4", sharer, far, "10", on: "2026-01-10")
        let quotas = world.run([("2026-01", [])])[0].earmarks.quotas
        #expect(quotas.map(\.status) == [.refused, .active, .refused, .refused])
        #expect(quotas.compactMap(\.reason) == [
            "the wallet in force in 320500 on 2026-01-08 is the transfer model",
            "the account (less frozen quota) holds 300.00, short of 300.01",
            "no wallet in force in 440300 on 2026-01-10",
        ])
    }

    /// The unused part is released on `ended_on`, or when either side dies,
    /// leaves the scheme or moves region; a used quota across provinces is a
    /// clearing item.
    @Test(arguments: [
        (nil, nil, "ended on 2026-02-15"),
        ("sharer", LifeEventKind.death, "ended by the sharer's death on 2026-02-10"),
        ("beneficiary", .leftScheme, "ended by the beneficiary's leaving the employee scheme on 2026-02-10"),
        ("sharer", .movedRegion, "ended by the sharer's moving to another pooling region on 2026-02-10"),
        ("beneficiary", .death, "ended by the beneficiary's death on 2026-02-10"),
    ] as [(String?, LifeEventKind?, String)])
    func releaseOnEachEnding(side: String?, event: LifeEventKind?, reason: String) {
        var world = EarmarkWorld()
        let sharer = world.person(W.suzhou, balance: "5000")
        let parent = world.person(W.langfang, balance: "100")
        world.quota("Q1", sharer, parent, "3000", on: "2026-01-12", until: "2026-02-15")
        if let side, let event {
            world.events.append(LifeEvent(person: side == "sharer" ? sharer : parent, date: W.day("2026-02-10"), kind: event))
        }
        let january = [world.claim(parent, "1100", at: "2026-01-20 10:00", id: "C1")]
        let february = [world.claim(parent, "500", at: "2026-02-20 10:00", id: "C2")]
        let months = world.run([("2026-01", january), ("2026-02", february)])
        #expect(months[0].settled[0].familyShared == W.yuan("1000"))
        #expect(months[0].settled[0].draws.map(\.channel) == [.quota])
        #expect(months[0].settled[0].status == .shared)
        #expect(months[0].earmarks.quotas[0].unused == W.yuan("2000"))
        #expect(months[0].balances.account(sharer)?.frozen == W.yuan("2000"))
        let row = months[1].earmarks.quotas[0]
        #expect(row.status == .ended)
        #expect(row.usedBefore == W.yuan("1000"))
        #expect(row.released == W.yuan("2000"))
        #expect(row.unused == .zero)
        #expect(row.reason == reason)
        #expect(months[1].settled[0].familyShared == .zero)
        #expect(months[1].balances.account(sharer)?.frozen == .zero)
        #expect(months[1].balances.account(sharer)?.closing == W.yuan("4000"))
    }
}

@Suite struct FamilyPotTests {
    typealias W = EarmarkWorld

    /// A deposit is refused whole when it is the month's second, goes below
    /// the floor, comes before the pot opens, or after it is dissolved.
    @Test func depositRefusals() {
        var world = EarmarkWorld()
        let creator = world.person(W.xiamen, balance: "10000")
        world.pot("P1", creator: creator, on: "2025-12-05", closed: "2026-01-20")
        world.deposit("D1", "P1", "100", at: "2025-12-04 10:00")      // not open yet
        world.deposit("D2", "P1", "3000", at: "2025-12-05 10:00")
        world.deposit("D3", "P1", "10", at: "2025-12-06 10:00")       // second in December
        world.deposit("D4", "P1", "5000.01", at: "2026-01-02 10:00")  // leaves 1999.99
        world.deposit("D5", "P1", "5000", at: "2026-01-03 10:00")     // leaves 2000.00
        world.deposit("D6", "P1", "10", at: "2026-02-01 10:00")       // dissolved
        let months = world.run([("2025-12", []), ("2026-01", []), ("2026-02", [])])
        #expect(months.map(\.earmarks.acceptedDeposits) == [1, 1, 0])
        #expect(months.flatMap(\.earmarks.refusedDeposits).map { "\($0.deposit.id): \($0.refusal)" } == [
            "D1: pot P1 is not open on 2025-12-04",
            "D3: deposit number 2 of the pot in 2025-12: at most 1 a month",
            "D4: would leave 1999.99 in the creator's account, below the floor 2000.00",
            "D6: pot P1 is not open on 2026-02-01",
        ])
        #expect(months[1].balances.account(creator)?.potDeposits == W.yuan("5000"))
        #expect(months[1].balances.account(creator)?.potReturned == W.yuan("8000"))
        #expect(months[1].balances.account(creator)?.closing == W.yuan("10000"))
        #expect(months[1].earmarks.pots.map(\.status) == [.dissolved])
        #expect(months[2].earmarks.pots.isEmpty)
    }

    /// Every creator event the rule lists dissolves the pot that day, and
    /// its balance returns to the creator's account; a member's death ends
    /// only that membership.
    @Test(arguments: LifeEventKind.allCases)
    func dissolutionOnEachEvent(event: LifeEventKind) {
        var world = EarmarkWorld()
        let creator = world.person(W.xiamen, balance: "5000")
        let child = world.person(W.xiamen, scheme: .resident)
        let spouse = world.person(W.xiamen, scheme: .resident)
        world.pot("P1", creator: creator, members: [child, spouse])
        world.deposit("D1", "P1", "3000", at: "2025-12-01 09:00")
        world.events.append(LifeEvent(person: spouse, date: W.day("2025-12-05"), kind: .death))
        world.events.append(LifeEvent(person: creator, date: W.day("2025-12-20"), kind: event))
        let claims = [world.claim(child, "100", at: "2025-12-10 10:00", id: "C1"),
                      world.claim(spouse, "100", at: "2025-12-04 10:00", id: "C2"),
                      world.claim(spouse, "100", at: "2025-12-06 10:00", id: "C3"),
                      world.claim(child, "100", at: "2025-12-20 00:00", id: "C4")]
        let month = world.run([("2025-12", claims)])[0]
        #expect(month.settled.map(\.claim.id) == ["C2", "C3", "C1", "C4"])
        #expect(month.settled.map(\.pot) == [W.yuan("100"), .zero, W.yuan("100"), .zero])
        let pot = month.earmarks.pots[0]
        #expect(pot.status == .dissolved)
        #expect(pot.dissolution?.description == "dissolved by the creator's \(event.phrase) on 2025-12-20")
        #expect(pot.returned == W.yuan("2800"))
        #expect(pot.closing == .zero)
        #expect(month.balances.account(creator)?.closing == W.yuan("4800"))
    }
}

@Suite struct EarmarkOrderTests {
    typealias W = EarmarkWorld

    /// Convention 7 with all five sources in one claim: own account (less
    /// frozen), own wallet, family pot, relatives' quotas (largest unused
    /// first, ties by quota_id), bindings, then cash.
    @Test func allFiveSourcesInOrder() {
        var world = EarmarkWorld()
        let patient = world.person(W.xiamen, balance: "100")
        let sender = world.person(W.suzhou, balance: "1000")
        let creator = world.person(W.xiamen, balance: "5000")
        let sharerA = world.person(W.suzhou, balance: "1000")
        let sharerB = world.person(W.langfang, balance: "1000")
        let sharerC = world.person(W.langfang, balance: "1000")
        let authorizer = world.person(W.xiamen, balance: "250")
        world.transfer("T1", sender, patient, "200", at: "2025-12-02 10:00", accepted: "2025-12-02 10:01")
        world.pot("P1", creator: creator, members: [patient])
        world.deposit("D1", "P1", "300", at: "2025-12-03 10:00")
        world.quota("Q2", sharerB, patient, "150", on: "2026-01-10")
        world.quota("Q1", sharerA, patient, "150", on: "2026-01-10")
        world.quota("Q3", sharerC, patient, "400", on: "2026-01-10")
        world.bindings.append(Binding(id: "B1", authorizer: authorizer, beneficiary: patient, relation: .child,
                                      boundOn: W.day("2020-01-01")))
        let claim = world.claim(patient, "2000", at: "2026-01-15 10:00", id: "C1")
        let months = world.run([("2025-12", []), ("2026-01", [claim])])
        let settled = months[1].settled[0]
        #expect(settled.ownAccount == W.yuan("100"))
        #expect(settled.wallet == W.yuan("200"))
        #expect(settled.pot == W.yuan("300"))
        #expect(settled.draws.map(\.binding) == ["Q3", "Q1", "Q2", "B1"])
        #expect(settled.draws.map(\.amount) == [W.yuan("400"), W.yuan("150"), W.yuan("150"), W.yuan("250")])
        #expect(settled.draws.map(\.channel) == [.quota, .quota, .quota, .binding])
        #expect(settled.familyShared == W.yuan("950"))
        #expect(settled.cash == W.yuan("450"))
        #expect(settled.status == .partial)
        // A quota across provinces is a clearing item; a binding in the claim's own region is not.
        let items = Clearing.items(months[1].settled, transfers: months[1].earmarks.clearing)
        #expect(items == [
            ClearingItem(payer: W.langfang, payee: W.xiamen, channel: .quota, draws: 2, amount: W.yuan("550")),
            ClearingItem(payer: W.suzhou, payee: W.xiamen, channel: .quota, draws: 1, amount: W.yuan("150")),
        ])
    }

    /// Conservation: in every month the sum of account balances (frozen
    /// quota among them), wallets, pots and money in transit changes only by
    /// the credits posted and the claims paid from them.
    @Test func moneyIsConservedMonthByMonth() {
        var world = EarmarkWorld()
        let a = world.person(W.suzhou, balance: "3000")
        let b = world.person(W.langfang, balance: "800")
        let c = world.person(W.xiamen, balance: "9000")
        let d = world.person(W.xiamen, scheme: .resident)
        let e = world.person(W.suzhou, scheme: .resident)
        world.transfer("T1", a, b, "700", at: "2025-12-02 10:00", accepted: "2025-12-02 11:00")
        world.transfer("T2", a, e, "300", at: "2025-12-31 21:00")
        world.transfer("T3", b, e, "200", at: "2025-12-05 10:00", fromWallet: true, accepted: "2025-12-05 10:30")
        world.transfer("T4", b, a, "50", at: "2025-12-06 10:00", fromWallet: true)
        world.quota("Q1", a, b, "900", on: "2026-01-10", until: "2026-02-10")
        world.pot("P1", creator: c, members: [d], closed: "2026-02-20")
        world.deposit("D1", "P1", "4000", at: "2025-12-03 09:00")
        world.deposit("D2", "P1", "2000", at: "2026-01-03 09:00")
        world.bindings.append(Binding(id: "B1", authorizer: c, beneficiary: d, relation: .child, boundOn: W.day("2020-01-01")))
        let months = world.run([
            ("2025-12", [world.claim(b, "1200", at: "2025-12-10 10:00", id: "C1"),
                         world.claim(d, "600", at: "2025-12-11 10:00", id: "C2"),
                         world.claim(e, "100", at: "2025-12-12 10:00", id: "C3")]),
            ("2026-01", [world.claim(b, "1000", at: "2026-01-20 10:00", .inpatient, id: "C4"),
                         world.claim(a, "2500", at: "2026-01-21 10:00", id: "C5"),
                         world.claim(d, "5000", at: "2026-01-22 10:00", .inpatient, id: "C6")]),
            ("2026-02", [world.claim(d, "900", at: "2026-02-25 10:00", id: "C7"),
                         world.claim(b, "400", at: "2026-02-26 10:00", id: "C8")]),
        ], credits: [a: "120", b: "80", c: "300"])
        #expect(months.map { $0.settled.count } == [3, 3, 2])
        for month in months {
            func sum<T>(_ rows: [T], _ value: (T) -> Money) -> Money { rows.reduce(.zero) { $0 + value($1) } }
            let before = sum(month.balances, \.opening) + sum(month.earmarks.wallets, \.opening)
                + sum(month.earmarks.pots, \.opening) + month.earmarks.inTransitBefore
            let after = sum(month.balances, \.closing) + sum(month.earmarks.wallets, \.closing)
                + sum(month.earmarks.pots, \.closing) + month.earmarks.inTransitAfter
            let paid = sum(month.settled) { $0.ownAccount + $0.wallet + $0.pot + $0.familyShared }
            #expect(after - before == month.credits - paid, "\(month.earmarks.month)")
            #expect(sum(month.settled) { $0.ownAccount + $0.wallet + $0.pot + $0.familyShared + $0.cash }
                == sum(month.settled, \.claim.amount))
        }
        #expect(months[0].earmarks.inTransitAfter == W.yuan("300"))
        #expect(months[1].earmarks.quotas.map(\.used) == [W.yuan("820")])  // after 80.00 own and 100.00 wallet
        #expect(months[2].earmarks.pots.map(\.returned) == [W.yuan("400")])
    }
}
