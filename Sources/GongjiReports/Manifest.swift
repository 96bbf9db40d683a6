import Foundation

/// manifest.json: the provenance of a run. It is the one report that holds
/// the wall-clock time, so every other report stays byte-identical on a re-run.
public struct Manifest: Encodable, Sendable {
    public struct Input: Encodable, Sendable {
        public var file: String
        public var sha256: String
        public var bytes: Int64
        /// Rows or records read, accepted and rejected (read = accepted + rejected),
        /// and with `--province` skipped (read = accepted + rejected + skipped).
        public var read: Int
        public var accepted: Int
        public var rejected: Int
        /// Rows of provinces the job left out; nil (not written) without `--province`.
        public var skipped: Int?

        public init(file: String, sha256: String, bytes: Int64, read: Int, accepted: Int, rejected: Int, skipped: Int? = nil) {
            self.file = file
            self.sha256 = sha256
            self.bytes = bytes
            self.read = read
            self.accepted = accepted
            self.rejected = rejected
            self.skipped = skipped
        }
    }

    public var tool = "gongji"
    public var version: String
    public var command: String
    public var runAt: String
    public var dataFolder: String
    public var inputs: [Input]
    public var outputs: [String]
    /// `--province`: the provinces the reports cover, `["13", "32"]`; nil
    /// (not written): every province of the policy.
    public var provinces: [String]?

    public init(version: String, command: String, runAt: Date, dataFolder: String, inputs: [Input], outputs: [String],
                provinces: [String]? = nil) {
        self.provinces = provinces
        self.version = version
        self.command = command
        self.runAt = Manifest.timestamp(runAt)
        self.dataFolder = dataFolder
        self.inputs = inputs
        self.outputs = outputs
    }

    /// ISO 8601 in UTC, as the manifest and the store's run log write times.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    enum CodingKeys: String, CodingKey {
        case tool, version, command
        case runAt = "run_at"
        case dataFolder = "data_folder"
        case inputs, outputs, provinces
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
