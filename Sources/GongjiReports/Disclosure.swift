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

/// One input file's counts for the import summary.
public struct ImportCount: Sendable {
    public var file: String
    public var read: Int
    public var accepted: Int
    public var rejected: Int
    /// Rows of provinces the job left out (`--province`); nil without it.
    public var skipped: Int?

    public init(file: String, read: Int, accepted: Int, rejected: Int, skipped: Int? = nil) {
        self.file = file
        self.read = read
        self.accepted = accepted
        self.rejected = rejected
        self.skipped = skipped
    }
}
