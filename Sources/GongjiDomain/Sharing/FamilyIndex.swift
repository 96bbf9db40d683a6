/// Bindings and ending events, indexed for settlement.
public struct FamilyIndex: Sendable {
    /// The bindings as given, and their positions ordered by beneficiary
    /// (packed ID), then binding ID; `beneficiaryRanges` gives each
    /// beneficiary's run of them.
    private let all: [Binding]
    private let byBeneficiary: [Int32]
    private let beneficiaryRanges: [UInt64: Range<Int>]
    /// The same by authorizer (`activeAuthorizers(in:_:)` walks its runs).
    private let byAuthorizer: [Int32]
    /// How many persons authorize a binding.
    public let authorizerCount: Int
    /// Events by person, earliest first.
    private let events: [UInt64: [LifeEvent]]
    /// Each binding's days and keys, in the order of `all`, with the day
    /// an event ends it worked out once: what the month's authorizers and
    /// binding counts walk (a city's 100k bindings a month), where a
    /// `Binding` copy retained its texts and each ending looked up both
    /// persons' events (18% of a city year's settlement, perf).
    private let terms: [Terms]

    struct Terms: Sendable {
        let authorizer: UInt64
        let beneficiary: UInt64
        /// Day ordinals: `boundOn`; `unboundOn`, or `Int32.max` when never.
        let bound: Int32
        let unbound: Int32
        /// The day from which `ending(of:on:)` finds an event: the date of
        /// the ending it finds on the last day there is (`Int32.max` when
        /// none). An ending found on a day on or after it is dated this day.
        let ended: Int32
        /// The position of the relation in `Relation.allCases`.
        let relation: UInt8

        /// `Binding.overlaps(month)` and no ending on the binding's first day in the month (`isActive(_:in:)`).
        @inline(__always)
        func isActive(first: Int32, last: Int32) -> Bool {
            bound <= last && first < unbound && ended > max(bound, first)
        }
    }

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
        func ordered(by person: (Binding) -> UInt64) -> [Int32] {
            bindings.indices.map(Int32.init).sorted { first, second in
                let (a, b) = (bindings[Int(first)], bindings[Int(second)])
                return (person(a), a.id) < (person(b), b.id)
            }
        }
        func grouped(by person: (Binding) -> UInt64) -> ([Int32], [UInt64: Range<Int>]) {
            let ordered = ordered(by: person)
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
        byAuthorizer = ordered { $0.authorizer.key }
        authorizerCount = zip(byAuthorizer, byAuthorizer.dropFirst())
            .count { bindings[Int($0)].authorizer != bindings[Int($1)].authorizer } + (bindings.isEmpty ? 0 : 1)
        let events = Dictionary(grouping: events, by: { $0.person.key }).mapValues {
            $0.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
        }
        self.events = events
        let relations = Relation.allCases, lastDay = Day(year: 9999, month: 12, day: 31)!
        terms = bindings.map { binding in
            let ended = Self.ending(of: binding, on: lastDay, events: events)?.event.date
            return Terms(authorizer: binding.authorizer.key, beneficiary: binding.beneficiary.key,
                         bound: Self.ordinal(binding.boundOn), unbound: binding.unboundOn.map(Self.ordinal) ?? .max,
                         ended: ended.map(Self.ordinal) ?? .max, relation: UInt8(relations.firstIndex(of: binding.relation)!))
        }
    }

    private static func ordinal(_ day: Day) -> Int32 { Int32(truncatingIfNeeded: day.ordinal) }

    /// Calls `body` with each authorizer, in ID order, that has a binding
    /// active on some day of `month` (`isActive(_:in:)`), and the number of
    /// distinct beneficiaries of those bindings.
    public func activeAuthorizers(in month: YearMonth, _ body: (_ authorizer: UInt64, _ beneficiaries: Int) -> Void) {
        let first = Self.ordinal(month.firstDay), last = Self.ordinal(month.lastDay)
        var beneficiaries: [UInt64] = []
        var start = 0
        // `byAuthorizer` is ordered by authorizer key: each authorizer's bindings are a run of it.
        while start < byAuthorizer.count {
            let authorizer = terms[Int(byAuthorizer[start])].authorizer
            var end = start + 1
            while end < byAuthorizer.count && terms[Int(byAuthorizer[end])].authorizer == authorizer { end += 1 }
            beneficiaries.removeAll(keepingCapacity: true)
            for position in byAuthorizer[start..<end] {
                let binding = terms[Int(position)]
                if binding.isActive(first: first, last: last) && !beneficiaries.contains(binding.beneficiary) {
                    beneficiaries.append(binding.beneficiary)
                }
            }
            if !beneficiaries.isEmpty { body(authorizer, beneficiaries.count) }
            start = end
        }
    }

    /// The bindings counted for the month page (`MonthContext.BindingCount`), by relation in `Relation.allCases` order:
    /// active on the month's last day; bound in the month; unbound, or ended by an event, in the month.
    func counts(in month: YearMonth) -> [(active: Int, added: Int, ended: Int)] {
        let first = Self.ordinal(month.firstDay), last = Self.ordinal(month.lastDay)
        var counts = Array(repeating: (active: 0, added: 0, ended: 0), count: Relation.allCases.count)
        for binding in terms {
            let relation = Int(binding.relation)
            // isActive(_:on: lastDay): active on the one-day span of the last day.
            if binding.isActive(first: last, last: last) { counts[relation].active += 1 }
            if first <= binding.bound && binding.bound <= last { counts[relation].added += 1 }
            let unbound = first <= binding.unbound && binding.unbound <= last
            let ending = first <= binding.ended && binding.ended <= last  // an ending found on the last day, dated in the month
            if binding.bound <= last && (unbound || ending) { counts[relation].ended += 1 }
        }
        return counts
    }

    /// A beneficiary's bindings, in binding-ID order.
    public func bindings(ofBeneficiary key: UInt64) -> Bindings {
        Bindings(all: all, positions: beneficiaryRanges[key].map { byBeneficiary[$0] } ?? [])
    }

    /// The earliest event on or before `day` that ends `binding` (docs/rules.md
    /// section 5): the death of either side, or any of the authorizer's events.
    public func ending(of binding: Binding, on day: Day) -> Ending? { Self.ending(of: binding, on: day, events: events) }

    /// The rule itself, for `init` too (each binding's `Terms`).
    private static func ending(of binding: Binding, on day: Day, events: [UInt64: [LifeEvent]]) -> Ending? {
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
