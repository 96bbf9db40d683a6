import Foundation
@testable import GongjiDomain
@testable import GongjiReports
import GongjiTestSupport
import Testing

/// gongji's own xlsx writer (docs/formats.md, "The workbook"): each part's
/// exact XML, read back with Python's zipfile, which checks every entry's
/// CRC-32 (the standard library: no venv).
@Suite struct XLSXWriterTests {
    /// A sheet's text as Excel reads it back: XML's three escapes, control
    /// characters and U+FFFE as `_xHHHH_`, a `_` that would read as such an
    /// escape as `_x005F_`, white space at either end kept; amounts exact;
    /// times as Excel's serial numbers; formats numbered in their order of
    /// first use; a header row frozen.
    @Test func aSheetsXMLIsExact() throws {
        let folder = try TemporaryFolder("xlsx")
        defer { folder.remove() }
        let (book, path) = try Self.book(folder, "t.xlsx")
        let sheet = book.sheet("例外", labels: ["甲", ""], widths: [16, 48])
        sheet.row([.text(" lead"), .text("trail\t"), .text("x\u{01}y\u{1F} z"), .text("a&b<c>\"d'e\r\nf"), .text("_x0041_ _x12_"),
                   .text(""), .text("\u{FFFE}\u{0}end\r")])
        sheet.row([.money(Money(fen: 7)), .money(Money(fen: -50)), .money(Money(fen: 123_456_789_012)), .money(Money(fen: 1200)),
                   .money(.zero), .int(-3), .empty, .time(Timestamp(text: "2022-10-01 09:35:17")!)])
        sheet.skip()
        sheet.row([.wrapped("原因"), .text("t")], style: .title, lines: 3)
        try book.close()

        let xml = try Self.part(path, "xl/worksheets/sheet1.xml")
        let expected = #"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:H5"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="16.7109375" customWidth="1"/><col min="2" max="2" width="48.7109375" customWidth="1"/></cols><sheetData><row r="1"><c r="A1" s="1" t="inlineStr"><is><t>甲</t></is></c><c r="B1" s="1"/></row><row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> lead</t></is></c><c r="B2" t="inlineStr"><is><t xml:space="preserve">trail	</t></is></c><c r="C2" t="inlineStr"><is><t>x_x0001_y_x001F_ z</t></is></c><c r="D2" t="inlineStr"><is><t>a&amp;b&lt;c&gt;"d'e_x000D_
            f</t></is></c><c r="E2" t="inlineStr"><is><t>_x005F_x0041_ _x12_</t></is></c><c r="G2" t="inlineStr"><is><t>_xFFFE__x0000_end_x000D_</t></is></c></row><row r="3"><c r="A3" s="2"><v>0.07</v></c><c r="B3" s="2"><v>-0.5</v></c><c r="C3" s="2"><v>1234567890.12</v></c><c r="D3" s="2"><v>12</v></c><c r="E3" s="2"><v>0</v></c><c r="F3"><v>-3</v></c><c r="H3" s="3"><v>44835.39950231482</v></c></row><row r="5" ht="45" customHeight="1"><c r="A5" s="4" t="inlineStr"><is><t>原因</t></is></c><c r="B5" s="5" t="inlineStr"><is><t>t</t></is></c></row></sheetData><pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/><pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/><headerFooter><oddFooter>&amp;C&amp;A  &amp;P / &amp;N</oddFooter></headerFooter></worksheet>
            """#
        #expect(xml == expected)
        // Formats in the order of first use: header, money, time, wrap, title.
        let styles = try Self.part(path, "xl/styles.xml")
        #expect(styles.contains(##"<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>"##))
        #expect(styles.contains(#"<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1"/></xf><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#))
        let workbook = try Self.part(path, "xl/workbook.xml")
        #expect(workbook.contains(#"<sheets><sheet name="例外" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'例外'!$1:$1</definedName></definedNames>"#))
        #expect(try Self.part(path, "docProps/core.xml").contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2022-10-01T00:00:00Z</dcterms:created>"))
    }

    /// Excel's serial numbers around the day it counts that never was
    /// (1900-02-29), as libxlsxwriter wrote them.
    @Test(arguments: [("1900-02-28 23:59:59", "59.99998842592593"), ("1900-03-01 00:00:00", "61"),
                      ("2022-10-01 09:35:17", "44835.39950231482"), ("2026-01-31 23:59:59", "46053.99998842592")])
    func excelTimes(text: String, serial: String) {
        var out = XMLBytes([])
        out.add(excelTime: Timestamp(text: text)!)
        #expect(String(decoding: out.bytes, as: UTF8.self) == serial)
    }

    /// An ID cell and a region cell are the text cells of the same
    /// characters: masked, revealed, in a header row's format too.
    @Test func idAndRegionCellsAreTheirTextCells() throws {
        let folder = try TemporaryFolder("xlsx")
        defer { folder.remove() }
        let id = ResidentID("11010519491231002X")!, region = RegionCode("010100")!
        var sheets: [String] = []
        for cells in [[XLSXWriter.Cell.id(id, reveal: false), .id(id, reveal: true), .region(region)],
                      [.text(id.masked), .text(id.text), .text(region.text)]] {
            let (book, path) = try Self.book(folder, "c\(sheets.count).xlsx")
            let sheet = book.sheet("表", labels: [], widths: [21, 21, 10])
            sheet.row(cells)
            sheet.row(cells, style: .header)
            try book.close()
            sheets.append(try Self.part(path, "xl/worksheets/sheet1.xml"))
        }
        #expect(sheets[0] == sheets[1])
        #expect(sheets[0].contains(#"<c r="A1" t="inlineStr"><is><t>110105********002X</t></is></c><c r="B1" t="inlineStr"><is><t>11010519491231002X</t></is></c><c r="C1" t="inlineStr"><is><t>010100</t></is></c>"#))
    }

    /// The serial numbers written without the C library are the C library's
    /// `%.16G`, digit for digit: every second of two days, a time every 61
    /// seconds from 1900 to 2100, and random doubles from 1 to 10^15.
    @Test func sixteenDigitsAsPrintfWritesThem() {
        func printf(_ value: Double) -> [UInt8] {
            var out = XMLBytes([])
            out.add(printf: value)
            return out.bytes
        }
        func ours(_ value: Double) -> [UInt8]? {
            let buffer = ByteBuffer(capacity: 32)
            return XMLBytes.add(sixteenDigits: value, to: buffer) ? buffer.array : nil
        }
        var values: [Double] = []
        for day in [Day(text: "2022-10-01")!, Day(text: "1900-03-01")!] {
            for second in 0..<86_400 { values.append(XMLBytes.excelSerial(Timestamp(day: day, second: second))) }
        }
        let first = Day(text: "1900-01-01")!.ordinal, last = Day(text: "2100-12-31")!.ordinal
        var offset = 0  // seconds since 1900-01-01
        while first + offset / 86_400 <= last {
            values.append(XMLBytes.excelSerial(Timestamp(day: Day(ordinal: first + offset / 86_400), second: offset % 86_400)))
            offset += 61 * 2_000  // a sample of the span: every 2,000th of the 61-second steps
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<100_000 {
            state &+= 0x9E37_79B9_7F4A_7C15  // SplitMix64
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let exponent = Int(z % 49)  // 2^0 ... 2^48: below 2^49, below 10^15
            values.append(Double(sign: .plus, exponent: exponent, significand: 1 + Double(z >> 12) / Double(1 << 52)))
        }
        values += [1, 9.999999999999999, 99_999.99999999999, 44_835, 44_835.5, 999_999_999_999_999]
        var compared = 0
        for value in values {
            guard let written = ours(value) else { continue }
            compared += 1
            if written != printf(value) {
                Issue.record("\(value): \(String(decoding: written, as: UTF8.self)) against printf's \(String(decoding: printf(value), as: UTF8.self))")
                return
            }
        }
        #expect(compared == values.count)
        #expect(ours(0.5) == nil && ours(1e15) == nil && ours(.nan) == nil)
    }

    /// A sheet of many chunks (its XML goes to the deflating thread a MiB at
    /// a time, each chunk deflated on from the last) reads back whole, with
    /// every CRC right.
    @Test func aLargeSheetReadsBackWhole() throws {
        let folder = try TemporaryFolder("xlsx")
        defer { folder.remove() }
        let (book, path) = try Self.book(folder, "large.xlsx")
        let sheet = book.sheet("结算", labels: ["编号", "金额"], widths: [16, 13])
        for n in 1...60_000 { sheet.row([.text("C\(n)-共济"), .money(Money(fen: Int64(n)))]) }
        try book.close()
        let xml = try Self.part(path, "xl/worksheets/sheet1.xml")
        #expect(xml.utf8.count > 3 << 20)
        #expect(xml.components(separatedBy: "<row ").count - 1 == 60_001)
        #expect(xml.contains(#"<dimension ref="A1:B60001"/>"#))
        #expect(xml.hasSuffix(#"<row r="60001"><c r="A60001" t="inlineStr"><is><t>C60000-共济</t></is></c><c r="B60001" s="2"><v>600</v></c></row></sheetData><pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/><pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/><headerFooter><oddFooter>&amp;C&amp;A  &amp;P / &amp;N</oddFooter></headerFooter></worksheet>"#))
        // The temporary files were unlinked when made.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["large.xlsx"])
    }

    /// The same workbook written again is the same bytes (docs/formats.md,
    /// Reports): its sheets are deflated on another thread as their rows
    /// come, so nothing of that timing may reach the file. Two sheets of
    /// several chunks and a small one, written 12 times.
    @Test func theSameWorkbookIsTheSameBytes() throws {
        let folder = try TemporaryFolder("xlsx")
        defer { folder.remove() }
        var first: Data?
        for turn in 0..<12 {
            let (book, path) = try Self.book(folder, "same-\(turn).xlsx")
            for name in ["结算", "授权人"] {
                let sheet = book.sheet(name, labels: ["编号", "金额", "时间"], widths: [16, 13, 20])
                for n in 1...40_000 {
                    sheet.row([.text("C\(n)-共济"), .money(Money(fen: Int64(n * 37))),
                               .time(Timestamp(day: Day(ordinal: 738_000 + n % 365), second: n % 86_400))])
                }
            }
            let small = book.sheet("代码说明", labels: ["列", "代码"], widths: [14, 20])
            for n in 1...50 { small.row([.text("列\(n)"), .int(n)]) }
            try book.close()
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            if let first { #expect(bytes == first, "turn \(turn)") } else { first = bytes }
        }
    }

    /// Whatever a cell's text holds, the sheet is well-formed XML and the
    /// text reads back as it was, with Excel's `_xHHHH_` escapes undone (the
    /// way Excel and openpyxl read them): 3,000 strings drawn at random
    /// (a fixed seed) from control characters, XML's specials, escapes and
    /// near-escapes, white space, U+FFFE/U+FFFF, Chinese and emoji; read
    /// back with Python's XML parser.
    @Test func everyTextReadsBackAsItWas() throws {
        let folder = try TemporaryFolder("xlsx")
        defer { folder.remove() }
        let (book, path) = try Self.book(folder, "texts.xlsx")
        let sheet = book.sheet("文本", labels: [], widths: [20])
        let pieces = ["\u{0}", "\u{1}", "\u{8}", "\t", "\n", "\u{B}", "\u{C}", "\r", "\u{1F}", " ", "&", "<", ">", "\"", "'", "_",
                      "_x0041_", "_x00e9_", "_xFFFE_", "_x12_", "x", "_x", "0041_", "\u{7F}", "\u{85}", "\u{FFFE}", "\u{FFFF}",
                      "共济", "é", "😀", "a", "1", "&amp;"]
        var generator = SeededGenerator(state: 21)
        var texts: [String] = []
        for _ in 0..<3_000 {
            let count = Int(generator.next() % 8) + 1
            texts.append((0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined())
        }
        for text in texts { sheet.row([.text(text)]) }
        try book.close()
        let expected = folder.path("expected.json")
        try JSONEncoder().encode(texts).write(to: URL(fileURLWithPath: expected))
        let script = #"""
            import json, re, sys, zipfile
            import xml.etree.ElementTree as ET
            book = zipfile.ZipFile(sys.argv[1])
            root = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
            ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
            read = [re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), t.text or "")
                    for t in root.iter(ns + "t")]
            expected = json.load(open(sys.argv[2]))
            wrong = [(i, e, r) for i, (e, r) in enumerate(zip(expected, read)) if e != r]
            print(len(read), len(expected), len(wrong), repr(wrong[:3]))
            """#
        #expect(try Self.python(script, path, expected) == "3000 3000 0 []\n")
    }

    /// A cell longer than Excel holds is not cut short: the workbook is refused, saying where.
    @Test func aTextTooLongForExcelIsRefused() throws {
        let folder = try TemporaryFolder("xlsx")
        defer { folder.remove() }
        let (book, _) = try Self.book(folder, "long.xlsx")
        let sheet = book.sheet("结算", labels: ["原因"], widths: [48])
        sheet.row([.text(String(repeating: "共", count: 32_767))])
        sheet.row([.text(String(repeating: "共", count: 32_768))])
        var failure: UsageWorkbook.Failure?
        do throws(UsageWorkbook.Failure) { try book.close() } catch { failure = error }
        #expect(failure?.reason == "a cell's text is longer than Excel's 32,767 characters (sheet 结算, row 3)")
    }

    /// A new workbook in `folder`, created 2022-10-01, and its path.
    static func book(_ folder: TemporaryFolder, _ name: String) throws -> (XLSXWriter, String) {
        let path = folder.path(name)
        return (try XLSXWriter(path: path, tmpdir: folder.url.path, created: Day(year: 2022, month: 10, day: 1)!, author: "gongji"), path)
    }

    /// A sheet with no row is well-formed (`<sheetData/>`); a row skipped
    /// at the row limit still moves the rows after it to the next sheet.
    @Test func anEmptySheetAndASkipAtTheLimit() throws {
        let folder = try TemporaryFolder("xlsx")
        defer { folder.remove() }
        let path = folder.path("edges.xlsx")
        let book = try XLSXWriter(path: path, tmpdir: folder.url.path, created: Day(year: 2022, month: 10, day: 1)!, author: "gongji",
                                  rowLimit: 2)
        _ = book.sheet("空", labels: [], widths: [10])
        let sheet = book.sheet("页", labels: [], widths: [10])
        sheet.row([.text("a")])
        sheet.row([.text("b")])
        sheet.skip()
        sheet.row([.text("c")])
        try book.close()
        let empty = try Self.part(path, "xl/worksheets/sheet1.xml")
        #expect(empty.contains(#"<dimension ref="A1"/>"#))
        #expect(empty.contains(#"</cols><sheetData/><pageMargins "#))
        #expect(try Self.part(path, "xl/worksheets/sheet2.xml").contains(#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>b</t></is></c></row></sheetData>"#))
        #expect(try Self.part(path, "xl/worksheets/sheet3.xml").contains(#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>c</t></is></c></row></sheetData>"#))
        #expect(try Self.part(path, "xl/workbook.xml").contains(#"<sheets><sheet name="空" sheetId="1" r:id="rId1"/><sheet name="页" sheetId="2" r:id="rId2"/><sheet name="页 2" sheetId="3" r:id="rId3"/></sheets><calcPr"#))
    }

    /// Excel counts a cell's characters in UTF-16 units: 16,384 emoji are 32,768, one too many.
    @Test func emojiCountTwice() throws {
        let folder = try TemporaryFolder("xlsx")
        defer { folder.remove() }
        let (book, _) = try Self.book(folder, "emoji.xlsx")
        book.sheet("结算", labels: [], widths: [48]).row([.text(String(repeating: "😀", count: 16_384))])
        var failure: UsageWorkbook.Failure?
        do throws(UsageWorkbook.Failure) { try book.close() } catch { failure = error }
        #expect(failure?.reason == "a cell's text is longer than Excel's 32,767 characters (sheet 结算, row 1)")
    }

    /// One part of the workbook at `path`, read with Python's zipfile after `testzip()` checked every entry.
    static func part(_ path: String, _ name: String) throws -> String {
        let script = """
            import sys, zipfile
            book = zipfile.ZipFile(sys.argv[1])
            assert book.testzip() is None, "a CRC is wrong"
            sys.stdout.buffer.write(book.read(sys.argv[2]))
            """
        return try python(script, path, name)
    }

    /// What `script` prints (Python 3, given `arguments`); a failed script fails the test.
    static func python(_ script: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
