import GongjiDomain
import Testing

/// The audit's replay (docs/audit.md): accounts move by the platform's
/// amounts; clean records raise nothing.
@Suite struct AuditReplayTests {
    typealias W = SettlementWorld

    func settlement(_ world: SettlementWorld) throws -> Settlement {
        let inputs = SettlementInputs(
            policy: world.rules, periods: world.thresholds, persons: world.persons, openings: world.openings,
            credits: CreditBook(policy: world.rules, wages: try WageBook(bulletins: []), count: world.persons.count),
            bindings: world.bindings, events: world.events, earmarks: EarmarkInputs())
        return Settlement(inputs, claims: ClaimList([]))
    }

    func record(_ id: String, _ patient: ResidentID, _ time: String, own: String = "0.00", aid: String = "0.00",
                cash: String = "0.00", category: UsageCategory = .outpatient, balc: String? = nil,
                reverses: String? = nil) -> PlatformSettlement {
        PlatformSettlement(id: id, patient: patient, time: Timestamp(text: time)!, region: W.shenzhen, category: category,
                           ownAccount: W.yuan(own), mutualAid: W.yuan(aid), cash: W.yuan(cash),
                           balanceAfter: balc.map(W.yuan), reverses: reverses)
    }

    /// The own account first, then a relative above the threshold (5,008.80
    /// in 2019-03), balances as reported, a reversal undone: no finding.
    @Test func cleanRecordsRaiseNothing() throws {
        var world = SettlementWorld()
        let authorizer = world.person(balance: "6000.00", month: "2019-03")
        let patient = world.person(balance: "100.00", month: "2019-03")
        let bystander = world.person(balance: "50.00", month: "2019-03")
        world.bind(authorizer, patient)
        var replay = try settlement(world)
        let month = replay.audit(W.month("2019-03"), settlements: [
            record("S1", patient, "2019-03-05 10:00:00", own: "100.00", aid: "300.00", balc: "0.00"),
            record("S2", patient, "2019-03-06 10:00:00", aid: "200.00"),
            record("S3", patient, "2019-03-07 10:00:00", aid: "-200.00", reverses: "S2"),
        ], aid: ["S1": [MutualAidPayment(settlement: "S1", payer: authorizer, amount: W.yuan("300.00"),
                                         payerBalanceAfter: W.yuan("5700.00"))],
                 "S2": [MutualAidPayment(settlement: "S2", payer: authorizer, amount: W.yuan("200.00"))],
                 "S3": [MutualAidPayment(settlement: "S3", payer: authorizer, amount: W.yuan("-200.00"),
                                         payerBalanceAfter: W.yuan("5700.00"))]])
        #expect(month.findings.isEmpty, "\(month.findings)")
        #expect(month.settlements == 3 && month.reversals == 1)
        #expect(month.balancesReported == 3 && month.balancesMatched == 3)
        #expect(month.balances.closing(authorizer) == W.yuan("5700.00"))
        #expect(month.balances.row(authorizer)?.sharedOut == W.yuan("300.00"))
        #expect(month.balances.closing(patient) == W.yuan("0.00"))
        // Rows for the accounts the records name only; the others close all the same.
        #expect(month.balances.row(bystander) == nil && month.balances.count == 2)
    }

    /// A06 takes only the part below the threshold; A11's repeated record is
    /// not replayed; A12 for a second reversal of the same settlement.
    @Test func thresholdDuplicateAndReversalFindings() throws {
        var world = SettlementWorld()
        let authorizer = world.person(balance: "6000.00", month: "2019-03")
        let patient = world.person(month: "2019-03")
        world.bind(authorizer, patient)
        var replay = try settlement(world)
        let month = replay.audit(W.month("2019-03"), settlements: [
            record("S1", patient, "2019-03-05 10:00:00", aid: "1200.00"),
            record("S1", patient, "2019-03-06 10:00:00", aid: "1200.00"),
            record("S2", patient, "2019-03-07 10:00:00", aid: "-1200.00", reverses: "S1"),
            record("S3", patient, "2019-03-08 10:00:00", aid: "-1200.00", reverses: "S1"),
        ], aid: ["S1": [MutualAidPayment(settlement: "S1", payer: authorizer, amount: W.yuan("1200.00"))],
                 "S2": [MutualAidPayment(settlement: "S2", payer: authorizer, amount: W.yuan("-1200.00"))]])
        // 6000.00 − 1200.00 = 4800.00, 208.80 below 5,008.80.
        #expect(month.findings.map(\.code) == [.belowThreshold, .duplicate, .badReversal])
        #expect(month.findings.map(\.amountAtRisk) == [W.yuan("208.80"), W.yuan("1200.00"), W.yuan("1200.00")])
        #expect(month.findings.last?.detail == .reversedTwice("S1"))
        // The duplicate moved nothing; the reversal gave the 1,200.00 back once.
        #expect(month.balances.closing(authorizer) == W.yuan("6000.00"))
    }

    /// A quota payment draws on the quota's unused amount, which is frozen
    /// in the payer's account, not on the free balance (docs/audit.md,
    /// "The replay"): 苏州's sharer holds 1,000.00 with a quota of 800.00 for
    /// a parent in 廊坊 (free 200.00). Beyond the unused amount is A07; a
    /// reversal puts the money back into the quota, frozen again.
    @Test func aQuotaPaysFromItsUnusedAmount() throws {
        typealias E = EarmarkWorld
        var world = EarmarkWorld()
        let sharer = world.person(E.suzhou, balance: "1000")
        let parent = world.person(E.langfang, balance: "0")
        world.quota("Q1", sharer, parent, "800", on: "2026-01-12")
        let persons = PersonTable(world.personList)
        let month = YearMonth(text: "2026-01")!
        let opened = world.openings.compactMap { opening in
            persons.index(of: opening.id.key).map { AccountLedger.Opening(index: Int32($0), balance: opening.balance) }
        }
        var replay = Settlement(SettlementInputs(
            policy: E.policy, periods: [], persons: persons, openings: [month.firstDay: opened],
            credits: CreditBook(policy: E.policy, wages: try WageBook(bulletins: []), count: persons.count),
            bindings: [], events: [], earmarks: world.inputs), claims: ClaimList([]))
        func record(_ id: String, _ time: String, _ aid: String, reverses: String? = nil) -> PlatformSettlement {
            PlatformSettlement(id: id, patient: parent, time: Timestamp(text: time)!, region: E.langfang, category: .outpatient,
                               ownAccount: .zero, mutualAid: E.yuan(aid), cash: .zero, balanceAfter: nil, reverses: reverses)
        }
        func row(_ id: String, _ amount: String, after: String) -> [MutualAidPayment] {
            [MutualAidPayment(settlement: id, payer: sharer, amount: E.yuan(amount), channel: .quota,
                              payerBalanceAfter: E.yuan(after))]
        }
        let audited = replay.audit(month, settlements: [
            record("S1", "2026-01-13 10:00:00", "500.00"),                   // 500.00 of 800.00 unused: clean
            record("S2", "2026-01-14 10:00:00", "400.00"),                   // 300.00 unused left: 100.00 beyond
            record("S3", "2026-01-15 10:00:00", "-500.00", reverses: "S1"),  // back into the quota
            record("S4", "2026-01-16 10:00:00", "500.00"),                   // 500.00 unused again: clean
        ], aid: ["S1": row("S1", "500.00", after: "500.00"), "S2": row("S2", "400.00", after: "200.00"),
                 "S3": row("S3", "-500.00", after: "700.00"), "S4": row("S4", "500.00", after: "200.00")])
        #expect(audited.findings == [
            AuditFinding(settlement: "S2", time: Timestamp(text: "2026-01-14 10:00:00"), region: E.langfang, patient: parent,
                         payer: sharer, code: .beyondBalance, amountAtRisk: E.yuan("100.00"),
                         detail: .beyondBalance(held: E.yuan("300.00"), paid: E.yuan("400.00"))),
        ])
        #expect(audited.balancesReported == 4 && audited.balancesMatched == 4)
        let account = try #require(audited.balances.row(sharer))
        #expect(account.closing == E.yuan("200.00"))
        #expect(account.frozen == .zero)
    }
}
