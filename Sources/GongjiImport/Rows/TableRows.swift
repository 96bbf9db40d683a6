import Foundation
import GongjiDomain

/// The reader of one input's rows: it checks each row and keeps the domain
/// values it gives. One type per input, in a file named after it
/// (`PersonsRows`, `ContributionsRows`, ...); `read` drives it over a table.
public protocol TableRows {
    /// The input's required and optional columns.
    static var columns: (required: [String], optional: [String]) { get }
    /// Checks one row and keeps what it gives; a `RowError` rejects it.
    mutating func accept(_ row: CSVTableReader.Row) throws(RowError)
    /// The input's personal columns (a name), which a rejected row's raw
    /// text and reason mask; for an input without any, none, but a value
    /// that may be a name (a name put in the wrong file) is still hidden.
    var personal: PersonalColumns? { get }
    /// After the last row: rows found wrong only once later rows were read.
    mutating func finish() -> [RejectedRow]
    /// Whether the reader has a shortcut for its common row (`acceptLine`).
    static var readsLines: Bool { get }
    /// The shortcut: `bytes` run from a row's start, on `line`, to the end
    /// of what is in memory. It either accepts the row, one whole line of the form it
    /// knows, exactly as `accept` would have accepted it, and gives the
    /// bytes it took with the line end; or gives 0, having changed nothing
    /// `accept` would not change the same way, and the row goes to `accept`.
    mutating func acceptLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Int
}

extension TableRows {
    public var personal: PersonalColumns? { PersonalColumns(positions: [], codes: [], asciiIsHarmless: true) }
    public mutating func finish() -> [RejectedRow] { [] }
    public static var readsLines: Bool { false }
    public mutating func acceptLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Int { 0 }

    /// Reads every row of `table`: each is accepted or rejected with its
    /// line, column, reason and raw text. `filtered`: the job leaves
    /// provinces out (`--province`), so the record counts the rows skipped
    /// (read = accepted + rejected + skipped). `progress` hears the rows and
    /// bytes read every 65,536 rows. The record's digest is the pipeline's.
    @inlinable
    public mutating func read(_ table: CSVTableReader, filtered: Bool = false,
                              progress: ((_ rows: Int, _ bytes: Int64) -> Void)? = nil) throws(InputError) -> InputRecord {
        var read = 0
        var skipped = 0
        var rejected: [RejectedRow] = []
        var misfits: Set<Int> = []  // field counts of rows whose count is not the header's
        var misfitRows = 0
        var stop: InputError?
        let file = table.name
        // One closure for the lines offered and the rows (see `CSVTableReader.forEachRow(offering:lines:)`).
        try table.forEachRow(offering: Self.readsLines) { offer in
            let next: CSVTableReader.Next
            switch offer {
            case let .line(bytes, line):
                let used = acceptLine(bytes, line: line)
                if used > 0 {
                    read += 1
                    if read & 0xFFFF == 0 { progress?(read, table.bytesConsumed) }
                }
                return used
            case let .next(row):
                next = row
            }
            read += 1
            if read & 0xFFFF == 0 { progress?(read, table.bytesConsumed) }
            switch next {
            case let .failure(bad):
                if let fields = bad.fields {
                    misfitRows += 1
                    if misfits.count < 3 { misfits.insert(fields) }
                }
                rejected.append(RejectedRow(file: file, line: bad.line, column: bad.error.column, reason: bad.error.reason,
                                            raw: bad.raw, split: false))
            case let .row(row):
                do throws(RowError) {
                    try accept(row)
                } catch {
                    if error.skipped {
                        skipped += 1
                        return 0
                    }
                    if error.stopsTheRun, stop == nil { stop = InputError(file: file, line: row.line, message: error.reason) }
                    rejected.append(RejectedRow(file: file, line: row.line, column: error.column, reason: error.reason,
                                                raw: row.raw))
                }
            }
            return 0
        }
        if let stop { throw stop }
        progress?(read, table.bytesConsumed)
        // Every row with another field count than the header: the header is wrong, not the rows.
        if read > 0, misfitRows == read {
            let counts = misfits.sorted().map(String.init).joined(separator: " or ")
            throw InputError(file: file, line: 1, message: "every row has \(counts) fields but the header has \(table.width): "
                             + "check the header (a column missing or one too many)")
        }
        let late = finish()
        if !late.isEmpty { rejected = (rejected + late).sorted { $0.line < $1.line } }
        if let personal {
            for index in rejected.indices {
                (rejected[index].sensitive, rejected[index].hidden) = personal.sensitive(raw: rejected[index].raw,
                                                                                         split: rejected[index].split)
            }
        }
        return InputRecord(file: file, bytes: table.bytesConsumed, read: read, rejects: rejected,
                           skipped: filtered ? skipped : nil)
    }
}

/// Who owns each key of an input (docs/rules.md, rule R3): the first row
/// that carries it, even when that row is rejected for another field, so
/// that a typo in one row never lets a later row with the same key through.
/// A row's own checks come first (in column order); a row that passes them
/// and finds its key taken is rejected for that.
public struct KeyOwners<Key: Hashable> {
    private var accepted = Set<Key>()
    /// Keys whose first row was rejected: that row's file and line.
    private var rejected: [Key: (file: String, line: Int)] = [:]

    public init() {}

    /// Room for `count` keys at once.
    public mutating func reserve(_ count: Int) { accepted.reserveCapacity(count) }

    /// The row at `file`:`line` carries `key`: `checks` runs (the row's
    /// other checks), then the key must be free. A rejected row keeps a key
    /// that was free for itself.
    public mutating func take<T>(_ key: Key, column: String, file: String, line: Int,
                                 _ checks: () throws(RowError) -> T) throws(RowError) -> T {
        try take(key, file: file, line: line, taken: { KeyOwners.taken(column: column, by: $0, file: file) }, checks)
    }

    /// The same with the message of a taken key the caller's: `taken` gets
    /// the rejected row that owns it, or nil when an accepted row does.
    public mutating func take<T>(_ key: Key, file: String, line: Int, taken: ((file: String, line: Int)?) -> RowError,
                                 _ checks: () throws(RowError) -> T) throws(RowError) -> T {
        // One hash of the key for a row whose key is new and which passes
        // (a city's 2.4M claim IDs: `contains` then `insert` hashed each
        // twice). The key goes in first and comes out again if the row is
        // rejected.
        let inserted = accepted.insert(key).inserted
        let free = inserted && (rejected.isEmpty || rejected[key] == nil)
        let value: T
        do throws(RowError) {
            value = try checks()
        } catch {
            if inserted { accepted.remove(key) }
            if free { rejected[key] = (file, line) }
            throw error
        }
        guard free else {
            if inserted { accepted.remove(key) }
            throw taken(rejected[key])
        }
        return value
    }

    /// The reason a row whose key is taken is rejected: by an accepted row
    /// (`by` nil), or by a rejected one, named by its line (and file, when
    /// it is another file of the same input).
    public static func taken(column: String, by owner: (file: String, line: Int)?, file: String) -> RowError {
        guard let owner else { return RowError(column: column, "\(column) appears on an earlier row") }
        let place: Phrase = owner.file == file ? "line \(owner.line)" : "line \(owner.line) of \(owner.file)"
        return RowError(column: column, "\(column) appears on \(place), which was rejected")
    }
}

/// The columns of an input that hold personal values besides IDs (persons.csv's
/// `name`), and how a rejected row of it is masked, failing closed: the
/// value in a personal column (shown `张*`), and any other value of the row
/// that is not known to be harmless (empty, digits and punctuation, a code
/// or a word written like one), in case the row's columns were swapped, every
/// character a star; in a row that did not split into the header's fields,
/// every such piece between commas, wherever the name went, all stars.
public struct PersonalColumns: Sendable {
    /// The personal columns' positions in the header.
    let positions: Set<Int>
    /// The codes of the input's columns (`employee`, `resident`): values never personal.
    let codes: Set<String>
    /// In an input without a name column, only a value with text beyond
    /// ASCII (a Chinese name put in the wrong file) is hidden.
    let asciiIsHarmless: Bool

    init(positions: [Int?], codes: [String], asciiIsHarmless: Bool = false) {
        self.positions = Set(positions.compactMap { $0 })
        self.codes = Set(codes)
        self.asciiIsHarmless = asciiIsHarmless
    }

    /// The values of `raw` to mask: names (the personal columns' values)
    /// and values hidden whole, each as it stands in `raw` (and, for a
    /// quoted value with a doubled quote, as a reason would quote it).
    /// `split`: whether the row split into the header's fields (its columns
    /// are known); a row that did not is taken apart at every comma.
    public func sensitive(raw: String, split: Bool) -> (names: [String], hidden: [String]) {
        var names: [String] = []
        var hidden: [String] = []
        for (index, piece) in PersonalColumns.pieces(raw, quoted: split).enumerated() {
            var value = Substring(piece.trimmingCharacters(in: .whitespaces))
            if value.hasPrefix("\"") { value = value.dropFirst() }
            if value.hasSuffix("\"") { value = value.dropLast() }
            if value.isEmpty || codes.contains(value.lowercased()) { continue }
            var forms = [String(value)]
            if value.contains("\"\"") { forms.append(String(value).replacing("\"\"", with: "\"")) }
            if split && positions.contains(index) {
                names += forms
            } else if !harmless(value) {
                hidden += forms
            }
        }
        return (names, hidden)
    }

    /// Empty, ASCII without letters (an ID, a number, a date: the ID
    /// masking sees to them), ASCII with a digit (a key: `B0001`,
    /// `C202206-0001`), one of the input's codes, or a word written like a
    /// code (lower-case ASCII letters, digits and `_`: `retired`); a name
    /// (Chinese, or capitalized) is none of these.
    func harmless(_ value: Substring) -> Bool {
        if codes.contains(value.lowercased()) { return true }
        // Full-width digits and X are ID characters, which the ID masking sees to.
        let fullWidth: (Unicode.Scalar) -> Bool = { (0xFF10...0xFF19).contains($0.value) || $0.value == 0xFF38 || $0.value == 0xFF58 }
        if value.unicodeScalars.allSatisfy(fullWidth) { return true }
        if value.unicodeScalars.allSatisfy(\.isASCII),
           asciiIsHarmless || value.unicodeScalars.contains(where: { ("0"..."9").contains($0) }) {
            return true
        }
        if value.first.map({ ("a"..."z").contains($0) }) == true,
           value.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) {
            return true
        }
        var previousDigit = false
        for scalar in value.unicodeScalars {
            guard scalar.isASCII else { return false }
            let isDigit = ("0"..."9").contains(scalar)
            if scalar.properties.isAlphabetic && !((scalar == "X" || scalar == "x") && previousDigit) { return false }
            previousDigit = isDigit
        }
        return true
    }

    /// The row's fields as they stand in `raw`: split at commas outside
    /// quotes (`quoted`), or at every comma.
    static func pieces(_ raw: String, quoted: Bool) -> [Substring] {
        guard quoted else { return raw.split(separator: ",", omittingEmptySubsequences: false) }
        var pieces: [Substring] = []
        var start = raw.startIndex
        var inQuotes = false
        var index = raw.startIndex
        while index < raw.endIndex {
            let character = raw[index]
            if character == "\"" {
                inQuotes.toggle()
            } else if character == ",", !inQuotes {
                pieces.append(raw[start..<index])
                start = raw.index(after: index)
            }
            index = raw.index(after: index)
        }
        pieces.append(raw[start...])
        return pieces
    }
}
