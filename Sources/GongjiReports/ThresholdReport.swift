import Foundation
import GongjiDomain

/// thresholds.csv, thresholds.md and the terminal table, from the threshold
/// periods of every region (docs/formats.md, Reports).
public struct ThresholdReport {
    public let policy: Policy
    public let periods: [ThresholdPeriod]

    public init(policy: Policy, periods: [ThresholdPeriod]) {
        self.policy = policy
        self.periods = periods
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
        return Charts.lines(title: "Family-sharing threshold by policy year (yuan)", labels: starts.map(\.text), series: series)
    }

    private func optional(_ value: String?) -> CSVTable.Field { value.map { .number($0) } ?? .empty }

    /// thresholds.md: a section per region, with the rule, the table and the
    /// history of revised bulletins.
    public var markdown: String {
        var out = """
        # Family-sharing thresholds

        Only the part of an authorizer's individual-account balance above the
        threshold may be shared with relatives. Threshold = yearly wage base ×
        rate, rounded half-up to the fen once. The yearly base is the bulletin's
        annual figure (monthly × 12 where only that is published) under
        `wage_basis: annual`, or the monthly figure × 12 under `wage_basis:
        monthly`. A statistical year without a bulletin keeps the previous
        threshold (`carried_forward`); a revised bulletin replaces the earlier
        revision everywhere.

        """
        if !periods.isEmpty { out += "\n![Threshold by policy year](\(Self.chartName))\n" }
        for region in policy.sortedRegions {
            out += "\n## \(region.code) \(region.name)\n\n"
            let own = periods.filter { $0.region == region.code }
            out += ruleLines(region)
            guard !own.isEmpty else {
                if region.threshold.entries.contains(where: { $0.rule != .none }) {
                    out += "\nNo bulletin gives the wage this rule needs yet: no threshold can be derived.\n"
                }
                continue
            }
            var table = MarkdownTable([
                ("Policy year", .left), ("Stat. year", .left), ("Avg monthly wage", .right), ("Yearly base", .right),
                ("Rate", .right), ("Threshold", .right), ("Change", .right), ("Change %", .right), ("Basis", .left),
                ("Revision", .right),
            ])
            for period in own {
                table.append([
                    Formatting.span(period.start, period.end), String(period.statYear),
                    period.averageMonthlyWage?.yuanText ?? "—", period.yearlyBase?.yuanText ?? "—", period.rate.percentText,
                    period.threshold.yuanText,
                    period.change?.yuanText ?? "", period.changeBasisPoints.map { Formatting.hundredths($0) + "%" } ?? "",
                    period.basis.rawValue, period.revision.map(String.init) ?? "",
                ])
            }
            out += "\n" + table.text
            if let last = own.last {
                out += "\nAfter \(last.end): the last threshold, \(last.threshold.yuanText), is carried forward (within the rule's dates) " +
                    "for any later month in the data until a bulletin for statistical year \(last.statYear + 1) is added.\n"
            }
            out += revisionLines(own)
        }
        return out
    }

    func ruleLines(_ region: RegionPolicy) -> String {
        var lines = ""
        for (index, entry) in region.threshold.entries.enumerated() {
            let end = region.threshold.lastDay(ofEntryAt: index).map { " to \($0)" } ?? ""
            switch entry.rule {
            case .none:
                lines += "- From \(entry.from)\(end): no threshold; the whole balance may be shared.\n"
            case let .shareOfAnnualWage(rule):
                let basis = switch rule.wageBasis {
                case .annual: "the published annual figure, else monthly × 12"
                case .monthly: "the monthly figure × 12"
                }
                lines += "- From \(entry.from)\(end): \(rule.rate.percentText) of the annual average wage " +
                    "(series `\(rule.wageSeries)`; `wage_basis: \(rule.wageBasis.rawValue)`: \(basis)); " +
                    "policy years start \(rule.policyYearStart.text); statistical year = policy year − \(rule.statYearLag).\n"
            }
        }
        return lines.isEmpty ? "No threshold rule: the whole balance may be shared.\n" : lines
    }

    func revisionLines(_ own: [ThresholdPeriod]) -> String {
        let revised = own.filter { !$0.superseded.isEmpty }
        guard !revised.isEmpty else { return "" }
        var table = MarkdownTable([
            ("Stat. year", .left), ("Revision", .right), ("Issued", .left), ("Avg monthly wage", .right),
            ("Threshold", .right), ("Replaced by", .left),
        ])
        for period in revised {
            for old in period.superseded {
                table.append([
                    String(period.statYear), String(old.wage.revision), old.wage.issued.text,
                    old.wage.monthlyAverage.yuanText, old.threshold.yuanText,
                    "revision \(period.revision.map(String.init) ?? "?"): \(period.threshold.yuanText)",
                ])
            }
        }
        return "\n### Revised bulletins\n\n" + table.text
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
