import GongjiDomain

public enum ChangeReports {
    public static let thresholdColumns = ["region_code", "policy_year_start", "policy_year_end", "stat_year", "threshold_before",
                                          "threshold_after", "change", "revision_before", "revision_after", "basis_before",
                                          "basis_after"]
    public static let claimColumns = ["month", "claim_id", "occurred_at", "region_code", "person_id", "category", "amount",
                                      "own_account_before", "own_account_after", "family_shared_before", "family_shared_after",
                                      "cash_before", "cash_after", "family_status_before", "family_status_after"]
    public static let balanceColumns = ["month", "person_id", "region_code", "own_spending_before", "own_spending_after",
                                        "shared_out_before", "shared_out_after", "closing_balance_before",
                                        "closing_balance_after"]
    public static let clearingColumns = ["month", "payer_region", "payee_region", "channel", "draws_before", "draws_after",
                                         "amount_before", "amount_after"]
    public static let summaryColumns = ["region_code", "month", "claims_changed", "persons_affected", "family_shared_before",
                                        "family_shared_after", "cash_before", "cash_after"]

    static func money(_ value: Money?) -> CSVTable.Field { value.map { .number($0.yuanText) } ?? .empty }

    public static func thresholdsCSV(_ changes: ChangeSet) -> String {
        var table = CSVTable(columns: thresholdColumns)
        for change in changes.thresholds {
            let side = change.after ?? change.before
            let delta = change.after.flatMap { after in change.before.map { after.threshold - $0.threshold } }
            table.append([.number(change.region.text), .number(change.start.text), .number(side?.end.text ?? ""),
                          .number(side.map { String($0.statYear) } ?? ""), money(change.before?.threshold),
                          money(change.after?.threshold), money(delta),
                          change.before?.revision.map { .number(String($0)) } ?? .empty,
                          change.after?.revision.map { .number(String($0)) } ?? .empty,
                          change.before.map { .text($0.basis.rawValue) } ?? .empty,
                          change.after.map { .text($0.basis.rawValue) } ?? .empty])
        }
        return table.text
    }

    public static func claimsCSV(_ changes: ChangeSet, disclosure: Disclosure) -> String {
        var table = CSVTable(columns: claimColumns)
        for change in changes.claims {
            let claim = change.claim
            table.append([.number(change.month.text), .text(disclosure.text(claim.id)), .number(claim.occurredAt.text),
                          .number(claim.region.text), .text(disclosure.id(claim.person)), .text(claim.category.rawValue),
                          .number(claim.amount.yuanText), money(change.before?.own), money(change.after?.own),
                          money(change.before?.family), money(change.after?.family), money(change.before?.cash),
                          money(change.after?.cash), change.before.map { .text($0.status.rawValue) } ?? .empty,
                          change.after.map { .text($0.status.rawValue) } ?? .empty])
        }
        return table.text
    }

    public static func balancesCSV(_ changes: ChangeSet, disclosure: Disclosure) -> String {
        var table = CSVTable(columns: balanceColumns)
        for change in changes.balances {
            table.append([.number(change.month.text), .text(disclosure.id(change.person)), .number(change.region.text),
                          money(change.before?.own), money(change.after?.own), money(change.before?.shared),
                          money(change.after?.shared), money(change.before?.closing), money(change.after?.closing)])
        }
        return table.text
    }

    public static func clearingCSV(_ changes: ChangeSet) -> String {
        var table = CSVTable(columns: clearingColumns)
        for change in changes.clearing {
            table.append([.number(change.month.text), .number(change.payer.text), .number(change.payee.text),
                          .text(change.channel.rawValue), change.before.map { .number(String($0.draws)) } ?? .empty,
                          change.after.map { .number(String($0.draws)) } ?? .empty, money(change.before?.amount),
                          money(change.after?.amount)])
        }
        return table.text
    }

    public static func summaryCSV(_ changes: ChangeSet) -> String {
        var table = CSVTable(columns: summaryColumns)
        for row in changes.summary {
            table.append([.number(row.region.text), .number(row.month.text), .number(String(row.claims)),
                          .number(String(row.persons.count)), .number(row.familyBefore.yuanText),
                          .number(row.familyAfter.yuanText), .number(row.cashBefore.yuanText), .number(row.cashAfter.yuanText)])
        }
        return table.text
    }

    /// How many people each list on the page shows.
    public static let listLimit = 20

    public static func markdown(_ changes: ChangeSet, policy: Policy, disclosure: Disclosure, chart: String?) -> String {
        var out = "# \(changes.title)\n\n"
        let span = changes.months.isEmpty ? "no months" : "\(changes.months[0].text) .. \(changes.months[changes.months.count - 1].text)"
        out += "Compared with \(changes.comparedWith), months \(span).\n\n"
        if changes.isEmpty {
            return out + "**No changes**: every threshold, claim and balance is as before.\n"
        }
        if let first = changes.firstAffectedStart { out += "First affected policy year: from \(first.text).\n\n" }
        let rows = changes.summary
        let persons = Set(rows.flatMap(\.persons)).count
        let familyBefore = rows.reduce(Money.zero) { $0 + $1.familyBefore }
        let familyAfter = rows.reduce(Money.zero) { $0 + $1.familyAfter }
        out += "\(changes.claims.count) claims and \(changes.balances.count) account-months changed; \(persons) persons affected. "
            + "On the changed claims family money went from \(familyBefore.yuanText) to \(familyAfter.yuanText) "
            + "(\(signed(familyAfter - familyBefore))).\n\n"

        out += "## Thresholds\n\n"
        if changes.thresholds.isEmpty {
            out += "No threshold changed.\n\n"
        } else {
            var table = MarkdownTable([("Region", .left), ("Policy year", .left), ("Stat. year", .right), ("Before", .right),
                                       ("After", .right), ("Change", .right), ("Revision", .left)])
            for change in changes.thresholds {
                let side = change.after ?? change.before
                let revisions = (change.before.map { revisionText($0) } ?? "none", change.after.map { revisionText($0) } ?? "none")
                let revision = revisions.0 == revisions.1 ? revisions.0 : "\(revisions.0) → \(revisions.1)"
                let delta = change.after.flatMap { after in change.before.map { signed(after.threshold - $0.threshold) } } ?? ""
                table.append(["\(change.region) \(policy.regions[change.region]?.name ?? "")",
                              "\(change.start.text) .. \(side?.end.text ?? "")",
                              side.map { String($0.statYear) } ?? "", change.before?.threshold.yuanText ?? "-",
                              change.after?.threshold.yuanText ?? "-", delta, revision])
            }
            out += table.text + "\n"
        }

        out += "## By region and month\n\n"
        if rows.isEmpty {
            out += "No claim or balance changed.\n\n"
        } else {
            var table = MarkdownTable([("Region", .left), ("Month", .left), ("Claims changed", .right), ("Persons", .right),
                                       ("Family before", .right), ("Family after", .right), ("Cash before", .right),
                                       ("Cash after", .right)])
            for row in rows {
                table.append(["\(row.region) \(policy.regions[row.region]?.name ?? "")", row.month.text, String(row.claims),
                              String(row.persons.count), row.familyBefore.yuanText, row.familyAfter.yuanText,
                              row.cashBefore.yuanText, row.cashAfter.yuanText])
            }
            out += table.text + "\n"
        }
        if let chart { out += "![Family-shared money by month, before and after](\(chart))\n\n" }

        out += "## Money across regions\n\n"
        if changes.clearing.isEmpty {
            out += "No clearing between regions changed.\n\n"
        } else {
            var table = MarkdownTable([("Month", .left), ("Paid by", .left), ("For claims in", .left), ("Channel", .left),
                                       ("Before", .right), ("After", .right), ("Change", .right)])
            for change in changes.clearing {
                let before = change.before?.amount ?? .zero, after = change.after?.amount ?? .zero
                table.append([change.month.text, "\(change.payer) \(policy.regions[change.payer]?.name ?? "")",
                              "\(change.payee) \(policy.regions[change.payee]?.name ?? "")", change.channel.rawValue,
                              change.before.map { $0.amount.yuanText } ?? "-", change.after.map { $0.amount.yuanText } ?? "-",
                              signed(after - before)])
            }
            out += table.text + "\nEvery changed clearing row is in changes-clearing.csv.\n\n"
        }

        // Who gained or lost: beneficiaries by family money received, authorizers by money shared out.
        out += personList("Beneficiaries: family money received", "Received", changes.receivedByPerson, disclosure: disclosure)
        out += personList("Authorizers: money shared out", "Shared out", changes.sharedOutByPerson, disclosure: disclosure)
        out += "Every changed claim is in changes-claims.csv, every changed account-month in changes-balances.csv.\n"
        return out
    }

    static func personList(_ heading: String, _ column: String, _ deltas: [ResidentID: (region: RegionCode, delta: Money)],
                           disclosure: Disclosure) -> String {
        var out = "## \(heading)\n\n"
        let moved = deltas.filter { $0.value.delta.fen != 0 }
            .sorted { (abs($1.value.delta.fen), $0.key) < (abs($0.value.delta.fen), $1.key) }
        guard !moved.isEmpty else { return out + "No change.\n\n" }
        let gained = moved.filter { $0.value.delta.fen > 0 }.count
        out += "\(moved.count) persons: \(gained) more, \(moved.count - gained) less. Largest changes first.\n\n"
        var table = MarkdownTable([("Person", .left), ("Region", .left), (column, .right)])
        for (person, entry) in moved.prefix(listLimit) {
            table.append([disclosure.id(person), entry.region.text, signed(entry.delta)])
        }
        out += table.text
        if moved.count > listLimit { out += "\n\(moved.count - listLimit) more are not listed here.\n" }
        return out + "\n"
    }

    static func revisionText(_ side: ThresholdFigure) -> String {
        side.revision.map { "r\($0)" } ?? "carried forward"
    }

    static func signed(_ money: Money) -> String { money.fen > 0 ? "+" + money.yuanText : money.yuanText }
}
