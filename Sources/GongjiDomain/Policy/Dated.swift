/// Where a policy value comes from and how sure we are of it (docs/rules.md tags:
/// seed, official, secondary, inferred, illustrative).
public struct Provenance: Hashable, Sendable {
    public var source: String?
    public var confidence: String?

    public init(source: String? = nil, confidence: String? = nil) {
        self.source = source
        self.confidence = confidence
    }
}

/// A rule with the dates it is in force: from `from` (inclusive) to `until`
/// (inclusive, optional). A later entry's `from` also ends an earlier one.
public struct Dated<Rule: Sendable>: Sendable {
    public var from: Day
    public var until: Day?
    public var rule: Rule
    public var provenance: Provenance

    public init(from: Day, until: Day? = nil, rule: Rule, provenance: Provenance = Provenance()) {
        self.from = from
        self.until = until
        self.rule = rule
        self.provenance = provenance
    }
}

/// The dated history of one kind of rule for one region, in the style of
/// OpenFisca parameters: the rule in force on a day is the latest one that
/// has started, unless its `until` has passed.
public struct DatedRules<Rule: Sendable>: Sendable {
    /// Entries sorted by `from`, each with a distinct start.
    public let entries: [Dated<Rule>]

    public init(_ entries: [Dated<Rule>]) {
        self.entries = entries.sorted { $0.from < $1.from }
    }

    public static var empty: DatedRules { DatedRules([]) }

    /// The entry in force on `day`, if any.
    public func inForce(on day: Day) -> Dated<Rule>? {
        guard let index = entries.lastIndex(where: { $0.from <= day }) else { return nil }
        let entry = entries[index]
        if let until = entry.until, until < day { return nil }
        return entry
    }

    /// The last day entry `index` is in force: its own `until`, or the day
    /// before the next entry starts; nil when it is open-ended.
    public func lastDay(ofEntryAt index: Int) -> Day? {
        let next = index + 1 < entries.count ? entries[index + 1].from.adding(days: -1) : nil
        switch (entries[index].until, next) {
        case let (until?, next?): return min(until, next)
        case let (until?, nil): return until
        case let (nil, next): return next
        }
    }
}
