import GongjiDomain
@testable import GongjiReports
import Testing

/// The charts' value axis writes money as the pages do (issue 24 item 5).
@Suite struct ChartsTests {
    @Test func axisLabelsAreGroupedLikeThePages() {
        #expect(Charts.axisLabel(1_250_000, maximum: 2_000_000) == "12,500.00")
        #expect(Charts.axisLabel(0, maximum: 2_000_000) == "0.00")
        // An axis reaching a million yuan is in 万: 2,500,000.00 yuan is 250.00 万.
        #expect(Charts.axisLabel(250_000_000, maximum: 500_000_000) == "250.00 万")
        #expect(Charts.axisLabel(12_345_678_950, maximum: 20_000_000_000) == "12,345.68 万")
    }

    @Test func aChartShowsItsAxisInGroupedYuan() {
        let svg = Charts.bars(title: "t", labels: ["2022-06"], series: [Charts.Series(name: "a", values: [1_800_000])])
        // Maximum 20,000.00 yuan (the nice ceiling of 18,000.00); quarters of it on the axis.
        #expect(svg.contains(">5,000.00</text>"))
        #expect(svg.contains(">20,000.00</text>"))
    }
}
