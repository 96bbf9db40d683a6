/// A resident ID number (GB 11643): 6-digit region of issue, 8-digit birth
/// date, 3-digit sequence, and an ISO 7064 MOD 11-2 check character
/// (`X` for 10). Legacy 15-digit numbers are converted by inserting `19`
/// before the 2-digit year and computing the check character.
public struct ResidentID: Hashable, Comparable, Sendable {
    /// The 18-character form, upper-case `X`.
    public let text: String
    public let birthDate: Day

    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case length(Int)
        case characters
        case birthDate
        case checkCharacter(expected: Character)

        public var description: String {
            switch self {
            case let .length(count): return "an ID has 18 characters (or 15 digits), not \(count)"
            case .characters: return "an ID has only digits and a final check character"
            case .birthDate: return "the birth date in the ID is not a real date"
            case let .checkCharacter(expected): return "the check character is wrong (expected \(expected))"
            }
        }
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [UInt8] = Array("10X98765432".utf8)

    /// The check character for 17 digits.
    static func checkCharacter(_ digits: ArraySlice<UInt8>) -> UInt8 {
        var sum = 0
        for (digit, weight) in zip(digits, weights) { sum += Int(digit - UInt8(ascii: "0")) * weight }
        return checkCharacters[sum % 11]
    }

    public init(parsing input: some StringProtocol) throws(Problem) {
        var bytes = Array(input.utf8)
        let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes.count == 15 {
            guard bytes.allSatisfy(isDigit) else { throw .characters }
            bytes.insert(contentsOf: Array("19".utf8), at: 6)
            bytes.append(ResidentID.checkCharacter(bytes[0..<17]))
        } else {
            guard bytes.count == 18 else { throw .length(input.count) }
            if bytes[17] == UInt8(ascii: "x") { bytes[17] = UInt8(ascii: "X") }
            guard bytes[0..<17].allSatisfy(isDigit), isDigit(bytes[17]) || bytes[17] == UInt8(ascii: "X") else {
                throw .characters
            }
            let expected = ResidentID.checkCharacter(bytes[0..<17])
            guard bytes[17] == expected else { throw .checkCharacter(expected: Character(Unicode.Scalar(expected))) }
        }
        guard let year = Day.number(bytes[6..<10]), let month = Day.number(bytes[10..<12]),
              let day = Day.number(bytes[12..<14]), let birth = Day(year: year, month: month, day: day) else {
            throw .birthDate
        }
        self.text = String(decoding: bytes, as: UTF8.self)
        self.birthDate = birth
    }

    public init?(_ input: some StringProtocol) {
        guard let id = try? ResidentID(parsing: input) else { return nil }
        self = id
    }

    public static func < (lhs: ResidentID, rhs: ResidentID) -> Bool { lhs.text < rhs.text }

    /// The ID packed into 64 bits (17 digits × 11 + check value): a compact
    /// key for per-person tables.
    public var key: UInt64 {
        var value: UInt64 = 0
        let bytes = Array(text.utf8)
        for byte in bytes[0..<17] { value = value * 10 + UInt64(byte - UInt8(ascii: "0")) }
        let check: UInt64 = bytes[17] == UInt8(ascii: "X") ? 10 : UInt64(bytes[17] - UInt8(ascii: "0"))
        return value * 11 + check
    }

    /// Completed years on `day` (DOMAIN.md convention 2 passes the first day
    /// of the month): a birthday on that day counts.
    public func age(on day: Day) -> Int {
        let before = (day.month, day.day) < (birthDate.month, birthDate.day)
        return day.year - birthDate.year - (before ? 1 : 0)
    }

    /// `440301********123X`: region of issue and the last four characters.
    public var masked: String {
        let characters = Array(text)
        return String(characters[0..<6]) + "********" + String(characters[14..<18])
    }
}

extension ResidentID: CustomStringConvertible {
    /// The masked form, so an ID never reaches a message by accident.
    public var description: String { masked }
}
