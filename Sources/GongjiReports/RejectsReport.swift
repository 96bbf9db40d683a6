import Foundation
import GongjiDomain
/// One input row that was not accepted, with where it was and why.
public struct Reject: Hashable, Sendable {
    public var file: String
    public var line: Int
    /// The column at fault, empty when the fault is the whole row.
    public var column: String
    /// Why, said in the report's language (`--lang`).
    public var error: Phrase
    /// The row as it was in the file.
    public var raw: String
    /// Values in `raw` that are personal (a name): masked unless revealed, as `张*`.
    public var sensitive: [String]
    /// Values in `raw` that may be personal (a name in another column, or
    /// in a row that did not split): masked unless revealed, every
    /// character a star.
    public var hidden: [String]

    public init(file: String, line: Int, column: String, error: Phrase, raw: String, sensitive: [String] = [],
                hidden: [String] = []) {
        self.file = file
        self.line = line
        self.column = column
        self.error = error
        self.raw = raw
        self.sensitive = sensitive
        self.hidden = hidden
    }
}

/// rejects.csv: `file,line,column,error,raw`; `error` in the language of
/// `--lang` (docs/formats.md), the other columns as they are.
public struct RejectsReport {
    public let rejects: [Reject]
    public let disclosure: Disclosure
    public let words: Words

    public init(rejects: [Reject], disclosure: Disclosure = Disclosure(reveal: false), words: Words = Words(.zh)) {
        self.rejects = rejects
        self.disclosure = disclosure
        self.words = words
    }

    public static let columns = ["file", "line", "column", "error", "raw"]

    /// Every column masked unless revealed (`maskedRow`: the row's name,
    /// and every ID however broken, in `raw` and `error` alike, the error
    /// masked as it is said; `maskedIDs` in `file` and `column`), and then
    /// `visible`, revealed or not.
    public var csv: String {
        var table = CSVTable(columns: Self.columns)
        for reject in rejects {
            let reveal = disclosure.reveal
            let said = words.say(reject.error)
            let (raw, error) = reveal ? (reject.raw, said)
                : maskedRow(raw: reject.raw, reason: said, names: reject.sensitive, hidden: reject.hidden)
            let file = reveal ? reject.file : maskedIDs(reject.file)
            let column = reveal ? reject.column : maskedIDs(reject.column)
            table.append([.text(Self.visible(file)), .number(String(reject.line)), .text(Self.visible(column)),
                          .text(Self.visible(error)), .text(Self.visible(raw))])
        }
        return table.text
    }

    /// `text` with its control characters (a NUL, an escape; not a tab or
    /// line break) written as `\x00`: rejects.csv never holds them raw.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ($0.value < 0x20 && !"\t\n\r".unicodeScalars.contains($0)) || $0.value == 0x7F })
        else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if (scalar.value < 0x20 && !"\t\n\r".unicodeScalars.contains(scalar)) || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
