/// A family authorization (bindings.csv): the authorizer lets the beneficiary
/// use the excess of their individual account.
public struct Binding: Hashable, Sendable {
    public var id: String
    public var authorizer: ResidentID
    public var beneficiary: ResidentID
    /// The beneficiary's relation to the authorizer, from the authorizer's side.
    public var relation: Relation
    public var boundOn: Day
    /// The first day the binding no longer applies, if unbound.
    public var unboundOn: Day?
    public var channel: String?
    /// Where the claim region's order rule is `priority`: 1 is drawn first.
    public var priority: Int?

    public init(id: String, authorizer: ResidentID, beneficiary: ResidentID, relation: Relation, boundOn: Day,
                unboundOn: Day? = nil, channel: String? = nil, priority: Int? = nil) {
        self.id = id
        self.authorizer = authorizer
        self.beneficiary = beneficiary
        self.relation = relation
        self.boundOn = boundOn
        self.unboundOn = unboundOn
        self.channel = channel
        self.priority = priority
    }

    /// Active by its own dates: bound_on inclusive, unbound_on exclusive
    /// (docs/rules.md convention 5). Ending events are checked separately.
    public func isInDateRange(on day: Day) -> Bool {
        boundOn <= day && (unboundOn.map { day < $0 } ?? true)
    }

    /// Whether the binding's dates overlap the month at all.
    public func overlaps(_ month: YearMonth) -> Bool {
        boundOn <= month.lastDay && (unboundOn.map { month.firstDay < $0 } ?? true)
    }
}

/// What happened to a person that may end their bindings (events.csv).
public enum LifeEventKind: String, CaseIterable, Hashable, Sendable {
    case death
    case leftScheme = "left_scheme"
    case movedRegion = "moved_region"
    case chronicDisease = "chronic_disease"
    case lixiu

    /// How the event reads in an exception.
    public var phrase: String {
        switch self {
        case .death: "death"
        case .leftScheme: "leaving the employee scheme"
        case .movedRegion: "moving to another pooling region"
        case .chronicDisease: "recognition for chronic-disease benefits"
        case .lixiu: "change to 离休 status"
        }
    }
}

public struct LifeEvent: Hashable, Sendable {
    public var person: ResidentID
    public var date: Day
    public var kind: LifeEventKind

    public init(person: ResidentID, date: Day, kind: LifeEventKind) {
        self.person = person
        self.date = date
        self.kind = kind
    }
}

/// An account-payable medical cost (usage/*.csv).
public struct Claim: Hashable, Sendable {
    public var id: String
    public var person: ResidentID
    public var occurredAt: Timestamp
    public var region: RegionCode
    public var category: UsageCategory
    public var amount: Money

    public init(id: String, person: ResidentID, occurredAt: Timestamp, region: RegionCode, category: UsageCategory,
                amount: Money) {
        self.id = id
        self.person = person
        self.occurredAt = occurredAt
        self.region = region
        self.category = category
        self.amount = amount
    }

    /// Settlement order within a month (docs/rules.md convention 3).
    public static func settlementOrder(_ lhs: Claim, _ rhs: Claim) -> Bool {
        (lhs.occurredAt, lhs.id) < (rhs.occurredAt, rhs.id)
    }
}
