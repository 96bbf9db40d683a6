import CXLSXWriter
import Foundation
import GongjiDomain

/// usage-YYYY-MM.xlsx (docs/formats.md): the month page's summary tables
/// and the claims, draws and authorizers as sheets, for Excel and WPS.
/// Amounts are numbers with a two-decimal format (an IEEE double, exact to
/// the fen for any amount below 90 trillion yuan), times are dates, column
/// labels are Chinese (`--lang en`: the CSV columns' names), the header row
/// is frozen, column widths fit. Codes stay codes, as in the CSV files; the
/// sheet 代码说明 gives their labels.
///
/// Written with libxlsxwriter in its constant-memory mode: each row goes
/// to a temporary file in `tmpdir` as it is written, so a city's month does
/// not sit in memory. The document's creation time is fixed (the month's
/// first day), so the same inputs give the same bytes.
public enum UsageWorkbook {
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, without the path (`the disk is full`).
        public let reason: String
        public let path: String
        public var description: String { "\(path): cannot write the workbook: \(reason)" }
    }

    public static let claimLabels = ["理赔编号", "发生时间", "结算统筹区", "参保人", "类别", "金额", "个人账户支付", "家庭共济支付",
                                     "现金支付", "共济状态", "医保钱包支付", "家庭共济账户支付"]
    public static let drawLabels = ["理赔编号", "发生时间", "授权人", "受益人", "关系", "金额", "授权人支付前余额", "门槛",
                                    "渠道", "授权人统筹区"]
    public static let authorizerLabels = ["授权人", "统筹区", "期初余额", "划入", "本人支出", "共济支出", "期末余额", "门槛",
                                          "受益人数"]

    /// Writes the workbook of `usage` at `path`.
    /// `rowLimit`: rows a sheet holds (Excel's limit; a test gives a small one).
    public static func write(_ usage: UsageMonth, policy: Policy, disclosure: Disclosure, words w: Words = Words(.zh),
                             to path: String, tmpdir: String, rowLimit: Int = 1_048_576) throws(Failure) {
        var options = lxw_workbook_options()
        options.constant_memory = 1
        let (made, opening) = quietly {
            tmpdir.withCString { dir -> UnsafeMutablePointer<lxw_workbook>? in
                options.tmpdir = UnsafeMutablePointer(mutating: dir)
                return workbook_new_opt(path, &options)
            }
        }
        guard let workbook = made else {
            throw Failure(reason: diskFull(path, said: opening, errno) ? "the disk is full" : "cannot make the workbook", path: path)
        }
        var properties = lxw_doc_properties()
        properties.created = time_t(Int(usage.month.firstDay.ordinal - Day(year: 1970, month: 1, day: 1)!.ordinal) * 86_400)
        "gongji".withCString { author in
            properties.author = UnsafeMutablePointer(mutating: author)
            _ = workbook_set_properties(workbook, &properties)
        }
        let book = Book(workbook, rowLimit: lxw_row_t(rowLimit))
        summary(book, usage, policy: policy, w)
        claims(book, usage, disclosure, w)
        draws(book, usage, disclosure, w)
        authorizers(book, usage, disclosure, w)
        legend(book, w)
        let ((status, error), said) = quietly { (workbook_close(workbook), errno) }
        guard status == LXW_NO_ERROR else {
            if diskFull(path, said: said, error) { throw Failure(reason: "the disk is full", path: path) }
            throw Failure(reason: String(cString: lxw_strerror(status)), path: path)
        }
    }

    /// Runs `body` with standard error caught: libxlsxwriter prints its
    /// errors there (`[ERROR] workbook_close(): Zip generic error ...`); gongji
    /// says what went wrong in its own one line. Returns what was printed.
    static func quietly<T>(_ body: () -> T) -> (T, String) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return (body(), "") }
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)  // a flood of messages is cut short, never a hang
        fflush(nil)
        let saved = dup(STDERR_FILENO)
        dup2(ends[1], STDERR_FILENO)
        let result = body()
        fflush(nil)
        dup2(saved, STDERR_FILENO)
        close(saved)
        close(ends[1])
        var said = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(ends[0], &buffer, buffer.count)
            if count <= 0 { break }
            said.append(contentsOf: buffer[0..<count])
        }
        close(ends[0])
        return (result, String(decoding: said, as: UTF8.self))
    }

    /// Whether a failure to write at `path` was the disk filling: the
    /// system said so (ENOSPC, in `errno` or libxlsxwriter's words), or the
    /// folder's file system has less than a MiB free.
    static func diskFull(_ path: String, said: String, _ error: Int32) -> Bool {
        if error == ENOSPC || said.contains(String(cString: strerror(ENOSPC))) { return true }
        var space = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &space) == 0 else { return false }
        return UInt64(space.f_bavail) * UInt64(space.f_frsize) < 1 << 20
    }

    /// The workbook's formats, made once.
    final class Book {
        let workbook: UnsafeMutablePointer<lxw_workbook>
        let header, money, time, title: UnsafeMutablePointer<lxw_format>?
        let rowLimit: lxw_row_t

        init(_ workbook: UnsafeMutablePointer<lxw_workbook>, rowLimit: lxw_row_t) {
            self.workbook = workbook
            self.rowLimit = rowLimit
            header = workbook_add_format(workbook)
            format_set_bold(header)
            format_set_bottom(header, UInt8(LXW_BORDER_THIN.rawValue))
            money = workbook_add_format(workbook)
            format_set_num_format(money, "#,##0.00")
            time = workbook_add_format(workbook)
            format_set_num_format(time, "yyyy-mm-dd hh:mm:ss")
            title = workbook_add_format(workbook)
            format_set_bold(title)
            format_set_font_size(title, 12)
        }

        func sheet(_ name: String, labels: [String], widths: [Double]) -> Sheet {
            let sheet = Sheet(self, name: name, labels: labels, widths: widths)
            sheet.start()
            return sheet
        }
    }

    enum Cell {
        case text(String), money(Money), int(Int), time(Timestamp), empty
    }

    /// One worksheet, written row after row (constant-memory mode). A sheet
    /// holds at most Excel's 1,048,576 rows: the rows after that go on to a
    /// sheet of the same name with a number (理赔 2, 理赔 3, ...), so no row is lost.
    final class Sheet {
        let book: Book
        let name: String
        let labels: [String]
        let widths: [Double]
        var sheet: UnsafeMutablePointer<lxw_worksheet>?
        var next: lxw_row_t = 0
        var part = 1

        init(_ book: Book, name: String, labels: [String], widths: [Double]) {
            self.book = book
            self.name = name
            self.labels = labels
            self.widths = widths
        }

        /// Adds the (next) worksheet, with its widths and header row.
        func start() {
            sheet = workbook_add_worksheet(book.workbook, part == 1 ? name : "\(name) \(part)")
            next = 0
            for (column, width) in widths.enumerated() {
                worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), width, nil)
            }
            if !labels.isEmpty {
                row(labels.map(Cell.text), format: book.header)
                worksheet_freeze_panes(sheet, 1, 0)
            }
        }

        func row(_ cells: [Cell], format: UnsafeMutablePointer<lxw_format>? = nil) {
            if next == book.rowLimit {
                part += 1
                start()
            }
            for (index, cell) in cells.enumerated() {
                let column = lxw_col_t(index)
                switch cell {
                case let .text(value): worksheet_write_string(sheet, next, column, value, format)
                // A spreadsheet's numbers are doubles: the one place fen become one (exact below 90 trillion yuan).
                case let .money(value): worksheet_write_number(sheet, next, column, Double(value.fen) / 100, book.money)
                case let .int(value): worksheet_write_number(sheet, next, column, Double(value), format)
                case let .time(value):
                    let day = value.day, second = value.second
                    var date = lxw_datetime(year: Int32(day.year), month: Int32(day.month), day: Int32(day.day),
                                            hour: Int32(second / 3600), min: Int32(second / 60 % 60), sec: Double(second % 60))
                    worksheet_write_datetime(sheet, next, column, &date, book.time)
                case .empty: break
                }
            }
            next += 1
        }

        func skip() { next += 1 }
    }

    /// The page's summary tables, one under another.
    static func summary(_ book: Book, _ usage: UsageMonth, policy: Policy, _ w: Words) {
        let sheet = book.sheet(w.pick("概要", "Summary"), labels: [], widths: [24, 16, 16, 16, 16, 16, 16])
        let summary = UsageSummary(usage)
        func name(_ code: RegionCode) -> String { "\(code) \(policy.regions[code]?.name ?? "")" }
        sheet.row([.text(w.pick("\(usage.month.year)年\(usage.month.month)月 家庭共济", "Family sharing, \(usage.month.text)"))],
                  format: book.title)
        sheet.skip()
        func totals(_ title: String, _ first: String, _ rows: [(String, ClaimTotals)]) {
            sheet.row([.text(title)], format: book.title)
            sheet.row([first, w.pick("笔数", "Claims"), w.pick("金额", "Amount"), w.pick("个人账户", "Own account"),
                       w.pick("钱包和共济账户", "Wallet, pot"), w.pick("家庭共济", "Family shared"), w.pick("现金", "Cash")]
                .map(Cell.text), format: book.header)
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
        sheet.row([.text(w.pick("按亲属关系", "By relation"))], format: book.title)
        sheet.row([w.pick("关系", "Relation"), count, amount].map(Cell.text), format: book.header)
        for (relation, totals) in summary.byRelation {
            sheet.row([.text(w.relation(relation)), .int(totals.draws), .money(totals.amount)])
        }
        sheet.row([.text(total), .int(summary.draws), .money(summary.total.family)])
        sheet.skip()

        sheet.row([.text(w.pick("资金来源", "Paid from"))], format: book.title)
        sheet.row([w.pick("来源", "Source"), count, amount].map(Cell.text), format: book.header)
        let sources = PaidFrom(usage.settlements)
        for (label, claims, sum) in sources.rows(w) { sheet.row([.text(label), .int(claims), .money(sum)]) }
        sheet.row([.text(total), .int(usage.settlements.count), .money(sources.total)])
        sheet.skip()

        sheet.row([.text(w.pick("跨统筹区资金", "Money across regions"))], format: book.title)
        sheet.row([w.pick("付款统筹区", "Payer region"), w.pick("收款统筹区", "Payee region"), w.pick("渠道", "Channel"), count, amount]
            .map(Cell.text), format: book.header)
        for item in usage.clearing {
            sheet.row([.text(name(item.payer)), .text(name(item.payee)), .text(w.channel(item.channel)), .int(item.draws),
                       .money(item.amount)])
        }
        sheet.row([.text(total), .empty, .empty, .int(summary.clearingTotal.draws), .money(summary.clearingTotal.amount)])
    }

    static func claims(_ book: Book, _ usage: UsageMonth, _ disclosure: Disclosure, _ w: Words) {
        let sheet = book.sheet(w.pick("理赔", "Claims"), labels: w.language == .zh ? claimLabels : UsageReports.claimColumns, widths: [16, 20, 12, 21, 16, 13, 13, 13, 13, 18, 13, 15])
        for settled in usage.settlements {
            let claim = settled.claim
            sheet.row([.text(disclosure.text(claim.id)), .time(claim.occurredAt), .text(claim.region.text),
                       .text(disclosure.id(claim.person)), .text(claim.category.rawValue), .money(claim.amount),
                       .money(settled.ownAccount), .money(settled.familyShared), .money(settled.cash),
                       .text(settled.status.rawValue), .money(settled.wallet), .money(settled.pot)])
        }
    }

    static func draws(_ book: Book, _ usage: UsageMonth, _ disclosure: Disclosure, _ w: Words) {
        let sheet = book.sheet(w.pick("共济划扣", "Draws"), labels: w.language == .zh ? drawLabels : UsageReports.shareColumns, widths: [16, 20, 21, 21, 12, 13, 17, 13, 12, 13])
        for settled in usage.settlements {
            for draw in settled.draws {
                let threshold: Cell = draw.channel == .quota ? .empty : .money(draw.threshold ?? .zero)
                sheet.row([.text(disclosure.text(settled.claim.id)), .time(settled.claim.occurredAt),
                           .text(disclosure.id(draw.authorizer)), .text(disclosure.id(settled.claim.person)),
                           .text(draw.relation.rawValue), .money(draw.amount), .money(draw.balanceBefore), threshold,
                           .text(draw.channel.rawValue), .text(draw.authorizerRegion.text)])
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
