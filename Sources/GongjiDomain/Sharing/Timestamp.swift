/// When a claim occurred: a local date and time in the pooling region
/// (SPEC.md: `YYYY-MM-DD HH:MM[:SS]` or ISO 8601). Written back as
/// `YYYY-MM-DD HH:MM:SS`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since the start of day ordinal 0: one integer, so that a
    /// city's month of claims stays small.
    private let value: Int64

    public init(day: Day, second: Int) {
        precondition((0..<86_400).contains(second), "a time of day is 0 ..< 86400 seconds")
        value = Int64(day.ordinal) * 86_400 + Int64(second)
    }

    public var day: Day { Day(ordinal: Int(value.quotientAndRemainder(dividingBy: 86_400).quotient)) }

    /// Seconds since midnight, 0 ..< 86400.
    public var second: Int { Int(value - Int64(day.ordinal) * 86_400) }

    /// Parses `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS`, the same with `T`,
    /// optionally followed by `+08:00` (China Standard Time, the only offset
    /// accepted: another one would move the claim to another local day).
    public init?(text: some StringProtocol) {
        var chars = Array(text.utf8)
        if chars.count > 19 || (chars.count > 16 && chars.count != 19) {
            // An offset suffix: only +08:00 (or +0800) is meaningful here.
            let suffixes = [Array("+08:00".utf8), Array("+0800".utf8)]
            guard let suffix = suffixes.first(where: { chars.count > $0.count && Array(chars.suffix($0.count)) == $0 }) else {
                return nil
            }
            chars.removeLast(suffix.count)
        }
        guard chars.count == 16 || chars.count == 19, chars[10] == UInt8(ascii: " ") || chars[10] == UInt8(ascii: "T"),
              let day = Day(text: String(decoding: chars[0..<10], as: UTF8.self)) else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in chars[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard chars[13] == UInt8(ascii: ":"), let hour = number(11..<13), let minute = number(14..<16),
              hour < 24, minute < 60 else { return nil }
        var second = 0
        if chars.count == 19 {
            guard chars[16] == UInt8(ascii: ":"), let value = number(17..<19), value < 60 else { return nil }
            second = value
        }
        self.init(day: day, second: hour * 3600 + minute * 60 + second)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.value < rhs.value }

    public var text: String {
        day.text + " " + Day.pad(second / 3600) + ":" + Day.pad(second / 60 % 60) + ":" + Day.pad(second % 60)
    }

    public var description: String { text }
}
