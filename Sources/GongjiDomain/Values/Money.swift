/// An amount of money in integer fen (1 yuan = 100 fen).
///
/// Money is never a floating-point number in gongji: inputs are parsed
/// exactly from their decimal text and outputs are printed from the integer.
public struct Money: Hashable, Comparable, Sendable {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }

    /// Whole yuan.
    public init(yuan: Int64) { self.fen = yuan * 100 }

    public static let zero = Money(fen: 0)

    /// The largest amount an input may state: one trillion yuan. It keeps every
    /// product with a rate well inside 128-bit intermediates.
    public static let inputLimit = Money(fen: 100_000_000_000_000)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen + rhs.fen) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen - rhs.fen) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.fen += rhs.fen }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.fen -= rhs.fen }
    public static prefix func - (value: Money) -> Money { Money(fen: -value.fen) }

    /// Parses a yuan amount as written in inputs: `8348`, `8348.5`, `8348.00`,
    /// optionally with a leading `-`. At most two decimals; no exponent, no
    /// thousands separator, no surrounding space.
    public init?(yuanText text: some StringProtocol) {
        var copy = String(text)
        guard let money = copy.withUTF8({ Money(buffer: $0) }) else { return nil }
        self = money
    }

    /// The same, from UTF-8 bytes (no String made; a span: no pointer
    /// crosses into the domain).
    public init?(yuanBytes bytes: Span<UInt8>) {
        guard let money = bytes.withUnsafeBufferPointer({ Money(buffer: $0) }) else { return nil }
        self = money
    }

    init?(buffer bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        var whole: Int64 = 0
        var digits = 0
        var fraction: Int64 = 0
        var decimals = 0
        var seenPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            if seenPoint {
                decimals += 1
                if decimals > 2 { return nil }
                fraction = fraction * 10 + Int64(digit)
            } else {
                digits += 1
                if digits > 13 { return nil }
                whole = whole * 10 + Int64(digit)
            }
        }
        guard digits > 0, !(seenPoint && decimals == 0) else { return nil }
        if decimals == 1 { fraction *= 10 }
        let fen = whole * 100 + fraction
        guard fen <= Money.inputLimit.fen else { return nil }
        self.fen = negative ? -fen : fen
    }

    /// Yuan with exactly two decimals: `5008.80`, `-12.05`.
    public var yuanText: String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        let sign = fen < 0 ? "-" : ""
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

extension Money: CustomStringConvertible {
    public var description: String { yuanText }
}
