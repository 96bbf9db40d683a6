import GongjiDomain

/// How reports show people: masked by default (`440301********123X`,
/// `张*`), in full only with `--reveal-ids`.
public struct Disclosure: Sendable {
    public var reveal: Bool
    public init(reveal: Bool) { self.reveal = reveal }
    public func id(_ id: ResidentID) -> String { reveal ? id.text : id.masked }
    /// A free text that may hold an ID (a claim_id, a refusal naming a
    /// binding): its IDs masked unless revealed.
    public func text(_ text: String) -> String { reveal ? text : maskedIDsInReport(text) }
}
