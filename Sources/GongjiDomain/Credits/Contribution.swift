/// Whether a contributor works or has retired.
public enum ContributionStatus: String, Hashable, Sendable {
    case inService = "in_service"
    case retired
}

/// One row of a monthly contribution roster.
public struct Contribution: Hashable, Sendable {
    public var person: ResidentID
    public var month: YearMonth
    public var region: RegionCode
    public var status: ContributionStatus
    /// The contribution base; required when in service.
    public var base: Money?
    public var employerID: String?

    public init(person: ResidentID, month: YearMonth, region: RegionCode, status: ContributionStatus,
                base: Money?, employerID: String? = nil) {
        self.person = person
        self.month = month
        self.region = region
        self.status = status
        self.base = base
        self.employerID = employerID
    }
}
