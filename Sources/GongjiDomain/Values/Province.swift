/// The provinces a job takes (`--province 44`, `--province 13,32`): the
/// first two digits of region codes (44 广东, 13 河北). A job given one reads
/// only those provinces' persons, rows and claims, and stores and reports
/// only theirs (docs/policy.md, "Units of work").
public struct ProvinceSelection: Hashable, Sendable, CustomStringConvertible {
    /// The provinces, in order, each once.
    public let codes: [UInt32]

    public init(_ codes: some Sequence<UInt32>) {
        self.codes = Array(Set(codes)).sorted()
    }

    public func contains(_ province: UInt32) -> Bool { codes.contains(province) }
    public func contains(_ region: RegionCode) -> Bool { codes.contains(region.province) }

    /// `13,32`, as `--province` takes it.
    public var description: String { codes.map(ProvinceSelection.text).joined(separator: ",") }

    /// A province's two digits (`44`; the store's `province` column).
    public static func text(_ province: UInt32) -> String {
        province < 10 ? "0\(province)" : "\(province)"
    }

    /// Parses `--province`: two-digit codes separated by commas, each a
    /// province of one of `policy`'s regions.
    public static func parse(_ text: String, policy: Policy) -> Result<ProvinceSelection, ProvinceError> {
        parse(text, known: policy.provinces, of: "policy.yaml's regions")
    }

    /// The same against `known` provinces, those of `of`; nil: any two digits
    /// (`statement`, which has no policy).
    public static func parse(_ text: String, known: [UInt32]?, of source: Phrase) -> Result<ProvinceSelection, ProvinceError> {
        let knownText = known.map { $0.isEmpty ? "none" : $0.map(ProvinceSelection.text).joined(separator: ", ") } ?? ""
        let examples: Phrase = known == nil ? "a province is the first two digits of its region codes (44, or 13,32)"
            : "a province is the first two digits of its region codes (44, or 13,32); \(source) are in \(knownText)"
        var codes: [UInt32] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            let code = String(piece.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
            guard code.utf8.count == 2, code.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  let value = UInt32(code) else {
                return .failure(ProvinceError("--province \(text): \(examples)"))
            }
            guard known?.contains(value) ?? true else {
                return .failure(ProvinceError("--province \(text): \(code) is not a province of \(source), "
                                              + "which are in \(knownText)"))
            }
            codes.append(value)
        }
        return .success(ProvinceSelection(codes))
    }
}

/// A `--province` that names no province of the policy, in words a user can act on.
public struct ProvinceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why, in either language (`Phrase`).
    public var phrase: Phrase
    public init(_ phrase: Phrase) { self.phrase = phrase }
    public var description: String { phrase.english }
}

extension Policy {
    /// The provinces of the regions, in order.
    public var provinces: [UInt32] { Array(Set(regions.keys.map(\.province))).sorted() }

    /// Only the regions of `selection`'s provinces: what a job given
    /// `--province` settles and reports (its pages list no other region). A
    /// binding whose authorizer is insured in a province left out is refused
    /// as between provinces, as with the whole policy (`FamilySettler.check`).
    public func restricted(to selection: ProvinceSelection?) -> Policy {
        guard let selection else { return self }
        return Policy(regions: sortedRegions.filter { selection.contains($0.code) }, medTypes: medTypes)
    }
}

/// An input row, accepted, that joins two provinces: settling one moves an
/// account of the other (docs/policy.md, "Units of work"). Bindings are not
/// ties: one between provinces is always refused.
public struct ProvinceTie: Hashable, Sendable {
    public enum Kind: Int, Hashable, Sendable, CaseIterable {
        /// A wallet transfer (`transfer_id`).
        case transfer
        /// A quota (`quota_id`).
        case quota
        /// A pot member insured in another province than the pot's creator (`pot_id`).
        case potMember
        /// A claim (`claim_id`, or a platform settlement's `setl_id`) of a region in another province than the patient's.
        case claim
        /// A mutual-aid payment (`setl_id`) by a relative insured in another province.
        case aid
        /// A roster row (`file:line`) of a region in another province than the person's.
        case roster
    }

    public var kind: Kind
    /// The row's key: transfer_id, quota_id, pot_id, claim_id, setl_id or file:line.
    public var id: String
    /// The two provinces, in order.
    public var provinces: [UInt32]
    /// The month of the row (a transfer's sending, a quota's setting, a claim's).
    public var month: YearMonth

    public init(kind: Kind, id: String, provinces: [UInt32], month: YearMonth) {
        self.kind = kind
        self.id = id
        self.provinces = provinces.sorted()
        self.month = month
    }

    /// Why `selection` cannot run apart: the provinces its ties reach (at
    /// any remove) that it leaves out, and the rows that tie them, as one
    /// line, e.g. `--province 44 leaves out 13 and 32, tied to it by wallet
    /// transfers (WT001, WT002, WT003 and 10 more) and a quota (WQ001) in
    /// 2025-12..2026-01; run --province 13,32,44`. Nil when nothing is left out.
    public static func leftOut(by selection: ProvinceSelection, _ ties: [ProvinceTie]) -> Phrase? {
        // The provinces reachable from the selection through ties.
        var reached = Set(selection.codes)
        var changed = true
        while changed {
            changed = false
            for tie in ties where reached.contains(tie.provinces[0]) != reached.contains(tie.provinces[1]) {
                reached.formUnion(tie.provinces)
                changed = true
            }
        }
        let left = reached.subtracting(selection.codes).sorted()
        guard !left.isEmpty else { return nil }
        // The rows behind it: every tie within the reach that touches a province left out.
        let behind = ties.filter { reached.contains($0.provinces[0]) && (left.contains($0.provinces[0]) || left.contains($0.provinces[1])) }
        let names: [Kind: (one: Phrase, many: Phrase)] = [
            .transfer: ("a wallet transfer", "wallet transfers"), .quota: ("a quota", "quotas"),
            .potMember: ("a pot member", "pot members"), .claim: ("a claim", "claims"),
            .aid: ("a mutual-aid payment", "mutual-aid payments"), .roster: ("a roster row", "roster rows"),
        ]
        var parts: [Phrase] = []
        for kind in Kind.allCases {
            let ids = Array(Set(behind.filter { $0.kind == kind }.map(\.id))).sorted()
            guard !ids.isEmpty, let name = names[kind] else { continue }
            let first = ids.prefix(3).joined(separator: ", ")
            let shown: Phrase = ids.count > 3 ? "\(first) and \(ids.count - 3) more" : "\(first)"
            parts.append("\(ids.count == 1 ? name.one : name.many) (\(shown))")
        }
        let months = behind.map(\.month)
        let span = months.min().map { first in
            let last = months.max() ?? first
            return first == last ? "\(first)" : "\(first)..\(last)"
        } ?? ""
        let all = ProvinceSelection(reached)
        let provinces = Phrase.list(left.map { "\(ProvinceSelection.text($0))" })
        return selection.codes.count == 1
            ? "--province \(selection) leaves out \(provinces), tied to it by \(Phrase.list(parts)) in \(span); run --province \(all)"
            : "--province \(selection) leaves out \(provinces), tied to them by \(Phrase.list(parts)) in \(span); run --province \(all)"
    }
}
