/// The parts of an .xlsx package around its sheets (ECMA-376): content
/// types, relationships, the workbook, its styles, its document properties.
/// Each is the XML libxlsxwriter 1.1.4 wrote for gongji's workbooks, byte
/// for byte (`Scripts/workbook-diff.py` compares two workbooks part by
/// part), so that Excel and WPS show a workbook as they did before gongji
/// wrote its own (XLSXWriter).
enum XLSXParts {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let officeDocument = "application/vnd.openxmlformats-officedocument"

    /// A sheet of the workbook as the package names it.
    struct Sheet {
        let name: String
        /// Its first row is printed on every page (`_xlnm.Print_Titles`).
        let printTitles: Bool
    }

    /// The formats a cell can have. A format's index in styles.xml (the `s`
    /// of a cell) is the order of its first use, as in libxlsxwriter.
    enum Format: Hashable {
        case title, header, money, time, wrap

        static let count = 5
        /// Its place in a table of one entry per format (`XLSXWriter.style`).
        var slot: Int {
            switch self {
            case .title: 0
            case .header: 1
            case .money: 2
            case .time: 3
            case .wrap: 4
            }
        }

        var numberFormat: String? {
            switch self {
            case .money: "#,##0.00"
            case .time: "yyyy-mm-dd hh:mm:ss"
            case .title, .header, .wrap: nil
            }
        }

        /// Its font, when not the default one.
        var font: String? {
            switch self {
            case .title: font(bold: true, size: 12)
            case .header: font(bold: true, size: 11)
            case .money, .time, .wrap: nil
            }
        }

        private func font(bold: Bool, size: Int) -> String {
            (bold ? "<font><b/>" : "<font>") + #"<sz val="\#(size)"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>"#
        }
    }

    static func contentTypes(sheets: Int) -> String {
        var xml = declaration + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/docProps/app.xml" ContentType="\#(officeDocument).extended-properties+xml"/>"#
            + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" ContentType="\#(officeDocument).spreadsheetml.styles+xml"/>"#
            + #"<Override PartName="/xl/theme/theme1.xml" ContentType="\#(officeDocument).theme+xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="\#(officeDocument).spreadsheetml.sheet.main+xml"/>"#
        for number in stride(from: 1, through: sheets, by: 1) {
            xml += #"<Override PartName="/xl/worksheets/sheet\#(number).xml" ContentType="\#(officeDocument).spreadsheetml.worksheet+xml"/>"#
        }
        return xml + "</Types>"
    }

    static let rootRelationships = declaration + #"<Relationships xmlns="\#(packageRelationships)">"#
        + #"<Relationship Id="rId1" Type="\#(relationships)/officeDocument" Target="xl/workbook.xml"/>"#
        + #"<Relationship Id="rId2" Type="\#(packageRelationships)/metadata/core-properties" Target="docProps/core.xml"/>"#
        + #"<Relationship Id="rId3" Type="\#(relationships)/extended-properties" Target="docProps/app.xml"/>"#
        + "</Relationships>"

    static func workbookRelationships(sheets: Int) -> String {
        var xml = declaration + #"<Relationships xmlns="\#(packageRelationships)">"#
        for number in stride(from: 1, through: sheets, by: 1) {
            xml += #"<Relationship Id="rId\#(number)" Type="\#(relationships)/worksheet" Target="worksheets/sheet\#(number).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheets + 1)" Type="\#(relationships)/theme" Target="theme/theme1.xml"/>"#
        xml += #"<Relationship Id="rId\#(sheets + 2)" Type="\#(relationships)/styles" Target="styles.xml"/>"#
        return xml + "</Relationships>"
    }

    /// The print titles' defined names, in libxlsxwriter's order: by sheet
    /// name, ASCII letters compared in lower case, then byte by byte.
    private static func printTitles(_ sheets: [Sheet]) -> [(index: Int, quoted: String)] {
        sheets.enumerated().filter { $0.element.printTitles }
            .sorted { Array($0.element.name.lowercasedASCII.utf8).lexicographicallyPrecedes($1.element.name.lowercasedASCII.utf8) }
            .map { ($0.offset, quoted($0.element.name)) }
    }

    /// A sheet's name in a reference: in quotes unless it is letters, digits,
    /// `_` and `.` only (libxlsxwriter's `lxw_quote_sheetname`).
    static func quoted(_ name: String) -> String {
        let plain = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2E
        }
        return plain ? name : "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func workbook(_ sheets: [Sheet]) -> String {
        var xml = declaration + #"<workbook xmlns="\#(main)" xmlns:r="\#(relationships)">"#
            + #"<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/>"#
            + #"<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets>"#
        for (index, sheet) in sheets.enumerated() {
            xml += #"<sheet name="\#(attribute(sheet.name))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        xml += "</sheets>"
        let titles = printTitles(sheets)
        if !titles.isEmpty {
            xml += "<definedNames>"
            for title in titles {
                xml += #"<definedName name="_xlnm.Print_Titles" localSheetId="\#(title.index)">\#(text(title.quoted))!$1:$1</definedName>"#
            }
            xml += "</definedNames>"
        }
        return xml + #"<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#
    }

    static func app(_ sheets: [Sheet]) -> String {
        let titles = printTitles(sheets)
        var xml = declaration + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
            + "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
            + #"<HeadingPairs><vt:vector size="\#(titles.isEmpty ? 2 : 4)" baseType="variant">"#
            + "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>\(sheets.count)</vt:i4></vt:variant>"
        if !titles.isEmpty {
            xml += "<vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>\(titles.count)</vt:i4></vt:variant>"
        }
        xml += #"</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="\#(sheets.count + titles.count)" baseType="lpstr">"#
        for sheet in sheets { xml += "<vt:lpstr>\(text(sheet.name))</vt:lpstr>" }
        for title in titles { xml += "<vt:lpstr>\(text(title.quoted))!Print_Titles</vt:lpstr>" }
        return xml + "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            + "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>"
    }

    /// `created`: `2022-10-01`, the workbook's fixed time (its month's first day, midnight UTC).
    static func core(author: String, created: String) -> String {
        declaration + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:creator>\(text(author))</dc:creator><cp:lastModifiedBy>\(text(author))</cp:lastModifiedBy>"
            + #"<dcterms:created xsi:type="dcterms:W3CDTF">\#(created)T00:00:00Z</dcterms:created>"#
            + #"<dcterms:modified xsi:type="dcterms:W3CDTF">\#(created)T00:00:00Z</dcterms:modified></cp:coreProperties>"#
    }

    /// styles.xml with the formats `used`, in the order of their first use:
    /// number formats from 164, fonts and borders after the default ones, each once.
    static func styles(_ used: [Format]) -> String {
        var numberFormats: [String] = [], fonts: [String] = [], borders = 1
        for format in used {
            if let code = format.numberFormat, !numberFormats.contains(code) { numberFormats.append(code) }
            if let font = format.font, !fonts.contains(font) { fonts.append(font) }
        }
        if used.contains(.header) { borders = 2 }
        var xml = declaration + #"<styleSheet xmlns="\#(main)">"#
        if !numberFormats.isEmpty {
            xml += #"<numFmts count="\#(numberFormats.count)">"#
            for (index, code) in numberFormats.enumerated() {
                xml += #"<numFmt numFmtId="\#(164 + index)" formatCode="\#(attribute(code))"/>"#
            }
            xml += "</numFmts>"
        }
        xml += #"<fonts count="\#(1 + fonts.count)"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>"#
        xml += fonts.joined() + "</fonts>"
        xml += #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        xml += #"<borders count="\#(borders)"><border><left/><right/><top/><bottom/><diagonal/></border>"#
        if borders == 2 { xml += #"<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>"# }
        xml += #"</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        xml += #"<cellXfs count="\#(1 + used.count)"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        for format in used {
            let number = format.numberFormat.map { 164 + numberFormats.firstIndex(of: $0)! } ?? 0
            let font = format.font.map { 1 + fonts.firstIndex(of: $0)! } ?? 0
            switch format {
            case .title:
                xml += #"<xf numFmtId="0" fontId="\#(font)" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
            case .header:
                xml += #"<xf numFmtId="0" fontId="\#(font)" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/>"#
            case .money, .time:
                xml += #"<xf numFmtId="\#(number)" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
            case .wrap:
                xml += #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1"/></xf>"#
            }
        }
        return xml + #"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>"#
            + #"<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>"#
    }

    /// A worksheet's XML before its rows. `dimension`: `A1:O132`. Printed as
    /// a report is handed on: A4 landscape, every column on one page's width
    /// (the tail), the first row frozen when it is a header.
    static func sheetHead(dimension: String, selected: Bool, frozenHeader: Bool, widths: [Double]) -> String {
        var xml = declaration + #"<worksheet xmlns="\#(main)" xmlns:r="\#(relationships)"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#
            + #"<dimension ref="\#(dimension)"/><sheetViews><sheetView \#(selected ? #"tabSelected="1" "# : "")workbookViewId="0""#
        xml += frozenHeader
            ? #"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>"#
            : "/>"
        xml += #"</sheetViews><sheetFormatPr defaultRowHeight="15"/>"#
        if !widths.isEmpty {
            xml += "<cols>"
            for (index, width) in widths.enumerated() {
                xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(columnWidth(width))" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        return xml
    }

    /// What follows a sheet's rows (`<sheetData>` was opened; with no row, it closes itself).
    static func sheetTail(empty: Bool) -> String {
        (empty ? "<sheetData/>" : "</sheetData>")
            + #"<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>"#
            + #"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>"#
            + "<headerFooter><oddFooter>&amp;C&amp;A  &amp;P / &amp;N</oddFooter></headerFooter></worksheet>"
    }

    /// A column width (characters of the default font) as Excel stores it:
    /// with the cell's padding, in 256ths of a character (libxlsxwriter's
    /// `_write_col_info`: 7 pixels a digit, 5 of padding). 16 → 16.7109375.
    static func columnWidth(_ width: Double) -> String {
        let pixels = width < 1 ? Double(Int(width * 12 + 0.5)) : Double(Int(width * 7 + 0.5) + 5)
        let stored = Double(Int(pixels / 7 * 256)) / 256
        return stored == stored.rounded() ? String(Int(stored)) : String(stored)
    }

    /// `text` in an element: `&`, `<` and `>` escaped.
    static func text(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `text` in an attribute: `"` escaped too.
    static func attribute(_ value: String) -> String {
        text(value).replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension String {
    /// ASCII letters in lower case, everything else as it is (C's `tolower` in the C locale).
    fileprivate var lowercasedASCII: String {
        String(decoding: utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
