/// One input row that was not accepted, with where it was and why.
public struct Reject: Hashable, Sendable {
    public var file: String
    public var line: Int
    /// The column at fault, empty when the fault is the whole row.
    public var column: String
    public var error: String
    /// The row as it was in the file.
    public var raw: String

    public init(file: String, line: Int, column: String, error: String, raw: String) {
        self.file = file
        self.line = line
        self.column = column
        self.error = error
        self.raw = raw
    }
}

/// rejects.csv: `file,line,column,error,raw`.
public struct RejectsReport {
    public let rejects: [Reject]

    public init(rejects: [Reject]) { self.rejects = rejects }

    public static let columns = ["file", "line", "column", "error", "raw"]

    public var csv: String {
        var table = CSVTable(columns: Self.columns)
        for reject in rejects {
            table.append([.text(reject.file), .number(String(reject.line)), .text(reject.column),
                          .text(reject.error), .text(reject.raw)])
        }
        return table.text
    }
}
