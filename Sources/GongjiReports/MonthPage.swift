import GongjiDomain

/// usage-YYYY-MM.md, the month in one page (docs/formats.md): family sharing
/// and money set aside (given as text by `UsageReports.sections` and
/// `EarmarkReports.sections`), then credits, base findings and the import
/// summary.
public enum MonthPage {
    /// Base findings listed on the page; the CSV file has them all.
    public static let findingListLimit = 50

    /// usage-YYYY-MM.md: the month in one page: family sharing (given as
    /// `usage`, from `UsageReports.sections`), credits, base findings and the
    /// import summary.
    public static func markdown(month: YearMonth, policy: Policy, usage: String, credits: [CreditGroupRow],
                                 findings: [BaseFindingRow], balances: AccountMonths, imports: [InputRecord],
                                 rejectedRows: Int, disclosure: Disclosure, words w: Words = Words(.zh)) -> String {
        var out = w.pick("# \(month.year)年\(month.month)月（\(month.text)）\n\n", "# \(month.text)\n\n") + usage
            + w.pick("## 个人账户划入\n\n", "## Credits\n\n")
        if credits.isEmpty {
            out += w.pick("本月没有缴费记录。\n", "No contribution rows for this month.\n")
        } else {
            var table = MarkdownTable([(w.pick("统筹区", "Region"), .left), (w.pick("年龄段", "Band"), .left),
                                       (w.pick("人数", "Persons"), .right), (w.pick("缴费基数合计", "Base total"), .right),
                                       (w.pick("划入合计", "Credit total"), .right)])
            for row in credits {
                let name = policy.regions[row.region]?.name ?? ""
                table.append(["\(row.region) \(name)", CreditReports.band(row.band, w), w.count(row.persons), w.money(row.baseTotal),
                              w.money(row.creditTotal)])
            }
            let persons = credits.reduce(0) { $0 + $1.persons }
            let total = credits.reduce(Money.zero) { $0 + $1.creditTotal }
            let base = credits.reduce(Money.zero) { $0 + $1.baseTotal }
            table.append([w.pick("**合计**", "**Total**"), "", w.count(persons), w.money(base), w.money(total)])
            out += table.text
        }
        var opening = Money.zero, closing = Money.zero  // one walk of the columns in place, not two of whole rows
        balances.forEachRow { row in
            opening = opening + row.opening
            closing = closing + row.closing
        }
        out += w.pick("\n账户 \(w.count(balances.count)) 个；期初余额 \(w.total(opening))，期末余额 \(w.total(closing))。\n",
                      "\nAccounts: \(w.count(balances.count)); opening balances \(w.total(opening)), closing balances \(w.total(closing)).\n")
        out += w.pick("\n## 缴费基数超出合理区间\n\n", "\n## Contribution bases outside the plausible band\n\n")
        if findings.isEmpty {
            out += w.pick("无。\n", "None.\n")
        } else {
            out += w.pick("低于下限或高于上限（按平均工资）的缴费基数只报告，不改动。全部 \(w.count(findings.count)) 条见 "
                              + "base-findings-\(month.text).csv。\n\n",
                          "A base below the floor or above the cap of the average wage is reported, never changed. "
                              + "All \(findings.count) are in base-findings-\(month.text).csv.\n\n")
            struct Kind: Hashable, Comparable {
                var region: RegionCode
                var side: String
                static func < (a: Kind, b: Kind) -> Bool { (a.region, a.side) < (b.region, b.side) }
            }
            func side(_ text: String) -> String {
                switch text {
                case "below_floor": w.pick("低于下限", "below_floor")
                case "above_cap": w.pick("高于上限", "above_cap")
                default: text
                }
            }
            var counts: [Kind: Int] = [:]
            for row in findings { counts[Kind(region: row.region, side: row.finding.side.rawValue), default: 0] += 1 }
            var summary = MarkdownTable([(w.pick("统筹区", "Region"), .left), (w.pick("情形", "Finding"), .left),
                                         (w.pick("人数", "Persons"), .right)])
            for kind in counts.keys.sorted() {
                summary.append(["\(kind.region) \(policy.regions[kind.region]?.name ?? "")", side(kind.side),
                                w.count(counts[kind] ?? 0)])
            }
            out += summary.text + "\n"
            var table = MarkdownTable([(w.pick("参保人", "Person"), .left), (w.pick("统筹区", "Region"), .left),
                                       (w.pick("缴费基数", "Base"), .right), (w.pick("情形", "Finding"), .left),
                                       (w.pick("界限", "Bound"), .right)])
            for row in findings.prefix(MonthPage.findingListLimit) {
                table.append([disclosure.id(row.person), row.region.text, w.money(row.finding.base),
                              side(row.finding.side.rawValue), w.money(row.finding.bound)])
            }
            out += table.text
            if findings.count > MonthPage.findingListLimit {
                out += w.pick("\n另有 \(w.count(findings.count - MonthPage.findingListLimit)) 条未列出。\n",
                              "\n\(findings.count - MonthPage.findingListLimit) more are not listed here.\n")
            }
        }
        out += w.pick("\n## 导入汇总\n\n", "\n## Import summary\n\n")
        // A `--province` job's rows of other provinces are skipped: a column of their own.
        let skips = imports.contains { $0.skipped != nil }
        var table = MarkdownTable([(w.pick("文件", "File"), .left), (w.pick("读入", "Read"), .right),
                                   (w.pick("接受", "Accepted"), .right), (w.pick("拒收", "Rejected"), .right)]
                                  + (skips ? [(w.pick("跳过（其他省份）", "Skipped (other provinces)"), .right)] : []))
        // The month's own files (contributions/YYYY-MM.csv, usage/...) and
        // those of no month; another month's files are that month's page's.
        let shown = imports.filter { count in
            guard let stem = count.file.split(separator: "/").last?.split(separator: ".").first,
                  let named = YearMonth(text: String(stem)) else { return true }
            return named == month
        }
        for count in shown {
            table.append([count.file, w.count(count.read), w.count(count.accepted), w.count(count.rejected)]
                         + (skips ? [w.count(count.skipped ?? 0)] : []))
        }
        out += table.text
        if shown.count < imports.count {
            out += w.pick("\n只列出本月的文件和不分月份的文件；其他月份的文件见各月的报告，全部文件见 manifest.json。\n",
                          "\nOnly this month's files and the files of no month are listed; other months' files are on their own pages, every file in manifest.json.\n")
        }
        out += rejectedRows == 0 ? w.pick("\n本次运行没有被拒收的行。\n", "\nThis run rejected nothing.\n")
            : w.pick("\n本次运行共 \(w.count(rejectedRows)) 行被拒收：见 rejects.csv。\n", "\nThis run rejected \(rejectedRows) rows: see rejects.csv.\n")
        return out
    }
}
