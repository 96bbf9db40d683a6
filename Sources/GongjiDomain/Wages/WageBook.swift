/// A figure as published in one revision of a bulletin.
public struct PublishedWage: Hashable, Sendable {
    public var revision: Int
    public var issued: Day
    /// The published monthly figure, or annual / 12 rounded to the yuan.
    public var monthlyAverage: Money
    /// The published annual figure, if the bulletin gives one.
    public var annual: Money?
    /// Where the bulletin says its figures come from (its `source` and `href`).
    public var source: String? = nil
    public var origin: String

    /// The yearly amount a threshold rate applies to (docs/rules.md section 2):
    /// `annual`, the published annual figure, else monthly × 12; `monthly`,
    /// monthly × 12 (the monthly figure derived from the annual one when only
    /// that is published).
    public func yearlyBase(_ basis: WageBasis) -> Money {
        switch basis {
        case .annual: annual ?? Money(fen: monthlyAverage.fen * 12)
        case .monthly: Money(fen: monthlyAverage.fen * 12)
        }
    }
}

/// The figure in force for a (region, statistical year, series), with the
/// revisions it replaced.
public struct ResolvedWage: Hashable, Sendable {
    /// The highest revision: it replaces the earlier ones everywhere
    /// (docs/rules.md convention 6).
    public var current: PublishedWage
    /// Earlier revisions, oldest first.
    public var superseded: [PublishedWage]
}

/// Two bulletins give the same revision of the same figure: gongji cannot
/// choose between them, so the run stops and names both.
public struct ConflictingBulletins: Error, Hashable, Sendable {
    public var region: RegionCode
    public var statYear: Int
    public var series: String
    public var revision: Int
    public var firstOrigin: String
    public var secondOrigin: String

    public var message: Phrase {
        "revision \(revision) of \(region) statYear \(statYear) series '\(series)' is given twice " +
            "(first at \(firstOrigin)); raise the revision of the newer bulletin"
    }
}

/// Every wage figure of every bulletin, with revisions resolved.
public struct WageBook: Sendable {
    struct Key: Hashable {
        var region: RegionCode
        var statYear: Int
        var series: String
    }

    private var figures: [Key: ResolvedWage] = [:]

    public init(bulletins: [WageBulletin]) throws(ConflictingBulletins) {
        var published: [Key: [PublishedWage]] = [:]
        for bulletin in bulletins {
            for figure in bulletin.figures {
                guard let monthly = figure.monthlyAverage else { continue }
                let key = Key(region: bulletin.region, statYear: bulletin.statYear, series: figure.series)
                let source = [bulletin.source, bulletin.sourceHref].compactMap { $0 }.joined(separator: " ")
                let entry = PublishedWage(revision: bulletin.revision, issued: bulletin.issued, monthlyAverage: monthly,
                                          annual: figure.annual, source: source.isEmpty ? nil : source, origin: bulletin.origin)
                if let clash = published[key]?.first(where: { $0.revision == bulletin.revision }) {
                    throw ConflictingBulletins(region: key.region, statYear: key.statYear, series: key.series,
                                               revision: bulletin.revision, firstOrigin: clash.origin,
                                               secondOrigin: bulletin.origin)
                }
                published[key, default: []].append(entry)
            }
        }
        for (key, list) in published {
            let sorted = list.sorted { $0.revision < $1.revision }
            if let last = sorted.last {
                figures[key] = ResolvedWage(current: last, superseded: Array(sorted.dropLast()))
            }
        }
    }

    /// The figure in force, if any bulletin gives it.
    public func wage(region: RegionCode, statYear: Int, series: String) -> ResolvedWage? {
        figures[Key(region: region, statYear: statYear, series: series)]
    }

    /// The statistical years with a figure for this region and series, ascending.
    public func statYears(region: RegionCode, series: String) -> [Int] {
        figures.keys.filter { $0.region == region && $0.series == series }.map(\.statYear).sorted()
    }

    /// Regions that some bulletin speaks of.
    public var regions: Set<RegionCode> { Set(figures.keys.map(\.region)) }

    /// The latest figure of a statistical year at or before `statYear`: the
    /// wage that bounds a contribution base when the year's bulletin is late.
    public func latest(region: RegionCode, series: String, atOrBefore statYear: Int) -> ResolvedWage? {
        guard let year = statYears(region: region, series: series).last(where: { $0 <= statYear }) else { return nil }
        return wage(region: region, statYear: year, series: series)
    }
}
