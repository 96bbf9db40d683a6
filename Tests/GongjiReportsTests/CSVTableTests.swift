import GongjiReports
import Testing

@Suite struct CSVTableTests {
    @Test func quotesPerRFC4180() {
        var table = CSVTable(columns: ["a", "b"])
        table.append([.text("x,y"), .text("say \"hi\"")])
        table.append([.text("two\nlines"), .empty])
        #expect(table.text == "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\n")
    }

    @Test(arguments: [
        ("=1+2", "'=1+2"), ("+86", "'+86"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""), ("深圳市", "深圳市"), ("a=b", "a=b"),
    ])
    func neutralizesFormulasInText(input: String, written: String) {
        var table = CSVTable(columns: ["t"])
        table.append([.text(input)])
        #expect(table.text == "t\n\(written)\n")
    }

    @Test func numbersStayNumbers() {
        var table = CSVTable(columns: ["n"])
        table.append([.number("-12.05")])
        #expect(table.text == "n\n-12.05\n")
    }
}
