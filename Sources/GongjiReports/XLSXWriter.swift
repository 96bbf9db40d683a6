import CXLSXWriter
import Foundation
import GongjiDomain

/// A workbook written with libxlsxwriter, in its constant-memory mode: each
/// row goes to a temporary file in `tmpdir` as it is written, so a city's
/// month does not sit in memory. This type owns every `lxw_` call and
/// checks each result: the first failure (a write, a format, the closing
/// zip) is kept, and `close()` throws it, naming the file.
///
/// Unsafe as libxlsxwriter's C API is: the workbook, its worksheets and
/// formats are libxlsxwriter's, made by `workbook_new_opt` and freed by
/// `workbook_close`, which `close()` calls once; nothing is used after it.
/// Strings given to it are copied before each call returns.
final class XLSXWriter {
    enum Cell {
        case text(String), money(Money), int(Int), time(Timestamp), empty
        /// Text wrapped in its cell: a long reason printed whole
        /// (give the row its `lines`).
        case wrapped(String)
    }

    /// The lines `text` takes wrapped in a column `width` characters wide
    /// (Excel's unit: a digit of the default font; a Chinese character takes
    /// two). An estimate with room to spare, for the row's height: a row
    /// too short cuts the text off the print (Scripts/print-check.py found
    /// reasons cut after three lines).
    static func lines(_ text: String, width: Double) -> Int {
        let columns = text.unicodeScalars.reduce(0) { $0 + Self.columns($1) }
        let usable = max(1, Int(width * 0.85))
        return max(1, (columns + usable - 1) / usable)
    }

    /// Formats of the workbook, made once.
    enum Style { case plain, header, title }

    /// The columns a character takes: two for a Chinese (East Asian wide) one.
    static func columns(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD: 2
        default: 1
        }
    }

    private let workbook: UnsafeMutablePointer<lxw_workbook>
    private let path: String
    private var header, money, time, title, wrap: UnsafeMutablePointer<lxw_format>?
    let rowLimit: lxw_row_t
    /// The first call that failed: what it was and libxlsxwriter's code.
    private(set) var failure: (call: String, code: lxw_error)?
    private var closed = false
    /// Rows written so far in every sheet; `progress` is told them every 16,384 rows.
    private(set) var rows = 0
    var progress: ((_ rows: Int) -> Void)?

    /// A new workbook at `path`, its temporary files in `tmpdir`, created at
    /// `created` (a fixed time: the same inputs give the same bytes).
    /// `rowLimit`: rows a sheet holds (Excel's limit; a test gives a small one).
    init(path: String, tmpdir: String, created: Day, author: String, rowLimit: Int = 1_048_576) throws(UsageWorkbook.Failure) {
        var options = lxw_workbook_options()
        options.constant_memory = 1
        let (made, opening) = Self.quietly {
            tmpdir.withCString { dir -> UnsafeMutablePointer<lxw_workbook>? in
                options.tmpdir = UnsafeMutablePointer(mutating: dir)
                return workbook_new_opt(path, &options)
            }
        }
        guard let made else {
            throw UsageWorkbook.Failure(reason: Self.diskFull(path, said: opening, errno) ? "the disk is full" : "cannot make the workbook",
                                        path: path)
        }
        workbook = made
        self.path = path
        self.rowLimit = lxw_row_t(rowLimit)
        var properties = lxw_doc_properties()
        properties.created = time_t(Int(created.ordinal - Day(year: 1970, month: 1, day: 1)!.ordinal) * 86_400)
        author.withCString { author in
            properties.author = UnsafeMutablePointer(mutating: author)
            check("workbook_set_properties", workbook_set_properties(workbook, &properties))
        }
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
        wrap = workbook_add_format(workbook)
        format_set_text_wrap(wrap)  // bottom-aligned, as the row's other cells
        if header == nil || money == nil || time == nil || title == nil || wrap == nil {
            failure = ("workbook_add_format", LXW_ERROR_MEMORY_MALLOC_FAILED)
        }
    }

    deinit {
        // A workbook never closed (a failure on the way) still frees what libxlsxwriter holds.
        if !closed { _ = workbook_close(workbook) }
    }

    private func check(_ call: String, _ code: lxw_error) {
        if code != LXW_NO_ERROR && failure == nil { failure = (call, code) }
    }

    private func format(_ style: Style) -> UnsafeMutablePointer<lxw_format>? {
        switch style {
        case .plain: nil
        case .header: header
        case .title: title
        }
    }

    /// A sheet with its column widths and, unless `labels` is empty, a frozen header row.
    func sheet(_ name: String, labels: [String], widths: [Double]) -> Sheet {
        let sheet = Sheet(self, name: name, labels: labels, widths: widths)
        sheet.start()
        return sheet
    }

    /// Writes the file (libxlsxwriter zips the sheets here) and frees the workbook.
    func close() throws(UsageWorkbook.Failure) {
        closed = true
        let ((status, error), said) = Self.quietly { (workbook_close(workbook), errno) }
        if status != LXW_NO_ERROR || failure != nil, Self.diskFull(path, said: said, error) {
            throw UsageWorkbook.Failure(reason: "the disk is full", path: path)
        }
        if let failure {
            throw UsageWorkbook.Failure(reason: "\(failure.call): \(String(cString: lxw_strerror(failure.code)))", path: path)
        }
        guard status == LXW_NO_ERROR else {
            throw UsageWorkbook.Failure(reason: String(cString: lxw_strerror(status)), path: path)
        }
    }

    /// Held while standard error is redirected: two workbooks written at
    /// once (the month's and the audit's, or tests in parallel) would each
    /// save the other's pipe as "the real standard error". Recursive: a
    /// caller may wrap a whole workbook (whose calls catch their own) in one
    /// more.
    private static let redirecting = NSRecursiveLock()

    /// Runs `body` with libxlsxwriter's messages on standard error caught:
    /// it prints its errors there (`[ERROR] workbook_close(): Zip generic
    /// error ...`), and gongji says what went wrong in its own one line.
    /// Returns what libxlsxwriter printed.
    ///
    /// Descriptor 2 is the process's, not a thread's: while it points at the
    /// pipe, whatever another thread prints (the progress line, a warning;
    /// a city's workbook zips for seconds) goes there too. A reader thread
    /// drains the pipe as it fills and passes every line that is not
    /// libxlsxwriter's (`[ERROR]`, `[WARNING]`) on to the real standard
    /// error at once, so nothing another thread says is lost or held up
    /// (CI's full-disk test caught the test runner's own lines).
    static func quietly<T>(_ body: () -> T) -> (T, String) {
        redirecting.lock()
        defer { redirecting.unlock() }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return (body(), "") }
        fflush(nil)
        let saved = dup(STDERR_FILENO)
        guard saved >= 0 else {
            closeDescriptor(ends[0])
            closeDescriptor(ends[1])
            return (body(), "")
        }
        let reader = PipeReader(read: ends[0], passOn: saved)
        let thread = Thread { reader.run() }
        thread.start()
        dup2(ends[1], STDERR_FILENO)
        closeDescriptor(ends[1])  // descriptor 2 is now the pipe's one writing end
        let result = body()
        fflush(nil)
        dup2(saved, STDERR_FILENO)  // the pipe's last writing end closes: the reader reads its end
        reader.finished.wait()
        closeDescriptor(ends[0])
        closeDescriptor(saved)
        return (result, reader.said)
    }

    /// Reads the pipe until its end; keeps libxlsxwriter's lines, writes the
    /// others to `passOn` (the real standard error) as they come.
    private final class PipeReader: @unchecked Sendable {  // `said` is read after `finished` is signalled
        let read: Int32, passOn: Int32
        let finished = DispatchSemaphore(value: 0)
        private var kept = Data()
        var said: String { String(decoding: kept, as: UTF8.self) }

        init(read: Int32, passOn: Int32) {
            self.read = read
            self.passOn = passOn
        }

        func run() {
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = Foundation.read(read, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                pending.append(contentsOf: buffer[0..<count])
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    take(pending[pending.startIndex...newline])
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { take(pending) }
            finished.signal()
        }

        private func take(_ line: Data) {
            if line.starts(with: Data("[ERROR]".utf8)) || line.starts(with: Data("[WARNING]".utf8)) {
                kept.append(line)
                return
            }
            line.withUnsafeBytes { bytes in
                var at = 0
                while at < bytes.count {
                    let written = write(passOn, bytes.baseAddress! + at, bytes.count - at)
                    if written < 0, errno == EINTR { continue }
                    if written <= 0 { return }
                    at += written
                }
            }
        }
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

    /// One worksheet, written row after row (constant-memory mode). A sheet
    /// holds at most `rowLimit` rows (Excel's 1,048,576): the rows after
    /// that go on to a sheet of the same name with a number (结算 2, 结算 3,
    /// ...), so no row is lost.
    final class Sheet {
        unowned let book: XLSXWriter
        let name: String
        let labels: [String]
        let widths: [Double]
        private var sheet: UnsafeMutablePointer<lxw_worksheet>?
        private var next: lxw_row_t = 0
        private var part = 1

        init(_ book: XLSXWriter, name: String, labels: [String], widths: [Double]) {
            self.book = book
            self.name = name
            self.labels = labels
            self.widths = widths
        }

        /// Adds the (next) worksheet, with its widths and header row.
        func start() {
            sheet = workbook_add_worksheet(book.workbook, part == 1 ? name : "\(name) \(part)")
            if sheet == nil { book.failure = book.failure ?? ("workbook_add_worksheet", LXW_ERROR_MEMORY_MALLOC_FAILED) }
            next = 0
            for (column, width) in widths.enumerated() {
                book.check("worksheet_set_column", worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), width, nil))
            }
            // Printed as a report is handed on: A4 landscape, every column on
            // one page's width, the header row on every page, page numbers.
            worksheet_set_paper(sheet, 9)  // these four return nothing
            worksheet_set_landscape(sheet)
            worksheet_fit_to_pages(sheet, 1, 0)
            worksheet_set_margins(sheet, 0.4, 0.4, 0.6, 0.6)
            book.check("worksheet_set_footer", worksheet_set_footer(sheet, "&C&A  &P / &N"))
            if !labels.isEmpty {
                row(labels.map(Cell.text), style: .header)
                worksheet_freeze_panes(sheet, 1, 0)  // returns nothing
                book.check("worksheet_repeat_rows", worksheet_repeat_rows(sheet, 0, 0))
            }
        }

        /// One row; `lines` > 1 makes it that many lines high (15 points a line), for a wrapped cell.
        func row(_ cells: [Cell], style: Style = .plain, lines: Int = 1) {
            if next == book.rowLimit {
                part += 1
                start()
            }
            if lines > 1 {
                book.check("worksheet_set_row", worksheet_set_row(sheet, next, 15 * Double(lines), nil))
            }
            let format = book.format(style)
            for (index, cell) in cells.enumerated() {
                let column = lxw_col_t(index)
                switch cell {
                case let .text(value):
                    book.check("worksheet_write_string", worksheet_write_string(sheet, next, column, value, format))
                case let .wrapped(value):
                    book.check("worksheet_write_string", worksheet_write_string(sheet, next, column, value, book.wrap))
                // A spreadsheet's numbers are doubles: the one place fen become one (exact below 90 trillion yuan).
                case let .money(value):
                    book.check("worksheet_write_number", worksheet_write_number(sheet, next, column, Double(value.fen) / 100, book.money))
                case let .int(value):
                    book.check("worksheet_write_number", worksheet_write_number(sheet, next, column, Double(value), format))
                case let .time(value):
                    let day = value.day, second = value.second
                    var date = lxw_datetime(year: Int32(day.year), month: Int32(day.month), day: Int32(day.day),
                                            hour: Int32(second / 3600), min: Int32(second / 60 % 60), sec: Double(second % 60))
                    book.check("worksheet_write_datetime", worksheet_write_datetime(sheet, next, column, &date, book.time))
                case .empty: break
                }
            }
            next += 1
            book.rows += 1
            if book.rows & 0x3FFF == 0 { book.progress?(book.rows) }
        }

        func skip() { next += 1 }
    }
}

/// `close(2)`, by a name `XLSXWriter.close()` does not hide.
private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }
