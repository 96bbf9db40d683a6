import GongjiReports
import Testing

@Suite struct MarkdownTableTests {
    @Test func escapesPipesAndLineBreaks() {
        var table = MarkdownTable([("Name", .left), ("Amount", .right)])
        table.append(["a|b", "1\n2"])
        #expect(table.text == "| Name | Amount |\n| --- | ---: |\n| a\\|b | 1 2 |\n")
    }
}
