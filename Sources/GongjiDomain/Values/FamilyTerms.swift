/// The beneficiary's relation to the authorizer, stated from the
/// authorizer's side (docs/rules.md section 1).
public enum Relation: String, CaseIterable, Hashable, Comparable, Sendable {
    case spouse, parent, child, sibling, grandparent, grandchild

    public static func < (lhs: Relation, rhs: Relation) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// The kind of an account-payable medical cost (docs/formats.md, usage files).
public enum UsageCategory: String, CaseIterable, Hashable, Comparable, Sendable {
    case outpatient, inpatient
    case pharmacyOTC = "pharmacy_otc"
    case pharmacyRx = "pharmacy_rx"
    case vaccination
    case physicalExam = "physical_exam"
    case residentPremium = "resident_premium"

    public static func < (lhs: UsageCategory, rhs: UsageCategory) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
