/// Why a roster row could not be posted.
public enum PostingProblem: Error, Hashable, Sendable {
    /// The region is not in the policy.
    case unknownRegion(RegionCode)
    /// The person has a credit in that month already (an earlier row).
    case repeated
    case credit(CreditProblem)
}

/// Every month's credits, posted roster row by roster row (docs/rules.md
/// section 3, conventions 1-3): the region's rule in force on the first day
/// of the month, the age on that day, one rounding.
///
/// This runs once per roster row of a city (a million a month), so a
/// region's rule is resolved once per month and kept with the group slots of
/// its bands: rows come grouped by month, mostly by region.
public struct CreditBook: Sendable {
    struct RuleKey: Hashable { var region: RegionCode; var month: YearMonth }

    public let policy: Policy
    public let wages: WageBook
    /// How many persons the dense indices count.
    public let count: Int
    /// Band labels, indexed by the band numbers of `months`.
    public private(set) var bandLabels: [String] = []
    /// Each month's credits, in the order the months were first posted.
    public private(set) var months: [MonthCredits] = []
    public private(set) var monthList: [YearMonth] = []
    private var bandNumbers: [String: Int] = [:]
    private var monthSlots: [YearMonth: Int] = [:]
    private var released: Set<YearMonth> = []
    /// Months whose credit column and findings wait in `stash`.
    private var stashed: Set<YearMonth> = []
    private var stash: (any CreditStash)?
    private var tables: [RuleKey: (table: CreditTable, bands: [Int])] = [:]
    /// The rule of the last row's region and month: its table, month slot and group slots.
    private var lastKey: RuleKey?
    private var lastTable: CreditTable? {
        didSet { lastRule = lastTable?.unretained }
    }
    /// `lastTable`'s storage, unretained (`lastTable` holds it), set with it.
    private var lastRule: Unmanaged<CreditTable.Storage>?
    private var lastMonth = 0
    private var lastGroups: [Int] = []

    public init(policy: Policy, wages: WageBook, count: Int) {
        self.policy = policy
        self.wages = wages
        self.count = count
    }

    /// A book with nothing posted, for the same persons and rules.
    public func emptied() -> CreditBook { CreditBook(policy: policy, wages: wages, count: count) }

    /// The credits of `month`, if any row was posted for it. A month let
    /// go of (`release`) has none to give.
    public func credits(in month: YearMonth) -> MonthCredits? {
        precondition(!released.contains(month), "the credits of \(month) were let go once it was settled")
        precondition(!stashed.contains(month), "the credits of \(month) wait in a stash: take(_:) gives them")
        return monthSlots[month].map { months[$0] }
    }

    /// Puts the credit column and base findings of every month but the
    /// first `kept` (in calendar order) into `stash`, until `take(_:)` asks
    /// for them: a city's year holds the rest of its months' credits,
    /// some 70 MB, while its first months settle.
    public mutating func stash(into stash: any CreditStash, keeping kept: Int) throws {
        precondition(self.stash == nil, "a book is stashed once")
        self.stash = stash
        for month in monthList.sorted().dropFirst(kept) where !released.contains(month) {
            guard let slot = monthSlots[month] else { continue }
            try stash.keep(months[slot].packed(), for: month)
            months[slot].column = CreditColumn(count: 0)
            months[slot].findings = []
            stashed.insert(month)
        }
    }

    /// The credits of `month` (nil: no roster row posted for it), from
    /// memory or the stash, and lets go of them (`release`): for a
    /// settlement, which takes each month once, in order. Throws only
    /// when the stash cannot give them back whole.
    public mutating func take(_ month: YearMonth) throws -> MonthCredits? {
        guard let slot = monthSlots[month] else { return nil }
        precondition(!released.contains(month), "the credits of \(month) were let go once it was settled")
        var credits = months[slot]
        if stashed.contains(month), let stash {
            // Well-formed bytes of another book's size are damaged too: the ledger reads a credit for every person.
            guard credits.unpack(try stash.take(month)), credits.column.fits(count) else { throw DamagedCredits(month: month) }
            stashed.remove(month)
        }
        release(month)
        return credits
    }

    /// Lets go of `month`'s credits, once it is settled (`Settlement`: a
    /// month settles once, in order). A city's year of credit columns and
    /// base findings (4 MB and 3 to 5 MB a month) was otherwise held to the
    /// end of the run.
    public mutating func release(_ month: YearMonth) {
        guard let slot = monthSlots[month] else { return }
        released.insert(month)
        months[slot] = MonthCredits(count: 0)
    }

    /// Puts each month's base findings in person-ID order (the order a
    /// settled month gives them in), each list in an array of its own size:
    /// grown row by row and merged from both reading lanes, a city year's
    /// lists took 44 MB at the peak for 35 MB of findings (heaptrack),
    /// and each month made a sorted copy as it settled.
    public mutating func sortFindings() {
        for slot in months.indices where !months[slot].findings.isEmpty {
            months[slot].findings = months[slot].findings.sorted { $0.person < $1.person }
        }
    }

    /// Whether a roster row of the person at `index` was posted for `month`.
    public func credited(_ index: Int, in month: YearMonth) -> Bool {
        precondition(!stashed.contains(month), "the credits of \(month) wait in a stash")
        return monthSlots[month].map { months[$0].column.present.contains(index) } ?? false
    }

    /// Posts one roster row of the person at dense index `index`.
    public mutating func post(_ row: Contribution, index: Int) throws(PostingProblem) {
        try post(person: row.person, month: row.month, region: row.region, status: row.status, base: row.base, index: index)
    }

    /// Posts one roster row, given its fields (the roster reader's: a
    /// `Contribution` made for each row, with its optional employer text,
    /// was copied and destroyed through the runtime, 2% of reading).
    public mutating func post(person: ResidentID, month: YearMonth, region: RegionCode, status: ContributionStatus,
                              base: Money?, index: Int) throws(PostingProblem) {
        let key = RuleKey(region: region, month: month)
        if key != lastKey { try resolve(key) }
        if months[lastMonth].column.present.contains(index) { throw .repeated }
        let found: (amount: Money, band: Int, finding: BaseFinding?)
        guard let rule = lastRule else { throw .credit(.noCreditRule(region, month)) }
        let age = person.age(onFirstDayOf: month)
        switch rule._withUnsafeGuaranteedRef({ $0.credit(status: status, age: age, base: base) }) {
        case let .success(credit): found = credit
        case let .failure(problem): throw .credit(problem)
        }
        months[lastMonth].add(index: index, amount: found.amount, group: lastGroups[found.band], base: base)
        if let finding = found.finding {
            months[lastMonth].findings.append(BaseFindingRow(person: person, region: region, finding: finding))
        }
    }

    /// Makes the rule of `key` the current one. The base band is bounded by
    /// the wage of the previous statistical year (the latest earlier one
    /// when that bulletin is missing).
    mutating func resolve(_ key: RuleKey) throws(PostingProblem) {
        guard let region = policy.regions[key.region] else { throw .unknownRegion(key.region) }
        var entry = tables[key]
        if entry == nil {
            let series = region.credit.inForce(on: key.month.firstDay)?.rule.wageSeries ?? defaultWageSeries
            let wage = wages.latest(region: region.code, series: series, atOrBefore: key.month.year - 1)
            do throws(CreditProblem) {
                let made = try CreditCalculator.table(region: region, month: key.month,
                                                      averageMonthlyWage: wage?.current.monthlyAverage)
                entry = (made, made.labels.map { bandNumber($0) })
                tables[key] = entry
            } catch {
                throw .credit(error)
            }
        }
        guard let entry else { throw .credit(.noCreditRule(key.region, key.month)) }
        let slot = monthSlot(key.month)
        lastGroups = entry.bands.map { months[slot].slot(MonthCredits.GroupKey(region: key.region, band: $0)) }
        lastMonth = slot
        lastTable = entry.table
        lastKey = key
    }

    mutating func bandNumber(_ label: String) -> Int {
        if let number = bandNumbers[label] { return number }
        bandNumbers[label] = bandLabels.count
        bandLabels.append(label)
        return bandLabels.count - 1
    }

    mutating func monthSlot(_ month: YearMonth) -> Int {
        if let known = monthSlots[month] { return known }
        monthSlots[month] = months.count
        months.append(MonthCredits(count: count))
        monthList.append(month)
        return months.count - 1
    }

    /// Takes in what `other` posted from other files. False, and nothing
    /// changed, when the same person and month is in both: then which row is
    /// the later one depends on the file order, and the caller posts the
    /// files again in order.
    public mutating func merge(_ other: CreditBook) -> Bool {
        for (slot, month) in other.monthList.enumerated() {
            if let mine = monthSlots[month], months[mine].column.present.intersects(other.months[slot].column.present) {
                return false
            }
        }
        let bands = other.bandLabels.map { bandNumber($0) }
        for (slot, month) in other.monthList.enumerated() {
            let theirs = other.months[slot]
            let mine = monthSlot(month)
            months[mine].column.absorb(theirs.column)
            for (key, group) in theirs.slots {
                let target = months[mine].slot(MonthCredits.GroupKey(region: key.region, band: bands[key.band]))
                months[mine].totals[target].persons += theirs.totals[group].persons
                months[mine].totals[target].base += theirs.totals[group].base
                months[mine].totals[target].credit += theirs.totals[group].credit
            }
            months[mine].findings += theirs.findings
        }
        // The rule slots cached for the last row may point at groups of a month now merged: resolve anew.
        lastKey = nil
        return true
    }
}
