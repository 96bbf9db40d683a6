import Foundation
import GongjiDomain

/// usage-YYYY-MM.xlsx (docs/formats.md): the month page's summary tables
/// and the claims, draws and authorizers as sheets, for Excel and WPS.
/// Amounts are numbers with a two-decimal format (an IEEE double, exact to
/// the fen for any amount below 90 trillion yuan), times are dates, column
/// labels are Chinese (`--lang en`: the CSV columns' names), the header row
/// is frozen and printed on every page (A4 landscape, fit to the page's
/// width), column widths fit. A coded column shows its label (门诊, not
/// `outpatient`); the codes, for scripts, are in columns of their own at the
/// right (类别代码, ...), and the sheet 代码说明 gives every code's label.
///
/// This file lays out the sheets; XLSXWriter writes them (libxlsxwriter,
/// constant memory). The document's creation time is fixed (the month's
/// first day), so the same inputs give the same bytes.
public enum UsageWorkbook {
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, without the path (`the disk is full`).
        public let reason: String
        public let path: String
        public var description: String { "\(path): cannot write the workbook: \(reason)" }
    }

    public static let claimLabels = ["结算编号", "发生时间", "结算统筹区", "参保人", "类别", "金额", "个人账户支付", "家庭共济支付",
                                     "现金支付", "共济状态", "医保钱包支付", "家庭共济账户支付", "原因", "类别代码", "共济状态代码"]
    public static let drawLabels = ["结算编号", "发生时间", "授权人", "被授权人", "关系", "金额", "授权人支付前余额", "门槛",
                                    "渠道", "授权人统筹区", "关系代码", "渠道代码"]
    public static let authorizerLabels = ["授权人", "统筹区", "期初余额", "划入", "本人支出", "共济支出", "期末余额", "门槛",
                                          "被授权人数"]

    typealias Book = XLSXWriter
    typealias Cell = XLSXWriter.Cell

    /// Writes the workbook of `usage` at `path` (XLSXWriter: constant memory,
    /// every libxlsxwriter call checked).
    /// `rowLimit`: rows a sheet holds (Excel's limit; a test gives a small one).
    /// `progress` is told the rows written so far, now and then (the
    /// sheets' rows: about the claims, draws and authorizers of the month).
    public static func write(_ usage: UsageMonth, policy: Policy, disclosure: Disclosure, words w: Words = Words(.zh),
                             to path: String, tmpdir: String, rowLimit: Int = 1_048_576,
                             progress: ((_ rows: Int) -> Void)? = nil) throws(Failure) {
        let book = try XLSXWriter(path: path, tmpdir: tmpdir, created: usage.month.firstDay, author: "gongji", rowLimit: rowLimit)
        book.progress = progress
        summary(book, usage, policy: policy, w)
        claims(book, usage, disclosure, w)
        draws(book, usage, disclosure, w)
        authorizers(book, usage, disclosure, w)
        legend(book, w)
        progress?(book.rows)
        try book.close()
    }

    /// The page's summary tables, one under another.
    static func summary(_ book: Book, _ usage: UsageMonth, policy: Policy, _ w: Words) {
        let sheet = book.sheet(w.pick("概要", "Summary"), labels: [], widths: [24, 16, 16, 16, 16, 16, 16])
        let summary = UsageSummary(usage)
        func name(_ code: RegionCode) -> String { "\(code) \(policy.regions[code]?.name ?? "")" }
        sheet.row([.text(w.pick("\(usage.month.year)年\(usage.month.month)月 家庭共济", "Family sharing, \(usage.month.text)"))],
                  style: .title)
        sheet.skip()
        func totals(_ title: String, _ first: String, _ rows: [(String, ClaimTotals)]) {
            sheet.row([.text(title)], style: .title)
            sheet.row([first, w.pick("笔数", "Claims"), w.pick("金额", "Amount"), w.pick("个人账户", "Own account"),
                       w.pick("钱包和共济账户", "Wallet, pot"), w.pick("家庭共济", "Family shared"), w.pick("现金", "Cash")]
                .map(Cell.text), style: .header)
            for (label, sum) in rows + [(w.pick("合计", "Total"), summary.total)] {
                sheet.row([.text(label), .int(sum.claims), .money(sum.amount), .money(sum.own), .money(sum.setAside),
                           .money(sum.family), .money(sum.cash)])
            }
            sheet.skip()
        }
        totals(w.pick("按共济状态", "By family status"), w.pick("共济状态", "Status"),
               summary.byStatus.map { (w.status($0.status), $0.totals) })
        totals(w.pick("按类别", "By category"), w.pick("类别", "Category"), summary.byCategory.map { (w.category($0.category), $0.totals) })
        totals(w.pick("按结算统筹区", "By region"), w.pick("统筹区", "Region"), summary.byRegion.map { (name($0.region), $0.totals) })

        let count = w.pick("笔数", "Count"), amount = w.pick("金额", "Amount"), total = w.pick("合计", "Total")
        sheet.row([.text(w.pick("按亲属关系", "By relation"))], style: .title)
        sheet.row([w.pick("关系", "Relation"), count, amount].map(Cell.text), style: .header)
        for (relation, totals) in summary.byRelation {
            sheet.row([.text(w.relation(relation)), .int(totals.draws), .money(totals.amount)])
        }
        sheet.row([.text(total), .int(summary.draws), .money(summary.total.family)])
        sheet.skip()

        sheet.row([.text(w.pick("资金来源", "Paid from"))], style: .title)
        sheet.row([w.pick("来源", "Source"), count, amount].map(Cell.text), style: .header)
        let sources = PaidFrom(usage.settlements)
        for (label, claims, sum) in sources.rows(w) { sheet.row([.text(label), .int(claims), .money(sum)]) }
        sheet.row([.text(total), .int(usage.settlements.count), .money(sources.total)])
        sheet.skip()

        sheet.row([.text(w.pick("跨统筹区资金", "Money across regions"))], style: .title)
        sheet.row([w.pick("付款统筹区", "Payer region"), w.pick("收款统筹区", "Payee region"), w.pick("渠道", "Channel"), count, amount]
            .map(Cell.text), style: .header)
        for item in usage.clearing {
            sheet.row([.text(name(item.payer)), .text(name(item.payee)), .text(w.channel(item.channel)), .int(item.draws),
                       .money(item.amount)])
        }
        sheet.row([.text(total), .empty, .empty, .int(summary.clearingTotal.draws), .money(summary.clearingTotal.amount)])
    }

    static func claims(_ book: Book, _ usage: UsageMonth, _ disclosure: Disclosure, _ w: Words) {
        let reasonWidth = 48.0
        let sheet = book.sheet(w.pick("结算", "Claims"),
                               labels: w.language == .zh ? claimLabels : UsageReports.claimColumns + ["category_code", "family_status_code"],
                               widths: [16, 20, 12, 21, 16, 13, 13, 13, 13, 18, 13, 15, reasonWidth, 14, 14])
        for settled in usage.settlements {
            let claim = settled.claim
            // The reason wraps in its cell, the row as high as it needs: printed whole (Scripts/print-check.py).
            let reason = disclosure.text(w.claimReason(settled))
            sheet.row([.text(disclosure.text(claim.id)), .time(claim.occurredAt), .text(claim.region.text),
                       .text(disclosure.id(claim.person)), .text(w.category(claim.category)), .money(claim.amount),
                       .money(settled.ownAccount), .money(settled.familyShared), .money(settled.cash),
                       .text(w.status(settled.status)), .money(settled.wallet), .money(settled.pot),
                       reason.isEmpty ? .empty : .wrapped(reason), .text(claim.category.rawValue), .text(settled.status.rawValue)],
                      lines: Book.lines(reason, width: reasonWidth))
        }
    }

    static func draws(_ book: Book, _ usage: UsageMonth, _ disclosure: Disclosure, _ w: Words) {
        let sheet = book.sheet(w.pick("共济划扣", "Draws"),
                               labels: w.language == .zh ? drawLabels : UsageReports.shareColumns + ["relation_code", "channel_code"],
                               widths: [16, 20, 21, 21, 12, 13, 17, 13, 12, 13, 12, 12])
        for settled in usage.settlements {
            for draw in settled.draws {
                let threshold: Cell = draw.channel == .quota ? .empty : .money(draw.threshold ?? .zero)
                sheet.row([.text(disclosure.text(settled.claim.id)), .time(settled.claim.occurredAt),
                           .text(disclosure.id(draw.authorizer)), .text(disclosure.id(settled.claim.person)),
                           .text(w.relation(draw.relation)), .money(draw.amount), .money(draw.balanceBefore), threshold,
                           .text(w.channel(draw.channel)), .text(draw.authorizerRegion.text), .text(draw.relation.rawValue),
                           .text(draw.channel.rawValue)])
            }
        }
    }

    static func authorizers(_ book: Book, _ usage: UsageMonth, _ disclosure: Disclosure, _ w: Words) {
        let sheet = book.sheet(w.pick("授权人", "Authorizers"),
                               labels: w.language == .zh ? authorizerLabels : UsageReports.authorizerColumns, widths: [21, 10, 13, 11, 13, 13, 13, 11, 10])
        for row in usage.authorizers {
            let account = row.account
            let threshold: Cell = switch row.threshold {
            case .noThreshold: .money(.zero)
            case let .amount(amount): .money(amount)
            case .unknown: .empty
            }
            sheet.row([.text(disclosure.id(row.authorizer)), .text(row.region.text), .money(account?.opening ?? .zero),
                       .money(account?.credits ?? .zero), .money(account?.ownSpending ?? .zero),
                       .money(account?.sharedOut ?? .zero), .money(account?.closing ?? .zero), threshold,
                       .int(row.beneficiaries)])
        }
    }

    static func legend(_ book: Book, _ w: Words) {
        let sheet = book.sheet(w.pick("代码说明", "Codes"), labels: [w.pick("列", "Column"), w.pick("代码", "Code"), w.pick("含义", "Meaning")],
                               widths: [14, 20, 28])
        for entry in w.legend { sheet.row([.text(entry.column), .text(entry.code), .text(entry.label)]) }
    }
}
