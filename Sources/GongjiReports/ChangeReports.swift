import GongjiDomain

/// One threshold before → after (nil: the period did not exist on that side).
public struct ThresholdChange: Hashable, Sendable {
    public struct Side: Hashable, Sendable {
        public var end: String
        public var statYear: Int
        public var threshold: Money
        public var revision: Int?
        public var basis: String
        public init(end: String, statYear: Int, threshold: Money, revision: Int?, basis: String) {
            self.end = end
            self.statYear = statYear
            self.threshold = threshold
            self.revision = revision
            self.basis = basis
        }
    }
    public var region: RegionCode
    public var start: String
    public var before: Side?
    public var after: Side?
    public init(region: RegionCode, start: String, before: Side?, after: Side?) {
        self.region = region
        self.start = start
        self.before = before
        self.after = after
    }
}

/// How one claim was paid, before → after.
public struct ClaimChange: Hashable, Sendable {
    public struct Paid: Hashable, Sendable {
        public var own: Money
        public var family: Money
        public var cash: Money
        public var status: String
        public init(own: Money, family: Money, cash: Money, status: String) {
            self.own = own
            self.family = family
            self.cash = cash
            self.status = status
        }
    }
    public var month: YearMonth
    public var claimID: String
    public var occurredAt: String
    public var region: RegionCode
    public var person: ResidentID
    public var category: String
    public var amount: Money
    public var before: Paid?
    public var after: Paid?
    public init(month: YearMonth, claimID: String, occurredAt: String, region: RegionCode, person: ResidentID,
                category: String, amount: Money, before: Paid?, after: Paid?) {
        self.month = month
        self.claimID = claimID
        self.occurredAt = occurredAt
        self.region = region
        self.person = person
        self.category = category
        self.amount = amount
        self.before = before
        self.after = after
    }
}

/// One account's month, before → after.
public struct BalanceChange: Hashable, Sendable {
    public struct Side: Hashable, Sendable {
        public var own: Money
        public var shared: Money
        public var closing: Money
        public init(own: Money, shared: Money, closing: Money) {
            self.own = own
            self.shared = shared
            self.closing = closing
        }
    }
    public var month: YearMonth
    public var person: ResidentID
    public var region: RegionCode
    public var before: Side?
    public var after: Side?
    public init(month: YearMonth, person: ResidentID, region: RegionCode, before: Side?, after: Side?) {
        self.month = month
        self.person = person
        self.region = region
        self.before = before
        self.after = after
    }
}

/// One clearing row (payer → payee by channel), before → after.
public struct ClearingChange: Hashable, Sendable {
    public struct Side: Hashable, Sendable {
        public var draws: Int
        public var amount: Money
        public init(draws: Int, amount: Money) {
            self.draws = draws
            self.amount = amount
        }
    }
    public var month: YearMonth
    public var payer: RegionCode
    public var payee: RegionCode
    public var channel: DrawChannel
    public var before: Side?
    public var after: Side?
    public init(month: YearMonth, payer: RegionCode, payee: RegionCode, channel: DrawChannel, before: Side?, after: Side?) {
        self.month = month
        self.payer = payer
        self.payee = payee
        self.channel = channel
        self.before = before
        self.after = after
    }
}

/// Everything that differs between two sets of results.
public struct ChangeSet: Sendable {
    /// What the page says was compared, e.g. "the results last reported by `gongji run`".
    public var title: String
    public var comparedWith: String
    public var months: [YearMonth]
    public var thresholds: [ThresholdChange] = []
    public var claims: [ClaimChange] = []
    public var balances: [BalanceChange] = []
    public var clearing: [ClearingChange] = []
    /// Family money per month over every claim, before and after (for the chart).
    public var familyByMonth: [(month: YearMonth, before: Money, after: Money)] = []

    public init(title: String, comparedWith: String, months: [YearMonth]) {
        self.title = title
        self.comparedWith = comparedWith
        self.months = months
    }

    public var isEmpty: Bool { thresholds.isEmpty && claims.isEmpty && balances.isEmpty && clearing.isEmpty }

    /// The first policy year whose threshold changed.
    public var firstAffectedStart: String? { thresholds.map(\.start).min() }
}

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
            table.append([.number(change.region.text), .number(change.start), .number(side?.end ?? ""),
                          .number(side.map { String($0.statYear) } ?? ""), money(change.before?.threshold),
                          money(change.after?.threshold), money(delta),
                          change.before?.revision.map { .number(String($0)) } ?? .empty,
                          change.after?.revision.map { .number(String($0)) } ?? .empty,
                          change.before.map { .text($0.basis) } ?? .empty, change.after.map { .text($0.basis) } ?? .empty])
        }
        return table.text
    }

    public static func claimsCSV(_ changes: ChangeSet, disclosure: Disclosure) -> String {
        var table = CSVTable(columns: claimColumns)
        for change in changes.claims {
            table.append([.number(change.month.text), .text(change.claimID), .number(change.occurredAt),
                          .number(change.region.text), .text(disclosure.id(change.person)), .text(change.category),
                          .number(change.amount.yuanText), money(change.before?.own), money(change.after?.own),
                          money(change.before?.family), money(change.after?.family), money(change.before?.cash),
                          money(change.after?.cash), change.before.map { .text($0.status) } ?? .empty,
                          change.after.map { .text($0.status) } ?? .empty])
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

    /// By region and month: claims changed, persons affected, money before → after.
    public struct SummaryRow: Sendable {
        public var region: RegionCode
        public var month: YearMonth
        public var claims = 0
        public var persons = Set<ResidentID>()
        public var familyBefore = Money.zero
        public var familyAfter = Money.zero
        public var cashBefore = Money.zero
        public var cashAfter = Money.zero
    }

    public static func summary(_ changes: ChangeSet) -> [SummaryRow] {
        struct Key: Hashable { var region: RegionCode; var month: YearMonth }
        var rows: [Key: SummaryRow] = [:]
        for change in changes.claims {
            let key = Key(region: change.region, month: change.month)
            rows[key, default: SummaryRow(region: change.region, month: change.month)].claims += 1
            rows[key]?.persons.insert(change.person)
            rows[key]?.familyBefore += change.before?.family ?? .zero
            rows[key]?.familyAfter += change.after?.family ?? .zero
            rows[key]?.cashBefore += change.before?.cash ?? .zero
            rows[key]?.cashAfter += change.after?.cash ?? .zero
        }
        for change in changes.balances {
            rows[Key(region: change.region, month: change.month), default: SummaryRow(region: change.region, month: change.month)]
                .persons.insert(change.person)
        }
        return rows.values.sorted { ($0.region, $0.month) < ($1.region, $1.month) }
    }

    public static func summaryCSV(_ changes: ChangeSet) -> String {
        var table = CSVTable(columns: summaryColumns)
        for row in summary(changes) {
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
        if let first = changes.firstAffectedStart { out += "First affected policy year: from \(first).\n\n" }
        let rows = summary(changes)
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
                table.append(["\(change.region) \(policy.regions[change.region]?.name ?? "")", "\(change.start) .. \(side?.end ?? "")",
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
        var received: [ResidentID: (region: RegionCode, delta: Money)] = [:]
        for change in changes.claims {
            let delta = (change.after?.family ?? .zero) - (change.before?.family ?? .zero)
            received[change.person, default: (change.region, .zero)].delta += delta
        }
        var sharedOut: [ResidentID: (region: RegionCode, delta: Money)] = [:]
        for change in changes.balances {
            let delta = (change.after?.shared ?? .zero) - (change.before?.shared ?? .zero)
            if delta.fen != 0 { sharedOut[change.person, default: (change.region, .zero)].delta += delta }
        }
        out += personList("Beneficiaries: family money received", "Received", received, disclosure: disclosure)
        out += personList("Authorizers: money shared out", "Shared out", sharedOut, disclosure: disclosure)
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

    static func revisionText(_ side: ThresholdChange.Side) -> String {
        side.revision.map { "r\($0)" } ?? "carried forward"
    }

    static func signed(_ money: Money) -> String { money.fen > 0 ? "+" + money.yuanText : money.yuanText }
}
