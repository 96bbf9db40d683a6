/// Bindings and ending events, indexed for settlement.
public struct FamilyIndex: Sendable {
    /// The bindings as given, and their positions ordered by beneficiary
    /// (packed ID), then binding ID; `beneficiaryRanges` gives each
    /// beneficiary's run of them.
    private let all: [Binding]
    private let byBeneficiary: [Int32]
    private let beneficiaryRanges: [UInt64: Range<Int>]
    /// The same by authorizer.
    private let byAuthorizer: [Int32]
    private let authorizerRanges: [UInt64: Range<Int>]
    /// Events by person, earliest first.
    private let events: [UInt64: [LifeEvent]]

    /// A person's bindings, in binding-ID order.
    public struct Bindings: RandomAccessCollection, Sendable {
        let all: [Binding]
        let positions: ArraySlice<Int32>
        public var startIndex: Int { positions.startIndex }
        public var endIndex: Int { positions.endIndex }
        public subscript(position: Int) -> Binding { all[Int(positions[position])] }
    }

    /// Two orders of positions and a range per person, where a Dictionary
    /// of arrays made an allocation per person (a city's 100k bindings:
    /// 40 MB), and two sorted copies of the bindings 17 MB (heaptrack, a
    /// city month's peak).
    public init(bindings: [Binding], events: [LifeEvent]) {
        func grouped(by person: (Binding) -> UInt64) -> ([Int32], [UInt64: Range<Int>]) {
            let ordered = bindings.indices.map(Int32.init).sorted { first, second in
                let (a, b) = (bindings[Int(first)], bindings[Int(second)])
                return (person(a), a.id) < (person(b), b.id)
            }
            var ranges: [UInt64: Range<Int>] = [:]
            var start = 0
            for index in ordered.indices
            where index + 1 == ordered.count || person(bindings[Int(ordered[index + 1])]) != person(bindings[Int(ordered[index])]) {
                ranges[person(bindings[Int(ordered[index])])] = start..<index + 1
                start = index + 1
            }
            return (ordered, ranges)
        }
        all = bindings
        (byBeneficiary, beneficiaryRanges) = grouped { $0.beneficiary.key }
        (byAuthorizer, authorizerRanges) = grouped { $0.authorizer.key }
        self.events = Dictionary(grouping: events, by: { $0.person.key }).mapValues {
            $0.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
        }
    }

    /// A beneficiary's bindings, in binding-ID order.
    public func bindings(ofBeneficiary key: UInt64) -> Bindings {
        Bindings(all: all, positions: beneficiaryRanges[key].map { byBeneficiary[$0] } ?? [])
    }

    /// An authorizer's bindings, in binding-ID order.
    public func bindings(ofAuthorizer key: UInt64) -> Bindings {
        Bindings(all: all, positions: authorizerRanges[key].map { byAuthorizer[$0] } ?? [])
    }

    public var authorizerKeys: Dictionary<UInt64, Range<Int>>.Keys { authorizerRanges.keys }

    /// The earliest event on or before `day` that ends `binding` (docs/rules.md
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
