import Foundation
import GongjiDomain

/// manifest.json: the provenance of a run. It is the one report that holds
/// the wall-clock time, so every other report stays byte-identical on a re-run.
public struct Manifest: Encodable, Sendable {
    public var tool = "gongji"
    public var version: String
    public var command: String
    public var runAt: String
    public var dataFolder: String
    /// Each input's provenance, as `InputEntry` writes it.
    private let inputs: [InputEntry]
    public var outputs: [String]
    /// `--province`: the provinces the reports cover, `["13", "32"]`; nil
    /// (not written): every province of the policy.
    public var provinces: [String]?

    public init(version: String, command: String, runAt: Date, dataFolder: String, inputs: [InputRecord], outputs: [String],
                provinces: [String]? = nil) {
        self.provinces = provinces
        self.version = version
        self.command = command
        self.runAt = Manifest.timestamp(runAt)
        self.dataFolder = dataFolder
        self.inputs = inputs.map(InputEntry.init)
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

    /// An input as the manifest writes it: file, SHA-256, bytes, and rows
    /// or records read, accepted and rejected (read = accepted + rejected),
    /// with `--province` skipped (read = accepted + rejected + skipped; not
    /// written without it). Its rejected rows are rejects.csv's.
    private struct InputEntry: Encodable, Sendable {
        let record: InputRecord

        enum CodingKeys: String, CodingKey {
            case file, sha256, bytes, read, accepted, rejected, skipped
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(record.file, forKey: .file)
            try container.encode(record.sha256, forKey: .sha256)
            try container.encode(record.bytes, forKey: .bytes)
            try container.encode(record.read, forKey: .read)
            try container.encode(record.accepted, forKey: .accepted)
            try container.encode(record.rejected, forKey: .rejected)
            try container.encodeIfPresent(record.skipped, forKey: .skipped)
        }
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
