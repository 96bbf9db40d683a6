import GongjiDomain

/// Number formats shared by every report.
enum Formatting {
    /// A value given in hundredths as a decimal with exactly two places:
    /// 1143 → `11.43`, -5 → `-0.05`.
    static func hundredths(_ value: Int64) -> String { Money(fen: value).yuanText }

    /// A policy-year span for people: `2018-07-01 – 2019-06-30`.
    static func span(_ start: Day, _ end: Day) -> String { "\(start.text) – \(end.text)" }
}
