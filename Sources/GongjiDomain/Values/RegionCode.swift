/// A pooling region: a 6-digit administrative division code (深圳 440300),
/// held as a number.
public struct RegionCode: Hashable, Comparable, Sendable {
    public let value: UInt32

    /// Nil unless `text` is exactly six ASCII digits.
    public init?(_ text: some StringProtocol) {
        var value: UInt32 = 0
        var count = 0
        for byte in text.utf8 {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10, count < 6 else { return nil }
            value = value * 10 + UInt32(digit)
            count += 1
        }
        guard count == 6 else { return nil }
        self.value = value
    }

    /// Nil unless `bytes` are exactly six ASCII digits.
    public init?(bytes: Span<UInt8>) {
        guard bytes.count == 6 else { return nil }
        var value: UInt32 = 0
        for index in 0..<6 {
            let byte = bytes[index]
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + UInt32(digit)
        }
        self.value = value
    }

    /// Nil unless `value` has at most six digits.
    public init?(value: UInt32) {
        guard value < 1_000_000 else { return nil }
        self.value = value
    }

    /// Appends the six digits to `bytes` (report and store writers, without a String).
    public func append(to bytes: inout [UInt8]) { bytes.append(count: 6, write(into:)) }

    /// Writes the six digits at `out`, which has room for them.
    @inline(__always)
    public func write(to out: UnsafeMutablePointer<UInt8>) { write(into: UnsafeMutableBufferPointer(start: out, count: 6)) }

    /// Writes the six digits into the first 6 bytes of `out`.
    func write(into out: UnsafeMutableBufferPointer<UInt8>) {
        var rest = value
        for index in stride(from: 5, through: 0, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    public var text: String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public static func < (lhs: RegionCode, rhs: RegionCode) -> Bool { lhs.value < rhs.value }

    /// The province: the code's first two digits (44 广东, 13 河北).
    public var province: UInt32 { value / 10_000 }

    /// Whether both regions lie in one province.
    public func sharesProvince(with other: RegionCode) -> Bool { province == other.province }
}

extension RegionCode: CustomStringConvertible {
    public var description: String { text }
}
