import Foundation
import GongjiDomain
import GongjiReports
import GongjiStore

/// Compares fresh results with stored ones, month by month, into a ChangeSet.
struct Comparison {
    var changes: ChangeSet

    init(title: String, comparedWith: String) {
        changes = ChangeSet(title: title, comparedWith: comparedWith, months: [])
    }

    mutating func thresholds(before: [StoredThreshold], after: [ThresholdPeriod]) {
        struct Key: Hashable { var region: String; var start: String }
        var old: [Key: StoredThreshold] = [:]
        for row in before { old[Key(region: row.region, start: row.start)] = row }
        var seen = Set<Key>()
        var rows: [ThresholdChange] = []
        for period in after {
            let key = Key(region: period.region.text, start: period.start.text)
            seen.insert(key)
            let new = ThresholdChange.Side(end: period.end.text, statYear: period.statYear, threshold: period.threshold,
                                           revision: period.revision, basis: period.basis.rawValue)
            let previous = old[key].map(side)
            if previous != new { rows.append(ThresholdChange(region: period.region, start: key.start, before: previous, after: new)) }
        }
        for row in before where !seen.contains(Key(region: row.region, start: row.start)) {
            guard let region = RegionCode(row.region) else { continue }
            rows.append(ThresholdChange(region: region, start: row.start, before: side(row), after: nil))
        }
        changes.thresholds = rows.sorted { ($0.region, $0.start) < ($1.region, $1.start) }
    }

    private func side(_ row: StoredThreshold) -> ThresholdChange.Side {
        ThresholdChange.Side(end: row.end, statYear: row.statYear, threshold: Money(fen: row.threshold), revision: row.revision,
                             basis: row.basis)
    }

    /// One month: every claim and account whose figures differ.
    mutating func month(_ month: YearMonth, after result: MonthResult?, before stored: StoredMonth) {
        changes.months.append(month)
        var familyBefore = Money.zero
        var familyAfter = Money.zero
        var unmatched = stored.claims  // what is left once each new claim took its stored one
        for settled in result?.usage.settlements ?? [] {
            let claim = settled.claim
            familyAfter += settled.familyShared
            let new = ClaimChange.Paid(own: settled.ownAccount, family: settled.familyShared, cash: settled.cash,
                                       status: settled.status.rawValue)
            let old = unmatched.removeValue(forKey: claim.id).map(paid)
            familyBefore += old?.family ?? .zero
            guard old != new else { continue }
            changes.claims.append(ClaimChange(month: month, claimID: claim.id, occurredAt: claim.occurredAt.text,
                                              region: claim.region, person: claim.person, category: claim.category.rawValue,
                                              amount: claim.amount, before: old, after: new))
        }
        for old in unmatched.values.sorted(by: { ($0.occurredAt, $0.claimID) < ($1.occurredAt, $1.claimID) }) {
            familyBefore += Money(fen: old.family)
            guard let region = RegionCode(old.region), let person = ResidentID(old.personID) else { continue }
            changes.claims.append(ClaimChange(month: month, claimID: old.claimID, occurredAt: old.occurredAt, region: region,
                                              person: person, category: old.category, amount: Money(fen: old.amount),
                                              before: paid(old), after: nil))
        }
        changes.familyByMonth.append((month, familyBefore, familyAfter))

        // Both lists are in person-ID order: one pass pairs them. Accounts
        // only the new results have come in their order, then those only
        // the stored ones had, in theirs.
        let new = result?.balances ?? [], old = stored.balances
        var gone: [BalanceChange] = []
        var next = 0
        for row in new {
            while next < old.count && old[next].person < row.person {
                gone.append(BalanceChange(month: month, person: old[next].person, region: old[next].region,
                                          before: side(old[next]), after: nil))
                next += 1
            }
            let after = BalanceChange.Side(own: row.ownSpending, shared: row.sharedOut, closing: row.closing)
            var before: BalanceChange.Side?
            if next < old.count && old[next].person == row.person {
                before = side(old[next])
                next += 1
            }
            guard before != after else { continue }
            changes.balances.append(BalanceChange(month: month, person: row.person, region: row.region, before: before,
                                                  after: after))
        }
        for row in old[next...] {
            gone.append(BalanceChange(month: month, person: row.person, region: row.region, before: side(row), after: nil))
        }
        changes.balances += gone

        // Clearing rows, both lists in (payer, payee, channel) order.
        struct Key: Hashable { var payer: RegionCode; var payee: RegionCode; var channel: DrawChannel }
        func key(_ item: ClearingItem) -> Key { Key(payer: item.payer, payee: item.payee, channel: item.channel) }
        func amounts(_ item: ClearingItem) -> ClearingChange.Side { ClearingChange.Side(draws: item.draws, amount: item.amount) }
        let clearingBefore = Dictionary(stored.clearing.map { (key($0), amounts($0)) }, uniquingKeysWith: { first, _ in first })
        let clearingAfter = result?.usage.clearing ?? []
        let keysAfter = Set(clearingAfter.map(key))
        var clearing: [ClearingChange] = []
        for item in clearingAfter where clearingBefore[key(item)] != amounts(item) {
            clearing.append(ClearingChange(month: month, payer: item.payer, payee: item.payee, channel: item.channel,
                                           before: clearingBefore[key(item)], after: amounts(item)))
        }
        for item in stored.clearing where !keysAfter.contains(key(item)) {
            clearing.append(ClearingChange(month: month, payer: item.payer, payee: item.payee, channel: item.channel,
                                           before: amounts(item), after: nil))
        }
        changes.clearing += clearing.sorted { ($0.payer, $0.payee, $0.channel) < ($1.payer, $1.payee, $1.channel) }
    }

    private func paid(_ row: StoredClaim) -> ClaimChange.Paid {
        ClaimChange.Paid(own: Money(fen: row.own), family: Money(fen: row.family), cash: Money(fen: row.cash), status: row.status)
    }

    private func side(_ row: AccountMonth) -> BalanceChange.Side {
        BalanceChange.Side(own: row.ownSpending, shared: row.sharedOut, closing: row.closing)
    }

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
