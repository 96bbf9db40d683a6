/// When a claim occurred: a local date and time in the pooling region
/// (docs/formats.md: `YYYY-MM-DD HH:MM[:SS]` or ISO 8601). Written back as
/// `YYYY-MM-DD HH:MM:SS`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since the start of day ordinal 0: one integer, so that a
    /// city's month of claims stays small.
    private let value: Int64

    public init(day: Day, second: Int) {
        precondition((0..<86_400).contains(second), "a time of day is 0 ..< 86400 seconds")
        value = Int64(day.ordinal) * 86_400 + Int64(second)
    }

    /// Its day's ordinal (`Day.ordinal`): the quotient rounded down, so
    /// that a time before 1970 (a negative `value`) is on its own day, not
    /// the next.
    public var dayOrdinal: Int {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: 86_400)
        return Int(remainder < 0 ? quotient - 1 : quotient)
    }

    public var day: Day { Day(ordinal: dayOrdinal) }

    /// Seconds since 1970-01-01 00:00, local time as the claim gave it
    /// (the store's `claim_row.occurred`).
    public var seconds: Int64 { value }

    /// Seconds since midnight, 0 ..< 86400.
    public var second: Int { Int(value - Int64(dayOrdinal) * 86_400) }

    /// Parses `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS`, the same with `T`,
    /// optionally followed by `+08:00` (China Standard Time, the only offset
    /// accepted: another one would move the claim to another local day).
    public init?(text: some StringProtocol) {
        var text = String(text)
        guard let parsed = text.withUTF8({ Timestamp(buffer: $0) }) else { return nil }
        self = parsed
    }

    /// `init(text:)` on the bytes of a field (a span: no pointer crosses into the domain).
    public init?(bytes: Span<UInt8>) {
        guard let time = bytes.withUnsafeBufferPointer({ Timestamp(buffer: $0) }) else { return nil }
        self = time
    }

    init?(buffer bytes: UnsafeBufferPointer<UInt8>) {
        var count = bytes.count
        if count > 19 || (count > 16 && count != 19) {
            // An offset suffix: only +08:00 (or +0800) is meaningful here.
            func ends(with suffix: StaticString) -> Bool {
                let length = suffix.utf8CodeUnitCount
                guard count > length else { return false }
                return (0..<length).allSatisfy { bytes[count - length + $0] == suffix.utf8Start[$0] }
            }
            if ends(with: "+08:00") {
                count -= 6
            } else if ends(with: "+0800") {
                count -= 5
            } else {
                return nil
            }
        }
        guard count == 16 || count == 19, bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
              let day = Day(buffer: UnsafeBufferPointer(rebasing: bytes[0..<10])),
              bytes[13] == UInt8(ascii: ":"), let hour = Day.number(bytes, 11, 13), let minute = Day.number(bytes, 14, 16),
              hour < 24, minute < 60 else { return nil }
        var second = 0
        if count == 19 {
            guard bytes[16] == UInt8(ascii: ":"), let value = Day.number(bytes, 17, 19), value < 60 else { return nil }
            second = value
        }
        self.init(day: day, second: hour * 3600 + minute * 60 + second)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.value < rhs.value }

    public var text: String {
        String(unsafeUninitializedCapacity: 19) { buffer in
            write(into: buffer)
            return 19
        }
    }

    /// Appends `YYYY-MM-DD HH:MM:SS` to `bytes` (the store's writer, without a String).
    public func append(to bytes: inout [UInt8]) { bytes.append(count: 19, write(into:)) }

    /// Writes `YYYY-MM-DD HH:MM:SS` into the first 19 bytes of `buffer`.
    func write(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        let day = self.day, second = self.second
        func digits(_ value: Int, _ at: Int, _ count: Int) {
            var rest = value
            for index in stride(from: at + count - 1, through: at, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        digits(day.year, 0, 4)
        buffer[4] = UInt8(ascii: "-")
        digits(day.month, 5, 2)
        buffer[7] = UInt8(ascii: "-")
        digits(day.day, 8, 2)
        buffer[10] = UInt8(ascii: " ")
        digits(second / 3600, 11, 2)
        buffer[13] = UInt8(ascii: ":")
        digits(second / 60 % 60, 14, 2)
        buffer[16] = UInt8(ascii: ":")
        digits(second % 60, 17, 2)
    }

    public var description: String { text }
}
