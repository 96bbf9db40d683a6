import GongjiDomain
import Testing

/// docs/rules.md section 4a and conventions 8 and 9: sharing across pooling
/// regions inside a province. Hebei: 廊坊 131000 (no threshold; outpatient
/// and prescriptions; province scope from 2022-09-01, order by balance) and
/// 石家庄 130100 (5% threshold = 5000.00 from 2022-07-01; outpatient and
/// inpatient; province scope and order by priority from 2022-01-01).
/// 深圳 440300 (Guangdong) shares province-wide too, so only the province
/// stops it.
@Suite struct CrossRegionSettlementTests {
    typealias W = SettlementWorld
    static let langfang = RegionCode("131000")!
    static let shijiazhuang = RegionCode("130100")!
    func yuan(_ text: String) -> Money { W.yuan(text) }

    static let policy: Policy = {
        let day = W.day
        let langfang = RegionPolicy(code: Self.langfang, name: "廊坊市", family: DatedRules([
            Dated(from: day("2021-07-01"), rule: FamilyRule(relations: [.spouse, .parent, .child],
                                                          categories: [.outpatient, .pharmacyRx])),
            Dated(from: day("2022-09-01"), rule: FamilyRule(relations: [.spouse, .parent, .child],
                                                          categories: [.outpatient, .pharmacyRx], scope: .province)),
        ]))
        let share = ShareOfAnnualWage(rate: Rate(text: "5%")!)
        let shijiazhuang = RegionPolicy(
            code: Self.shijiazhuang, name: "石家庄市",
            threshold: DatedRules([Dated(from: day("2022-07-01"), rule: .shareOfAnnualWage(share))]),
            family: DatedRules([
                Dated(from: day("2022-01-01"), rule: FamilyRule(relations: [.spouse, .parent, .child],
                                                              categories: [.outpatient, .inpatient], scope: .province,
                                                              order: .priority)),
            ]))
        let shenzhen = RegionPolicy(code: W.shenzhen, name: "深圳市", family: DatedRules([
            Dated(from: day("2017-01-01"), rule: FamilyRule(relations: [.spouse, .parent, .child],
                                                          categories: [.outpatient], scope: .province)),
        ]))
        return Policy(regions: [langfang, shijiazhuang, shenzhen])
    }()

    /// 石家庄 2021 annual wage 100000 → 5000.00 from 2022-07-01.
    static let periods: [ThresholdPeriod] = {
        let bulletin = WageBulletin(region: shijiazhuang, statYear: 2021, issued: W.day("2022-06-30"), revision: 1,
                                    figures: [WageFigure(series: defaultWageSeries, monthly: nil, annual: W.yuan("100000"))],
                                    origin: "test")
        guard let book = try? WageBook(bulletins: [bulletin]), let region = policy.regions[shijiazhuang] else { return [] }
        return ThresholdSchedule.periods(for: region, wages: book, through: W.day("2023-06-30"))
    }()

    func world() -> W {
        var world = W()
        world.rules = Self.policy
        world.thresholds = Self.periods
        return world
    }

    @Test(arguments: [
        // authorizer's region, beneficiary's region, claim day, status, refusal
        ("131000", "130100", "2022-08-31", FamilyStatus.ineligible,
         "binding B1: authorizer insured in 131000, beneficiary in 130100; 131000 shares only within its own pooling region until 2022-09-01"),
        ("131000", "130100", "2022-09-01", .shared, ""),
        ("130100", "131000", "2022-08-31", .shared, ""),       // 石家庄's own rule is province-wide already
        ("131000", "131000", "2022-08-31", .shared, ""),       // the same region needs no scope
        ("440300", "131000", "2022-10-10", .ineligible, "binding B1: 440300 and 131000 are in different provinces"),
        ("131000", "440300", "2022-10-10", .ineligible, "binding B1: 131000 and 440300 are in different provinces"),
    ] as [(String, String, String, FamilyStatus, String)])
    func scopeByDateAndProvince(authorizerRegion: String, beneficiaryRegion: String, day: String, status: FamilyStatus,
                                refusal: String) {
        var world = world()
        let month = String(day.prefix(7))
        let authorizer = world.person(RegionCode(authorizerRegion)!, balance: "9000.00", month: month)
        let patient = world.person(RegionCode(beneficiaryRegion)!, scheme: .resident)
        world.bind(authorizer, patient, .spouse)
        let (settled, balances) = world.settle([world.claim(patient, "100.00", at: "\(day) 10:00")], month: month)
        #expect(settled[0].status == status)
        #expect(settled[0].refusals.map(\.description) == (refusal.isEmpty ? [] : [refusal]))
        if status == .shared {
            #expect(settled[0].draws.map(\.authorizerRegion) == [RegionCode(authorizerRegion)!])
            #expect(balances.closing(authorizer) == yuan("8900.00"))
        }
    }

    /// The claim is settled in the beneficiary's own region; one settled
    /// elsewhere in the province is not shared.
    @Test func claimOutsideTheBeneficiarysRegionIsRefused() {
        var world = world()
        let authorizer = world.person(Self.shijiazhuang, balance: "9000.00", month: "2022-10")
        let patient = world.person(Self.langfang, scheme: .resident)
        world.bind(authorizer, patient)
        let (settled, _) = world.settle([world.claim(patient, "10.00", at: "2022-10-10 10:00", region: Self.shijiazhuang)],
                                        month: "2022-10")
        #expect(settled[0].status == .ineligible)
        #expect(settled[0].refusals.map(\.description)
            == ["binding B1: claim settled in 130100, outside the beneficiary's region 131000"])
    }

    /// Each authorizer is checked under its own region's rule: 廊坊 shares
    /// prescriptions with no threshold, 石家庄 inpatient costs above 5000.00.
    @Test func twoAuthorizersFromTwoRegionsWithDifferentRules() {
        var world = world()
        let patient = world.person(Self.shijiazhuang, scheme: .resident)
        let langfang = world.person(Self.langfang, balance: "300.00", month: "2022-10")
        let shijiazhuang = world.person(Self.shijiazhuang, balance: "5150.00", month: "2022-10")
        world.bind(langfang, patient, .spouse, id: "L1")
        world.bind(shijiazhuang, patient, .child, id: "S1")
        let claims = [
            world.claim(patient, "120.00", at: "2022-10-03 09:00", .pharmacyRx),
            world.claim(patient, "400.00", at: "2022-10-04 09:00", .inpatient),
            world.claim(patient, "50.00", at: "2022-10-05 09:00", .physicalExam),
        ]
        let (settled, balances) = world.settle(claims, month: "2022-10")

        #expect(settled[0].status == .shared)
        #expect(settled[0].draws.map(\.authorizer) == [langfang])
        #expect(settled[0].draws.map(\.threshold) == [nil])
        #expect(settled[0].refusals.map(\.description) == ["pharmacy_rx may not be paid with family money in 130100 on 2022-10-03"])

        // 石家庄 keeps its 5000.00: 150.00 above it, the rest is cash.
        #expect(settled[1].status == .partial)
        #expect(settled[1].draws.map(\.authorizer) == [shijiazhuang])
        #expect(settled[1].draws.map(\.amount) == [yuan("150.00")])
        #expect(settled[1].draws.map(\.threshold) == [yuan("5000.00")])
        #expect(settled[1].cash == yuan("250.00"))
        #expect(settled[1].refusals.map(\.description) == ["inpatient may not be paid with family money in 131000 on 2022-10-04"])

        #expect(settled[2].status == .categoryExcluded)
        #expect(settled[2].refusals.map(\.description) == [
            "physical_exam may not be paid with family money in 131000 on 2022-10-05",
            "physical_exam may not be paid with family money in 130100 on 2022-10-05",
        ])
        #expect(balances.closing(langfang) == yuan("180.00"))
        #expect(balances.closing(shijiazhuang) == yuan("5000.00"))
    }

    /// 石家庄's order rule is `priority`: priority 1 first whatever the
    /// balances, a binding without a priority last; 廊坊's is `balance`, and
    /// ignores priorities.
    @Test func theClaimsRegionDecidesTheOrder() {
        var world = world()
        let inShijiazhuang = world.person(Self.shijiazhuang, scheme: .resident)
        let inLangfang = world.person(Self.langfang, scheme: .resident)
        let rich = world.person(Self.langfang, balance: "900.00", month: "2022-10")
        let poor = world.person(Self.langfang, balance: "100.00", month: "2022-10")
        let middle = world.person(Self.langfang, balance: "500.00", month: "2022-10")
        world.bind(rich, inShijiazhuang, .parent, priority: 2)
        world.bind(poor, inShijiazhuang, .child, priority: 1)
        world.bind(middle, inShijiazhuang, .spouse)
        world.bind(rich, inLangfang, .parent, priority: 2)
        world.bind(poor, inLangfang, .child, priority: 1)
        let claims = [
            world.claim(inLangfang, "50.00", at: "2022-10-02 09:00"),
            world.claim(inShijiazhuang, "1200.00", at: "2022-10-03 09:00"),
        ]
        let (settled, _) = world.settle(claims, month: "2022-10")
        #expect(settled[0].draws.map(\.authorizer) == [rich])  // by balance: 900.00 before 100.00
        #expect(settled[1].draws.map(\.authorizer) == [poor, rich, middle])
        #expect(settled[1].draws.map(\.amount) == [yuan("100.00"), yuan("850.00"), yuan("250.00")])
    }

    /// Clearing: every draw from an account insured outside the claim's
    /// region, by payer → payee; the sums equal the cross-region draws.
    @Test func clearingSumsTheCrossRegionDraws() {
        var world = world()
        let patientS = world.person(Self.shijiazhuang, scheme: .resident)
        let patientL = world.person(Self.langfang, scheme: .resident)
        let langfang = world.person(Self.langfang, balance: "1000.00", month: "2022-10")
        let shijiazhuang = world.person(Self.shijiazhuang, balance: "5600.00", month: "2022-10")
        world.bind(langfang, patientS, .spouse, priority: 1)
        world.bind(shijiazhuang, patientS, .child, priority: 2)
        world.bind(shijiazhuang, patientL, .parent)
        world.bind(langfang, patientL, .child)
        let claims = [
            world.claim(patientS, "130.00", at: "2022-10-03 09:00"),   // 廊坊 130.00 → 石家庄
            world.claim(patientS, "70.50", at: "2022-10-04 09:00"),    // 廊坊 70.50 → 石家庄
            world.claim(patientS, "900.00", at: "2022-10-05 09:00"),   // 廊坊 799.50, then 石家庄 100.50 (its own region)
            world.claim(patientL, "40.00", at: "2022-10-06 09:00"),    // 石家庄 40.00 → 廊坊 (the higher balance)
        ]
        let (settled, _) = world.settle(claims, month: "2022-10")
        let items = Clearing.items(settled)
        #expect(items == [
            ClearingItem(payer: Self.shijiazhuang, payee: Self.langfang, channel: .binding, draws: 1, amount: yuan("40.00")),
            ClearingItem(payer: Self.langfang, payee: Self.shijiazhuang, channel: .binding, draws: 3, amount: yuan("1000.00")),
        ])
        let crossing = settled.flatMap { s in s.draws.filter { $0.authorizerRegion != s.claim.region } }
        #expect(items.reduce(Money.zero) { $0 + $1.amount } == crossing.reduce(Money.zero) { $0 + $1.amount })
        #expect(settled[2].draws.map(\.amount) == [yuan("799.50"), yuan("100.50")])
    }
}
