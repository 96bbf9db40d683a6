import Foundation
import GongjiDomain

/// Writes a CSV report row by row as bytes: RFC 4180 quoting, LF line ends,
/// UTF-8, and text fields that a spreadsheet would run as a formula
/// prefixed with `'` (docs/formats.md, Reports), into a 1 MiB buffer that is
/// handed to `sink` when full. A million-row balances file never exists as
/// one String; amounts and IDs are written digit by digit.
public final class CSVWriter {
    /// Takes each full buffer (a span, valid for the call).
    public typealias Sink = (Span<UInt8>) throws(AtomicFile.WriteError) -> Void
    // Our own buffer, not [UInt8]: appending a byte to an array checked its uniqueness and room each time
    // (an amount's digits were 5% of a city year's run, perf).
    private let buffer = ByteBuffer(capacity: CSVWriter.capacity + 4096)
    @exclusivity(unchecked) private var field = 0
    private let sink: Sink
    private let disclosure: Disclosure
    static let capacity = 1 << 20
    /// Rows ended so far, the header's not included.
    @exclusivity(unchecked) public private(set) var rows = 0
    /// Told the rows so far each time a full buffer goes to the sink (about
    /// a MiB of text): the progress line of a month's reports.
    public var progress: ((_ rows: Int) -> Void)?

    public init(columns: [String], disclosure: Disclosure, sink: @escaping Sink) throws(AtomicFile.WriteError) {
        self.sink = sink
        self.disclosure = disclosure
        for name in columns { text(name, guarded: false) }
        try endRow()
        rows = 0
    }

    private func separate() {
        if field > 0 { buffer.append(UInt8(ascii: ",")) }
        field += 1
    }

    /// Free text from inputs or names: quoted when needed, guarded against formulas.
    public func text(_ value: String) { text(value, guarded: true) }

    /// An input's own key (claim_id, binding_id): as text, with any ID
    /// number inside it masked unless the disclosure reveals it.
    public func key(_ value: String) { text(disclosure.text(value), guarded: true) }

    private func text(_ value: String, guarded: Bool) {
        separate()
        let guardedValue = guarded ? Self.neutralized(value) : value
        let needsQuotes = guardedValue.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        if needsQuotes {
            buffer.append(UInt8(ascii: "\""))
            for byte in guardedValue.utf8 {
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                buffer.append(byte)
            }
            buffer.append(UInt8(ascii: "\""))
        } else {
            append(guardedValue)
        }
    }

    /// Prefixes `'` to a text that a spreadsheet would evaluate (starting with
    /// `=`, `+`, `-`, `@`, tab or CR).
    public static func neutralized(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    /// A value we formatted ourselves (dates, codes, counts): written as it is.
    public func number(_ value: String) {
        separate()
        append(value)
    }

    private func append(_ value: String) {
        var value = value
        value.withUTF8 { buffer.append(UnsafeRawBufferPointer($0)) }
    }

    public func empty() { separate() }

    public func int(_ value: Int) {
        separate()
        appendDigits(UInt64(value.magnitude), negative: value < 0)
    }

    /// Yuan with exactly two decimals.
    public func money(_ value: Money) {
        separate()
        buffer.advance(by: Self.write(fen: value.fen, at: buffer.room(Self.longestAmount)))
    }

    /// A sign, 19 digits of yuan, the point and 2.
    static let longestAmount = 23

    /// Writes `fen` as yuan with two decimals (`-12.30`, `0.00`) at `out`,
    /// which has room for `longestAmount` bytes, and returns the bytes written.
    /// Two digits at a time from the last one back: the amounts are most of
    /// a city's balances file, and most of its amounts are zero.
    @inline(__always)
    static func write(fen: Int64, at out: UnsafeMutablePointer<UInt8>) -> Int {
        if fen == 0 {
            UnsafeMutableRawPointer(out).storeBytes(of: UInt32(0x3030_2E30).littleEndian, as: UInt32.self)  // "0.00"
            return 4
        }
        var magnitude = fen.magnitude
        let yuan = magnitude / 100
        let yuanDigits = decimalDigitCount(yuan)  // at most 17: |Int64.min| / 100 has 17 digits
        let sign = fen < 0 ? 1 : 0
        let length = sign + yuanDigits + 3
        if sign == 1 { out[0] = UInt8(ascii: "-") }
        pair(Int(magnitude % 100), at: out + length - 2)
        out[length - 3] = UInt8(ascii: ".")
        magnitude = yuan
        var at = length - 3
        while magnitude >= 100 {
            at -= 2
            pair(Int(magnitude % 100), at: out + at)
            magnitude /= 100
        }
        if magnitude >= 10 {
            pair(Int(magnitude), at: out + at - 2)
        } else {
            out[at - 1] = UInt8(truncatingIfNeeded: magnitude) + 0x30
        }
        return length
    }

    /// The two digits of `value` (0 ... 99) at `out`, as one load from a
    /// table of the hundred pairs and one store: a city year's balances files
    /// write some 36 million amounts that are not zero, each three or four
    /// pairs (docs/architecture.md, "Less work a row").
    @inline(__always)
    private static func pair(_ value: Int, at out: UnsafeMutablePointer<UInt8>) {
        let digits = UnsafeRawPointer(pairs.utf8Start).loadUnaligned(fromByteOffset: 2 * value, as: UInt16.self)
        UnsafeMutableRawPointer(out).storeBytes(of: digits, as: UInt16.self)
    }

    /// "00", "01", … "99" one after the other: a literal, in the binary's constants.
    private static var pairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    public func money(_ value: Money?) {
        guard let value else { return empty() }
        money(value)
    }

    /// An ID, masked unless the disclosure reveals it.
    public func id(_ id: ResidentID) {
        separate()
        id.write(to: buffer.room(18), masked: !disclosure.reveal)
        buffer.advance(by: 18)
    }

    public func region(_ code: RegionCode) {
        separate()
        code.write(to: buffer.room(6))
        buffer.advance(by: 6)
    }

    /// A row of IDs, region codes and amounts only (the balances file's),
    /// written through one room: no capacity check or field count a field.
    /// A city year writes 108 million amounts there (docs/architecture.md,
    /// "Less work a row").
    public struct Row: ~Copyable {
        @usableFromInline var at: UnsafeMutablePointer<UInt8>
        @usableFromInline let start: UnsafeMutablePointer<UInt8>
        @usableFromInline let masked: Bool

        @inline(__always)
        private mutating func separate() {
            if at != start {
                at.pointee = UInt8(ascii: ",")
                at += 1
            }
        }

        @inline(__always)
        public mutating func id(_ id: ResidentID) {
            separate()
            id.write(to: at, masked: masked)
            at += 18
        }

        @inline(__always)
        public mutating func region(_ code: RegionCode) {
            separate()
            code.write(to: at)
            at += 6
        }

        @inline(__always)
        public mutating func money(_ value: Money) {
            separate()
            at += CSVWriter.write(fen: value.fen, at: at)
        }
    }

    /// Writes one row of at most `fields` fields through `body`, then ends it.
    @inline(__always)
    public func row(fields: Int, _ body: (inout Row) -> Void) throws(AtomicFile.WriteError) {
        precondition(field == 0, "a row begun field by field")
        let room = fields * (Self.longestAmount + 1)
        let out = buffer.room(room)
        var row = Row(at: out, start: out, masked: !disclosure.reveal)
        body(&row)
        let written = row.at - out
        precondition(written <= room, "a row longer than its fields allow")
        buffer.advance(by: written)
        try endRow()
    }

    private func appendDigits(_ value: UInt64, negative: Bool) {
        if negative { buffer.append(UInt8(ascii: "-")) }
        buffer.append(digitsOf: value)
    }

    public func endRow() throws(AtomicFile.WriteError) {
        buffer.append(10)
        field = 0
        rows += 1
        if buffer.count >= Self.capacity {
            try flush()
            progress?(rows)
        }
    }

    public func flush() throws(AtomicFile.WriteError) {
        guard buffer.count > 0 else { return }
        try sink(UnsafeBufferPointer(start: buffer.base, count: buffer.count).span)
        buffer.removeAll()
    }

    /// Renders into memory, for small reports and tests.
    public static func render(columns: [String], disclosure: Disclosure,
                              _ rows: (CSVWriter) throws(AtomicFile.WriteError) -> Void) -> String {
        var out: [UInt8] = []
        let collect: Sink = { bytes in bytes.withUnsafeBufferPointer { out.append(contentsOf: $0) } }
        do throws(AtomicFile.WriteError) {
            let writer = try CSVWriter(columns: columns, disclosure: disclosure, sink: collect)
            try rows(writer)
            try writer.flush()
        } catch {
            return ""
        }
        return String(decoding: out, as: UTF8.self)
    }
}
