/// How family money took part in a claim (SPEC.md, usage-YYYY-MM-claims.csv).
public enum FamilyStatus: String, CaseIterable, Hashable, Comparable, Sendable {
    /// The patient's own account paid everything.
    case notNeeded = "not_needed"
    /// Family money paid the whole rest.
    case shared
    /// Family money paid part of the rest; the patient paid cash for the remainder.
    case partial
    /// No binding names the patient as beneficiary on that date.
    case noBinding = "no_binding"
    /// Eligible authorizers had nothing above their threshold.
    case noExcess = "no_excess"
    /// The category may not be paid with family money in that region then.
    case categoryExcluded = "category_excluded"
    /// Bindings exist but none may pay (see the refusals).
    case ineligible

    public static func < (lhs: FamilyStatus, rhs: FamilyStatus) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// Why family money could not pay, for the exceptions section.
public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
    case ended(binding: String, Ending)
    case authorizerNotInsured(binding: String)
    case authorizerHasNoAccount(binding: String)
    case differentRegions(binding: String, authorizer: RegionCode, beneficiary: RegionCode)
    case outsideRegion(binding: String, claim: RegionCode, authorizer: RegionCode)
    case noFamilyRule(region: RegionCode, on: Day)
    case relationNotAllowed(binding: String, Relation, region: RegionCode, allowedFrom: Day?)
    case thresholdUnknown(region: RegionCode, on: Day)
    case categoryNotShareable(UsageCategory, region: RegionCode, on: Day)

    /// A short name for grouping refusals of one kind.
    public var kind: String {
        switch self {
        case let .ended(_, ending): "binding ended by the \(ending.side.rawValue)'s \(ending.event.kind.phrase)"
        case .authorizerNotInsured: "authorizer not in persons.csv"
        case .authorizerHasNoAccount: "authorizer has no individual account (resident scheme)"
        case .differentRegions: "authorizer and beneficiary in different pooling regions"
        case .outsideRegion: "claim settled outside the authorizer's pooling region"
        case .noFamilyRule: "no family-sharing rule in force"
        case let .relationNotAllowed(_, relation, _, _): "relation \(relation.rawValue) not allowed"
        case .thresholdUnknown: "threshold unknown (no bulletin)"
        case let .categoryNotShareable(category, _, _): "category \(category.rawValue) not shareable"
        }
    }

    public var description: String {
        switch self {
        case let .ended(binding, ending):
            "binding \(binding) ended on \(ending.event.date) by the \(ending.side.rawValue)'s \(ending.event.kind.phrase)"
        case let .authorizerNotInsured(binding):
            "binding \(binding): the authorizer is not in persons.csv"
        case let .authorizerHasNoAccount(binding):
            "binding \(binding): the authorizer is in the resident scheme and has no individual account"
        case let .differentRegions(binding, authorizer, beneficiary):
            "binding \(binding): authorizer insured in \(authorizer), beneficiary in \(beneficiary)"
        case let .outsideRegion(binding, claim, authorizer):
            "binding \(binding): claim settled in \(claim), the authorizer's region is \(authorizer)"
        case let .noFamilyRule(region, day):
            "no family-sharing rule in force in \(region) on \(day)"
        case let .relationNotAllowed(binding, relation, region, from):
            "binding \(binding): relation \(relation.rawValue) is not allowed in \(region)"
                + (from.map { " until \($0)" } ?? "")
        case let .thresholdUnknown(region, day):
            "no threshold is known in \(region) for \(day): no bulletin for its statistical year"
        case let .categoryNotShareable(category, region, day):
            "\(category.rawValue) may not be paid with family money in \(region) on \(day)"
        }
    }
}

/// One authorizer's part of a claim (usage-YYYY-MM-shares.csv).
public struct Draw: Hashable, Sendable {
    public var authorizer: ResidentID
    public var binding: String
    public var relation: Relation
    public var amount: Money
    public var balanceBefore: Money
    /// Nil where the region has no threshold: the whole balance may be shared.
    public var threshold: Money?
}

/// How one claim was paid.
public struct ClaimSettlement: Hashable, Sendable {
    public var claim: Claim
    public var ownAccount: Money
    public var familyShared: Money
    public var cash: Money
    public var status: FamilyStatus
    public var draws: [Draw]
    public var refusals: [Refusal]
}

/// Settles claims in the Shenzhen authorization model (DOMAIN.md section 4,
/// conventions 3-6). Pure: reads the policy and the bindings, moves money only
/// through the ledger it is given.
public struct FamilySettler: Sendable {
    public let policy: Policy
    public let periods: [ThresholdPeriod]
    public let persons: PersonTable
    public let family: FamilyIndex

    public init(policy: Policy, periods: [ThresholdPeriod], persons: PersonTable, family: FamilyIndex) {
        self.policy = policy
        self.periods = periods
        self.persons = persons
        self.family = family
    }

    /// The threshold in force for `region` on `day` (nil: none, share everything).
    public func threshold(region: RegionCode, on day: Day) -> ThresholdInForce {
        guard let regionPolicy = policy.regions[region] else { return .noThreshold }
        return ThresholdSchedule.inForce(on: day, region: regionPolicy, periods: periods)
    }

    /// Settles one claim. Claims must come in settlement order within a month
    /// and before the month's credits post.
    public func settle(_ claim: Claim, ledger: inout AccountLedger) -> ClaimSettlement {
        let patient = claim.person.key
        var rest = claim.amount
        var own = Money.zero
        if let balance = ledger.balance(patient), balance.fen > 0 {
            own = min(balance, rest)
            ledger.spendOwn(patient, own)
            rest -= own
        }
        func result(_ status: FamilyStatus, draws: [Draw] = [], refusals: [Refusal] = []) -> ClaimSettlement {
            let family = draws.reduce(Money.zero) { $0 + $1.amount }
            return ClaimSettlement(claim: claim, ownAccount: own, familyShared: family, cash: claim.amount - own - family,
                                   status: status, draws: draws, refusals: refusals)
        }
        guard rest.fen > 0 else { return result(.notNeeded) }

        let day = claim.occurredAt.day
        let dated = family.bindings(ofBeneficiary: patient).filter { $0.isInDateRange(on: day) }
        guard !dated.isEmpty else { return result(.noBinding) }

        var eligible: [(binding: Binding, threshold: Money?)] = []
        var refusals: [Refusal] = []
        for binding in dated where !eligible.contains(where: { $0.binding.authorizer == binding.authorizer }) {
            switch check(binding, claim: claim, on: day) {
            case let .success(threshold): eligible.append((binding, threshold))
            case let .failure(refusal): refusals.append(refusal)
            }
        }
        guard !eligible.isEmpty else { return result(.ineligible, refusals: refusals) }
        // Eligible bindings share the claim's region (checked above), so one rule decides the category.
        if let rule = policy.regions[claim.region]?.family.inForce(on: day)?.rule, !rule.categories.contains(claim.category) {
            return result(.categoryExcluded, refusals: [.categoryNotShareable(claim.category, region: claim.region, on: day)])
        }

        // Highest current balance first; equal balances by authorizer ID (convention 4).
        let ordered = eligible.map { (entry: $0, balance: ledger.balance($0.binding.authorizer.key) ?? .zero) }
            .sorted { ($1.balance, $0.entry.binding.authorizer) < ($0.balance, $1.entry.binding.authorizer) }
        var draws: [Draw] = []
        for (entry, balance) in ordered {
            let excess = balance - (entry.threshold ?? .zero)
            guard excess.fen > 0 else { continue }
            let amount = min(excess, rest)
            ledger.shareOut(entry.binding.authorizer.key, amount)
            draws.append(Draw(authorizer: entry.binding.authorizer, binding: entry.binding.id,
                              relation: entry.binding.relation, amount: amount, balanceBefore: balance,
                              threshold: entry.threshold))
            rest -= amount
            if rest.fen == 0 { break }
        }
        if draws.isEmpty { return result(.noExcess, refusals: refusals) }
        return result(rest.fen == 0 ? .shared : .partial, draws: draws, refusals: refusals)
    }

    /// Whether `binding` may pay for `claim` on `day`, and the authorizer's threshold.
    func check(_ binding: Binding, claim: Claim, on day: Day) -> Result<Money?, Refusal> {
        if let ending = family.ending(of: binding, on: day) { return .failure(.ended(binding: binding.id, ending)) }
        guard let authorizer = persons[binding.authorizer.key] else {
            return .failure(.authorizerNotInsured(binding: binding.id))
        }
        guard authorizer.scheme == .employee else { return .failure(.authorizerHasNoAccount(binding: binding.id)) }
        if let beneficiary = persons[binding.beneficiary.key], beneficiary.region != authorizer.region {
            return .failure(.differentRegions(binding: binding.id, authorizer: authorizer.region,
                                              beneficiary: beneficiary.region))
        }
        guard claim.region == authorizer.region else {
            return .failure(.outsideRegion(binding: binding.id, claim: claim.region, authorizer: authorizer.region))
        }
        guard let region = policy.regions[authorizer.region], let rule = region.family.inForce(on: day)?.rule else {
            return .failure(.noFamilyRule(region: authorizer.region, on: day))
        }
        guard rule.relations.contains(binding.relation) else {
            let later = policy.regions[authorizer.region]?.family.entries.first {
                $0.from > day && $0.rule.relations.contains(binding.relation)
            }
            return .failure(.relationNotAllowed(binding: binding.id, binding.relation, region: authorizer.region,
                                                allowedFrom: later?.from))
        }
        switch ThresholdSchedule.inForce(on: day, region: region, periods: periods) {
        case .noThreshold: return .success(nil)
        case let .amount(amount, _): return .success(amount)
        case .unknown: return .failure(.thresholdUnknown(region: authorizer.region, on: day))
        }
    }
}
