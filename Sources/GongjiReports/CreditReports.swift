import GongjiDomain

/// How reports show people: masked by default (`440301********123X`,
/// `张*`), in full only with `--reveal-ids`.
public struct Disclosure: Sendable {
    public var reveal: Bool
    public init(reveal: Bool) { self.reveal = reveal }
    public func id(_ id: ResidentID) -> String { reveal ? id.text : id.masked }
    /// A free text that may hold an ID (a claim_id, a refusal naming a
    /// binding): its IDs masked unless revealed.
    public func text(_ text: String) -> String { reveal ? text : maskedIDs(text) }
}

/// One input file's counts for the import summary.
public struct ImportCount: Sendable {
    public var file: String
    public var read: Int
    public var accepted: Int
    public var rejected: Int

    public init(file: String, read: Int, accepted: Int, rejected: Int) {
        self.file = file
        self.read = read
        self.accepted = accepted
        self.rejected = rejected
    }
}

public enum CreditReports {
    public static let creditColumns = ["region_code", "month", "band", "persons", "base_total", "credit_total"]
    public static let balanceColumns = ["person_id", "region_code", "opening_balance", "credits", "own_spending",
                                        "shared_out", "closing_balance", "transferred_out", "pot_deposits",
                                        "pot_returned", "frozen"]

    public static func creditsCSV(month: YearMonth, rows: [CreditGroupRow]) -> String {
        var table = CSVTable(columns: creditColumns)
        for row in rows {
            table.append([.number(row.region.text), .number(month.text), .text(row.band), .number(String(row.persons)),
                          .number(row.baseTotal.yuanText), .number(row.creditTotal.yuanText)])
        }
        return table.text
    }

    public static let findingColumns = ["person_id", "region_code", "base", "finding", "bound"]

    /// base-findings-YYYY-MM.csv: every base outside the plausible band, in person-ID order.
    public static func writeFindings(_ rows: [BaseFindingRow], to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for row in rows {
            writer.id(row.person)
            writer.region(row.region)
            writer.money(row.finding.base)
            writer.text(row.finding.side.rawValue)
            writer.money(row.finding.bound)
            try writer.endRow()
        }
    }

    /// How many findings the month page lists one by one.
    public static let findingListLimit = 50

    public static func writeBalances(_ rows: [AccountMonth], to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for row in rows {
            writer.id(row.person)
            writer.region(row.region)
            writer.money(row.opening)
            writer.money(row.credits)
            writer.money(row.ownSpending)
            writer.money(row.sharedOut)
            writer.money(row.closing)
            writer.money(row.transferredOut)
            writer.money(row.potDeposits)
            writer.money(row.potReturned)
            writer.money(row.frozen)
            try writer.endRow()
        }
    }

    /// usage-YYYY-MM.md: the month in one page: family sharing (given as
    /// `usage`, from `UsageReports.sections`), credits, base findings and the
    /// import summary.
    public static func monthPage(month: YearMonth, policy: Policy, usage: String, credits: [CreditGroupRow],
                                 findings: [BaseFindingRow], balances: [AccountMonth], imports: [ImportCount],
                                 rejectedRows: Int, disclosure: Disclosure) -> String {
        var out = "# \(month.text)\n\n" + usage + "## Credits\n\n"
        if credits.isEmpty {
            out += "No contribution rows for this month.\n"
        } else {
            var table = MarkdownTable([("Region", .left), ("Band", .left), ("Persons", .right), ("Base total", .right),
                                       ("Credit total", .right)])
            for row in credits {
                let name = policy.regions[row.region]?.name ?? ""
                table.append(["\(row.region) \(name)", row.band, String(row.persons), row.baseTotal.yuanText,
                              row.creditTotal.yuanText])
            }
            let persons = credits.reduce(0) { $0 + $1.persons }
            let total = credits.reduce(Money.zero) { $0 + $1.creditTotal }
            let base = credits.reduce(Money.zero) { $0 + $1.baseTotal }
            table.append(["**Total**", "", String(persons), base.yuanText, total.yuanText])
            out += table.text
        }
        let opening = balances.reduce(Money.zero) { $0 + $1.opening }
        let closing = balances.reduce(Money.zero) { $0 + $1.closing }
        out += "\nAccounts: \(balances.count); opening balances \(opening.yuanText), closing balances \(closing.yuanText).\n"
        out += "\n## Contribution bases outside the plausible band\n\n"
        if findings.isEmpty {
            out += "None.\n"
        } else {
            out += "A base below the floor or above the cap of the average wage is reported, never changed. "
                + "All \(findings.count) are in base-findings-\(month.text).csv.\n\n"
            struct Kind: Hashable, Comparable {
                var region: RegionCode
                var side: String
                static func < (a: Kind, b: Kind) -> Bool { (a.region, a.side) < (b.region, b.side) }
            }
            var counts: [Kind: Int] = [:]
            for row in findings { counts[Kind(region: row.region, side: row.finding.side.rawValue), default: 0] += 1 }
            var summary = MarkdownTable([("Region", .left), ("Finding", .left), ("Persons", .right)])
            for kind in counts.keys.sorted() {
                summary.append(["\(kind.region) \(policy.regions[kind.region]?.name ?? "")", kind.side, String(counts[kind] ?? 0)])
            }
            out += summary.text + "\n"
            var table = MarkdownTable([("Person", .left), ("Region", .left), ("Base", .right), ("Finding", .left),
                                       ("Bound", .right)])
            for row in findings.prefix(findingListLimit) {
                table.append([disclosure.id(row.person), row.region.text, row.finding.base.yuanText,
                              row.finding.side.rawValue, row.finding.bound.yuanText])
            }
            out += table.text
            if findings.count > findingListLimit {
                out += "\n\(findings.count - findingListLimit) more are not listed here.\n"
            }
        }
        out += "\n## Import summary\n\n"
        var table = MarkdownTable([("File", .left), ("Read", .right), ("Accepted", .right), ("Rejected", .right)])
        for count in imports {
            table.append([count.file, String(count.read), String(count.accepted), String(count.rejected)])
        }
        out += table.text
        out += rejectedRows == 0 ? "\nNothing was rejected.\n" : "\n\(rejectedRows) rows were rejected: see rejects.csv.\n"
        return out
    }
}
