/// A pooling region: a 6-digit administrative division code (深圳 440300).
public struct RegionCode: Hashable, Comparable, Sendable {
    public let text: String

    /// Nil unless `text` is exactly six ASCII digits.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 6,
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        self.text = String(text)
    }

    public static func < (lhs: RegionCode, rhs: RegionCode) -> Bool { lhs.text < rhs.text }
}

extension RegionCode: CustomStringConvertible {
    public var description: String { text }
}
