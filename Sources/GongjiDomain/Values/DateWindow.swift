/// The dates a run takes as plausible (docs/formats.md, CSV inputs): from
/// the first day of the policy's earliest rule to the last day of the month
/// a year after the run's month. A date outside is an input error: a claim
/// dated 2823 would otherwise make the run settle eight centuries of months.
public struct DateWindow: Hashable, Sendable {
    public var first: Day
    public var last: Day

    public init(first: Day, last: Day) {
        self.first = first
        self.last = last
    }

    /// From the policy's earliest rule to a year after `today`'s month.
    public init(policy: Policy, today: Day) {
        let starts = policy.regions.values.flatMap { region in
            region.threshold.entries.map(\.from) + region.credit.entries.map(\.from) + region.family.entries.map(\.from)
        }
        var month = YearMonth(today)
        for _ in 0..<12 { month = month.next }
        self.init(first: starts.min() ?? today, last: month.lastDay)
    }

    public func contains(_ day: Day) -> Bool { first <= day && day <= last }

    /// Why `month` is not plausible (no day of it in the window), or nil when it is.
    public func problem(_ month: YearMonth) -> Phrase? {
        month.lastDay >= first && month.firstDay <= last ? nil
            : "\(month) is outside the months this run takes as plausible, \(YearMonth(first)) .. \(YearMonth(last)) "
                + "(from the policy's first rule to a year after today)"
    }

    /// Why `day` is not plausible, or nil when it is.
    public func problem(_ day: Day) -> Phrase? {
        contains(day) ? nil : "\(day) is outside the dates this run takes as plausible, \(first) .. \(last) "
            + "(from the policy's first rule to a year after today)"
    }
}
