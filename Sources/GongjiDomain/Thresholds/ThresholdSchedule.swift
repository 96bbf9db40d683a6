/// Why a policy year has the threshold it has.
public enum ThresholdBasis: String, Hashable, Sendable {
    /// Computed from the statistical year's bulletin.
    case bulletin
    /// The statistical year has no bulletin (yet): the newest earlier
    /// bulletin's base with the rule in force (docs/rules.md, rule R1).
    case carriedForward = "carried_forward"
}

/// The threshold a superseded bulletin revision gave, kept for the report.
public struct SupersededThreshold: Hashable, Sendable {
    public var wage: PublishedWage
    public var threshold: Money
}

/// One region's threshold for one policy year (or the part of it a rule
/// covers).
public struct ThresholdPeriod: Hashable, Sendable {
    public var region: RegionCode
    public var regionName: String
    /// First and last day in force, both inclusive.
    public var start: Day
    public var end: Day
    public var statYear: Int
    public var wageSeries: String
    public var rate: Rate
    /// Which figure the rate applies to (`wage_basis`).
    public var wageBasis: WageBasis
    /// The bulletin's monthly average (published, or annual / 12 rounded to
    /// the yuan); nil when carried forward.
    public var averageMonthlyWage: Money?
    /// The yearly amount the rate was applied to: the bulletin's, or when
    /// carried forward the newest earlier bulletin's (`carriedFrom`).
    public var yearlyBase: Money?
    public var threshold: Money
    /// The previous period's threshold in the same region, if any.
    public var previousThreshold: Money?
    public var basis: ThresholdBasis
    /// The bulletin revision used; nil when carried forward.
    public var revision: Int?
    /// Earlier revisions of the same figure and the thresholds they gave.
    public var superseded: [SupersededThreshold]
    /// The figure used; nil when carried forward.
    public var wage: PublishedWage? = nil
    /// When carried forward: the statistical year of the bulletin whose base is used.
    public var carriedFrom: Int? = nil
    /// The rule's provenance (policy.yaml's `source` and `confidence`).
    public var provenance = Provenance()

    /// `threshold − previous`, nil without a previous period.
    public var change: Money? { previousThreshold.map { threshold - $0 } }

    /// The change in hundredths of a percent, rounded half-up once.
    public var changeBasisPoints: Int64? {
        guard let previousThreshold, previousThreshold.fen != 0, let change else { return nil }
        return Rounding.halfUp(change.fen, times: 10_000, dividedBy: previousThreshold.fen)
    }

    public func contains(_ day: Day) -> Bool { start <= day && day <= end }
}

/// Derives a region's thresholds from its dated threshold rules and the wage
/// bulletins (docs/rules.md section 2, conventions 1 and 6).
public enum ThresholdSchedule {
    /// `yearly base × rate`, rounded half-up to the fen once; the yearly
    /// base is the figure `basis` names (`PublishedWage.yearlyBase`).
    public static func threshold(_ wage: PublishedWage, basis: WageBasis, rate: Rate) -> Money {
        rate.applied(to: wage.yearlyBase(basis))
    }

    /// The region's threshold periods in date order.
    ///
    /// A period exists for every policy year that a share-of-wage rule covers,
    /// from the first year whose statistical year has a bulletin up to the
    /// later of the last such year and `through` (the last day the caller
    /// needs: a run passes the last day of its last month). A statistical
    /// year without a bulletin takes the base of the newest earlier
    /// bulletin of the rule's series, with the rule's own rate and
    /// `wage_basis` (docs/rules.md, rule R1): without a rate change that is
    /// the previous threshold. Before the first bulletin there is no
    /// period (the threshold is unknown). Periods are clipped to the rule's
    /// own dates.
    public static func periods(for region: RegionPolicy, wages: WageBook, through: Day? = nil) -> [ThresholdPeriod] {
        var periods: [ThresholdPeriod] = []
        let rules = region.threshold
        for (index, entry) in rules.entries.enumerated() {
            guard case let .shareOfAnnualWage(rule) = entry.rule else { continue }
            let years = wages.statYears(region: region.code, series: rule.wageSeries)
            guard let firstStat = years.first, let lastStat = years.last else { continue }
            let ruleEnd = rules.lastDay(ofEntryAt: index)
            var lastYear = lastStat + rule.statYearLag
            if let through { lastYear = max(lastYear, rule.policyYear(containing: through)) }
            if let ruleEnd { lastYear = min(lastYear, rule.policyYear(containing: ruleEnd)) }
            let firstYear = max(firstStat + rule.statYearLag, rule.policyYear(containing: entry.from))
            guard firstYear <= lastYear else { continue }
            for year in firstYear...lastYear {
                let start = max(rule.policyYearStart.inYear(year), entry.from)
                var end = rule.policyYearStart.inYear(year + 1).adding(days: -1)
                if let ruleEnd { end = min(end, ruleEnd) }
                guard start <= end else { continue }
                let statYear = year - rule.statYearLag
                let previous = periods.last?.threshold
                var period = ThresholdPeriod(
                    region: region.code, regionName: region.name, start: start, end: end,
                    statYear: statYear, wageSeries: rule.wageSeries, rate: rule.rate, wageBasis: rule.wageBasis,
                    averageMonthlyWage: nil, yearlyBase: nil, threshold: .zero, previousThreshold: previous,
                    basis: .carriedForward, revision: nil, superseded: [], provenance: entry.provenance)
                if let wage = wages.wage(region: region.code, statYear: statYear, series: rule.wageSeries) {
                    period.averageMonthlyWage = wage.current.monthlyAverage
                    period.yearlyBase = wage.current.yearlyBase(rule.wageBasis)
                    period.threshold = threshold(wage.current, basis: rule.wageBasis, rate: rule.rate)
                    period.basis = .bulletin
                    period.revision = wage.current.revision
                    period.wage = wage.current
                    period.superseded = wage.superseded.map {
                        SupersededThreshold(wage: $0, threshold: threshold($0, basis: rule.wageBasis, rate: rule.rate))
                    }
                } else if let carried = years.last(where: { $0 < statYear }),
                          let wage = wages.wage(region: region.code, statYear: carried, series: rule.wageSeries) {
                    period.yearlyBase = wage.current.yearlyBase(rule.wageBasis)
                    period.threshold = threshold(wage.current, basis: rule.wageBasis, rate: rule.rate)
                    period.carriedFrom = carried
                } else {
                    continue  // before the first bulletin nothing is known
                }
                periods.append(period)
            }
        }
        return periods
    }
}

/// What stays in an authorizer's account on a given day.
public enum ThresholdInForce: Hashable, Sendable {
    /// The region shares the whole balance on that day.
    case noThreshold
    case amount(Money, ThresholdPeriod)
    /// A threshold rule is in force but no bulletin gives its value.
    case unknown
}

extension ThresholdSchedule {
    /// The threshold in force on `day` (docs/rules.md convention 6).
    public static func inForce(on day: Day, region: RegionPolicy, periods: [ThresholdPeriod]) -> ThresholdInForce {
        guard let rule = region.threshold.inForce(on: day), case .shareOfAnnualWage = rule.rule else {
            return .noThreshold
        }
        guard let period = periods.last(where: { $0.region == region.code && $0.contains(day) }) else { return .unknown }
        return .amount(period.threshold, period)
    }
}
