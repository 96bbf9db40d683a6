import Foundation
import GongjiDomain

/// rejects.csv: `file,line,column,error,raw`; `error` in the language of
/// `--lang` (docs/formats.md), the other columns as they are.
public struct RejectsReport {
    public let rejects: [RejectedRow]
    public let disclosure: Disclosure
    public let words: Words

    public init(rejects: [RejectedRow], disclosure: Disclosure = Disclosure(reveal: false), words: Words = Words(.zh)) {
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
            let said = words.say(reject.reason)
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
