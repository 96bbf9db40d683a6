/// An exact, non-negative rate: a decimal fraction `scaled / 10^decimals`.
///
/// Rates in policy files are decimals (`0.008`) or percentages (`5%`,
/// `2.8%`); both are held exactly, so `2% + 0.8%` is exactly `0.028` and a
/// credit is rounded once, at the end (docs/rules.md convention 1).
public struct Rate: Hashable, Comparable, Sendable {
    /// The rate times `10^decimals`.
    public let scaled: Int64
    /// Number of decimal places of the fraction, at most `Rate.maxDecimals`.
    public let decimals: Int

    public static let maxDecimals = 12
    public static let zero = Rate(scaled: 0, decimals: 0)

    init(scaled: Int64, decimals: Int) {
        // Normalise: drop trailing zeros so equal rates compare equal.
        var s = scaled
        var d = decimals
        while d > 0, s % 10 == 0 {
            s /= 10
            d -= 1
        }
        self.scaled = s
        self.decimals = d
    }

    /// Parses `0.05`, `5%`, `2.8%`, `300%`. Rejects signs, exponents, more than
    /// 12 significant decimals of the fraction, and rates above 100 (10000%).
    public init?(text: some StringProtocol) {
        var body = Substring(text)
        var percent = false
        if body.hasSuffix("%") {
            percent = true
            body = body.dropLast()
        }
        var scaled: Int64 = 0
        var decimals = 0
        var digits = 0
        var seenPoint = false
        for byte in body.utf8 {
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            digits += 1
            if seenPoint { decimals += 1 }
            guard digits <= 15 else { return nil }
            scaled = scaled * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        guard digits > 0, !body.hasSuffix("."), !body.hasPrefix(".") else { return nil }
        if percent { decimals += 2 }
        guard decimals <= Rate.maxDecimals else { return nil }
        let rate = Rate(scaled: scaled, decimals: decimals)
        // At most 100 (10000%): no real rate comes near it; it bounds every product.
        guard rate.scaled <= 100 * Rate.power(rate.decimals) else { return nil }
        self = rate
    }

    static func power(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The exact sum of two rates.
    public static func + (lhs: Rate, rhs: Rate) -> Rate {
        let decimals = max(lhs.decimals, rhs.decimals)
        let left = lhs.scaled * power(decimals - lhs.decimals)
        let right = rhs.scaled * power(decimals - rhs.decimals)
        return Rate(scaled: left + right, decimals: decimals)
    }

    public static func < (lhs: Rate, rhs: Rate) -> Bool {
        let decimals = max(lhs.decimals, rhs.decimals)
        return lhs.scaled * power(decimals - lhs.decimals) < rhs.scaled * power(decimals - rhs.decimals)
    }

    /// `amount × rate`, rounded half-up to the fen once.
    ///
    /// Amounts are bounded by `Money.inputLimit` and rates by 100, so the
    /// result always fits; a value that could not is clamped to the sign's limit
    /// rather than trapping (never reached by parsed input).
    public func applied(to amount: Money) -> Money {
        let fen = Rounding.halfUp(amount.fen, times: scaled, dividedBy: Rate.power(decimals))
        return Money(fen: fen ?? (amount.fen < 0 ? Int64.min : Int64.max))
    }

    /// The decimal fraction with no trailing zeros: `0.05`, `0.028`, `3`.
    public var decimalText: String {
        if decimals == 0 { return String(scaled) }
        let unit = Rate.power(decimals)
        let fraction = String(scaled % unit)
        let padded = String(repeating: "0", count: decimals - fraction.count) + fraction
        return "\(scaled / unit).\(padded)"
    }

    /// The rate as a percentage for people: `5%`, `2.8%`.
    public var percentText: String {
        let hundredfold = decimals >= 2
            ? Rate(scaled: scaled, decimals: decimals - 2)
            : Rate(scaled: scaled * Rate.power(2 - decimals), decimals: 0)
        return hundredfold.decimalText + "%"
    }
}

extension Rate: CustomStringConvertible {
    public var description: String { percentText }
}
