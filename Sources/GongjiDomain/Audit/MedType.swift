/// The platform's 医疗类别 (`med_type`) codes and the category each gives
/// when a settlement row leaves `category` empty (docs/audit.md,
/// "med_type"): the national code table's defaults, and a policy's
/// `med_types` over them.
public struct MedTypeTable: Hashable, Sendable {
    /// The national defaults (docs/audit.md gives the source of each).
    /// Only the codes that agree across provinces (docs/audit.md lists what
    /// was read); every other code needs the file's `category` or the
    /// policy's `med_types`.
    public static let defaults: [String: UsageCategory] = [
        "11": .outpatient,   // 普通门诊
        "12": .outpatient,   // 门诊挂号
        "13": .outpatient,   // 急诊
        "14": .outpatient,   // 门诊慢特病
        "19": .outpatient,   // 意外伤害门诊
        "21": .inpatient,    // 普通住院
        "22": .inpatient,    // 外伤住院
        "23": .inpatient,    // 转外诊治住院
        "24": .inpatient,    // 急诊转住院
        "41": .pharmacyRx,   // 定点药店购药: family money pays at a pharmacy only where the rules allow (our choice, docs/audit.md)
        "51": .outpatient,   // 生育门诊
        "52": .inpatient,    // 生育住院
    ]

    /// The policy's overrides (`med_types` in policy.yaml): a code to a category.
    public var overrides: [String: UsageCategory]

    public init(overrides: [String: UsageCategory] = [:]) { self.overrides = overrides }

    /// The category of `code`, nil when neither the policy nor the defaults give one.
    public func category(of code: String) -> UsageCategory? { overrides[code] ?? Self.defaults[code] }
}
