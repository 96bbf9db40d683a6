import GongjiDomain
import Testing

/// docs/rules.md section 4 and conventions 3-6: one scenario per rule.
/// Shenzhen's threshold is 5008.80 until 2019-06-30, 5585.40 from 2019-07-01.
@Suite struct SettlementTests {
    typealias W = SettlementWorld
    func yuan(_ text: String) -> Money { W.yuan(text) }

    @Test func ownAccountPaysFirstThenFamily() {
        var world = W()
        let authorizer = world.person(balance: "6008.80")
        let patient = world.person(balance: "100.00")
        world.bind(authorizer, patient)
        let (settled, balances) = world.settle([world.claim(patient, "150.00")])
        #expect(settled[0].ownAccount == yuan("100.00"))
        #expect(settled[0].familyShared == yuan("50.00"))
        #expect(settled[0].cash == .zero)
        #expect(settled[0].status == .shared)
        #expect(settled[0].draws.map(\.balanceBefore) == [yuan("6008.80")])
        #expect(settled[0].draws.map(\.threshold) == [yuan("5008.80")])
        #expect(balances.row(patient)?.ownSpending == yuan("100.00"))
        #expect(balances.closing(patient) == .zero)
        #expect(balances.row(authorizer)?.sharedOut == yuan("50.00"))
        #expect(balances.closing(authorizer) == yuan("5958.80"))
    }

    @Test func ownAccountCoveringEverythingNeedsNoFamily() {
        var world = W()
        let authorizer = world.person(balance: "9000.00")
        let patient = world.person(balance: "300.00")
        world.bind(authorizer, patient)
        let (settled, balances) = world.settle([world.claim(patient, "300.00")])
        #expect(settled[0].status == .notNeeded)
        #expect(settled[0].ownAccount == yuan("300.00"))
        #expect(settled[0].draws.isEmpty)
        #expect(balances.closing(authorizer) == yuan("9000.00"))
    }

    @Test func beneficiaryWithoutAccountDrawsFamilyMoney() {
        var world = W()
        let authorizer = world.person(balance: "5208.80")
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient, .child)
        let (settled, _) = world.settle([world.claim(patient, "80.00")])
        #expect(settled[0].ownAccount == .zero)
        #expect(settled[0].familyShared == yuan("80.00"))
        #expect(settled[0].draws.map(\.relation) == [.child])
    }

    @Test func authorizerGivesOnlyTheExcessAboveTheThreshold() {
        var world = W()
        let authorizer = world.person(balance: "5108.80")  // 100.00 above 5008.80
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient)
        let (settled, balances) = world.settle([world.claim(patient, "250.00")])
        #expect(settled[0].familyShared == yuan("100.00"))
        #expect(settled[0].cash == yuan("150.00"))
        #expect(settled[0].status == .partial)
        #expect(balances.closing(authorizer) == yuan("5008.80"))
    }

    @Test func authorizerAtTheThresholdHasNoExcess() {
        var world = W()
        let authorizer = world.person(balance: "5008.80")
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient)
        let (settled, _) = world.settle([world.claim(patient, "10.00")])
        #expect(settled[0].status == .noExcess)
        #expect(settled[0].cash == yuan("10.00"))
    }

    @Test func severalAuthorizersHighestBalanceFirstTiesByID() {
        var world = W()
        let low = world.person(balance: "5108.80")     // excess 100.00
        let tieA = world.person(balance: "5308.80")    // excess 300.00, smaller ID
        let tieB = world.person(balance: "5308.80")    // excess 300.00
        let patient = world.person(scheme: .resident)
        world.bind(low, patient, .parent)
        world.bind(tieB, patient, .child)
        world.bind(tieA, patient, .spouse)
        let (settled, _) = world.settle([world.claim(patient, "650.00")])
        #expect(settled[0].draws.map(\.authorizer) == [tieA, tieB, low])
        #expect(settled[0].draws.map(\.amount) == [yuan("300.00"), yuan("300.00"), yuan("50.00")])
        #expect(settled[0].status == .shared)
    }

    @Test func currentBalanceDecidesTheOrderAfterEarlierClaims() {
        var world = W()
        let first = world.person(balance: "5508.80")   // excess 500.00
        let second = world.person(balance: "5408.80")  // excess 400.00
        let patient = world.person(scheme: .resident)
        world.bind(first, patient)
        world.bind(second, patient, .child)
        let claims = [world.claim(patient, "200.00", at: "2019-03-05 09:00"),
                      world.claim(patient, "50.00", at: "2019-03-06 09:00")]
        let (settled, _) = world.settle(claims)
        // After the first claim, `first` holds 5308.80 < 5408.80: `second` pays the next one.
        #expect(settled[0].draws.map(\.authorizer) == [first])
        #expect(settled[1].draws.map(\.authorizer) == [second])
        #expect(settled[1].draws[0].balanceBefore == yuan("5408.80"))
    }

    @Test func claimsSettleInTimeOrderThenByClaimID() {
        var world = W()
        let authorizer = world.person(balance: "5108.80")  // excess 100.00: only one claim can be paid
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient)
        let late = world.claim(patient, "100.00", at: "2019-03-20 08:00", id: "A1")
        let sameTimeB = world.claim(patient, "100.00", at: "2019-03-10 08:00", id: "B2")
        let sameTimeA = world.claim(patient, "100.00", at: "2019-03-10T08:00:00+08:00", id: "B1")
        let (settled, _) = world.settle([late, sameTimeB, sameTimeA])
        #expect(settled.map(\.claim.id) == ["B1", "B2", "A1"])
        #expect(settled.map(\.status) == [.shared, .noExcess, .noExcess])
    }

    @Test func categoryMustBeShareable() {
        var world = W()
        let authorizer = world.person(balance: "9000.00")
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient)
        let (settled, _) = world.settle([world.claim(patient, "40.00", .pharmacyOTC), world.claim(patient, "40.00", .vaccination)])
        #expect(settled[0].status == .categoryExcluded)
        #expect(settled[0].refusals.map(\.description) == ["pharmacy_otc may not be paid with family money in 440300 on 2019-03-10"])
        #expect(settled[1].status == .shared)
    }

    @Test func bindingActiveFromBoundOnUntilTheDayBeforeUnboundOn() {
        var world = W()
        let authorizer = world.person(balance: "9000.00")
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient, from: "2019-03-10", until: "2019-03-20")
        let claims = ["2019-03-09 23:59:59", "2019-03-10 00:00", "2019-03-19 23:59", "2019-03-20 00:00"].map {
            world.claim(patient, "1.00", at: $0)
        }
        let (settled, _) = world.settle(claims)
        #expect(settled.map(\.status) == [.noBinding, .shared, .shared, .noBinding])
    }

    @Test func deathOfEitherSideEndsTheBindingFromThatDay() {
        var world = W()
        let dying = world.person(balance: "9000.00")
        let patient = world.person(scheme: .resident)
        world.bind(dying, patient)
        world.events = [LifeEvent(person: dying, date: W.day("2019-03-15"), kind: .death)]
        let (settled, _) = world.settle([world.claim(patient, "1.00", at: "2019-03-14 12:00"),
                                         world.claim(patient, "1.00", at: "2019-03-15 08:00")])
        #expect(settled.map(\.status) == [.shared, .ineligible])
        #expect(settled[1].refusals.map(\.description) == ["binding B1 ended on 2019-03-15 by the authorizer's death"])

        var other = W()
        let authorizer = other.person(balance: "9000.00")
        let beneficiary = other.person(scheme: .resident)
        other.bind(authorizer, beneficiary)
        other.events = [LifeEvent(person: beneficiary, date: W.day("2019-03-15"), kind: .death)]
        #expect(other.settle([other.claim(beneficiary, "1.00", at: "2019-03-16 08:00")]).settled[0].status == .ineligible)
    }

    @Test func authorizersOtherEventsEndItButNotTheBeneficiarys() {
        var world = W()
        let authorizer = world.person(balance: "9000.00")
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient)
        world.events = [LifeEvent(person: patient, date: W.day("2019-03-01"), kind: .chronicDisease),
                        LifeEvent(person: authorizer, date: W.day("2019-03-12"), kind: .leftScheme)]
        let (settled, _) = world.settle([world.claim(patient, "1.00", at: "2019-03-11 12:00"),
                                         world.claim(patient, "1.00", at: "2019-03-12 12:00")])
        #expect(settled.map(\.status) == [.shared, .ineligible])
        #expect(settled[1].refusals.map(\.kind) == ["binding ended by the authorizer's leaving the employee scheme"])
    }

    @Test func relationAllowedOnlyFromALaterDate() {
        var world = W()
        let sibling = world.person(W.beijing, balance: "1000.00", month: "2024-12")
        let patient = world.person(W.beijing, scheme: .resident)
        world.bind(sibling, patient, .sibling)
        var ledger = world.ledger()
        let december = world.settle([world.claim(patient, "10.00", at: "2024-12-31 23:00")], month: "2024-12", ledger: &ledger)
        #expect(december.settled[0].status == .ineligible)
        #expect(december.settled[0].refusals.map(\.description)
            == ["binding B1: relation sibling is not allowed in 110000 until 2025-01-01"])
        let january = world.settle([world.claim(patient, "10.00", at: "2025-01-01 00:00")], month: "2025-01", ledger: &ledger)
        #expect(january.settled[0].status == .shared)
    }

    @Test func regionWithoutThresholdSharesTheWholeBalance() {
        var world = W()
        let authorizer = world.person(W.beijing, balance: "120.00", month: "2022-03")
        let patient = world.person(W.beijing, scheme: .resident)
        world.bind(authorizer, patient, .parent)
        let (settled, balances) = world.settle([world.claim(patient, "200.00", at: "2022-03-03 10:00")], month: "2022-03")
        #expect(settled[0].familyShared == yuan("120.00"))
        #expect(settled[0].draws[0].threshold == nil)
        #expect(settled[0].status == .partial)
        #expect(balances.closing(authorizer) == .zero)
    }

    @Test func thresholdOfThePolicyYearContainingTheClaimDate() {
        var world = W()
        let authorizer = world.person(balance: "5600.00", month: "2019-06")
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient)
        var ledger = world.ledger()
        let june = world.settle([world.claim(patient, "10.00", at: "2019-06-30 23:59")], month: "2019-06", ledger: &ledger)
        #expect(june.settled[0].draws.map(\.threshold) == [yuan("5008.80")])
        let july = world.settle([world.claim(patient, "100.00", at: "2019-07-01 00:00")], month: "2019-07", ledger: &ledger)
        #expect(july.settled[0].draws.map(\.threshold) == [yuan("5585.40")])
        #expect(july.settled[0].familyShared == yuan("4.60"))  // 5590.00 − 5585.40
    }

    @Test func creditsPostAfterTheMonthsLastClaim() {
        var world = W()
        let authorizer = world.person(balance: "5008.80")
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient)
        var ledger = world.ledger()
        let march = world.settle([world.claim(patient, "10.00", at: "2019-03-31 23:59:59")],
                                 credits: [authorizer.key: yuan("300.00")], ledger: &ledger)
        #expect(march.settled[0].status == .noExcess)
        #expect(march.balances.closing(authorizer) == yuan("5308.80"))
        let april = world.settle([world.claim(patient, "10.00", at: "2019-04-01 00:00")], month: "2019-04", ledger: &ledger)
        #expect(april.settled[0].status == .shared)
    }

    @Test func eligibilityNeedsAnInsuredAuthorizerWithAnAccountInTheSameRegion() {
        var world = W()
        let patient = world.person(scheme: .resident)
        let resident = world.person(scheme: .resident)
        let elsewhere = world.person(W.beijing, balance: "9000.00")
        let outsider = ResidentID(digits: 11010519700101077)!
        world.bind(resident, patient, id: "B1")
        world.bind(elsewhere, patient, id: "B2")
        world.bind(outsider, patient, id: "B3")
        let (settled, _) = world.settle([world.claim(patient, "10.00")])
        #expect(settled[0].status == .ineligible)
        #expect(settled[0].refusals.map(\.description) == [
            "binding B1: the authorizer is in the resident scheme and has no individual account",
            "binding B2: 110000 and 440300 are in different provinces",
            "binding B3: the authorizer is not in persons.csv",
        ])
    }

    @Test func claimSettledOutsideTheRegionIsNotShared() {
        var world = W()
        let authorizer = world.person(balance: "9000.00")
        let patient = world.person(scheme: .resident)
        world.bind(authorizer, patient)
        let (settled, _) = world.settle([world.claim(patient, "10.00", region: W.beijing)])
        #expect(settled[0].status == .ineligible)
        #expect(settled[0].refusals.map(\.kind) == ["claim settled outside the beneficiary's pooling region"])
        #expect(settled[0].refusals.map(\.description) == ["binding B1: claim settled in 110000, outside the beneficiary's region 440300"])
    }

    @Test func noBindingMeansCash() {
        var world = W()
        let patient = world.person(balance: "5.00")
        let (settled, _) = world.settle([world.claim(patient, "8.00")])
        #expect(settled[0].status == .noBinding)
        #expect((settled[0].ownAccount, settled[0].cash) == (yuan("5.00"), yuan("3.00")))
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2022-06-30 10:00", "2022-06-30 10:00:00"),
        ("2022-06-30 10:00:59", "2022-06-30 10:00:59"),
        ("2022-06-30T23:59:59", "2022-06-30 23:59:59"),
        ("2022-06-30T23:59:59+08:00", "2022-06-30 23:59:59"),
        ("2022-06-30T23:59+0800", "2022-06-30 23:59:00"),
    ])
    func parses(text: String, normalized: String) {
        #expect(Timestamp(text: text)?.text == normalized)
    }

    @Test(arguments: ["2022-06-31 10:00", "2022-06-30 24:00", "2022-06-30 10:60", "2022-06-30T10:00:00Z",
                      "2022-06-30T10:00:00-05:00", "2022-06-30", "2022-06-30 10:00:00.5", "2022-06-30_10:00"])
    func refuses(text: String) {
        #expect(Timestamp(text: text) == nil)
    }
}
