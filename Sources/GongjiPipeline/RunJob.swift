import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// `gongji run`: load everything in the data folder, compute, and write
/// every report to the out folder.
public enum RunJob {
    public static let version = "0.1.0"

    public struct Options: Sendable {
        public var data: String
        public var out: String
        public var command: String

        public init(data: String, out: String, command: String) {
            self.data = data
            self.out = out
            self.command = command
        }
    }

    /// Returns the names of the reports written.
    @discardableResult
    public static func run(_ options: Options, console: Console, now: Date = Date()) throws(RunError) -> [String] {
        let folder: DataFolder
        do { folder = try DataFolder(path: options.data) } catch { throw RunError(error) }
        let loaded = try ThresholdsJob.load(folder, console: console)
        let out = URL(fileURLWithPath: options.out, isDirectory: true)
        let report = ThresholdReport(policy: loaded.policy, periods: loaded.periods)
        var written: [String] = []
        func write(_ name: String, _ text: String) throws(RunError) {
            do { try AtomicFile.write(text, to: out.appendingPathComponent(name)) } catch { throw RunError(error) }
            written.append(name)
        }
        try write("thresholds.csv", report.csv)
        try write("thresholds.md", report.markdown)
        try write("rejects.csv", RejectsReport(rejects: []).csv)
        let manifest = Manifest(version: version, command: options.command, runAt: now,
                                dataFolder: options.data, inputs: loaded.inputs, outputs: written + ["manifest.json"])
        do {
            try write("manifest.json", try manifest.json())
        } catch let error as RunError {
            throw error
        } catch {
            throw RunError("manifest.json: cannot encode: \(error)")
        }
        console.info("wrote \(written.count) reports to \(options.out)")
        return written
    }
}
