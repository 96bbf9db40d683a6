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
    public static func bindings(family: FamilyIndex, in month: YearMonth) -> [BindingCount] {
        zip(Relation.allCases, family.counts(in: month)).compactMap { relation, count in
            let row = BindingCount(relation: relation, active: count.active, added: count.added, ended: count.ended)
            return row.active + row.added + row.ended > 0 ? row : nil
        }
    }
}
