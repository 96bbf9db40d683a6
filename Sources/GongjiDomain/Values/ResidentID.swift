/// A resident ID number (GB 11643): 6-digit region of issue, 8-digit birth
/// date, 3-digit sequence, and an ISO 7064 MOD 11-2 check character
/// (`X` for 10). Legacy 15-digit numbers are converted by inserting `19`
/// before the 2-digit year and computing the check character.
///
/// Held as one 64-bit number (17 digits × 11 + check value), so that the
/// per-person state of a city stays small; the text is rebuilt on demand.
/// The order of the numbers is the order of the 18-character texts.
public struct ResidentID: Hashable, Comparable, Sendable {
    /// The ID packed into 64 bits: a compact key for per-person tables.
    public let key: UInt64

    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case length(Int)
        case characters
        /// Not ASCII: a full-width digit (０-９), or another script's character.
        case notASCII
        /// Digits split by `-`, spaces, dots or slashes.
        case separators
        case birthDate
        case checkCharacter(expected: Character)

        public var description: String { phrase.english }

        /// Why, in either language (`Phrase`).
        public var phrase: Phrase {
            switch self {
            case let .length(count): return "an ID has 18 characters (or 15 digits), not \(count)"
            case .characters: return "an ID has only digits and a final check character"
            case .notASCII: return "an ID is written in ASCII digits (0-9, and X): this one has a full-width digit or another character"
            case .separators: return "an ID is written without separators: this one has -, a space, a dot or a slash between its digits"
            case .birthDate: return "the birth date in the ID is not a real date"
            case let .checkCharacter(expected): return "the check character is wrong (expected \(expected))"
            }
        }
    }

    static let weights: [UInt64] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [UInt8] = Array("10X98765432".utf8)

    /// An ID known to be valid, from its key (as `key` gave it).
    public init(key: UInt64) { self.key = key }

    /// Parses the UTF-8 bytes of an ID, without making a String (a span: no
    /// pointer crosses into the domain).
    public init(bytes: Span<UInt8>) throws(Problem) {
        let parsed = bytes.withUnsafeBufferPointer { buffer in Result { () throws(Problem) in try ResidentID(buffer: buffer) } }
        self = try parsed.get()
    }

    init(buffer bytes: UnsafeBufferPointer<UInt8>) throws(Problem) {
        let zero = UInt8(ascii: "0")
        var digits: UInt64 = 0
        var sum: UInt64 = 0
        var check: UInt64
        switch bytes.count {
        case 18:
            // The weights of ISO 7064 MOD 11-2 are 2^(17-i) mod 11, so the
            // weighted sum is, mod 11, the digits read as a binary number
            // and doubled once more (`eighteen` reads the digits both ways).
            guard let parsed = Self.eighteen(bytes) else { throw .characters }
            (digits, check) = (parsed.digits, parsed.check)
            sum = (parsed.binary &<< 1) % 11
            guard check == ResidentID.checkValue(sum) else {
                throw .checkCharacter(expected: Character(Unicode.Scalar(ResidentID.checkCharacters[Int(sum % 11)])))
            }
        case 15:
            // Legacy: 6 digits, 2-digit year, 4-digit month and day, 3-digit sequence.
            var legacy: UInt64 = 0
            for index in 0..<15 {
                let digit = bytes[index] &- zero
                guard digit < 10 else { throw .characters }
                legacy = legacy &* 10 &+ UInt64(digit)
            }
            let area = legacy / 1_000_000_000, rest = legacy % 1_000_000_000
            digits = (area * 100 + 19) * 1_000_000_000 + rest
            check = ResidentID.checkValue(ofDigits: digits)
        default:
            if bytes.contains(where: { $0 >= 0x80 }) { throw .notASCII }
            let separators: Set<UInt8> = [UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: "/")]
            let kept = bytes.filter { !separators.contains($0) }
            if kept.count != bytes.count, kept.count == 18 || kept.count == 15 { throw .separators }
            throw .length(bytes.count)
        }
        let ymd = Int(digits / 1000 % 100_000_000)
        guard Day(year: ymd / 10000, month: ymd / 100 % 100, day: ymd % 100) != nil else { throw .birthDate }
        key = digits * 11 + check
    }

    /// The key 18 characters would have as an ID, their check character and
    /// birth date not checked: nil unless they are 17 digits and a digit or
    /// an X (either case). The key is the 17 digits and the check character,
    /// so it equals a valid ID's key only when the characters are that ID
    /// (an x for its X): a reader that finds it among IDs already checked
    /// (`PersonTable`) knows the ID valid without checking it again.
    public static func uncheckedKey(_ bytes: Span<UInt8>) -> UInt64? {
        bytes.withUnsafeBufferPointer { bytes in eighteen(bytes).map { $0.digits * 11 + $0.check } }
    }

    /// 18 characters as 17 digits and a check value (X or x: 10), and the
    /// 17 digits read as a binary number (which, doubled, is the weighted
    /// sum of ISO 7064 MOD 11-2 mod 11: `init(buffer:)`); nil unless they are 17
    /// digits and a digit or an X. The first 16 digits are taken eight at a
    /// time in a 64-bit word: the same three multiplications combine a
    /// word's digits in base 10 (the number) and in base 2 (the sum),
    /// without a loop a digit (a city's roster parses 11 million IDs;
    /// docs/architecture.md, "Less work a row").
    @inline(__always)
    private static func eighteen(_ bytes: UnsafeBufferPointer<UInt8>) -> (digits: UInt64, check: UInt64, binary: UInt64)? {
        guard bytes.count == 18, let start = bytes.baseAddress else { return nil }
        let zero = UInt8(ascii: "0")
        let base = UnsafeRawPointer(start)
        let first = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        let second = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let seventeenth = bytes[16] &- zero
        guard allDigits(first), allDigits(second), seventeenth < 10 else { return nil }
        let high = first &- 0x3030_3030_3030_3030, low = second &- 0x3030_3030_3030_3030
        let digits = combine(high, 10, 100, 10_000) &* 1_000_000_000 &+ combine(low, 10, 100, 10_000) &* 10
            &+ UInt64(seventeenth)
        let binary = combine(high, 2, 4, 16) &<< 9 &+ combine(low, 2, 4, 16) &<< 1 &+ UInt64(seventeenth)
        let last = bytes[17]
        if last == UInt8(ascii: "X") || last == UInt8(ascii: "x") { return (digits, 10, binary) }
        let digit = last &- zero
        guard digit < 10 else { return nil }
        return (digits, UInt64(digit), binary)
    }

    /// The ID with these 17 digits and the check character they call for;
    /// nil unless they are 17 digits with a real birth date.
    public init?(digits: UInt64) {
        guard digits < 100_000_000_000_000_000 else { return nil }
        let ymd = Int(digits / 1000 % 100_000_000)
        guard Day(year: ymd / 10000, month: ymd / 100 % 100, day: ymd % 100) != nil else { return nil }
        key = digits * 11 + ResidentID.checkValue(ofDigits: digits)
    }

    /// The check value of 17 digits held as a number.
    static func checkValue(ofDigits digits: UInt64) -> UInt64 {
        var sum: UInt64 = 0
        var value = digits
        for index in stride(from: 16, through: 0, by: -1) {
            sum &+= (value % 10) &* ResidentID.weights[index]
            value /= 10
        }
        return checkValue(sum)
    }

    /// The check value (0 ... 10, 10 written X) for the weighted sum of the
    /// 17 digits: the sum's remainder 0, 1, 2, ... maps to 1, 0, 10, 9, ...
    @inline(__always)
    static func checkValue(_ sum: UInt64) -> UInt64 { (12 - sum % 11) % 11 }

    /// Whether all eight bytes of `word` are ASCII digits (0x30 ... 0x39):
    /// a byte below takes a borrow, one above a carry into its high bit,
    /// and a byte with its high bit set is caught as it is.
    @inline(__always)
    static func allDigits(_ word: UInt64) -> Bool {
        let above = word &+ 0x4646_4646_4646_4646, below = word &- 0x3030_3030_3030_3030
        return (above | below | word) & 0x8080_8080_8080_8080 == 0
    }

    /// Eight digit values (0 ... 9, the first in the lowest byte) as one
    /// number in base `b`, for b = 10 (`b2` = 100, `b4` = 10,000) or 2 (4, 16):
    /// pairs, then pairs of pairs, then the two halves, each a multiply
    /// that adds a lane's neighbour times the base's power into it.
    @inline(__always)
    static func combine(_ values: UInt64, _ b: UInt64, _ b2: UInt64, _ b4: UInt64) -> UInt64 {
        let pairs = (values &* (b << 8 | 1)) >> 8 & 0x00FF_00FF_00FF_00FF
        let quads = (pairs &* (b2 << 16 | 1)) >> 16 & 0x0000_FFFF_0000_FFFF
        return (quads &* (b4 << 32 | 1)) >> 32
    }

    public init(parsing input: some StringProtocol) throws(Problem) {
        var text = String(input)
        let parsed: Result<ResidentID, Problem> = text.withUTF8 { buffer in
            do throws(Problem) { return .success(try ResidentID(buffer: buffer)) } catch { return .failure(error) }
        }
        self = try parsed.get()
    }

    public init?(_ input: some StringProtocol) {
        guard let id = try? ResidentID(parsing: input) else { return nil }
        self = id
    }

    public static func < (lhs: ResidentID, rhs: ResidentID) -> Bool { lhs.key < rhs.key }

    /// The 17 digits as a number.
    var digits: UInt64 { key / 11 }

    /// YYYYMMDD of the birth date.
    var birthNumber: Int { Int(digits / 1000 % 100_000_000) }

    public var birthDate: Day {
        let ymd = birthNumber
        return Day(year: ymd / 10000, month: ymd / 100 % 100, day: ymd % 100) ?? Day(ordinal: 0)
    }

    /// Completed years on the first day of `month` (docs/rules.md convention 2),
    /// without making the day.
    public func age(onFirstDayOf month: YearMonth) -> Int {
        let ymd = birthNumber
        let before = month.month * 100 + 1 < ymd % 10000
        return month.year - ymd / 10000 - (before ? 1 : 0)
    }

    /// Appends the 18 characters (upper-case `X`) to `bytes` (report and store writers, without a String).
    public func append(to bytes: inout [UInt8]) { bytes.append(count: 18, write(into:)) }

    /// Writes the 18 characters (upper-case `X`) at `out`, which has room
    /// for them; `masked`: the 8 of the birth date as `*`, as `masked` shows them.
    @inline(__always)
    public func write(to out: UnsafeMutablePointer<UInt8>, masked: Bool = false) {
        let value = digits
        if masked {
            // Only what shows: the 6 of the region of issue and the last 3 digits.
            Self.write(UInt32(truncatingIfNeeded: value / 100_000_000_000), digits: 6, at: out)
            (out + 6).update(repeating: UInt8(ascii: "*"), count: 8)
            Self.write(UInt32(truncatingIfNeeded: value % 1000), digits: 3, at: out + 14)
        } else {
            // Two halves of 8 and 9 digits, written side by side: half the
            // dependent divisions of one 17-digit number (a city year writes
            // 12 million IDs into its balances files).
            Self.write(UInt32(truncatingIfNeeded: value / 1_000_000_000), digits: 8, at: out)
            Self.write(UInt32(truncatingIfNeeded: value % 1_000_000_000), digits: 9, at: out + 8)
        }
        let check = key % 11
        out[17] = check == 10 ? UInt8(ascii: "X") : UInt8(ascii: "0") + UInt8(check)
    }

    /// The last `digits` decimal digits of `value`, with leading zeros, at `out`.
    @inline(__always)
    private static func write(_ value: UInt32, digits: Int, at out: UnsafeMutablePointer<UInt8>) {
        var rest = value
        var index = digits - 1
        while index >= 0 {
            out[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
    }

    /// Writes the 18 characters (upper-case `X`) into `out`, which holds at least 18 bytes.
    func write(into out: UnsafeMutableBufferPointer<UInt8>) {
        precondition(out.count >= 18)
        write(to: out.baseAddress!)
    }

    /// The 18 characters as bytes, upper-case `X`.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 18) { out, count in
            write(to: out.baseAddress!)
            count = 18
        }
    }

    /// The 18-character form, upper-case `X`.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `440301********123X`: region of issue and the last four characters.
    public var masked: String {
        String(unsafeUninitializedCapacity: 18) { out in
            write(to: out.baseAddress!, masked: true)
            return 18
        }
    }
}

extension ResidentID: CustomStringConvertible {
    /// The masked form, so an ID never reaches a message by accident.
    public var description: String { masked }
}
