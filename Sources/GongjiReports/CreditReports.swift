import GongjiDomain

/// How reports show people: masked by default (`440301********123X`,
/// `张*`), in full only with `--reveal-ids`.
public struct Disclosure: Sendable {
    public var reveal: Bool
    public init(reveal: Bool) { self.reveal = reveal }
    public func id(_ id: ResidentID) -> String { reveal ? id.text : id.masked }
}

/// One month's credit rows by region and band (credits-YYYY-MM.csv).
public struct CreditGroupRow: Sendable {
    public var region: RegionCode
    public var band: String
    public var persons: Int
    public var baseTotal: Money
    public var creditTotal: Money

    public init(region: RegionCode, band: String, persons: Int, baseTotal: Money, creditTotal: Money) {
        self.region = region
        self.band = band
        self.persons = persons
        self.baseTotal = baseTotal
        self.creditTotal = creditTotal
    }
}

/// A base outside the plausible band, for the month page.
public struct BaseFindingRow: Sendable {
    public var person: ResidentID
    public var region: RegionCode
    public var finding: BaseFinding

    public init(person: ResidentID, region: RegionCode, finding: BaseFinding) {
        self.person = person
        self.region = region
        self.finding = finding
    }
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
                                        "shared_out", "closing_balance"]

    public static func creditsCSV(month: YearMonth, rows: [CreditGroupRow]) -> String {
        var table = CSVTable(columns: creditColumns)
        for row in rows {
            table.append([.number(row.region.text), .number(month.text), .text(row.band), .number(String(row.persons)),
                          .number(row.baseTotal.yuanText), .number(row.creditTotal.yuanText)])
        }
        return table.text
    }

    public static func balancesCSV(_ rows: [AccountMonth], disclosure: Disclosure) -> String {
        var table = CSVTable(columns: balanceColumns)
        for row in rows {
            table.append([.text(disclosure.id(row.person)), .number(row.region.text), .number(row.opening.yuanText),
                          .number(row.credits.yuanText), .number(row.ownSpending.yuanText),
                          .number(row.sharedOut.yuanText), .number(row.closing.yuanText)])
        }
        return table.text
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
            out += "A base below the floor or above the cap of the average wage is reported, never changed.\n\n"
            var table = MarkdownTable([("Person", .left), ("Region", .left), ("Base", .right), ("Finding", .left),
                                       ("Bound", .right)])
            for row in findings {
                table.append([disclosure.id(row.person), row.region.text, row.finding.base.yuanText,
                              row.finding.side.rawValue, row.finding.bound.yuanText])
            }
            out += table.text
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
