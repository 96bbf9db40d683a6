import GongjiDomain

/// Number formats shared by every report.
enum Formatting {
    /// A value given in hundredths as a decimal with exactly two places:
    /// 1143 → `11.43`, -5 → `-0.05`.
    static func hundredths(_ value: Int64) -> String { Money(fen: value).yuanText }

}
