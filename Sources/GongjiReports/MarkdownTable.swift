/// A GitHub-flavoured Markdown table. Cells are escaped so that a `|` or a
/// line break in data cannot break the table.
public struct MarkdownTable {
    public enum Alignment { case left, right }

    private let header: [String]
    private let alignments: [Alignment]
    private var rows: [[String]] = []

    public init(_ columns: [(String, Alignment)]) {
        header = columns.map(\.0)
        alignments = columns.map(\.1)
    }

    public mutating func append(_ cells: [String]) {
        precondition(cells.count == header.count, "a row must have one cell per column")
        rows.append(cells)
    }

    public var isEmpty: Bool { rows.isEmpty }

    public var text: String {
        var lines = ["| " + header.map(MarkdownTable.escaped).joined(separator: " | ") + " |"]
        lines.append("|" + alignments.map { $0 == .right ? " ---: " : " --- " }.joined(separator: "|") + "|")
        for row in rows {
            lines.append("| " + row.map(MarkdownTable.escaped).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escaped(_ cell: String) -> String {
        var result = ""
        for character in cell {
            switch character {
            case "|": result += "\\|"
            case "\n", "\r", "\r\n": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}
