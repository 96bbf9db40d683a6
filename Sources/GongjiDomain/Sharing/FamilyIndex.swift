/// Bindings and ending events, indexed for settlement.
public struct FamilyIndex: Sendable {
    /// Bindings by beneficiary (packed ID), in binding-ID order.
    private let byBeneficiary: [UInt64: [Binding]]
    /// Bindings by authorizer (packed ID), in binding-ID order.
    private let byAuthorizer: [UInt64: [Binding]]
    /// Events by person, earliest first.
    private let events: [UInt64: [LifeEvent]]

    public init(bindings: [Binding], events: [LifeEvent]) {
        let ordered = bindings.sorted { $0.id < $1.id }
        byBeneficiary = Dictionary(grouping: ordered, by: { $0.beneficiary.key })
        byAuthorizer = Dictionary(grouping: ordered, by: { $0.authorizer.key })
        self.events = Dictionary(grouping: events, by: { $0.person.key }).mapValues {
            $0.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
        }
    }

    public func bindings(ofBeneficiary key: UInt64) -> [Binding] { byBeneficiary[key] ?? [] }
    public func bindings(ofAuthorizer key: UInt64) -> [Binding] { byAuthorizer[key] ?? [] }
    public var authorizerKeys: Dictionary<UInt64, [Binding]>.Keys { byAuthorizer.keys }

    /// The earliest event on or before `day` that ends `binding` (DOMAIN.md
    /// section 5): the death of either side, or any of the authorizer's events.
    public func ending(of binding: Binding, on day: Day) -> Ending? {
        let authorizer = events[binding.authorizer.key]?.first { $0.date <= day }
        let beneficiary = events[binding.beneficiary.key]?.first { $0.date <= day && $0.kind == .death }
        switch (authorizer, beneficiary) {
        case let (a?, b?): return b.date < a.date ? Ending(event: b, side: .beneficiary) : Ending(event: a, side: .authorizer)
        case let (a?, nil): return Ending(event: a, side: .authorizer)
        case let (nil, b?): return Ending(event: b, side: .beneficiary)
        case (nil, nil): return nil
        }
    }

    /// Whether `binding` applies on `day`: in its date range and not ended.
    public func isActive(_ binding: Binding, on day: Day) -> Bool {
        binding.isInDateRange(on: day) && ending(of: binding, on: day) == nil
    }

    /// Whether `binding` applies on some day of `month`.
    public func isActive(_ binding: Binding, in month: YearMonth) -> Bool {
        guard binding.overlaps(month) else { return false }
        let first = max(binding.boundOn, month.firstDay)
        return ending(of: binding, on: first) == nil
    }
}

/// What ended a binding.
public struct Ending: Hashable, Sendable {
    public enum Side: String, Hashable, Sendable { case authorizer, beneficiary }
    public var event: LifeEvent
    public var side: Side
}
