import GongjiDomain
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("8348", 834_800), ("8348.5", 834_850), ("8348.00", 834_800), ("0.01", 1), ("-12.05", -1205), ("0", 0),
    ] as [(String, Int64)])
    func parsesYuan(text: String, fen: Int64) {
        #expect(Money(yuanText: text)?.fen == fen)
    }

    @Test(arguments: ["8348.001", "", ".5", "5.", "1,000", "1e3", " 5", "5 ", "+5", "--5", "1.2.3", "99999999999999"])
    func refusesMalformedAmounts(text: String) {
        #expect(Money(yuanText: text) == nil)
    }

    @Test func printsTwoDecimals() {
        #expect(Money(fen: 500_880).yuanText == "5008.80")
        #expect(Money(fen: -5).yuanText == "-0.05")
        #expect(Money(fen: 7).yuanText == "0.07")
    }
}

@Suite struct RateTests {
    @Test(arguments: [
        ("5%", "0.05"), ("0.008", "0.008"), ("2.8%", "0.028"), ("300%", "3"), ("0.80%", "0.008"), ("0", "0"),
    ])
    func parsesExactly(text: String, decimal: String) {
        #expect(Rate(text: text)?.decimalText == decimal)
    }

    @Test(arguments: ["-1%", "5%%", "abc", "", "1e-2", ".5", "5.", "10001%", "0.0000000000001"])
    func refusesMalformedRates(text: String) {
        #expect(Rate(text: text) == nil)
    }

    @Test func addsExactly() throws {
        let sum = try #require(Rate(text: "2%")) + #require(Rate(text: "0.8%"))
        #expect(sum == Rate(text: "0.028"))
        #expect(sum.percentText == "2.8%")
    }

    /// The example: 10003.75 × 2.8% = 280.105, half-up → 280.11
    /// (banker's rounding or Double give 280.10).
    @Test func roundsHalfUpOnceAtTheEnd() throws {
        let rate = try #require(Rate(text: "2%")) + #require(Rate(text: "0.8%"))
        #expect(rate.applied(to: Money(fen: 1_000_375)) == Money(fen: 28_011))
        // Once, on the whole credit: 0.75 × 2.8% = 0.021 → 0.02, where rounding
        // the parts first would give 0.015 → 0.02 plus 0.006 → 0.01 = 0.03.
        #expect(rate.applied(to: Money(fen: 75)) == Money(fen: 2))
    }

    @Test func comparesAcrossScales() throws {
        #expect(try #require(Rate(text: "60%")) < #require(Rate(text: "3")))
        #expect(try !(#require(Rate(text: "0.5")) < #require(Rate(text: "50%"))))
    }
}

@Suite struct RoundingTests {
    @Test(arguments: [
        (5, 10, 1), (4, 10, 0), (15, 10, 2), (-5, 10, -1), (-4, 10, 0), (-15, 10, -2), (0, 7, 0),
    ] as [(Int64, Int64, Int64)])
    func halfAwayFromZero(numerator: Int64, divisor: Int64, expected: Int64) {
        #expect(Rounding.halfUp(numerator, dividedBy: divisor) == expected)
    }

    @Test func refusesOverflowAndBadDivisor() {
        #expect(Rounding.halfUp(Int64.max, times: 10, dividedBy: 1) == nil)
        #expect(Rounding.halfUp(1, dividedBy: 0) == nil)
        #expect(Rounding.halfUp(Int64.max, times: 1_000, dividedBy: 1_000) == Int64.max)
    }
}

@Suite struct DayTests {
    @Test(arguments: ["2019-02-29", "2018-13-01", "2018-00-10", "2018-6-1", "20180601", "2018-06-31"])
    func refusesImpossibleDates(text: String) {
        #expect(Day(text: text) == nil)
    }

    @Test func roundTripsOrdinals() throws {
        let leap = try #require(Day(text: "2020-02-29"))
        #expect(leap.adding(days: 1).text == "2020-03-01")
        #expect(try #require(Day(text: "2019-07-01")).adding(days: -1).text == "2019-06-30")
        #expect(Day(ordinal: 0).text == "1970-01-01")
        #expect(try #require(YearMonth(text: "2022-12")).next.text == "2023-01")
        #expect(try #require(YearMonth(text: "2024-02")).lastDay.text == "2024-02-29")
    }

    /// A time before 1970 is on its own day (its seconds since 1970 are
    /// negative: the day is their quotient rounded down, not toward zero).
    @Test(arguments: ["1900-02-28 23:59:59", "1969-12-31 00:00:01", "1970-01-01 00:00:00", "2022-10-01 09:35:17"])
    func timesKeepTheirDay(text: String) throws {
        let time = try #require(Timestamp(text: text))
        #expect(time.description == text)
        #expect(time.day.text == String(text.prefix(10)))
    }
}
