import GongjiDomain
import Testing

/// `Settlement`: months settled one after another as values (docs/rules.md
/// conventions 3 and 12, rule R2), with claims from a `ClaimSource`.
@Suite struct MonthSettlementTests {
    typealias W = SettlementWorld

    func inputs(_ world: SettlementWorld) throws -> SettlementInputs {
        SettlementInputs(policy: world.rules, periods: world.thresholds, persons: world.persons, openings: world.openings,
                         credits: CreditBook(policy: world.rules, wages: try WageBook(bulletins: []), count: world.persons.count),
                         bindings: world.bindings, events: world.events, earmarks: EarmarkInputs())
    }

    /// Two months with a gap between them: the second opens from the first's
    /// closing; a beneficiary at zero draws on the authorizer above 5,008.80;
    /// the month's values carry the previous month and the year to date.
    @Test func monthsSettleInOrderAsValues() throws {
        var world = SettlementWorld()
        let authorizer = world.person(balance: "6000.00", month: "2019-03")
        let beneficiary = world.person(balance: "100.00", month: "2019-03")
        world.bind(authorizer, beneficiary)
        let claims = ClaimList([world.claim(beneficiary, "300.00", at: "2019-03-10 10:00:00"),
                                world.claim(beneficiary, "800.00", at: "2019-05-02 09:00:00")])
        var settlement = Settlement(try inputs(world), claims: claims)
        let march = try settlement.settle(W.month("2019-03"))
        #expect(march.usage.settlements.map(\.ownAccount) == [W.yuan("100.00")])
        #expect(march.usage.settlements.map(\.familyShared) == [W.yuan("200.00")])
        #expect(march.balances.closing(authorizer) == W.yuan("5800.00"))
        let may = try settlement.settle(W.month("2019-05"))
        // 5800.00 − 5008.80 = 791.20 above the threshold; the rest is cash.
        #expect(may.usage.settlements.map(\.familyShared) == [W.yuan("791.20")])
        #expect(may.usage.settlements.map(\.cash) == [W.yuan("8.80")])
        #expect(may.balances.row(authorizer)?.opening == W.yuan("5800.00"))
        #expect(may.balances.closing(authorizer) == W.yuan("5008.80"))
        #expect(may.usage.context.previous?.month == W.month("2019-03"))
        #expect(may.usage.context.yearToDate.family == W.yuan("991.20"))
        #expect(may.usage.authorizers.map(\.authorizer) == [authorizer])
    }
}
