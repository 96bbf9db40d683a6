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
    /// changes.md, changes.svg and the six CSV files.
    static func write(_ changes: ChangeSet, policy: Policy, periods: [ThresholdPeriod] = [],
                      to reports: ReportFolder) throws(RunError) {
        let chart = "changes.svg"
        // The bulletins behind each changed threshold: a new or revised figure (not a what-if's rule).
        var causes: [ChangeReports.Cause] = []
        for change in changes.thresholds {
            guard let period = periods.first(where: { $0.region == change.region && $0.start == change.start }),
                  let wage = period.wage, change.after?.revision != nil, change.before?.revision != change.after?.revision,
                  !causes.contains(where: { $0.region == change.region && $0.statYear == period.statYear && $0.revision == wage.revision })
            else { continue }
            causes.append(ChangeReports.Cause(region: change.region, statYear: period.statYear, revision: wage.revision,
                                              issued: wage.issued, file: wage.origin))
        }
        try reports.write("changes.md", ChangeReports.markdown(changes, policy: policy, disclosure: reports.disclosure,
                                                               chart: changes.familyByMonth.isEmpty ? nil : chart,
                                                               causes: causes, words: reports.words))
        if !changes.familyByMonth.isEmpty {
            try reports.write(chart, ChangeReports.chart(changes, words: reports.words))
        }
        try reports.write("changes-thresholds.csv", ChangeReports.thresholdsCSV(changes))
        try reports.write("changes-summary.csv", ChangeReports.summaryCSV(changes))
        try reports.write("changes-claims.csv", ChangeReports.claimsCSV(changes, disclosure: reports.disclosure))
        try reports.write("changes-balances.csv", ChangeReports.balancesCSV(changes, disclosure: reports.disclosure))
        try reports.write("changes-clearing.csv", ChangeReports.clearingCSV(changes))
        try reports.write("changes-corrections.csv", ChangeReports.correctionsCSV(changes, disclosure: reports.disclosure))
    }
}
