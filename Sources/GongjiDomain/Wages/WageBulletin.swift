/// One published average-wage figure of a bulletin, in yuan.
public struct WageFigure: Hashable, Sendable {
    public var series: String
    public var monthly: Money?
    public var annual: Money?

    public init(series: String, monthly: Money?, annual: Money?) {
        self.series = series
        self.monthly = monthly
        self.annual = annual
    }

    /// The monthly average the threshold is computed from: the published
    /// monthly figure, or else annual / 12 rounded half-up to whole yuan
    /// (docs/rules.md section 2: 139436 → 11620).
    public var monthlyAverage: Money? {
        if let monthly { return monthly }
        guard let annual, let yuan = Rounding.halfUp(annual.fen, dividedBy: 1200) else { return nil }
        return Money(yuan: yuan)
    }
}

/// A yearly average-wage bulletin for one region, as read from a file.
public struct WageBulletin: Hashable, Sendable {
    public var region: RegionCode
    public var statYear: Int
    public var issued: Day
    public var revision: Int
    public var regionName: String?
    public var figures: [WageFigure]
    public var source: String?
    public var sourceHref: String?
    /// Where it was read, for messages: `bulletins/440300.xml:3`.
    public var origin: String

    public init(region: RegionCode, statYear: Int, issued: Day, revision: Int, regionName: String? = nil,
                figures: [WageFigure], source: String? = nil, sourceHref: String? = nil, origin: String) {
        self.region = region
        self.statYear = statYear
        self.issued = issued
        self.revision = revision
        self.regionName = regionName
        self.figures = figures
        self.source = source
        self.sourceHref = sourceHref
        self.origin = origin
    }
}
