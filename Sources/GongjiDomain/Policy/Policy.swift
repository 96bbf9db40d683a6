/// One pooling region's dated rules.
public struct RegionPolicy: Sendable {
    public var code: RegionCode
    public var name: String
    public var province: String?
    public var threshold: DatedRules<ThresholdRule>
    public var credit: DatedRules<CreditRule>
    public var family: DatedRules<FamilyRule>
    public var wallet: DatedRules<WalletRule>
    public var pot: DatedRules<PotRule>

    public init(code: RegionCode, name: String, province: String? = nil,
                threshold: DatedRules<ThresholdRule> = .empty,
                credit: DatedRules<CreditRule> = .empty,
                family: DatedRules<FamilyRule> = .empty,
                wallet: DatedRules<WalletRule> = .empty,
                pot: DatedRules<PotRule> = .empty) {
        self.code = code
        self.name = name
        self.province = province
        self.threshold = threshold
        self.credit = credit
        self.family = family
        self.wallet = wallet
        self.pot = pot
    }
}

/// Every region's rules. Regions are independent units of work: nothing here
/// relates one region to another.
public struct Policy: Sendable {
    public let regions: [RegionCode: RegionPolicy]
    /// `med_types`: the platform's 医疗类别 codes mapped to categories, over
    /// the national defaults (docs/audit.md, "med_type").
    public var medTypes: [String: UsageCategory] = [:]

    public init(regions: [RegionPolicy], medTypes: [String: UsageCategory] = [:]) {
        self.regions = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        self.medTypes = medTypes
    }

    /// Regions in code order, for reports.
    public var sortedRegions: [RegionPolicy] { regions.values.sorted { $0.code < $1.code } }
}
