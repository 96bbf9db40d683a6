/// A calendar day with no time zone: the dates of policy rules, bindings and
/// claims are civil dates, and converting them through `Date` would invite
/// off-by-one-day errors at midnight.
public struct Day: Hashable, Comparable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil when the triple is not a real date (30 February, month 13, ...).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.length(ofMonth: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(text: some StringProtocol) {
        var copy = String(text)
        guard let day = copy.withUTF8({ Day(buffer: $0) }) else { return nil }
        self = day
    }

    /// The same, from UTF-8 bytes (a span: no pointer crosses into the domain).
    public init?(bytes: Span<UInt8>) {
        guard let day = bytes.withUnsafeBufferPointer({ Day(buffer: $0) }) else { return nil }
        self = day
    }

    init?(buffer bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = Day.number(bytes, 0, 4), let m = Day.number(bytes, 5, 7),
              let d = Day.number(bytes, 8, 10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The decimal number in `bytes[from..<to]`, nil unless all digits.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int? {
        var value = 0
        for index in from..<to {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The day with the given ordinal (civil_from_days).
    public init(ordinal: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// `YYYY-MM-DD`.
    public var text: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + Day.pad(month) + "-" + Day.pad(day)
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}

extension Day: CustomStringConvertible {
    public var description: String { text }
}

/// A month of a year: the unit of contribution rosters and monthly runs.
public struct YearMonth: Hashable, Comparable, Sendable {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM` exactly.
    public init?(text: some StringProtocol) {
        var copy = String(text)
        guard let month = copy.withUTF8({ YearMonth(buffer: $0) }) else { return nil }
        self = month
    }

    /// The same, from UTF-8 bytes (a span: no pointer crosses into the domain).
    public init?(bytes: Span<UInt8>) {
        guard let month = bytes.withUnsafeBufferPointer({ YearMonth(buffer: $0) }) else { return nil }
        self = month
    }

    init?(buffer bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              let y = Day.number(bytes, 0, 4), let m = Day.number(bytes, 5, 7) else { return nil }
        self.init(year: y, month: m)
    }

    public init(_ day: Day) {
        self.year = day.year
        self.month = day.month
    }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public var firstDay: Day { Day(ordinal: Day.firstOrdinal(year, month)) }
    public var lastDay: Day { next.firstDay.adding(days: -1) }

    public var next: YearMonth {
        month == 12 ? YearMonth(uncheckedYear: year + 1, 1) : YearMonth(uncheckedYear: year, month + 1)
    }

    private init(uncheckedYear year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    /// `YYYY-MM`.
    public var text: String { String(year) + "-" + Day.pad(month) }
}

extension Day {
    static func firstOrdinal(_ year: Int, _ month: Int) -> Int {
        Day(year: year, month: month, day: 1)?.ordinal ?? 0
    }
}

extension YearMonth: CustomStringConvertible {
    public var description: String { text }
}

/// A day of the year without the year, such as a policy year's start `07-01`.
public struct MonthDay: Hashable, Sendable {
    public let month: Int
    public let day: Int

    /// Parses `MM-DD`; 29 February is refused (it does not start every year).
    public init?(text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: "-"),
              let m = Day.number(bytes[0..<2]), let d = Day.number(bytes[3..<5]),
              (1...12).contains(m), (1...Day.length(ofMonth: m, year: 2001)).contains(d) else { return nil }
        self.month = m
        self.day = d
    }

    public init(month: Int, day: Int) {
        self.month = month
        self.day = day
    }

    /// This month-day in `year`.
    public func inYear(_ year: Int) -> Day {
        Day(year: year, month: month, day: day) ?? Day(ordinal: Day.firstOrdinal(year, month))
    }

    public var text: String { Day.pad(month) + "-" + Day.pad(day) }
}
