import GongjiDomain
import GongjiReports
import Testing

@Suite struct CSVWriterTests {
    let id = ResidentID("11010519491231002X")!

    @Test func writesFieldsLikeCSVTable() {
        let text = CSVWriter.render(columns: ["a", "b", "c", "d", "e", "f"], disclosure: Disclosure(reveal: false)) { (writer: CSVWriter) throws(AtomicFile.WriteError) in
            writer.text("=SUM(A1)")
            writer.text("say \"hi\", then go")
            writer.money(Money(fen: -1205))
            writer.id(id)
            writer.region(RegionCode("010100")!)
            writer.int(-42)
            try writer.endRow()
            writer.money(Money(fen: 5))
            writer.empty()
            writer.number("2022-06")
            writer.money(nil)
            writer.text("")
            writer.int(0)
            try writer.endRow()
        }
        #expect(text == "a,b,c,d,e,f\n'=SUM(A1),\"say \"\"hi\"\", then go\",-12.05,110105********002X,010100,-42\n0.05,,2022-06,,,0\n")
    }

    /// Amounts written from the last digit back: every length, signs, and the extremes of 64 bits.
    @Test(arguments: [
        (0, "0.00"), (5, "0.05"), (-5, "-0.05"), (99, "0.99"), (100, "1.00"), (999, "9.99"), (1_000, "10.00"),
        (-1_000, "-10.00"), (123_456_789, "1234567.89"), (-100_000_000_000, "-1000000000.00"),
        (Int64.max, "92233720368547758.07"), (Int64.min, "-92233720368547758.08"),
    ] as [(Int64, String)])
    func moneyOfEveryLength(fen: Int64, text: String) {
        let written = CSVWriter.render(columns: ["a"], disclosure: Disclosure(reveal: false)) { (writer: CSVWriter) throws(AtomicFile.WriteError) in
            writer.money(Money(fen: fen))
            try writer.endRow()
        }
        #expect(written == "a\n\(text)\n")
    }

    /// A file of one column `a`, `values` as amounts, a row each.
    static func moneyColumn(_ values: [Int64]) -> String {
        CSVWriter.render(columns: ["a"], disclosure: Disclosure(reveal: false)) { (writer: CSVWriter) throws(AtomicFile.WriteError) in
            for fen in values {
                writer.money(Money(fen: fen))
                try writer.endRow()
            }
        }
    }

    /// Every amount whose yuan are a power of ten, one less or one more, in
    /// both signs: the digit count's estimate from the bit length is one off
    /// just below each power (`decimalDigitCount`).
    @Test func moneyAroundEveryPowerOfTen() {
        var values: [Int64] = []
        var power: Int64 = 1
        for _ in 0..<17 {
            for yuan in [power - 1, power, power + 1] where yuan >= 0 {
                values += [yuan * 100, yuan * 100 + 7, -(yuan * 100 + 99)]
            }
            power *= 10
        }
        let written = Self.moneyColumn(values)
        #expect(written == "a\n" + values.map { Money(fen: $0).yuanText + "\n" }.joined())
        #expect(written.contains("\n10000000000000000.07\n"))
    }

    /// Every pair of digits in every place: each amount from 0 to 99.99 yuan,
    /// and every pair before the point, in amounts of up to eight pairs.
    @Test func moneyWithEveryPairOfDigits() {
        var values = (Int64(0)...9_999).map { $0 }
        for pair in Int64(0)...99 {
            var yuan: Int64 = 1
            for _ in 0..<8 {
                values += [(yuan * 100 + pair) * 100 + pair, -((yuan * 100 + pair) * 100 + 99 - pair)]
                yuan = yuan * 100 + (pair * 37 + 11) % 100
            }
        }
        let written = Self.moneyColumn(values)
        #expect(written == "a\n" + values.map { Money(fen: $0).yuanText + "\n" }.joined())
        #expect(written.contains("\n45.67\n"))
    }

    /// A row written through one room (`row(fields:_:)`, the balances file's)
    /// is byte for byte the row written field by field, masked and revealed,
    /// with the longest amounts in every field.
    @Test(arguments: [false, true])
    func rowWritesWhatFieldsWrite(reveal: Bool) {
        let amounts: [Int64] = [0, 5, -5, 99, 100, -1_000, 123_456_789, Int64.max, Int64.min]
        let region = RegionCode("440300")!
        let columns = (0..<11).map { "c\($0)" }
        let fieldByField = CSVWriter.render(columns: columns, disclosure: Disclosure(reveal: reveal)) { (writer: CSVWriter) throws(AtomicFile.WriteError) in
            for amount in amounts {
                writer.id(id)
                writer.region(region)
                for _ in 0..<9 { writer.money(Money(fen: amount)) }
                try writer.endRow()
            }
        }
        let throughRows = CSVWriter.render(columns: columns, disclosure: Disclosure(reveal: reveal)) { (writer: CSVWriter) throws(AtomicFile.WriteError) in
            for amount in amounts {
                try writer.row(fields: 11) { out in
                    out.id(id)
                    out.region(region)
                    for _ in 0..<9 { out.money(Money(fen: amount)) }
                }
            }
        }
        #expect(throughRows == fieldByField)
        #expect(throughRows.split(separator: "\n")[9]
                == "\(reveal ? "11010519491231002X" : "110105********002X"),440300" + String(repeating: ",-92233720368547758.08", count: 9))
    }

    /// IDs are written in two halves, and masked from the digits that show:
    /// the text parses back to the same ID, and the mask hides exactly the birth date.
    @Test func idsWrittenAsTheyParse() {
        var digits: UInt64 = 11_010_519_491_231_002
        var written = 0
        while written < 2_000 {
            digits = (digits &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407) % 100_000_000_000_000_000
            guard let id = ResidentID(digits: digits) else { continue }
            written += 1
            let text = id.text
            #expect(ResidentID(text) == id)
            #expect(text.prefix(17) == String(repeating: "0", count: 17 - String(digits).count) + String(digits))
            #expect(id.masked == String(text.prefix(6)) + "********" + String(text.suffix(4)))
        }
    }

    @Test func revealsIDsOnlyWhenAsked() {
        let text = CSVWriter.render(columns: ["id"], disclosure: Disclosure(reveal: true)) { (writer: CSVWriter) throws(AtomicFile.WriteError) in
            writer.id(id)
            try writer.endRow()
        }
        #expect(text == "id\n11010519491231002X\n")
    }

    @Test func flushesInPiecesWithoutLosingBytes() throws {
        var pieces = 0
        var out: [UInt8] = []
        let writer = try CSVWriter(columns: ["n", "money"], disclosure: Disclosure(reveal: false)) { bytes in
            pieces += 1
            bytes.withUnsafeBufferPointer { out.append(contentsOf: $0) }
        }
        for n in 0..<200_000 {
            writer.int(n)
            writer.money(Money(fen: Int64(n)))
            try writer.endRow()
        }
        try writer.flush()
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        #expect(pieces > 1)
        #expect(lines.count == 200_001)
        #expect(lines[200_000] == "199999,1999.99")
    }
}
