/// One input file's provenance: its name in the data folder, its SHA-256
/// and size, and its rows (or records) read, accepted, rejected and, with
/// `--province`, skipped. A file's reader makes it (`TableRows.read`), the
/// pipeline adds the digest, manifest.json lists it (`Manifest`), the month
/// pages count it (the import summary), and the store's run log keeps it
/// (table `input_file`) and gives it back. A plain value: the domain reads
/// no file.
public struct InputRecord: Hashable, Sendable {
    /// The file's path in the data folder: `contributions/2022-03.csv`.
    public var file: String
    /// The file's SHA-256 in hex; empty until the pipeline has taken it, or
    /// when a job takes none.
    public var sha256: String
    public var bytes: Int64
    /// Rows or records read: accepted + rejected (+ skipped).
    public var read: Int
    public var rejected: Int
    /// Rows of provinces the job leaves out (`--province`): neither
    /// accepted nor rejected. nil for a job of every province (manifest.json
    /// does not write it then; the store keeps 0).
    public var skipped: Int?
    /// The rejected rows, in line order, when this job read the file; none
    /// when read back from the store, or for a file read whole (policy.yaml,
    /// a bulletin).
    public var rejects: [RejectedRow]

    public var accepted: Int { read - rejected - (skipped ?? 0) }

    /// A file as its reader gave it: its rejected rows, counted.
    public init(file: String, sha256: String = "", bytes: Int64 = 0, read: Int, rejects: [RejectedRow],
                skipped: Int? = nil) {
        self.init(file: file, sha256: sha256, bytes: bytes, read: read, rejected: rejects.count, skipped: skipped)
        self.rejects = rejects
    }

    /// A file's counts without its rejected rows (read back from the store,
    /// or a file read whole).
    public init(file: String, sha256: String, bytes: Int64, read: Int, rejected: Int, skipped: Int? = nil) {
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.read = read
        self.rejected = rejected
        self.skipped = skipped
        self.rejects = []
    }
}

/// One input row that was not accepted: where it was, which column, why,
/// and the row as it stood in the file. rejects.csv lists them.
public struct RejectedRow: Hashable, Sendable {
    public var file: String
    public var line: Int
    /// The column at fault, empty when the fault is the whole row.
    public var column: String
    /// Why, said in the report's language (`--lang`) by rejects.csv.
    public var reason: Phrase
    public var raw: String
    /// Values in `raw` that are personal (a name), for the rejects report to mask (`张*`).
    public var sensitive: [String]
    /// Values in `raw` that may be personal (`PersonalColumns`), for the
    /// rejects report to mask whole.
    public var hidden: [String] = []
    /// Whether the row split into the header's fields; when not, a name
    /// may stand anywhere in it (`PersonalColumns`).
    public var split: Bool

    public init(file: String, line: Int, column: String, reason: Phrase, raw: String, sensitive: [String] = [],
                hidden: [String] = [], split: Bool = true) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.raw = raw
        self.sensitive = sensitive
        self.hidden = hidden
        self.split = split
    }
}
