import GongjiTestSupport
import Foundation
import GongjiImport
import Testing

@Suite struct CSVReaderTests {
    func records(_ bytes: [UInt8], encoding: TextEncoding = .auto) throws -> [CSVRecord] {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("in.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try CSVReader(path: path, encoding: encoding)
        var list: [CSVRecord] = []
        while let record = try reader.next() { list.append(record) }
        return list
    }

    func records(_ text: String) throws -> [CSVRecord] { try records(Array(text.utf8)) }

    @Test func quotesDoubledQuotesAndLineBreaks() throws {
        let list = try records("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\nlast,,\n")
        #expect(list.map(\.fields) == [["a", "b", "c"], ["x,1", "say \"hi\"", "two\r\nlines"], ["last", "", ""]])
        #expect(list.map(\.line) == [1, 2, 4])
        #expect(list[1].raw == "\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"")
        #expect(list.allSatisfy { $0.problem == nil })
    }

    @Test func crlfAndBOMAndBlankLines() throws {
        let list = try records([0xEF, 0xBB, 0xBF] + Array("id,name\r\n1,张三\r\n\r\n2,李四".utf8))
        #expect(list.map(\.fields) == [["id", "name"], ["1", "张三"], ["2", "李四"]])
        #expect(list.map(\.line) == [1, 2, 4])
    }

    @Test func gb18030IsDetectedAndConverted() throws {
        // "id,name\n1,张三\n" in GB18030: 张 = D5 C5, 三 = C8 FD
        let bytes = Array("id,name\n1,".utf8) + [0xD5, 0xC5, 0xC8, 0xFD] + [0x0A]
        #expect(try records(bytes).map(\.fields) == [["id", "name"], ["1", "张三"]])
        #expect(try records(bytes, encoding: .gb18030).map(\.fields) == [["id", "name"], ["1", "张三"]])
        let forcedUTF8 = try records(bytes, encoding: .utf8)
        #expect(forcedUTF8[1].problem == "the text is not valid UTF-8 (for a GB18030 file, pass --encoding gb18030)")
    }

    /// One stray byte in a UTF-8 file rejects its line; the file is not
    /// re-read as GB18030 (which garbled every name).
    @Test func aStrayByteInAUTF8FileRejectsOnlyItsLine() throws {
        let bytes = Array("id,name\n1,张三\n2,李四\n3,".utf8) + [0xFF] + Array("x\n4,王五\n".utf8)
        let list = try records(bytes)
        #expect(list[1].fields == ["1", "张三"])
        #expect(list[4].fields == ["4", "王五"])
        #expect(list[3].problem == "the text is not valid UTF-8 (for a GB18030 file, pass --encoding gb18030)")
        #expect(list.filter { $0.problem != nil }.count == 1)
    }

    @Test func unterminatedQuoteAtEndOfFile() throws {
        let list = try records("a,b\n1,\"open\n2,3\n")
        #expect(list.count == 2)
        #expect(list[1].line == 2)
        #expect(list[1].problem == "a quoted field opened on line 2 is never closed")
        #expect(list[1].raw == "1,\"open\n2,3\n")
    }

    @Test func strayQuoteIsAProblem() throws {
        let list = try records("a,b\n1,x\"y\n")
        #expect(list[1].problem == "a quote inside an unquoted field (quote the whole field and double the quote)")
    }

    @Test func raggedRowsAreRejectedByTheTableReader() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("t.csv", "b,a,extra\n1,2,3\n4,5\n")
        let table = try CSVTableReader(path: path, name: "t.csv", required: ["a", "b"], optional: [])
        #expect(table.unknownColumns == ["extra"])
        let a = table.column("a"), b = table.column("b")
        var seen: [String] = []
        try table.forEachRow { next in
            switch next {
            case let .row(row): seen.append("ok \(row.line) a=\(row.value(a)) b=\(row.value(b))")
            case let .failure(bad): seen.append("bad \(bad.line) \(bad.raw): \(bad.error.reason)")
            }
        }
        #expect(seen == ["ok 2 a=2 b=1", "bad 3 4,5: the row has 2 fields; the header has 3"])
    }

    @Test func recordsAcrossChunkBoundariesKeepTheirFieldsAndLines() throws {
        // Long enough to cross the 1 MiB chunk several times, with quoted
        // fields and CRLF landing at every offset of a boundary.
        var text = "id,note\r\n"
        var expected: [[String]] = [["id", "note"]]
        for n in 0..<100_000 {
            let note = n % 3 == 0 ? "plain \(n)" : (n % 3 == 1 ? "say \"\"hi\"\" \(n)" : "two\nlines \(n)")
            text += "\(n),\"\(note)\"\r\n"
            expected.append(["\(n)", note.replacingOccurrences(of: "\"\"", with: "\"")])
        }
        let list = try records(text)
        #expect(list.count == expected.count)
        #expect(list.map(\.fields) == expected)
        #expect(list.allSatisfy { $0.problem == nil })
        // Each record with a line break inside quotes moves the next record's line by two.
        #expect(list.last?.line == 1 + 100_000 + 100_000 / 3)
    }

    /// Quote-free lines are split eight bytes at a time: fields of every
    /// length, commas, line ends and non-ASCII text at every offset of a
    /// word, bytes just above and below a comma (0x2B, 0x2D) and 0x01 (which
    /// a borrow can mark falsely) give the fields a plain split gives.
    @Test func quoteFreeLinesSplitAsAPlainSplitDoes() throws {
        var lines: [[UInt8]] = []
        var seed: UInt64 = 20_221_122
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % bound
        }
        let alphabet: [[UInt8]] = [[0x61], [0x2B], [0x2D], [0x01], [0x30], Array("张".utf8), [0x20], [0x0D]]
        for _ in 0..<3000 {
            var line: [UInt8] = []
            for field in 0..<(1 + next(9)) {
                if field > 0 { line.append(0x2C) }
                for _ in 0..<next(12) { line += alphabet[next(alphabet.count - 1)] }  // no CR inside
            }
            lines.append(line)
        }
        var bytes: [UInt8] = []
        for line in lines { bytes += line + (next(4) == 0 ? [0x0D, 0x0A] : [0x0A]) }
        let list = try records(bytes)
        let expected = lines.filter { !$0.isEmpty }.map { line in
            line.split(separator: 0x2C, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(list.map(\.fields) == expected)
        #expect(list.allSatisfy { $0.problem == nil })
    }

    @Test func missingRequiredColumnNamesTheFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("t.csv", "person_id,region_code\n")
        #expect(throws: InputError(file: "contributions/t.csv", line: 1, message: "missing required columns month, status")) {
            _ = try CSVTableReader(path: path, name: "contributions/t.csv",
                                   required: ["person_id", "month", "region_code", "status"], optional: [])
        }
    }
}
