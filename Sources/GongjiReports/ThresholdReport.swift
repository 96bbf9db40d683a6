import Foundation
import GongjiDomain

/// thresholds.csv, thresholds.md and the terminal table, from the threshold
/// periods of every region (docs/formats.md, Reports).
public struct ThresholdReport {
    public let policy: Policy
    public let periods: [ThresholdPeriod]
    /// The language of thresholds.md.
    public let words: Words

    public init(policy: Policy, periods: [ThresholdPeriod], words: Words = Words(.zh)) {
        self.policy = policy
        self.periods = periods
        self.words = words
    }

    public static let csvColumns = [
        "region_code", "region_name", "policy_year_start", "policy_year_end", "stat_year", "wage_series",
        "avg_monthly_wage", "threshold_rate", "threshold", "previous_threshold", "change", "change_pct",
        "basis", "bulletin_revision",
    ]

    /// thresholds.csv: one row per region and policy year.
    public var csv: String {
        var table = CSVTable(columns: Self.csvColumns)
        for period in periods {
            table.append([
                .number(period.region.text), .text(period.regionName),
                .number(period.start.text), .number(period.end.text), .number(String(period.statYear)),
                .text(period.wageSeries), optional(period.averageMonthlyWage?.yuanText),
                .number(period.rate.decimalText), .number(period.threshold.yuanText),
                optional(period.previousThreshold?.yuanText), optional(period.change?.yuanText),
                optional(period.changeBasisPoints.map(Formatting.hundredths)),
                .text(period.basis.rawValue), optional(period.revision.map(String.init)),
            ])
        }
        return table.text
    }

    public static let chartName = "thresholds.svg"

    /// thresholds.svg: each region's threshold by policy year (regions with a threshold).
    public var chart: String {
        let starts = Array(Set(periods.map(\.start))).sorted()
        let series = policy.sortedRegions.compactMap { region -> Charts.Series? in
            let own = periods.filter { $0.region == region.code }
            guard !own.isEmpty else { return nil }
            return Charts.Series(name: "\(region.code) \(region.name)", values: starts.map { start in
                own.first { $0.start == start }?.threshold.fen
            })
        }
        return Charts.lines(title: words.pick("各政策年度家庭共济门槛（元）", "Family-sharing threshold by policy year (yuan)"),
                            labels: starts.map(\.text), series: series)
    }

    private func optional(_ value: String?) -> CSVTable.Field { value.map { .number($0) } ?? .empty }

    /// thresholds.md: a section per region, with the rule, the table, the
    /// history of revised bulletins, and where each rule and figure comes from.
    public var markdown: String {
        let w = words
        var out = w.pick("""
        # 家庭共济门槛

        授权人个人账户余额中，只有超出门槛的部分可以共济给亲属。门槛 = 年度工资基数 × 比例，
        最后一次四舍五入到分。`wage_basis: annual` 时年度基数取公报的年平均工资（只公布月平均的，
        取月平均 × 12）；`wage_basis: monthly` 时取月平均 × 12。某统计年度（尚）无公报时，沿用此前最近
        一期公报的年度基数，按当年适用的比例计算（`carried_forward`；比例未变时即沿用上一年度门槛），
        直至所结算的最后一个月；公报修订后，新修订版本在各处替代旧版本。

        """, """
        # Family-sharing thresholds

        Only the part of an authorizer's individual-account balance above the
        threshold may be shared with relatives. Threshold = yearly wage base ×
        rate, rounded half-up to the fen once. The yearly base is the bulletin's
        annual figure (monthly × 12 where only that is published) under
        `wage_basis: annual`, or the monthly figure × 12 under `wage_basis:
        monthly`. A statistical year without a bulletin (yet) takes the
        newest earlier bulletin's yearly base at the rate in force that year
        (`carried_forward`; without a rate change, the previous threshold),
        up to the last month settled; a revised bulletin replaces the earlier
        revision everywhere.

        """)
        if !periods.isEmpty { out += w.pick("\n![各政策年度门槛](\(Self.chartName))\n", "\n![Threshold by policy year](\(Self.chartName))\n") }
        for region in policy.sortedRegions {
            out += "\n## \(region.code) \(region.name)\n\n"
            let own = periods.filter { $0.region == region.code }
            out += ruleLines(region)
            guard !own.isEmpty else {
                if region.threshold.entries.contains(where: { $0.rule != .none }) {
                    out += w.pick("\n尚无提供该规则所需工资数据的公报：无法得出门槛。\n",
                                  "\nNo bulletin gives the wage this rule needs yet: no threshold can be derived.\n")
                }
                continue
            }
            var table = MarkdownTable([
                (w.pick("政策年度", "Policy year"), .left), (w.pick("统计年度", "Stat. year"), .left),
                (w.pick("月平均工资", "Avg monthly wage"), .right), (w.pick("年度基数", "Yearly base"), .right),
                (w.pick("比例", "Rate"), .right), (w.pick("门槛", "Threshold"), .right), (w.pick("变化", "Change"), .right),
                (w.pick("变化率", "Change %"), .right), (w.pick("依据", "Basis"), .left), (w.pick("修订版", "Revision"), .right),
            ])
            for period in own {
                table.append([
                    w.span(period.start.text, period.end.text), String(period.statYear),
                    period.averageMonthlyWage.map(w.money) ?? "—", period.yearlyBase.map(w.money) ?? "—", period.rate.percentText,
                    w.money(period.threshold),
                    period.change.map(w.money) ?? "", period.changeBasisPoints.map { Formatting.hundredths($0) + "%" } ?? "",
                    period.basis == .bulletin ? w.pick("公报", "bulletin") : w.carried(period),
                    period.revision.map(String.init) ?? "",
                ])
            }
            out += "\n" + table.text
            if let last = own.last {
                let newest = own.last(where: { $0.basis == .bulletin })?.statYear ?? last.carriedFrom ?? last.statYear
                out += w.pick("\n\(last.end) 之后：在规则有效期内，以后各月沿用统计年度 \(newest) 公报的基数，按当时适用的比例计算，"
                                  + "直到加入统计年度 \(newest + 1) 的公报。\n",
                              "\nAfter \(last.end): within the rule's dates, later months take statistical year \(newest)'s base "
                                  + "at the rate then in force, until a bulletin for statistical year \(newest + 1) is added.\n")
            }
            out += revisionLines(own)
            out += sourceLines(region, own)
        }
        return out
    }

    /// Where each rule and each bulletin figure used comes from, and how sure
    /// we are of it (docs/rules.md's tags), so that a reader sees which
    /// figures are official, seed, secondary or illustrative.
    func sourceLines(_ region: RegionPolicy, _ own: [ThresholdPeriod]) -> String {
        let w = words
        var table = MarkdownTable([(w.pick("项目", "Item"), .left), (w.pick("来源", "Source"), .left),
                                   (w.pick("可信度", "Confidence"), .left)])
        for entry in region.threshold.entries {
            table.append([w.pick("门槛规则，自 \(entry.from) 起", "threshold rule from \(entry.from)"),
                          entry.provenance.source ?? "—", entry.provenance.confidence ?? "—"])
        }
        var seen = Set<String>()
        for period in own {
            guard let wage = period.wage else { continue }
            for figure in [wage] + period.superseded.map(\.wage) {
                let key = "\(period.statYear) \(figure.revision)"
                guard seen.insert(key).inserted else { continue }
                table.append([w.pick("\(period.statYear) 年工资公报，修订版 \(figure.revision)（\(figure.issued) 发布，\(figure.origin)）",
                                     "\(period.statYear) bulletin, revision \(figure.revision) (issued \(figure.issued), \(figure.origin))"),
                              figure.source ?? "—", Self.confidence(of: figure.source) ?? "—"])
            }
        }
        return w.pick("\n### 来源与可信度\n\n", "\n### Sources and confidence\n\n") + table.text
    }

    /// A bulletin's confidence: the tag its source text gives (`[secondary]`,
    /// `(seed 000)`; docs/rules.md's tags), the bulletin format having no field for it.
    static func confidence(of source: String?) -> String? {
        guard let source else { return nil }
        return ["official", "seed", "secondary", "inferred", "illustrative"].first { tag in
            source.contains("[\(tag)]") || source.contains("(\(tag)")
        }
    }

    func ruleLines(_ region: RegionPolicy) -> String {
        let w = words
        var lines = ""
        for (index, entry) in region.threshold.entries.enumerated() {
            let end = region.threshold.lastDay(ofEntryAt: index).map { w.pick(" 至 \($0)", " to \($0)") } ?? ""
            switch entry.rule {
            case .none:
                lines += w.pick("- 自 \(entry.from)\(end)：不设门槛，全部余额均可共济。\n",
                                "- From \(entry.from)\(end): no threshold; the whole balance may be shared.\n")
            case let .shareOfAnnualWage(rule):
                let basis = switch rule.wageBasis {
                case .annual: w.pick("公报年平均工资，无则月平均 × 12", "the published annual figure, else monthly × 12")
                case .monthly: w.pick("月平均工资 × 12", "the monthly figure × 12")
                }
                lines += w.pick("- 自 \(entry.from)\(end)：年平均工资的 \(rule.rate.percentText)（工资口径 `\(rule.wageSeries)`；"
                                    + "`wage_basis: \(rule.wageBasis.rawValue)`：\(basis)）；政策年度自 \(rule.policyYearStart.text) 起；"
                                    + "统计年度 = 政策年度 − \(rule.statYearLag)。\n",
                                "- From \(entry.from)\(end): \(rule.rate.percentText) of the annual average wage " +
                                    "(series `\(rule.wageSeries)`; `wage_basis: \(rule.wageBasis.rawValue)`: \(basis)); " +
                                    "policy years start \(rule.policyYearStart.text); statistical year = policy year − \(rule.statYearLag).\n")
            }
        }
        return lines.isEmpty ? w.pick("没有门槛规则：全部余额均可共济。\n", "No threshold rule: the whole balance may be shared.\n") : lines
    }

    func revisionLines(_ own: [ThresholdPeriod]) -> String {
        let w = words
        let revised = own.filter { !$0.superseded.isEmpty }
        guard !revised.isEmpty else { return "" }
        var table = MarkdownTable([
            (w.pick("统计年度", "Stat. year"), .left), (w.pick("修订版", "Revision"), .right), (w.pick("发布日期", "Issued"), .left),
            (w.pick("月平均工资", "Avg monthly wage"), .right), (w.pick("门槛", "Threshold"), .right),
            (w.pick("被替代为", "Replaced by"), .left),
        ])
        for period in revised {
            for old in period.superseded {
                table.append([
                    String(period.statYear), String(old.wage.revision), old.wage.issued.text,
                    w.money(old.wage.monthlyAverage), w.money(old.threshold),
                    w.pick("修订版 \(period.revision.map(String.init) ?? "?")：\(w.money(period.threshold))",
                           "revision \(period.revision.map(String.init) ?? "?"): \(w.money(period.threshold))"),
                ])
            }
        }
        return w.pick("\n### 修订过的公报\n\n", "\n### Revised bulletins\n\n") + table.text
    }

    /// The plain-text table `gongji thresholds` prints on a terminal.
    public var terminalTable: String {
        let header = ["region", "name", "from", "to", "stat_year", "avg_monthly", "rate", "threshold", "change", "basis", "rev"]
        var rows = [header]
        for period in periods {
            rows.append([
                period.region.text, period.regionName, period.start.text, period.end.text, String(period.statYear),
                period.averageMonthlyWage?.yuanText ?? "-", period.rate.percentText, period.threshold.yuanText,
                period.change?.yuanText ?? "", period.basis.rawValue, period.revision.map(String.init) ?? "",
            ])
        }
        let widths = header.indices.map { column in rows.map { Self.displayWidth($0[column]) }.max() ?? 0 }
        let numeric: Set<Int> = [4, 5, 6, 7, 8, 10]
        return rows.map { row in
            row.indices.map { column in
                let pad = String(repeating: " ", count: widths[column] - Self.displayWidth(row[column]))
                return numeric.contains(column) ? pad + row[column] : row[column] + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// Terminal columns a text takes: CJK characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 && $1.value <= 0xFFDC ? 2 : 1) }
    }
}
