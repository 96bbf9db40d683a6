import Foundation
import GongjiDomain

/// One record of a CSV file, or why it could not be read.
public struct CSVRecord: Sendable {
    /// The line on which the record starts (the header is line 1).
    public var line: Int
    public var fields: [String]
    /// The record as it stood in the file, without its line end.
    public var raw: String
    /// Set when the record is malformed (unterminated quote, invalid text).
    public var problem: Phrase?
}

/// One record as the reader sees it: views into the reader's buffer, valid
/// only during the call that receives it (the reader owns and frees the
/// memory). Nothing is copied unless asked for.
public struct CSVRecordView {
    public let line: Int
    /// Set when the record is malformed (unterminated quote, invalid text).
    public let problem: Phrase?
    let rawBytes: UnsafeBufferPointer<UInt8>
    let spans: UnsafeBufferPointer<CSVReader.Span>
    let side: UnsafeBufferPointer<UInt8>

    public var count: Int { spans.count }

    /// The field's bytes, quotes removed and doubled quotes undone.
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let span = spans[index]
        let base = span.inSide ? side : rawBytes
        return UnsafeBufferPointer(rebasing: base[span.start..<span.end])
    }

    public func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

    /// The record as it stood in the file, without its line end.
    public var raw: String { String(decoding: rawBytes, as: UTF8.self) }

    public var record: CSVRecord {
        CSVRecord(line: line, fields: (0..<count).map(string), raw: raw, problem: problem)
    }
}

/// A streaming RFC 4180 reader: quotes, doubled quotes, line breaks inside
/// quotes, LF or CRLF, UTF-8 with or without BOM, or GB18030.
///
/// Hand-written at the byte level rather than on CSV.swift or SwiftCSV: the
/// issue's measurement on 1M rows was 0.33 s for a byte-level reader against
/// 4.8 s (CSV.swift) and 5-6 s (SwiftCSV), and neither library reports the
/// raw text and line of a malformed record, which the rejects file needs.
/// It scans each 1 MiB chunk in place and hands out views, so a record costs
/// no allocation unless a field holds a doubled quote or the row is rejected.
/// Memory is one chunk plus the record that spans two chunks.
///
/// Unsafe because the views are: the reader owns its chunk buffer (allocated
/// here unless the file is mapped, freed in `deinit`), the mapping (through
/// `MappedFile`) and its span lists (`RawList`, freed in `deinit`). A
/// record view points into them and is valid only during the call that
/// receives it; other modules see only Strings and the row readers' values.
public final class CSVReader {
    struct Span {
        var start: Int
        var end: Int
        var inSide: Bool
    }

    /// Where the bytes come from: a mapped UTF-8 file, scanned in place, or
    /// (GB18030, or a file that cannot be mapped) chunks converted to UTF-8.
    private let source: ByteSource?
    public let mapped: MappedFile?
    /// The unconsumed input: `buffer[position..<count]`. For a chunked file
    /// it is raw memory owned here, so handing out a record costs no
    /// reference counting.
    @exclusivity(unchecked) private var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var owned: Bool
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var count = 0
    @exclusivity(unchecked) private var position = 0
    @exclusivity(unchecked) private var exhausted = false
    @exclusivity(unchecked) private var released = 0
    @exclusivity(unchecked) private var line = 1
    /// The current record's fields, and the unescaped bytes of fields with
    /// doubled quotes: raw memory owned here, grown when needed.
    @exclusivity(unchecked) private var spans = RawList<Span>(capacity: 64)
    @exclusivity(unchecked) private var side = RawList<UInt8>(capacity: 4096)
    /// Bytes of the input consumed so far (for progress).
    @exclusivity(unchecked) public private(set) var bytesConsumed: Int64 = 0

    public let encoding: TextEncoding

    public init(path: String, encoding requested: TextEncoding = .auto) throws {
        if requested != .gb18030, let file = MappedFile(path: path), let base = file.bytes.baseAddress {
            let all = file.bytes.bindMemory(to: UInt8.self)
            let bom = all.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            if requested == .utf8 || ByteSource.looksLikeUTF8(ArraySlice(all[bom..<min(all.count, bom + 65_536)])) {
                mapped = file
                source = nil
                encoding = .utf8
                buffer = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
                owned = false
                capacity = all.count
                count = all.count
                position = bom
                exhausted = true
                return
            }
        }
        let source = try ByteSource(path: path, encoding: requested)
        self.source = source
        mapped = nil
        encoding = source.encoding
        capacity = 2 << 20
        buffer = .allocate(capacity: capacity)
        owned = true
    }

    deinit {
        if owned { buffer.deallocate() }
        spans.free()
        side.free()
    }

    /// The next record, copied out; nil at the end of the file.
    public func next() throws -> CSVRecord? {
        try withNext { $0.record }
    }

    /// Calls `body` with each record in turn. Blank lines are skipped.
    public func forEach(_ body: (CSVRecordView) throws -> Void) throws {
        while try withNext(body) != nil {}
    }

    /// The same, offering each record's bytes to `take` first, with its
    /// line: from the record's start to the end of what is in memory. `take` either takes
    /// the whole record, one line with its line end, and gives how many bytes
    /// that was, or gives 0 and the record goes to `body` as a view. A row
    /// reader's shortcut for its common row (`TableRows.acceptLine`): the
    /// record is neither split into spans nor handed out as a view.
    public func forEach(lines take: (UnsafeBufferPointer<UInt8>, Int) -> Int, _ body: (CSVRecordView) throws -> Void) throws {
        while true {
            while position < count {
                let used = take(UnsafeBufferPointer(start: buffer + position, count: count - position), line)
                guard used > 0 else { break }
                consume(to: position + used, lines: 1)
            }
            guard try withNext(body) != nil else { return }
        }
    }

    /// The input up to `next` is read, `lines` line breaks of it.
    @inline(__always)
    private func consume(to next: Int, lines: Int) {
        line += lines
        bytesConsumed += Int64(next - position)
        position = next
        if position - released > 16 << 20, let mapped {
            // Keep only the recent part of a mapped file in memory.
            released = position - (4 << 20)
            mapped.release(before: released)
        }
    }

    enum Scan {
        case needMore
        case end
        /// A record from `start` to `end` (exclusive of its line end); the
        /// next record starts at `next`; `lines` line breaks were consumed.
        case record(start: Int, end: Int, next: Int, lines: Int, problem: Phrase?)
    }

    /// Moves the unconsumed bytes to the front and appends the next chunk.
    private func refill() throws {
        guard let source, let chunk = try source.next(), !chunk.isEmpty else {
            exhausted = true
            return
        }
        let rest = count - position
        if rest + chunk.count > capacity {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: (rest + chunk.count) * 2)
            larger.update(from: buffer + position, count: rest)
            buffer.deallocate()
            buffer = larger
            capacity = (rest + chunk.count) * 2
        } else if position > 0 {
            memmove(buffer, buffer + position, rest)  // the regions may overlap
        }
        chunk.withUnsafeBufferPointer { bytes in
            if let base = bytes.baseAddress { (buffer + rest).update(from: base, count: bytes.count) }
        }
        count = rest + chunk.count
        position = 0
    }

    /// Parses the next record and passes its view to `body`; nil at the end.
    func withNext<T>(_ body: (CSVRecordView) throws -> T) throws -> T? {
        while true {
            let bytes = UnsafeBufferPointer(start: buffer, count: count)
            switch scanRecord(bytes, from: position, final: exhausted) {
            case .needMore:
                try refill()
            case .end:
                return nil
            case let .record(start, end, next, lines, problem):
                let startLine = line
                consume(to: next, lines: lines)
                if end == start && spans.count == 1 && problem == nil { continue }  // a blank line
                return try body(CSVRecordView(line: startLine, problem: problem,
                                              rawBytes: UnsafeBufferPointer(rebasing: bytes[start..<end]),
                                              spans: spans.view, side: side.view))
            }
        }
    }

    /// 0x80 in each byte of `word` that may equal `byte` (the lowest one
    /// surely does; see the use above), 0 when none does.
    @inline(__always)
    static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & 0x8080_8080_8080_8080
    }

    /// Finds one record in `bytes` starting at `from`, filling `spans` (and
    /// `side` for fields with doubled quotes). Field offsets are relative to
    /// the record's start.
    func scanRecord(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, final: Bool) -> Scan {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let count = bytes.count
        if from >= count { return final ? .end : .needMore }
        spans.count = 0
        side.count = 0
        // The common record: a whole line in the buffer with no quote in it,
        // split at commas in the same pass that finds its end. A quote sends
        // the record to the full scan below.
        fast: do {
            var fieldStart = from
            var high: UInt8 = 0
            var k = from
            // Eight bytes at a time: a word with no comma, line feed or quote
            // in it is passed over whole. `highWord` gathers the bytes for
            // the UTF-8 check (bytes of the next line may join it: that only
            // costs this line a check it did not need).
            var highWord: UInt64 = 0
            var lineEnd = -1
            if let base = bytes.baseAddress {
                words: while k + 8 <= count {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                    var found = Self.bytes(equalTo: comma, in: word) | Self.bytes(equalTo: lf, in: word)
                        | Self.bytes(equalTo: quote, in: word)
                    while found != 0 {
                        // The lowest mark is always a real match; one above it
                        // may be false (a borrow), so each byte is looked at.
                        let position = k + found.trailingZeroBitCount >> 3
                        found &= found &- 1
                        let byte = base[position]
                        if byte == lf {
                            highWord |= word
                            lineEnd = position
                            break words
                        }
                        if byte == quote { break fast }
                        if byte == comma {
                            spans.append(Span(start: fieldStart - from, end: position - from, inSide: false))
                            fieldStart = position + 1
                        }
                    }
                    highWord |= word
                    k += 8
                }
            }
            if lineEnd >= 0 {
                k = lineEnd
                if highWord & 0x8080_8080_8080_8080 != 0 { high = 0x80 }
            } else {
                if highWord & 0x8080_8080_8080_8080 != 0 { high = 0x80 }
                while k < count {  // the last bytes of the buffer, one at a time
                    let byte = bytes[k]
                    if byte == lf { break }
                    if byte == quote { break fast }
                    high |= byte
                    if byte == comma {
                        spans.append(Span(start: fieldStart - from, end: k - from, inSide: false))
                        fieldStart = k + 1
                    }
                    k += 1
                }
            }
            guard k < count else { break fast }  // no line end in the buffer yet
            let end = k > from && bytes[k - 1] == cr ? k - 1 : k
            spans.append(Span(start: fieldStart - from, end: end - from, inSide: false))
            var problem: Phrase?
            if high >= 0x80, String(validating: UnsafeBufferPointer(rebasing: bytes[from..<end]), as: UTF8.self) == nil {
                problem = "the text is not valid UTF-8 (for a GB18030 file, pass --encoding gb18030)"
            }
            return .record(start: from, end: end, next: k + 1, lines: 1, problem: problem)
        }
        spans.count = 0
        var i = from
        var fieldStart = from
        var quoted = false, inQuotes = false, doubled = false, afterQuote = false, highBytes = false
        var contentStart = from, contentEnd = from
        var lines = 0
        var problem: Phrase?

        func closeField(at end: Int) {
            if quoted {
                let close = afterQuote ? contentEnd : end
                if doubled {
                    let sideStart = side.count
                    var k = contentStart
                    while k < close {
                        side.append(bytes[k])
                        k += (bytes[k] == quote && k + 1 < close && bytes[k + 1] == quote) ? 2 : 1
                    }
                    spans.append(Span(start: sideStart, end: side.count, inSide: true))
                } else {
                    spans.append(Span(start: contentStart - from, end: close - from, inSide: false))
                }
            } else {
                spans.append(Span(start: fieldStart - from, end: end - from, inSide: false))
            }
            quoted = false
            doubled = false
            afterQuote = false
        }

        while true {
            if i == count {
                guard final else { return .needMore }
                if inQuotes {
                    let startLine = line
                    problem = "a quoted field opened on line \(startLine) is never closed"
                    contentEnd = i
                }
                closeField(at: i)
                if highBytes, problem == nil, String(validating: UnsafeBufferPointer(rebasing: bytes[from..<i]), as: UTF8.self) == nil {
                    problem = "the text is not valid UTF-8 (for a GB18030 file, pass --encoding gb18030)"
                }
                return .record(start: from, end: i, next: i, lines: lines, problem: problem)
            }
            let byte = bytes[i]
            if byte >= 0x80 { highBytes = true }
            if inQuotes {
                if byte == quote {
                    if i + 1 == count && !final { return .needMore }
                    if i + 1 < count && bytes[i + 1] == quote {
                        doubled = true
                        i += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                    contentEnd = i
                } else if byte == lf {
                    lines += 1
                }
                i += 1
                continue
            }
            switch byte {
            case comma:
                closeField(at: i)
                fieldStart = i + 1
            case lf:
                let end = (i > fieldStart || afterQuote) && bytes[i - 1] == cr ? i - 1 : i
                closeField(at: end)
                if highBytes, problem == nil,
                   String(validating: UnsafeBufferPointer(rebasing: bytes[from..<end]), as: UTF8.self) == nil {
                    problem = "the text is not valid UTF-8 (for a GB18030 file, pass --encoding gb18030)"
                }
                return .record(start: from, end: end, next: i + 1, lines: lines + 1, problem: problem)
            case quote:
                if i == fieldStart && !quoted {
                    inQuotes = true
                    quoted = true
                    contentStart = i + 1
                } else if problem == nil {
                    problem = "a quote inside an unquoted field (quote the whole field and double the quote)"
                }
            case cr:
                if i + 1 == count && !final { return .needMore }
                if afterQuote && !(i + 1 < count && bytes[i + 1] == lf) && problem == nil {
                    problem = "text after a closing quote"
                }
            default:
                if afterQuote && problem == nil { problem = "text after a closing quote" }
            }
            i += 1
        }
    }
}

/// A list in raw memory: appending and viewing cost no reference counting.
/// Its owner frees it.
struct RawList<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    var count = 0

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity {
            let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = larger
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    var view: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    func free() { base.deallocate() }
}
