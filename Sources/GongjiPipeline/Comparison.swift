import Foundation
import GongjiDomain
import GongjiReports
import GongjiStore

extension ChangeSet {
    /// One month against what the store kept: `result` nil when the data no longer has the month.
    mutating func compare(_ month: YearMonth, after result: MonthResult?, before stored: StoredMonth) {
        compare(month: month, settlements: result?.usage.settlements ?? [], balances: result?.balances ?? [],
                clearing: result?.usage.clearing ?? [], before: stored.claims, stored.balances, stored.clearing)
    }
}

/// The change report's files.
enum Comparison {
    /// changes.md, changes.svg and the five CSV files.
    static func write(_ changes: ChangeSet, policy: Policy, to reports: inout ReportFolder) throws(RunError) {
        let chart = "changes.svg"
        try reports.write("changes.md", ChangeReports.markdown(changes, policy: policy, disclosure: reports.disclosure,
                                                               chart: changes.familyByMonth.isEmpty ? nil : chart))
        if !changes.familyByMonth.isEmpty {
            try reports.write(chart, Charts.bars(
                title: "Family-shared money by month, before and after (yuan)",
                labels: changes.familyByMonth.map(\.month.text),
                series: [Charts.Series(name: "before", values: changes.familyByMonth.map { $0.before.fen }),
                         Charts.Series(name: "after", values: changes.familyByMonth.map { $0.after.fen })]))
        }
        try reports.write("changes-thresholds.csv", ChangeReports.thresholdsCSV(changes))
        try reports.write("changes-summary.csv", ChangeReports.summaryCSV(changes))
        try reports.write("changes-claims.csv", ChangeReports.claimsCSV(changes, disclosure: reports.disclosure))
        try reports.write("changes-balances.csv", ChangeReports.balancesCSV(changes, disclosure: reports.disclosure))
        try reports.write("changes-clearing.csv", ChangeReports.clearingCSV(changes))
    }
}
