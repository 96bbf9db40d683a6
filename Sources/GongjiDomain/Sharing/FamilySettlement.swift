/// How family money took part in a claim (docs/formats.md, usage-YYYY-MM-claims.csv).
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
    /// Same province, but the authorizer's region shares only within itself
    /// (`scope: region`); `provinceFrom`: when a later rule widens it.
    case differentRegions(binding: String, authorizer: RegionCode, beneficiary: RegionCode, provinceFrom: Day?)
    case differentProvinces(binding: String, authorizer: RegionCode, beneficiary: RegionCode)
    /// The claim was settled outside the beneficiary's own region.
    case outsideRegion(binding: String, claim: RegionCode, beneficiary: RegionCode)
    case noFamilyRule(region: RegionCode, on: Day)
    case relationNotAllowed(binding: String, Relation, region: RegionCode, allowedFrom: Day?)
    case thresholdUnknown(region: RegionCode, on: Day)
    /// The authorizer's region's rule does not share this category.
    case categoryNotShareable(UsageCategory, region: RegionCode, on: Day)

    /// A short name for grouping refusals of one kind.
    public var kind: String {
        switch self {
        case let .ended(_, ending): "binding ended by the \(ending.side.rawValue)'s \(ending.event.kind.phrase)"
        case .authorizerNotInsured: "authorizer not in persons.csv"
        case .authorizerHasNoAccount: "authorizer has no individual account (resident scheme)"
        case .differentRegions: "authorizer and beneficiary in different pooling regions"
        case .differentProvinces: "authorizer and beneficiary in different provinces"
        case .outsideRegion: "claim settled outside the beneficiary's pooling region"
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
        case let .differentRegions(binding, authorizer, beneficiary, from):
            "binding \(binding): authorizer insured in \(authorizer), beneficiary in \(beneficiary); \(authorizer) shares "
                + "only within its own pooling region" + (from.map { " until \($0)" } ?? "")
        case let .differentProvinces(binding, authorizer, beneficiary):
            "binding \(binding): \(authorizer) and \(beneficiary) are in different provinces"
        case let .outsideRegion(binding, claim, beneficiary):
            "binding \(binding): claim settled in \(claim), outside the beneficiary's region \(beneficiary)"
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

/// How a relative's money reached the claim, or crossed regions: a binding
/// drawn at settlement, a quota, or a wallet transfer.
public enum DrawChannel: String, CaseIterable, Hashable, Comparable, Sendable {
    case binding
    /// A relative's quota frozen in their account (2026 wallet model).
    case quota
    /// An accepted wallet transfer between regions (clearing only: wallet
    /// money then pays its holder's claims in the holder's region).
    case walletTransfer = "wallet_transfer"

    public static func < (lhs: DrawChannel, rhs: DrawChannel) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// One authorizer's part of a claim (usage-YYYY-MM-shares.csv).
public struct Draw: Hashable, Sendable {
    public var authorizer: ResidentID
    /// The region of the account the money left (the authorizer's).
    public var authorizerRegion: RegionCode
    public var channel: DrawChannel
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
    /// From the patient's own wallet (docs/rules.md convention 7).
    public var wallet: Money = .zero
    /// From the patient's family pots.
    public var pot: Money = .zero
    /// Drawn from relatives' accounts: quotas and bindings.
    public var familyShared: Money
    public var cash: Money
    public var status: FamilyStatus
    public var draws: [Draw]
    public var refusals: [Refusal]
}

/// Settles claims in the Shenzhen authorization model (docs/rules.md section 4,
/// conventions 3-6). Pure: reads the policy and the bindings, moves money only
/// through the ledger it is given.
public struct FamilySettler: Sendable {
    public let policy: Policy
    public let periods: [ThresholdPeriod]
    public let persons: PersonTable
    public let family: FamilyIndex
    /// A `--province` run's persons of the provinces it leaves out, that a
    /// binding may name as authorizer: refused as between provinces, as in
    /// a run of every province (docs/policy.md, "Units of work").
    public let others: PersonTable

    public init(policy: Policy, periods: [ThresholdPeriod], persons: PersonTable, family: FamilyIndex,
                others: PersonTable = PersonTable(capacity: 0)) {
        self.policy = policy
        self.periods = periods
        self.persons = persons
        self.family = family
        self.others = others
    }

    /// The threshold in force for `region` on `day` (nil: none, share everything).
    public func threshold(region: RegionCode, on day: Day) -> ThresholdInForce {
        guard let regionPolicy = policy.regions[region] else { return .noThreshold }
        return ThresholdSchedule.inForce(on: day, region: regionPolicy, periods: periods)
    }

    /// Settles one claim where no money is earmarked (no wallets, quotas or pots).
    public func settle(_ claim: Claim, ledger: inout AccountLedger) -> ClaimSettlement {
        var none = EarmarkLedger.none(policy: policy, persons: persons)
        return settle(claim, ledger: &ledger, earmarks: &none)
    }

    /// Settles one claim in the order of docs/rules.md convention 7: the
    /// patient's own account (less frozen quota), own wallet, family pots,
    /// relatives' quotas, relatives' bindings, cash. Claims must come in
    /// settlement order within a month and before the month's credits post;
    /// the earmarks' actions due by the claim's time happen first.
    public func settle(_ claim: Claim, ledger: inout AccountLedger, earmarks: inout EarmarkLedger) -> ClaimSettlement {
        let patient = claim.person.key
        let index = persons.index(of: patient)
        var rest = claim.amount
        var own = Money.zero
        var wallet = Money.zero, pot = Money.zero
        var quotaDraws: [Draw] = []
        let earmarked = !earmarks.isEmpty
        if earmarked { earmarks.advance(to: claim.occurredAt, accounts: &ledger) }
        if let index, let balance = ledger.balance(index: index) {
            let free = earmarked ? balance - earmarks.frozen(index) : balance
            if free.fen > 0 {
                own = min(free, rest)
                ledger.spendOwn(patient, own)
                rest -= own
            }
        }
        if earmarked, let index, earmarks.touches(index), rest.fen > 0 {
            wallet = earmarks.payFromWallet(claim, patient: index, upTo: rest)
            rest -= wallet
            if rest.fen > 0 {
                pot = earmarks.payFromPots(claim, upTo: rest)
                rest -= pot
            }
            if rest.fen > 0 {
                quotaDraws = earmarks.payFromQuotas(claim, upTo: rest, accounts: &ledger)
                rest -= quotaDraws.reduce(Money.zero) { $0 + $1.amount }
            }
        }
        func result(_ status: FamilyStatus, draws: [Draw] = [], refusals: [Refusal] = []) -> ClaimSettlement {
            let all = quotaDraws + draws
            var status = status
            // Quotas paid something: the claim is shared, whole or in part, whatever the bindings did.
            if !quotaDraws.isEmpty { status = rest.fen == 0 ? .shared : .partial }
            let family = all.reduce(Money.zero) { $0 + $1.amount }
            return ClaimSettlement(claim: claim, ownAccount: own, wallet: wallet, pot: pot, familyShared: family,
                                   cash: claim.amount - own - wallet - pot - family, status: status, draws: all,
                                   refusals: refusals)
        }
        guard rest.fen > 0 else { return result(quotaDraws.isEmpty ? .notNeeded : .shared) }

        let day = claim.occurredAt.day
        let dated = family.bindings(ofBeneficiary: patient).filter { $0.isInDateRange(on: day) }
        guard !dated.isEmpty else { return result(.noBinding) }

        var eligible: [Eligible] = []
        var refusals: [Refusal] = []
        var categoryRefused = false
        for binding in dated where !eligible.contains(where: { $0.binding.authorizer == binding.authorizer }) {
            switch check(binding, claim: claim, on: day) {
            case let .success(entry): eligible.append(entry)
            case let .failure(refusal):
                if case .categoryNotShareable = refusal { categoryRefused = true }
                if !refusals.contains(refusal) { refusals.append(refusal) }
            }
        }
        guard !eligible.isEmpty else { return result(categoryRefused ? .categoryExcluded : .ineligible, refusals: refusals) }

        // The claim's region decides the order (docs/rules.md convention 8):
        // by current balance, highest first, equal balances by authorizer ID
        // (convention 4); or by the bindings' priority first.
        let order = policy.regions[claim.region]?.family.inForce(on: day)?.rule.order ?? .balance
        let ordered = eligible.map { (entry: $0, balance: ledger.balance($0.binding.authorizer.key) ?? .zero) }
            .sorted { lhs, rhs in
                if order == .priority {
                    let (left, right) = (lhs.entry.binding.priority ?? .max, rhs.entry.binding.priority ?? .max)
                    if left != right { return left < right }
                }
                return (rhs.balance, lhs.entry.binding.authorizer) < (lhs.balance, rhs.entry.binding.authorizer)
            }
        var draws: [Draw] = []
        for (entry, balance) in ordered {
            // A quota frozen in the authorizer's account is not theirs to share either.
            let frozen = earmarked && earmarks.hasFrozen
                ? persons.index(of: entry.binding.authorizer.key).map(earmarks.frozen) ?? .zero : .zero
            let excess = balance - frozen - (entry.threshold ?? .zero)
            guard excess.fen > 0 else { continue }
            let amount = min(excess, rest)
            ledger.shareOut(entry.binding.authorizer.key, amount)
            draws.append(Draw(authorizer: entry.binding.authorizer, authorizerRegion: entry.region, channel: .binding,
                              binding: entry.binding.id, relation: entry.binding.relation, amount: amount,
                              balanceBefore: balance, threshold: entry.threshold))
            rest -= amount
            if rest.fen == 0 { break }
        }
        if draws.isEmpty { return result(.noExcess, refusals: refusals) }
        return result(rest.fen == 0 ? .shared : .partial, draws: draws, refusals: refusals)
    }

    /// A binding that may pay: its authorizer's region and threshold.
    struct Eligible {
        var binding: Binding
        var region: RegionCode
        var threshold: Money?
    }

    /// Whether `binding` may pay for `claim` on `day`. The authorizer's
    /// region's rule in force that day decides scope, relation, threshold and
    /// category (docs/rules.md convention 8), binding by binding.
    func check(_ binding: Binding, claim: Claim, on day: Day) -> Result<Eligible, Refusal> {
        if let ending = family.ending(of: binding, on: day) { return .failure(.ended(binding: binding.id, ending)) }
        guard let authorizer = persons[binding.authorizer.key] ?? others[binding.authorizer.key] else {
            return .failure(.authorizerNotInsured(binding: binding.id))
        }
        guard authorizer.scheme == .employee else { return .failure(.authorizerHasNoAccount(binding: binding.id)) }
        let home = authorizer.region
        // The beneficiary is the patient, who is in persons.csv (the usage reader checks).
        let beneficiaryRegion = persons[binding.beneficiary.key]?.region ?? claim.region
        guard let region = policy.regions[home], let rule = region.family.inForce(on: day)?.rule else {
            if !home.sharesProvince(with: beneficiaryRegion) {
                return .failure(.differentProvinces(binding: binding.id, authorizer: home, beneficiary: beneficiaryRegion))
            }
            return .failure(.noFamilyRule(region: home, on: day))
        }
        if beneficiaryRegion != home {
            guard home.sharesProvince(with: beneficiaryRegion) else {
                return .failure(.differentProvinces(binding: binding.id, authorizer: home, beneficiary: beneficiaryRegion))
            }
            guard rule.scope == .province else {
                let widened = region.family.entries.first { $0.from > day && $0.rule.scope == .province }
                return .failure(.differentRegions(binding: binding.id, authorizer: home, beneficiary: beneficiaryRegion,
                                                  provinceFrom: widened?.from))
            }
        }
        guard claim.region == beneficiaryRegion else {
            return .failure(.outsideRegion(binding: binding.id, claim: claim.region, beneficiary: beneficiaryRegion))
        }
        guard rule.relations.contains(binding.relation) else {
            let later = region.family.entries.first { $0.from > day && $0.rule.relations.contains(binding.relation) }
            return .failure(.relationNotAllowed(binding: binding.id, binding.relation, region: home,
                                                allowedFrom: later?.from))
        }
        let threshold: Money?
        switch ThresholdSchedule.inForce(on: day, region: region, periods: periods) {
        case .noThreshold: threshold = nil
        case let .amount(amount, _): threshold = amount
        case .unknown: return .failure(.thresholdUnknown(region: home, on: day))
        }
        guard rule.categories.contains(claim.category) else {
            return .failure(.categoryNotShareable(claim.category, region: home, on: day))
        }
        return .success(Eligible(binding: binding, region: home, threshold: threshold))
    }
}
