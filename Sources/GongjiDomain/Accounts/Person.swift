/// The insurance scheme a person is in.
public enum Scheme: String, Hashable, Sendable, CaseIterable {
    case employee, resident
}

/// An insured person (persons.csv).
public struct Person: Hashable, Sendable {
    public var id: ResidentID
    public var name: String?
    public var region: RegionCode
    public var scheme: Scheme
    public var tier: String?

    public init(id: ResidentID, name: String?, region: RegionCode, scheme: Scheme, tier: String?) {
        self.id = id
        self.name = name
        self.region = region
        self.scheme = scheme
        self.tier = tier
    }

    /// `张*`: the first character and a star for each of the rest.
    public var maskedName: String? {
        guard let name, let first = name.first else { return name }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }
}
