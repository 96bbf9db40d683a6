/// What an analyst reads beside a month's sharing (the month page): the
/// threshold in force in each region, the month against the previous one
/// and the year to date, and the bindings by relation with those added and
/// ended in the month.
public struct MonthContext: Sendable {
    /// Each region of the policy, in code order, with its threshold on the month's last day.
    public var thresholds: [(region: RegionCode, threshold: ThresholdInForce)] = []
    /// The previous month settled (nil for the first), and the year so far, this month included.
    public var previous: (month: YearMonth, totals: ClaimTotals)?
    public var yearToDate = ClaimTotals()

    public struct BindingCount: Hashable, Sendable {
        public var relation: Relation
        /// Active on the month's last day.
        public var active = 0
        /// `bound_on` in the month.
        public var added = 0
        /// `unbound_on`, or an ending event, in the month.
        public var ended = 0
    }
    /// By relation, in the relations' order; relations with no binding left out.
    public var bindings: [BindingCount] = []

    public init() {}

    /// Counts the bindings of `family` for `month`.
    public static func bindings(_ all: [Binding], family: FamilyIndex, in month: YearMonth) -> [BindingCount] {
        var counts: [Relation: BindingCount] = [:]
        for binding in all {
            var count = counts[binding.relation] ?? BindingCount(relation: binding.relation)
            if family.isActive(binding, on: month.lastDay) { count.active += 1 }
            if month.firstDay <= binding.boundOn && binding.boundOn <= month.lastDay { count.added += 1 }
            let unbound = binding.unboundOn.map { month.firstDay <= $0 && $0 <= month.lastDay } ?? false
            let ending = family.ending(of: binding, on: month.lastDay).map { $0.event.date >= month.firstDay } ?? false
            if binding.boundOn <= month.lastDay, unbound || ending { count.ended += 1 }
            counts[binding.relation] = count
        }
        return Relation.allCases.compactMap { counts[$0] }.filter { $0.active + $0.added + $0.ended > 0 }
    }
}
