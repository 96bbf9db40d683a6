import GongjiDomain
import Testing

/// docs/rules.md section 2 and conventions 1 and 6.
@Suite struct ThresholdScheduleTests {
    static let shenzhen = RegionCode("440300")!

    func day(_ text: String) -> Day { Day(text: text)! }

    func bulletin(_ year: Int, monthly: String? = nil, annual: String? = nil, revision: Int = 1,
                  series: String = defaultWageSeries) -> WageBulletin {
        WageBulletin(region: Self.shenzhen, statYear: year, issued: day("\(year + 1)-06-30"), revision: revision,
                     figures: [WageFigure(series: series, monthly: monthly.flatMap { Money(yuanText: $0) },
                                          annual: annual.flatMap { Money(yuanText: $0) })],
                     origin: "test:\(year)r\(revision)")
    }

    func region(rate: String = "5%", basis: WageBasis = .annual, from: String = "2017-07-01", until: String? = nil,
                later: [Dated<ThresholdRule>] = []) -> RegionPolicy {
        let rule = ShareOfAnnualWage(rate: Rate(text: rate)!, wageBasis: basis)
        let first = Dated<ThresholdRule>(from: day(from), until: until.map(day), rule: .shareOfAnnualWage(rule))
        return RegionPolicy(code: Self.shenzhen, name: "深圳市", threshold: DatedRules([first] + later))
    }

    func periods(_ bulletins: [WageBulletin], region: RegionPolicy? = nil, through: Day? = nil) throws -> [ThresholdPeriod] {
        ThresholdSchedule.periods(for: region ?? self.region(), wages: try WageBook(bulletins: bulletins), through: through)
    }

    @Test func publishedShenzhenFigures() throws {
        let rows = try periods([bulletin(2016, monthly: "7480"), bulletin(2017, monthly: "8348")])
        #expect(rows.map(\.threshold) == [Money(fen: 448_800), Money(fen: 500_880)])
        #expect(rows[1].start == day("2018-07-01"))
        #expect(rows[1].end == day("2019-06-30"))
        #expect(rows[1].statYear == 2017)
        #expect(rows[1].previousThreshold == Money(fen: 448_800))
        #expect(rows[1].change == Money(fen: 52_080))
        #expect(rows[1].changeBasisPoints == 1160)  // 520.80 / 4488.00 = 11.604% → 11.60
    }

    @Test(arguments: [
        // basis, monthly, annual, threshold in fen
        (.annual, "8348.13", nil, 500_888),      // monthly only: 100177.56 × 5% = 5008.878 → 5008.88
        (.annual, "8348.25", nil, 500_895),      // 100179.00 × 5% = 5008.95 exactly
        (.annual, nil, "139436", 697_180),       // Shenzhen's published 6971.80 for 2021-07..2022-06
        (.annual, nil, "164754", 823_770),       // 164754 × 5% = 8237.70
        (.annual, "9309", "111709", 558_545),    // the annual figure wins when both are given: 5585.45
        (.annual, nil, "111709.10", 558_546),    // 5585.455 → 5585.46, rounded once
        (.monthly, "8348.13", nil, 500_888),
        (.monthly, nil, "139436", 697_200),      // 139436 / 12 = 11619.67 → 11620 → 6972.00, which no source shows
        (.monthly, nil, "164754", 823_800),      // 164754 / 12 = 13729.5 → 13730 (half-up) → 8238.00
        (.monthly, nil, "111709", 558_540),      // 9309 → 5585.40
        (.monthly, "9309", "111709", 558_540),   // the monthly figure wins when both are given
    ] as [(WageBasis, String?, String?, Int64)])
    func roundsHalfUpOnce(basis: WageBasis, monthly: String?, annual: String?, fen: Int64) throws {
        let rows = try periods([bulletin(2018, monthly: monthly, annual: annual)], region: region(basis: basis))
        #expect(rows.map(\.threshold.fen) == [fen])
        #expect(rows.map(\.wageBasis) == [basis])
    }

    /// The same bulletin gives 6971.80 on the annual basis and 6972.00 on the monthly one.
    @Test func bothBasesFromOneBulletin() throws {
        let bulletins = [bulletin(2020, annual: "139436")]
        let annual = try periods(bulletins, region: region(basis: .annual))
        let monthly = try periods(bulletins, region: region(basis: .monthly))
        #expect(annual.map(\.threshold) == [Money(fen: 697_180)])
        #expect(annual.map(\.yearlyBase) == [Money(fen: 13_943_600)])
        #expect(monthly.map(\.threshold) == [Money(fen: 697_200)])
        #expect(monthly.map(\.yearlyBase) == [Money(fen: 13_944_000)])
        #expect(annual.map(\.averageMonthlyWage) == monthly.map(\.averageMonthlyWage))  // 11620.00 on both
    }

    @Test func laterRevisionReplacesEarlier() throws {
        let rows = try periods([bulletin(2017, monthly: "8348", revision: 2), bulletin(2017, monthly: "8300")])
        #expect(rows.count == 1)
        #expect(rows[0].threshold == Money(fen: 500_880))
        #expect(rows[0].revision == 2)
        #expect(rows[0].superseded.map(\.threshold) == [Money(fen: 498_000)])
        #expect(rows[0].superseded.map(\.wage.revision) == [1])
    }

    @Test func sameRevisionTwiceIsAConflict() {
        #expect(throws: ConflictingBulletins.self) {
            _ = try WageBook(bulletins: [bulletin(2017, monthly: "8348"), bulletin(2017, monthly: "8300")])
        }
    }

    @Test func missingStatisticalYearCarriesForward() throws {
        let rows = try periods([bulletin(2018, monthly: "9309"), bulletin(2020, annual: "139436")])
        #expect(rows.map(\.statYear) == [2018, 2019, 2020])
        #expect(rows.map(\.basis) == [.bulletin, .carriedForward, .bulletin])
        #expect(rows[1].threshold == Money(fen: 558_540))
        #expect(rows[1].averageMonthlyWage == nil)
        #expect(rows[1].change == .zero)
        #expect(rows[2].previousThreshold == Money(fen: 558_540))
        #expect(rows[2].threshold == Money(fen: 697_180))
    }

    @Test func carriesForwardThroughTheLastDayNeeded() throws {
        let rows = try periods([bulletin(2017, monthly: "8348")], through: day("2020-08-15"))
        #expect(rows.map(\.statYear) == [2017, 2018, 2019])
        #expect(rows.last?.end == day("2021-06-30"))
        #expect(rows.last?.threshold == Money(fen: 500_880))
    }

    @Test func otherSeriesIsNotUsed() throws {
        let rows = try periods([bulletin(2017, monthly: "8348", series: "all-employees")])
        #expect(rows.isEmpty)
    }

    @Test func ruleCanEnd() throws {
        let none = Dated<ThresholdRule>(from: day("2022-01-01"), rule: .none)
        let policy = region(later: [none])
        let rows = try periods([bulletin(2019, monthly: "10000"), bulletin(2020, annual: "139436")], region: policy)
        #expect(rows.map(\.end) == [day("2021-06-30"), day("2021-12-31")])
        #expect(ThresholdSchedule.inForce(on: day("2021-12-31"), region: policy, periods: rows)
            == .amount(Money(fen: 697_180), rows[1]))
        #expect(ThresholdSchedule.inForce(on: day("2022-01-01"), region: policy, periods: rows) == .noThreshold)
        #expect(ThresholdSchedule.inForce(on: day("2019-01-01"), region: policy, periods: rows) == .unknown)
    }

    @Test func rateChangeWithinTheRulesAppliesFromItsDate() throws {
        let threePercent = Dated<ThresholdRule>(from: day("2019-07-01"),
                                                rule: .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "3%")!)))
        let rows = try periods([bulletin(2017, monthly: "8348"), bulletin(2018, monthly: "9309")],
                               region: region(later: [threePercent]))
        #expect(rows.map(\.threshold.fen) == [500_880, 335_124])  // 9309 × 12 × 3% = 3351.24
        #expect(rows[1].previousThreshold == Money(fen: 500_880))
    }

    /// Rule R1: after a rate change, a year without a bulletin takes the
    /// newest earlier bulletin's base at the new rate, so that the rate and
    /// the figure of thresholds.csv agree; the carried base is shown.
    @Test func aRateChangeAppliesToTheCarriedBase() throws {
        let threePercent = Dated<ThresholdRule>(from: day("2024-07-01"), until: nil,
                                                rule: .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "3%")!)))
        let rows = try periods([bulletin(2022, annual: "164754")],
                               region: region(from: "2023-07-01", until: "2024-06-30", later: [threePercent]),
                               through: day("2026-01-31"))
        #expect(rows.map(\.statYear) == [2022, 2023, 2024])
        #expect(rows.map(\.basis) == [.bulletin, .carriedForward, .carriedForward])
        // 164754 × 5% = 8237.70; 164754 × 3% = 4942.62 (was 8237.70 carried at the old rate).
        #expect(rows.map(\.threshold.fen) == [823_770, 494_262, 494_262])
        #expect(rows.map { $0.rate.percentText } == ["5%", "3%", "3%"])
        #expect(rows.map(\.yearlyBase) == [Money(fen: 16_475_400), Money(fen: 16_475_400), Money(fen: 16_475_400)])
        #expect(rows.map(\.carriedFrom) == [nil, 2022, 2022])
        #expect(rows[2].start == day("2025-07-01") && rows[2].end == day("2026-06-30"))
    }

    /// Rule R1: a year between two bulletins carries the earlier one's base;
    /// before the first bulletin there is no threshold at all.
    @Test func aGapBetweenBulletinsCarriesTheEarlierBase() throws {
        let rows = try periods([bulletin(2018, annual: "111709"), bulletin(2020, annual: "139436")],
                               region: region(from: "2017-07-01"))
        #expect(rows.map(\.statYear) == [2018, 2019, 2020])
        #expect(rows.map(\.threshold.fen) == [558_545, 558_545, 697_180])
        #expect(rows[1].carriedFrom == 2018)
        #expect(rows.first?.start == day("2019-07-01"))
    }
}
