import GongjiDomain

/// audit-YYYY-MM.xlsx (docs/audit.md): the month's findings for a fund
/// supervisor who works in Excel or WPS: 概要 (findings by code and by
/// region of settlement, as the page gives them) and 发现 (every finding,
/// as audit-YYYY-MM-findings.csv, the code's label beside its detail and
/// the code itself in a column of its own at the right). Printed like the
/// usage workbook: A4 landscape, a page wide, the header on every page
/// (XLSXWriter).
public enum AuditWorkbook {
    public static let findingLabels = ["结算编号", "结算时间", "结算统筹区", "参保人", "付款人", "发现", "涉及金额", "说明", "代码"]

    /// Writes the workbook of `audit` at `path`.
    public static func write(_ audit: AuditMonth, policy: Policy, disclosure: Disclosure, words w: Words = Words(.zh),
                             to path: String, tmpdir: String) throws(UsageWorkbook.Failure) {
        let book = try XLSXWriter(path: path, tmpdir: tmpdir, created: audit.month.firstDay, author: "gongji")
        summary(book, audit, policy: policy, w)
        findings(book, audit, disclosure, w)
        try book.close()
    }

    static func summary(_ book: XLSXWriter, _ audit: AuditMonth, policy: Policy, _ w: Words) {
        let sheet = book.sheet(w.pick("概要", "Summary"), labels: [], widths: [24, 44, 12, 16])
        sheet.row([.text(w.pick("\(audit.month.year)年\(audit.month.month)月 家庭共济结算稽核",
                                "Audit of family-sharing settlements, \(audit.month.text)"))], style: .title)
        sheet.row([.text(w.pick("重放结算", "Settlements replayed")), .int(audit.settlements)])
        sheet.row([.text(w.pick("其中冲销", "of which reversals")), .int(audit.reversals)])
        sheet.skip()
        let count = w.pick("条数", "Findings"), atRisk = w.pick("涉及金额", "At risk"), total = w.pick("合计", "Total")
        sheet.row([.text(w.pick("按发现类别", "By code"))], style: .title)
        sheet.row([w.pick("代码", "Code"), w.pick("发现", "Finding"), count, atRisk].map(XLSXWriter.Cell.text), style: .header)
        for (code, count, amount) in AuditReports.byCode(audit) {
            sheet.row([.text(code.rawValue), .text(w.findingCode(code)), .int(count), .money(amount)])
        }
        sheet.row([.text(total), .empty, .int(audit.findings.count), .money(AuditReports.atRisk(audit.findings))])
        sheet.skip()
        sheet.row([.text(w.pick("按结算统筹区", "By region of settlement"))], style: .title)
        sheet.row([w.pick("统筹区", "Region"), "", count, atRisk].map(XLSXWriter.Cell.text), style: .header)
        for (name, count, amount) in AuditReports.byRegion(audit, policy: policy, words: w) {
            sheet.row([.text(name), .empty, .int(count), .money(amount)])
        }
    }

    static func findings(_ book: XLSXWriter, _ audit: AuditMonth, _ disclosure: Disclosure, _ w: Words) {
        let labels = w.language == .zh ? findingLabels
            : ["setl_id", "setl_time", "region_code", "certno", "payer_certno", "finding", "amount_at_risk", "detail", "code"]
        let sheet = book.sheet(w.pick("发现", "Findings"), labels: labels, widths: [16, 20, 12, 21, 21, 36, 13, 56, 8])
        for finding in audit.findings {
            sheet.row([.text(disclosure.text(finding.settlement)), finding.time.map(XLSXWriter.Cell.time) ?? .empty,
                       .text(finding.region?.text ?? ""), .text(finding.patient.map(disclosure.id) ?? ""),
                       .text(finding.payer.map(disclosure.id) ?? ""), .text(w.findingCode(finding.code)),
                       .money(finding.amountAtRisk), .text(disclosure.text(w.detail(finding.detail))),
                       .text(finding.code.rawValue)])
        }
    }
}
