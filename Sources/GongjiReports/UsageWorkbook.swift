import Foundation
import GongjiDomain

/// usage-YYYY-MM.xlsx (docs/formats.md): the month page (sheet 概要) and
/// the claims, draws and authorizers as sheets, for Excel and WPS.
/// Amounts are numbers with a two-decimal format (an IEEE double, exact to
/// the fen for any amount below 90 trillion yuan), times are dates, column
/// labels are Chinese (`--lang en`: the CSV columns' names), the header row
/// is frozen and printed on every page (A4 landscape, fit to the page's
/// width), column widths fit. A coded column shows its label (门诊, not
/// `outpatient`); the codes, for scripts, are in columns of their own at the
/// right (类别代码, ...), and the sheet 代码说明 gives every code's label.
///
/// This file lays out the sheets; XLSXWriter writes them (row by row, in
/// bounded memory). The document's creation time is fixed (the month's
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

    /// Writes the workbook of `usage` at `path` (XLSXWriter: bounded memory,
    /// every write checked).
    /// `rowLimit`: rows a sheet holds (Excel's limit; a test gives a small one).
    /// `progress` is told the rows written so far, now and then (the
    /// sheets' rows: about the claims, draws and authorizers of the month).
    public static func write(_ usage: UsageMonth, page: String, policy: Policy, disclosure: Disclosure, words w: Words = Words(.zh),
                             to path: String, tmpdir: String, rowLimit: Int = 1_048_576,
                             progress: ((_ rows: Int) -> Void)? = nil) throws(Failure) {
        let book = try XLSXWriter(path: path, tmpdir: tmpdir, created: usage.month.firstDay, author: "gongji", rowLimit: rowLimit)
        book.progress = progress
        summary(book, usage, page: page, w)
        claims(book, usage, disclosure, w)
        exceptions(book, usage, disclosure, w)
        draws(book, usage, disclosure, w)
        authorizers(book, usage, disclosure, w)
        legend(book, w)
        progress?(book.rows)
        try book.close()
    }

    /// Sheet 概要: the month page itself (usage-YYYY-MM.md, given as
    /// `page`), so that the printed workbook holds every table and line the
    /// page does (issue 24): the headline, the comparison with the last
    /// month and the year, the thresholds, bindings, the tables by status,
    /// relation, category and region, money across regions, the main
    /// authorizers, the exceptions with their reasons, money set aside, the
    /// credits, the base findings and the import summary. One source for
    /// both: the page's Markdown is laid out here, line by line
    /// (`PageSheet`), its numbers as numbers.
    static func summary(_ book: Book, _ usage: UsageMonth, page: String, _ w: Words) {
        let widths = PageSheet.widths
        let sheet = book.sheet(w.pick("概要", "Summary"), labels: [], widths: widths)
        sheet.row([.text(w.pick("\(usage.month.year)年\(usage.month.month)月 家庭共济", "Family sharing, \(usage.month.text)"))],
                  style: .title)
        PageSheet.lay(page, on: sheet)
    }

    /// Sheet 结算: every claim, as usage-YYYY-MM-claims.csv.
    static func claims(_ book: Book, _ usage: UsageMonth, _ disclosure: Disclosure, _ w: Words) {
        claimSheet(book, w.pick("结算", "Claims"), usage.settlements, disclosure, w)
    }

    /// Sheet 例外: the claims with a reason (paid cash while relatives'
    /// money could have been asked for: partial, no binding, no excess, a
    /// category or a binding refused; docs/formats.md), the same columns as
    /// 结算, so that an analyst finds every exception and its reason on one
    /// sheet. Empty but for its header in a month without one.
    static func exceptions(_ book: Book, _ usage: UsageMonth, _ disclosure: Disclosure, _ w: Words) {
        claimSheet(book, w.pick("例外", "Exceptions"), usage.settlements.filter { !w.claimReason($0).isEmpty }, disclosure, w)
    }

    static func claimSheet(_ book: Book, _ name: String, _ settlements: [ClaimSettlement], _ disclosure: Disclosure, _ w: Words) {
        let reasonWidth = 48.0
        let sheet = book.sheet(name,
                               labels: w.language == .zh ? claimLabels : UsageReports.claimColumns + ["category_code", "family_status_code"],
                               widths: [16, 20, 12, 21, 16, 13, 13, 13, 13, 18, 13, 15, reasonWidth, 14, 14])
        for settled in settlements {
            let claim = settled.claim
            // The reason wraps in its cell, the row as high as it needs: printed whole (Scripts/print-check.py).
            let reason = disclosure.text(w.claimReason(settled))
            sheet.row(lines: Book.lines(reason, width: reasonWidth)) { row in
                row.add(.text(disclosure.text(claim.id)))
                row.add(.time(claim.occurredAt))
                row.add(.region(claim.region))
                row.add(.id(claim.person, reveal: disclosure.reveal))
                row.add(.text(w.category(claim.category)))
                row.add(.money(claim.amount))
                row.add(.money(settled.ownAccount))
                row.add(.money(settled.familyShared))
                row.add(.money(settled.cash))
                row.add(.text(w.status(settled.status)))
                row.add(.money(settled.wallet))
                row.add(.money(settled.pot))
                row.add(reason.isEmpty ? .empty : .wrapped(reason))
                row.add(.text(claim.category.rawValue))
                row.add(.text(settled.status.rawValue))
            }
        }
    }

    static func draws(_ book: Book, _ usage: UsageMonth, _ disclosure: Disclosure, _ w: Words) {
        let sheet = book.sheet(w.pick("共济划扣", "Draws"),
                               labels: w.language == .zh ? drawLabels : UsageReports.shareColumns + ["relation_code", "channel_code"],
                               widths: [16, 20, 21, 21, 12, 13, 17, 13, 12, 13, 12, 12])
        for settled in usage.settlements {
            for draw in settled.draws {
                let threshold: Cell = draw.channel == .quota ? .empty : .money(draw.threshold ?? .zero)
                sheet.row { row in
                    row.add(.text(disclosure.text(settled.claim.id)))
                    row.add(.time(settled.claim.occurredAt))
                    row.add(.id(draw.authorizer, reveal: disclosure.reveal))
                    row.add(.id(settled.claim.person, reveal: disclosure.reveal))
                    row.add(.text(w.relation(draw.relation)))
                    row.add(.money(draw.amount))
                    row.add(.money(draw.balanceBefore))
                    row.add(threshold)
                    row.add(.text(w.channel(draw.channel)))
                    row.add(.region(draw.authorizerRegion))
                    row.add(.text(draw.relation.rawValue))
                    row.add(.text(draw.channel.rawValue))
                }
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
            sheet.row { cells in
                cells.add(.id(row.authorizer, reveal: disclosure.reveal))
                cells.add(.region(row.region))
                cells.add(.money(account?.opening ?? .zero))
                cells.add(.money(account?.credits ?? .zero))
                cells.add(.money(account?.ownSpending ?? .zero))
                cells.add(.money(account?.sharedOut ?? .zero))
                cells.add(.money(account?.closing ?? .zero))
                cells.add(threshold)
                cells.add(.int(row.beneficiaries))
            }
        }
    }

    static func legend(_ book: Book, _ w: Words) {
        let sheet = book.sheet(w.pick("代码说明", "Codes"), labels: [w.pick("列", "Column"), w.pick("代码", "Code"), w.pick("含义", "Meaning")],
                               widths: [14, 20, 28])
        for entry in w.legend { sheet.row([.text(entry.column), .text(entry.code), .text(entry.label)]) }
    }
}

/// A Markdown page (as gongji writes them: headings, lines, GitHub tables,
/// chart images) laid out on a sheet, top to bottom: a heading is a title
/// row, a table its header row and rows, a line of text a row of its own
/// (cut into rows of about a page's width), an image its alt text. A cell
/// that is a grouped amount (`1,234.56`, `-0.50`) becomes a number with the
/// amount format, a grouped count (`1,234`, `17`) a number; codes (440300)
/// and everything else stay text. `**bold**` marks are dropped (a masked
/// ID's stars stay). A cell too
/// long for its column wraps, its row as high as it needs.
enum PageSheet {
    static let widths: [Double] = [26, 20, 20, 20, 20, 20, 20]
    /// What a row of text holds before it goes on to the next row (display columns: a Chinese character takes two).
    static let lineWidth = 130

    static func lay(_ page: String, on sheet: XLSXWriter.Sheet) {
        var inTable = false
        var header = false
        for raw in page.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("|") {
                let cells = split(line)
                if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } && !$0.isEmpty }) { continue }  // | --- | ---: |
                if !inTable { header = true }
                inTable = true
                row(cells, on: sheet, style: header ? .header : .plain)
                header = false
                continue
            }
            inTable = false
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let level = line.prefix { $0 == "#" }.count
                if level == 1 { continue }  // the page's title: the sheet's first row says it
                sheet.skip()
                sheet.row([.text(plain(String(line.dropFirst(level)).trimmingCharacters(in: .whitespaces)))], style: .title)
                continue
            }
            if line.hasPrefix("!["), let end = line.firstIndex(of: "]") {
                sheet.row([.text(plain(String(line[line.index(line.startIndex, offsetBy: 2)..<end])))])
                continue
            }
            for piece in pieces(plain(line)) { sheet.row([.text(piece)]) }
        }
    }

    private static func row(_ cells: [String], on sheet: XLSXWriter.Sheet, style: XLSXWriter.Style) {
        var lines = 1
        let laid: [XLSXWriter.Cell] = cells.enumerated().map { index, text in
            let text = plain(text)
            if style == .plain, let number = number(text) { return number }
            let width = index < widths.count ? widths[index] : widths[widths.count - 1]
            let needed = XLSXWriter.lines(text, width: width)
            guard needed > 1 else { return .text(text) }
            lines = max(lines, needed)
            return .wrapped(text)
        }
        sheet.row(laid, style: style, lines: lines)
    }

    /// A table line's cells, `\|` as a `|` inside a cell (MarkdownTable.escaped).
    static func split(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for character in line.dropFirst() {
            if escaped {
                cell.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
        }
        return cells
    }

    /// `text` without its `**bold**` marks; a masked ID's stars (`440305********1392`) stay.
    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: #"\*\*([^*]+)\*\*"#, with: "$1", options: .regularExpression)
    }

    /// A grouped amount or count as a number cell; nil for anything else.
    static func number(_ text: String) -> XLSXWriter.Cell? {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.count == 1 || (parts[1].count == 2 && parts[1].allSatisfy(\.isASCII)
                                                                   && parts[1].allSatisfy(\.isNumber)) else { return nil }
        let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count),
              groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let digits = groups.joined()
        if parts.count == 2 {
            guard let money = Money(yuanText: (text.hasPrefix("-") ? "-" : "") + digits + "." + parts[1]) else { return nil }
            return .money(money)
        }
        guard let value = Int(digits) else { return nil }
        return .int(text.hasPrefix("-") ? -value : value)
    }

    /// A line of text cut into pieces of about `lineWidth` display columns, at a character.
    static func pieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var piece = ""
        var columns = 0
        for character in text {
            columns += character.unicodeScalars.first.map(XLSXWriter.columns) ?? 1
            piece.append(character)
            if columns >= lineWidth {
                pieces.append(piece)
                piece = ""
                columns = 0
            }
        }
        if !piece.isEmpty { pieces.append(piece) }
        return pieces
    }
}
