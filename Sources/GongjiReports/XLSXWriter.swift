import Foundation
import GongjiDomain

/// A workbook (.xlsx), written by gongji itself: each sheet's XML is made
/// row by row on the caller's thread and deflated on another (the second
/// core) into an unlinked temporary file, so a city's month does not sit in
/// memory and a killed run leaves no file behind; `close()` zips the parts
/// (ZipArchive). The XML is what libxlsxwriter 1.1.4 wrote for the same
/// calls (XLSXParts; docs/formats.md, "The workbook"), deflated by `DeflateEncoder`.
///
/// Why not libxlsxwriter any more (issue 21): it deflates at zlib's default
/// level with no setting, 4.2 s of a city month's workbook where level 1
/// takes 0.7 s, it formats every cell with `fprintf` into a temporary file
/// and reads it back to zip it, all on one thread, and it prints its errors
/// on the process's standard error, which had to be caught around every
/// call. Measured on a 1,000,000-person month (docs/architecture.md, "Speed").
///
/// The first failure (a write, a cell's text too long for Excel) is kept,
/// and `close()` throws it, naming the file.
final class XLSXWriter {
    enum Cell {
        case text(String), money(Money), int(Int), time(Timestamp), empty
        /// An ID as text, masked unless `reveal` (`Disclosure`), and a
        /// region code: the same cell as `.text` of the same characters,
        /// written without making a String (a city month's claims sheet
        /// made one for each, 14% of the sheet's time, perf).
        case id(ResidentID, reveal: Bool), region(RegionCode)
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

    /// A row's style: the format of its text and count cells.
    enum Style { case plain, header, title }

    /// The columns a character takes: two for a Chinese (East Asian wide) one.
    static func columns(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD: 2
        default: 1
        }
    }

    /// Excel's limit on a cell's characters (UTF-16 units).
    static let textLimit = 32_767

    private let path: String
    private let tmpdir: String
    private let created: Day
    private let author: String
    private let archive: ZipArchive
    let rowLimit: Int
    /// Every worksheet, in the workbook's order.
    private var parts: [Part] = []
    /// Formats in the order of their first use; a cell's `s` is its index + 1.
    private var formats: [XLSXParts.Format] = []
    /// Each format's `s` by `Format.slot`, 0 before its first use: a table
    /// looked up for most cells of a city's month, so neither a dictionary
    /// nor an array property (whose storage was retained and released for
    /// each money cell, perf) but memory of its own. Made once the archive
    /// is open (a throwing init runs no `deinit`), freed in `deinit`.
    private let formatIndex: UnsafeMutablePointer<Int>
    /// The first failure, on either thread.
    private let failures = Failures()
    private var closed = false
    /// Rows written so far in every sheet; `progress` is told them every 16,384 rows.
    private(set) var rows = 0
    var progress: ((_ rows: Int) -> Void)?
    /// Deflates the sheets' rows on another thread while this one makes their XML.
    private let deflating = DispatchQueue(label: "gongji.workbook.deflate")
    /// XML chunks handed to `deflating` and not yet deflated: at most 3 (of `Part.chunk` bytes), so memory stays bounded.
    private let slots = DispatchSemaphore(value: 3)
    private let spare = SpareBuffers()

    /// A new workbook at `path`, its temporary files in `tmpdir`, created at
    /// `created` (a fixed time: the same inputs give the same bytes).
    /// `rowLimit`: rows a sheet holds (Excel's limit; a test gives a small one).
    init(path: String, tmpdir: String, created: Day, author: String, rowLimit: Int = 1_048_576) throws(UsageWorkbook.Failure) {
        self.path = path
        self.tmpdir = tmpdir
        self.created = created
        self.author = author
        self.rowLimit = rowLimit
        do throws(IOFailure) { archive = try ZipArchive(path: path) } catch { throw UsageWorkbook.Failure(reason: error.reason, path: path) }
        formatIndex = .allocate(capacity: XLSXParts.Format.count)
        formatIndex.initialize(repeating: 0, count: XLSXParts.Format.count)
    }

    deinit { formatIndex.deallocate() }

    /// A sheet with its column widths and, unless `labels` is empty, a frozen header row.
    func sheet(_ name: String, labels: [String], widths: [Double]) -> Sheet {
        let sheet = Sheet(self, name: name, labels: labels, widths: widths)
        sheet.start()
        return sheet
    }

    /// Zips the parts into the file, flushes it to disk and closes it.
    func close() throws(UsageWorkbook.Failure) {
        precondition(!closed, "a workbook is closed once")
        closed = true
        for part in parts { finish(part) }
        deflating.sync {}  // every part deflated
        do throws(IOFailure) {
            if let reason = failures.first { throw IOFailure(reason: reason) }
            let sheets = parts.map { XLSXParts.Sheet(name: $0.name, printTitles: $0.header) }
            try archive.add("[Content_Types].xml", [Self.deflate(XLSXParts.contentTypes(sheets: parts.count), last: true)])
            try archive.add("_rels/.rels", [Self.deflate(XLSXParts.rootRelationships, last: true)])
            try archive.add("xl/_rels/workbook.xml.rels", [Self.deflate(XLSXParts.workbookRelationships(sheets: parts.count), last: true)])
            for (index, part) in parts.enumerated() {
                guard let rows = part.deflated.value else { throw IOFailure(reason: "a sheet was not deflated") }
                // A sheet with no row has `<sheetData/>` (the tail), not an opened one.
                let head = XLSXParts.sheetHead(dimension: part.dimension, selected: index == 0, frozenHeader: part.header,
                                               widths: part.widths) + (part.anyRow ? "<sheetData>" : "")
                try archive.add("xl/worksheets/sheet\(index + 1).xml",
                                [Self.deflate(head, last: false), rows, Self.deflate(XLSXParts.sheetTail(empty: !part.anyRow), last: true)])
            }
            try archive.add("xl/workbook.xml", [Self.deflate(XLSXParts.workbook(sheets), last: true)])
            try archive.add("xl/theme/theme1.xml", [Self.deflate(XLSXParts.theme, last: true)])
            try archive.add("xl/styles.xml", [Self.deflate(XLSXParts.styles(formats), last: true)])
            try archive.add("docProps/core.xml", [Self.deflate(XLSXParts.core(author: author, created: created.text), last: true)])
            try archive.add("docProps/app.xml", [Self.deflate(XLSXParts.app(sheets), last: true)])
            try archive.finish()
        } catch {
            throw UsageWorkbook.Failure(reason: error.reason, path: path)
        }
    }

    private static func deflate(_ text: String, last: Bool) throws(IOFailure) -> Deflated {
        let deflater = try Deflater()
        try Array(text.utf8).withRaw { raw throws(IOFailure) in try deflater.add(raw) }
        return try deflater.finish(last: last)
    }

    /// The `s` of a cell in `format`, given on its first use. Inlined: a
    /// call through the sheet's unowned reference took a retain and a
    /// release of the book for each styled cell (perf, a city's authorizers).
    @inline(__always)
    fileprivate func style(_ format: XLSXParts.Format) -> Int {
        let known = formatIndex[format.slot]
        return known != 0 ? known : firstUse(format)
    }

    @inline(never)
    private func firstUse(_ format: XLSXParts.Format) -> Int {
        formats.append(format)
        formatIndex[format.slot] = formats.count
        return formats.count
    }

    fileprivate func fail(_ reason: String) { failures.keep(reason) }

    /// Hands a part's XML written so far to the deflating thread.
    fileprivate func send(_ part: Part) {
        guard part.xml.count > 0 else { return }
        // After a failure (the disk full) the rest is not deflated: `close()` throws it.
        guard failures.first == nil else {
            part.xml.removeAll()
            return
        }
        let chunk = part.xml
        part.xml = spare.take()
        guard let deflater = part.deflater else { return }
        let failures = failures, slots = slots, spare = spare
        slots.wait()
        deflating.async {
            do throws(IOFailure) {
                try deflater.add(chunk.raw)
            } catch {
                failures.keep(error.reason)
            }
            spare.give(chunk)
            slots.signal()
        }
    }

    /// Ends a part's rows: its last XML deflated, the piece kept.
    fileprivate func finish(_ part: Part) {
        guard !part.finished else { return }
        part.finished = true
        send(part)
        part.xml = ByteBuffer(capacity: 0)
        guard let deflater = part.deflater else { return }
        part.deflater = nil
        let failures = failures, result = part.deflated
        deflating.async {
            do throws(IOFailure) { result.value = try deflater.finish(last: false) } catch { failures.keep(error.reason) }
        }
    }

    /// One worksheet of the package: its rows' XML on the way to deflating,
    /// and the extent of its cells (`<dimension>`).
    fileprivate final class Part {
        /// XML gathered before it goes to deflating.
        static let chunk = 1 << 20
        let name: String
        let widths: [Double]
        let header: Bool
        var xml = ByteBuffer(capacity: Part.chunk + 4096)
        var deflater: Deflater?
        let deflated = Box()
        var finished = false
        var anyRow = false
        var first: (row: Int, column: Int)?
        var last = (row: 0, column: 0)

        init(name: String, widths: [Double], header: Bool, deflater: Deflater?) {
            self.name = name
            self.widths = widths
            self.header = header
            self.deflater = deflater
        }

        /// `A1:O132` (rows and columns from 0), or the one cell, or `A1` for a sheet with none.
        var dimension: String {
            guard let first else { return "A1" }
            let start = Self.reference(first.row, first.column)
            return first == last ? start : start + ":" + Self.reference(last.row, last.column)
        }

        static func reference(_ row: Int, _ column: Int) -> String {
            String(decoding: XMLBytes.columnName(column), as: UTF8.self) + String(row + 1)
        }

        func cell(_ row: Int, _ column: Int) {
            if let start = first {
                first = (min(start.row, row), min(start.column, column))
                last = (max(last.row, row), max(last.column, column))
            } else {
                first = (row, column)
                last = (row, column)
            }
        }
    }

    /// A piece deflated on the other thread, read after it is drained.
    fileprivate final class Box: @unchecked Sendable {  // written on `deflating`, read after `deflating.sync`
        var value: Deflated?
    }

    /// Chunk buffers deflated and ready again: a new MiB for each chunk
    /// faulted its pages in anew (8% of a city month's row writing, perf).
    private final class SpareBuffers: @unchecked Sendable {  // every access under `lock`
        private let lock = NSLock()
        private var buffers: [ByteBuffer] = []

        func take() -> ByteBuffer {
            lock.withLock { buffers.popLast() } ?? ByteBuffer(capacity: Part.chunk + 4096)
        }

        /// Keeps `buffer` for the next chunk; a few at most (as many as chunks wait to deflate).
        func give(_ buffer: ByteBuffer) {
            buffer.removeAll()
            lock.withLock { if buffers.count < 4 { buffers.append(buffer) } }
        }
    }

    /// The first failure of either thread.
    private final class Failures: @unchecked Sendable {  // every access under `lock`
        private let lock = NSLock()
        private var reason: String?
        var first: String? { lock.withLock { reason } }
        func keep(_ text: String) { lock.withLock { if reason == nil { reason = text } } }
    }

    /// One worksheet, written row after row. A sheet holds at most
    /// `rowLimit` rows (Excel's 1,048,576): the rows after that go on to a
    /// sheet of the same name with a number (结算 2, 结算 3, ...), so no row
    /// is lost.
    final class Sheet {
        // Unsafe: not checked, where `unowned` took an atomic retain at each use (7% of a city
        // month's row writing, perf). A sheet is made by its book and used while it is open. A method
        // of the book called through it still retains the book for the call: the hot ones are inlined.
        unowned(unsafe) let book: XLSXWriter
        /// The same book, for the styles of each cell: `book.style` through the
        /// `unowned(unsafe)` reference still retained and released the book
        /// around each money cell (it may call `firstUse`; perf, the city year's
        /// authorizers: 76 samples of 473 in the workbook's writing).
        private let styles: Unmanaged<XLSXWriter>
        let name: String
        let labels: [String]
        let widths: [Double]
        private var current: Part!
        private var next = 0
        private var number = 1

        init(_ book: XLSXWriter, name: String, labels: [String], widths: [Double]) {
            self.book = book
            styles = .passUnretained(book)
            self.name = name
            self.labels = labels
            self.widths = widths
        }

        /// Adds the (next) worksheet, with its widths and header row.
        func start() {
            if let current { book.finish(current) }
            var deflater: Deflater?
            do throws(IOFailure) { deflater = try Deflater(temporaryIn: book.tmpdir) } catch { book.fail(error.reason) }
            current = Part(name: number == 1 ? name : "\(name) \(number)", widths: widths, header: !labels.isEmpty, deflater: deflater)
            book.parts.append(current)
            next = 0
            if !labels.isEmpty { row(labels.map(Cell.text), style: .header) }
        }

        /// One row; `lines` > 1 makes it that many lines high (15 points a line), for a wrapped cell.
        func row(_ cells: [Cell], style: Style = .plain, lines: Int = 1) {
            row(style: style, lines: lines) { row in
                for cell in cells { row.add(cell) }
            }
        }

        /// One row, its cells added by `fill` from the first column on: a
        /// sheet of a city's month writes a million rows, and an array of
        /// cells for each, made and freed, took its allocations and a
        /// retain and release of every text (perf, a city's authorizers).
        @inline(__always)
        func row(style: Style = .plain, lines: Int = 1, _ fill: (inout Cells) -> Void) {
            if next >= book.rowLimit {
                number += 1
                start()
            }
            unowned(unsafe) let part = current!
            let rowFormat: XLSXParts.Format? = switch style {
            case .plain: nil
            case .header: .header
            case .title: .title
            }
            var cells = Cells(sheet: self, xml: RowXML(XMLBytes(buffer: part.xml), row: next, lines: lines), format: rowFormat)
            fill(&cells)
            var row = cells.xml
            if row.opened {
                row.out.add("</row>")
            } else if lines > 1 {  // a row with a height and no cell
                row.open(closed: true)
            }
            if row.lastColumn >= 0 {  // the sheet's extent, once a row
                part.cell(row.row, row.firstColumn)
                part.cell(row.row, row.lastColumn)
            }
            if row.opened { part.anyRow = true }
            if part.xml.count >= Part.chunk { book.send(part) }
            next += 1
            book.rows += 1
            if book.rows & 0x3FFF == 0 { book.progress?(book.rows) }
        }

        /// A row's cells as they are added, each in the next column. Not
        /// copyable: it lives only for its row, passed `inout` to the row's closure.
        struct Cells: ~Copyable {
            /// Unretained, and used through `_withUnsafeGuaranteedRef`: an
            /// `unowned(unsafe)` sheet took a retain and a release for each cell.
            private let sheet: Unmanaged<Sheet>
            fileprivate var xml: RowXML
            private let format: XLSXParts.Format?
            private var column = 0

            fileprivate init(sheet: Sheet, xml: RowXML, format: XLSXParts.Format?) {
                self.sheet = .passUnretained(sheet)
                self.xml = xml
                self.format = format
            }

            @inline(__always)
            mutating func add(_ cell: Cell) {
                let format = format, column = column
                sheet._withUnsafeGuaranteedRef { $0.write(cell, format, column, &xml) }
                self.column = column + 1
            }
        }

        /// The `s` of a cell in `format`, if any.
        @inline(__always)
        private func style(_ format: XLSXParts.Format?) -> Int? {
            guard let format else { return nil }
            return style(format)
        }

        @inline(__always)
        private func style(_ format: XLSXParts.Format) -> Int {
            styles._withUnsafeGuaranteedRef { $0.style(format) }
        }

        /// One cell in `column` (`.empty` writes nothing).
        @inline(__always)
        private func write(_ cell: Cell, _ rowFormat: XLSXParts.Format?, _ column: Int, _ row: inout RowXML) {
            switch cell {
            case let .text(value):
                text(value, rowFormat, column, &row)
            case let .wrapped(value):
                text(value, .wrap, column, &row)
            case let .id(id, reveal):
                plainText(rowFormat, column, &row) { $0.add(id: id, masked: !reveal) }
            case let .region(code):
                plainText(rowFormat, column, &row) { $0.add(region: code) }
            case let .money(value):
                start(column, style(.money), &row)
                row.out.add("><v>")
                row.out.add(money: value)
                row.out.add("</v></c>")
            case let .int(value):
                start(column, style(rowFormat), &row)
                row.out.add("><v>")
                row.out.add(value)
                row.out.add("</v></c>")
            case let .time(value):
                start(column, style(.time), &row)
                row.out.add("><v>")
                row.out.add(excelTime: value)
                row.out.add("</v></c>")
            case .empty:
                break
            }
        }

        /// A row's XML as it is written: `<row ...>` opened before its first cell.
        fileprivate struct RowXML {
            var out: XMLBytes
            let row: Int
            let lines: Int
            var opened = false
            /// The row's number in a cell reference (`B2`), made once for its cells.
            let number: XMLBytes.Digits
            /// The columns of its first and last cells (-1: none yet).
            var firstColumn = -1, lastColumn = -1

            init(_ out: XMLBytes, row: Int, lines: Int) {
                self.out = out
                self.row = row
                self.lines = lines
                number = XMLBytes.Digits(row + 1)
            }

            mutating func open(closed: Bool = false) {
                guard !opened else { return }
                opened = true
                out.add("<row r=\"")
                out.add(row + 1)
                if lines > 1 {
                    out.add("\" ht=\"")
                    out.add(min(15 * lines, 409))  // Excel's highest row: 409 points
                    out.add("\" customHeight=\"1")
                }
                out.add(closed ? "\"/>" : "\">")
            }
        }

        /// A text cell: an empty one is left out, or written blank when it has a format (a header's empty corner).
        private func text(_ value: String, _ format: XLSXParts.Format?, _ column: Int, _ row: inout RowXML) {
            if value.isEmpty {
                guard let format else { return }
                start(column, style(format), &row)
                row.out.add("/>")
                return
            }
            // UTF-16 units are never more than UTF-8 bytes, whose count a native string has at hand.
            if value.utf8.count > XLSXWriter.textLimit && value.utf16.count > XLSXWriter.textLimit {  // Excel counts UTF-16 units: an emoji is two
                book.fail("a cell's text is longer than Excel's 32,767 characters (sheet \(current.name), row \(row.row + 1))")
                return
            }
            start(column, style(format), &row)
            row.out.add(" t=\"inlineStr\"><is><t")
            row.out.add(inlineText: value)
            row.out.add("</t></is></c>")
        }

        /// A text cell whose characters need no escape and no `xml:space`
        /// (an ID, a region code), written by `write`: the cell `text` makes of them.
        @inline(__always)
        private func plainText(_ format: XLSXParts.Format?, _ column: Int, _ row: inout RowXML, _ write: (inout XMLBytes) -> Void) {
            start(column, style(format), &row)
            row.out.add(" t=\"inlineStr\"><is><t>")
            write(&row.out)
            row.out.add("</t></is></c>")
        }

        /// `<c r="B2" s="3"`: a cell's start, its attributes open (the row opened first).
        private func start(_ column: Int, _ style: Int?, _ row: inout RowXML) {
            row.open()
            if row.firstColumn < 0 { row.firstColumn = column }
            row.lastColumn = max(row.lastColumn, column)
            row.out.add("<c r=\"")
            row.out.add(column: column)
            row.out.add(row.number)
            row.out.add("\"")
            if let style {
                row.out.add(" s=\"")
                row.out.add(style)
                row.out.add("\"")
            }
        }

        func skip() { next += 1 }
    }
}

/// A sheet's XML as bytes, appended without making Strings: a city's
/// sheets are some 190 MB of it.
struct XMLBytes {
    let buffer: ByteBuffer

    init(buffer: ByteBuffer) { self.buffer = buffer }
    init(_ bytes: [UInt8]) {
        buffer = ByteBuffer(capacity: bytes.count)
        bytes.withUnsafeBytes { buffer.append($0) }
    }

    /// The bytes so far, copied.
    var bytes: [UInt8] { buffer.array }

    /// Most are a few bytes (`<c r="`, `"><v>`): copied byte by byte into
    /// room made for them, where `memmove` cost a call each.
    @inline(__always)
    mutating func add(_ text: StaticString) {
        let count = text.utf8CodeUnitCount
        let out = buffer.room(count)
        let source = text.utf8Start
        if count <= 16 {
            for index in 0..<count { out[index] = source[index] }
        } else {
            out.update(from: source, count: count)
        }
        buffer.advance(by: count)
    }

    mutating func add(bytes more: [UInt8]) { more.withUnsafeBytes { buffer.append($0) } }

    /// A whole number's digits.
    mutating func add(_ value: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        buffer.append(digitsOf: UInt64(value.magnitude))
    }

    /// An amount in yuan, exactly: `211.61`, `12.5`, `0`, `-0.5`, from the
    /// integer fen. Excel reads it as the double nearest that decimal, the
    /// number libxlsxwriter wrote with `%.16G` noise (0.07000000000000001).
    mutating func add(money: Money) {
        if money.fen < 0 { buffer.append(UInt8(ascii: "-")) }
        let magnitude = money.fen.magnitude
        buffer.append(digitsOf: magnitude / 100)
        let cents = Int(magnitude % 100)
        guard cents != 0 else { return }
        buffer.append(UInt8(ascii: "."))
        buffer.append(UInt8(cents / 10) + 0x30)
        if cents % 10 != 0 { buffer.append(UInt8(cents % 10) + 0x30) }
    }

    /// A time as Excel's serial number (days since 1899-12-30, counting
    /// 1900-02-29 that never was, and the day's fraction), written as
    /// libxlsxwriter wrote it (`%.16G`).
    mutating func add(excelTime time: Timestamp) {
        let value = Self.excelSerial(time)
        if !Self.add(sixteenDigits: value, to: buffer) { add(printf: value) }
    }

    static func excelSerial(_ time: Timestamp) -> Double {
        let day = time.dayOrdinal
        return Double(day + (day < Self.leapBug ? 25_568 : 25_569)) + Double(time.second) / 86_400.0
    }

    /// `value` as `printf("%.16G")` writes it, by the C library.
    mutating func add(printf value: Double) {
        // On the stack: a city's workbook writes a time per claim, twice.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 40) { out in
            let count = withVaList([value]) { vsnprintf(out.baseAddress, out.count, "%.16G", $0) }
            // A decimal point whatever the C locale (a process that set one with a comma would print `44835,39`).
            for byte in out.prefix(Int(max(0, min(count, 39)))) { buffer.append(byte == 0x2C ? 0x2E : UInt8(bitPattern: byte)) }
        }
    }

    /// `value` (1 up to 10^15) as `%.16G` writes it, without the C library
    /// (`vsnprintf` was 3% of a city month's run): its 16 significant
    /// digits, from the double's exact binary value rounded half to even,
    /// as glibc rounds, with the fraction's trailing zeros left out. False,
    /// and nothing written, outside that range or when rounding carries into
    /// a 17th digit: `add(printf:)` writes those. XLSXWriterTests compares
    /// the two on some 325,000 values.
    static func add(sixteenDigits value: Double, to buffer: ByteBuffer) -> Bool {
        guard value.isFinite, value >= 1, value < 1e15 else { return false }
        let whole = UInt64(value)  // exact below 2^53
        var integerDigits = 1
        var power: UInt64 = 10
        while power <= whole {
            integerDigits += 1
            power *= 10
        }
        let decimals = 16 - integerDigits
        var scale: UInt128 = 1
        for _ in 0..<decimals { scale *= 10 }
        // value = significand × 2^exponent exactly, the significand a 53-bit whole number.
        let significand = UInt128(value.significandBitPattern | (1 << 52))
        let exponent = Int(value.exponent) - 52
        let product = significand * scale  // below 2^53 × 10^15 < 2^103
        var digits: UInt128
        if exponent >= 0 {
            digits = product << exponent
        } else {
            let shift = -exponent
            guard shift < 120 else { return false }
            digits = product >> shift
            let rest = product & ((1 << shift) - 1)
            let half: UInt128 = 1 << (shift - 1)
            if rest > half || (rest == half && digits & 1 == 1) { digits += 1 }
        }
        guard digits < 10_000_000_000_000_000 else { return false }  // rounded up to a 17th digit
        let integer = UInt64(digits / scale)
        var fraction = UInt64(digits % scale)
        var fractionDigits = decimals
        while fractionDigits > 0 && fraction % 10 == 0 {
            fraction /= 10
            fractionDigits -= 1
        }
        var out = XMLBytes(buffer: buffer)
        out.add(Int(integer))
        guard fractionDigits > 0 else { return true }
        buffer.append(UInt8(ascii: "."))
        var scratch: (UInt64, UInt64) = (0, 0)  // 16 bytes: room for 15 digits
        withUnsafeMutableBytes(of: &scratch) { scratch in
            for at in stride(from: fractionDigits - 1, through: 0, by: -1) {
                scratch[at] = UInt8(truncatingIfNeeded: fraction % 10) + 0x30
                fraction /= 10
            }
            buffer.append(UnsafeRawBufferPointer(rebasing: scratch[..<fractionDigits]))
        }
        return true
    }

    /// 1900-03-01's ordinal: Excel counts a 1900-02-29 before it.
    private static let leapBug = Day(year: 1900, month: 3, day: 1)!.ordinal

    /// The rest of a `<t` element's start tag and its text: `>text` or
    /// ` xml:space="preserve"> text` when it starts or ends with white
    /// space. The text as Excel reads it (ECMA-376's ST_Xstring): `&`, `<`,
    /// `>` escaped; a control character other than tab and line feed, and
    /// U+FFFE and U+FFFF, which XML cannot hold, as `_xHHHH_`; and a `_`
    /// that starts what reads as such an escape as `_x005F_`, so that the
    /// text comes back as it was (libxlsxwriter left those two alone).
    mutating func add(inlineText text: String) {
        // A native string's bytes in place; a copy (`withUTF8`) only for another kind, such as a bridged one:
        // copying each cell's String to reach its bytes retained and released it (perf, the claims sheet).
        if text.utf8.withContiguousStorageIfAvailable({ add(inlineUTF8: $0) }) == nil {
            var copy = text
            copy.withUTF8 { add(inlineUTF8: $0) }
        }
    }

    private mutating func add(inlineUTF8 utf8: UnsafeBufferPointer<UInt8>) {
        let first = utf8.first!, last = utf8.last!
        let preserve = first == 0x20 || first == 0x09 || first == 0x0A || last == 0x20 || last == 0x09 || last == 0x0A
        add(preserve ? " xml:space=\"preserve\">" : ">")
        var plain = true
        for byte in utf8 where Self.special(byte) {
            plain = false
            break
        }
        if plain {
            buffer.append(UnsafeRawBufferPointer(utf8))
            return
        }
        var at = 0
        while at < utf8.count {
            let byte = utf8[at]
            switch byte {
            case 0x26: add("&amp;")
            case 0x3C: add("&lt;")
            case 0x3E: add("&gt;")
            case 0x09, 0x0A: buffer.append(byte)
            case 0..<0x20: escape(UInt32(byte))
            case 0x5F where Self.escapeAt(utf8, at + 1): add("_x005F_")
            case 0xEF where at + 2 < utf8.count && utf8[at + 1] == 0xBF && (utf8[at + 2] == 0xBE || utf8[at + 2] == 0xBF):
                escape(utf8[at + 2] == 0xBE ? 0xFFFE : 0xFFFF)
                at += 2
            default: buffer.append(byte)
            }
            at += 1
        }
    }

    @inline(__always)
    private static func special(_ byte: UInt8) -> Bool {
        byte < 0x20 && byte != 0x09 && byte != 0x0A || byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x5F || byte == 0xEF
    }

    /// Whether `x` and four hex digits and `_` start at `at`.
    private static func escapeAt(_ utf8: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        guard at + 5 < utf8.count, utf8[at] == UInt8(ascii: "x"), utf8[at + 5] == UInt8(ascii: "_") else { return false }
        return utf8[(at + 1)..<(at + 5)].allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
    }

    private mutating func escape(_ value: UInt32) {
        let hex = Array("0123456789ABCDEF".utf8)
        add("_x")
        for shift in stride(from: 12, through: 0, by: -4) { buffer.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
        add("_")
    }

    /// A whole number up to 8 digits, made once to be written many times
    /// (a row's number in each of its cells' references).
    struct Digits {
        var word: UInt64 = 0  // the digits' bytes, first in the lowest byte
        var count = 0

        init(_ value: Int) {
            precondition((0..<100_000_000).contains(value), "up to 8 digits")
            var rest = value
            repeat {
                word = word << 8 | UInt64(rest % 10 + 0x30)
                count += 1
                rest /= 10
            } while rest > 0
        }
    }

    /// All eight bytes of the word stored at once, the buffer then moved on by the digits' count.
    @inline(__always)
    mutating func add(_ digits: Digits) {
        UnsafeMutableRawPointer(buffer.room(8)).storeBytes(of: digits.word.littleEndian, as: UInt64.self)
        buffer.advance(by: digits.count)
    }

    /// An ID's 18 characters, masked as `ResidentID.masked` when `masked`.
    mutating func add(id: ResidentID, masked: Bool) {
        id.write(to: buffer.room(18), masked: masked)
        buffer.advance(by: 18)
    }

    /// A region code's six digits.
    mutating func add(region: RegionCode) {
        region.write(to: buffer.room(6))
        buffer.advance(by: 6)
    }

    /// A column's letters (`columnName`), without making an array for the first 64.
    mutating func add(column: Int) {
        guard column < Self.packedNames.count else { return add(bytes: Self.columnName(column)) }
        add(Self.packedNames[column])
    }

    /// The first 64 columns' letters, packed as `Digits` are.
    private static let packedNames: [Digits] = names.map { letters in
        var packed = Digits(0)
        packed.word = letters.reversed().reduce(0) { $0 << 8 | UInt64($1) }
        packed.count = letters.count
        return packed
    }

    /// A column's letters: 0 is A, 25 Z, 26 AA.
    static func columnName(_ column: Int) -> [UInt8] {
        if column < names.count { return names[column] }
        return make(column)
    }

    private static let names: [[UInt8]] = (0..<64).map(make)

    private static func make(_ column: Int) -> [UInt8] {
        var letters: [UInt8] = []
        var rest = column + 1
        while rest > 0 {
            letters.insert(UInt8(ascii: "A") + UInt8((rest - 1) % 26), at: 0)
            rest = (rest - 1) / 26
        }
        return letters
    }
}
