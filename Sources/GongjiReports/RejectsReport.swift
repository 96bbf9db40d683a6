import Foundation
import GongjiDomain
/// One input row that was not accepted, with where it was and why.
public struct Reject: Hashable, Sendable {
    public var file: String
    public var line: Int
    /// The column at fault, empty when the fault is the whole row.
    public var column: String
    public var error: String
    /// The row as it was in the file.
    public var raw: String
    /// Values in `raw` that are personal (a name): masked unless revealed.
    public var sensitive: [String]

    public init(file: String, line: Int, column: String, error: String, raw: String, sensitive: [String] = []) {
        self.file = file
        self.line = line
        self.column = column
        self.error = error
        self.raw = raw
        self.sensitive = sensitive
    }
}

/// rejects.csv: `file,line,column,error,raw`.
public struct RejectsReport {
    public let rejects: [Reject]
    public let disclosure: Disclosure

    public init(rejects: [Reject], disclosure: Disclosure = Disclosure(reveal: false)) {
        self.rejects = rejects
        self.disclosure = disclosure
    }

    public static let columns = ["file", "line", "column", "error", "raw"]

    public var csv: String {
        var table = CSVTable(columns: Self.columns)
        for reject in rejects {
            table.append([.text(reject.file), .number(String(reject.line)), .text(reject.column),
                          .text(reject.error), .text(disclosure.reveal ? reject.raw : Self.masked(reject))])
        }
        return table.text
    }

    /// The raw row with every ID in it masked (`maskedIDs`: even a broken
    /// one, with separators or full-width digits) and the row's name masked
    /// to its first character.
    static func masked(_ reject: Reject) -> String {
        var text = reject.raw
        for value in reject.sensitive where !value.isEmpty {
            text = text.replacingOccurrences(of: value, with: maskedName(value))
        }
        return maskedIDs(text)
    }
}
