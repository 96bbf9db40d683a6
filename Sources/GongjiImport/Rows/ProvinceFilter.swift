import GongjiDomain

/// How the row readers tell a row's province when a job is given
/// `--province` (docs/policy.md, "Units of work"). A row's province is its
/// region code's (first two digits), when that is a province of the
/// policy's regions; otherwise the province of the person it names, as
/// persons.csv has them (for a row without a region: the person whose
/// account it moves; a binding: either person). A row of a province the job
/// leaves out is skipped, not rejected: it goes through the same checks
/// first, so that its keys are taken as in a run of every province (rule
/// R3), and it is counted as skipped whether the checks passed or not
/// (the run of its own province accepts or rejects it). A row of no
/// province (a region of no policy province and a person not in
/// persons.csv) is checked as in a run of every province.
///
/// Rows that pass their checks and join two provinces (a transfer, a quota,
/// a pot member, a claim or roster row of one province for a person insured
/// in another) are kept as ties, whichever provinces they join: the job
/// refuses to run a province without those it is tied to.
public struct ProvinceFilter: Sendable {
    public let selection: ProvinceSelection
    /// The policy's provinces: a region of another gives a row no province.
    let known: Set<UInt32>
    /// persons.csv's persons of the provinces left out (rows that would be
    /// accepted), kept aside for the rows that name them: about 30 bytes a
    /// person (docs/policy.md, "Units of work").
    public internal(set) var others = PersonTable()

    public init(selection: ProvinceSelection, policy: Policy) {
        self.selection = selection
        known = Set(policy.provinces)
    }

    /// A region's province, when a province of the policy.
    @inline(__always)
    func province(of region: RegionCode) -> UInt32? { known.contains(region.province) ? region.province : nil }

    /// Where a person is insured: the job's persons (`persons`) are of its
    /// provinces, the others of provinces left out; nil: not in persons.csv.
    func province(ofPerson key: UInt64, _ persons: PersonTable) -> UInt32? {
        if let index = persons.index(of: key) { return persons.regions[index].province }
        if let index = others.index(of: key) { return others.regions[index].province }
        return nil
    }

    func province(ofPerson id: ResidentID?, _ persons: PersonTable) -> UInt32? {
        id.flatMap { province(ofPerson: $0.key, persons) }
    }

    /// Whether a row of `province` is skipped: a province left out (a row of no province is not).
    @inline(__always)
    func skips(_ province: UInt32?) -> Bool { province.map { !selection.contains($0) } ?? false }

    /// Whether a person is in persons.csv, of any province.
    func isKnown(_ key: UInt64, _ persons: PersonTable) -> Bool {
        persons.index(of: key) != nil || others.index(of: key) != nil
    }

    /// A tie between the provinces of two persons, or of a region and a
    /// person, when both are known and differ.
    static func tie(_ kind: ProvinceTie.Kind, _ id: String, _ first: UInt32?, _ second: UInt32?,
                    _ month: YearMonth) -> ProvinceTie? {
        guard let first, let second, first != second else { return nil }
        return ProvinceTie(kind: kind, id: id, provinces: [first, second], month: month)
    }
}
