import GongjiDomain

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

    /// balances-YYYY-MM.csv: every account of the month, in person-ID order.
    public static func writeBalances(_ rows: AccountMonths, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        try rows.forEachRow { row throws(AtomicFile.WriteError) in
            try writer.row(fields: 11) { out in
                out.id(row.person)
                out.region(row.region)
                out.money(row.opening)
                out.money(row.credits)
                out.money(row.ownSpending)
                out.money(row.sharedOut)
                out.money(row.closing)
                out.money(row.transferredOut)
                out.money(row.potDeposits)
                out.money(row.potReturned)
                out.money(row.frozen)
            }
        }
    }

    /// A credits band (`in_service 35-44`, `retired 70+`) in the page's language.
    static func band(_ band: String, _ w: Words) -> String {
        guard w.language == .zh else { return band }
        return band.replacingOccurrences(of: "in_service ", with: "在职 ").replacingOccurrences(of: "retired ", with: "退休 ")
            .replacingOccurrences(of: " all", with: " 全部")
    }
}
