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
}
