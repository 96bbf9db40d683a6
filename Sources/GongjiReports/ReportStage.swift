import Foundation

/// The out folder as a run sees it: the run's reports are written into a
/// staging folder inside it (`.gongji-staging-PID`), and appear in the out
/// folder together only when `publish` is called, after the store's commit.
///
/// - A run that fails or is killed before `publish` leaves the previous
///   reports as they were; its staging folder is removed by the next run.
/// - `publish` first writes a `READY` list into the staging folder, then
///   moves each file into place (each move is a rename: atomic), then
///   removes the reports the previous manifest listed that this run did not
///   write. A run killed in the middle of that is finished by the next run,
///   which finds the `READY` list: the store was committed, so its reports
///   are the ones to show.
/// - The out folder then holds exactly what manifest.json lists, and any
///   file gongji never wrote, which it never touches.
public final class ReportStage {
    public let out: URL
    public let staging: URL
    static let prefix = ".gongji-staging-"
    static let ready = "READY"

    /// Makes the out folder and an empty staging folder in it, after
    /// finishing or removing what an interrupted run left. Fails at once,
    /// naming the folder, when the out folder cannot be written.
    public init(out: URL) throws(AtomicFile.WriteError) {
        self.out = out
        staging = out.appendingPathComponent("\(Self.prefix)\(getpid())", isDirectory: true)
        let files = FileManager.default
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: out.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw AtomicFile.WriteError(path: out.path, reason: "it is a file, not a folder for reports")
        }
        do {
            try files.createDirectory(at: out, withIntermediateDirectories: true)
        } catch {
            throw AtomicFile.WriteError(path: out.path, reason: "cannot create the folder for reports")
        }
        Self.recover(out)
        try? files.removeItem(at: staging)
        do {
            try files.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw AtomicFile.WriteError(path: out.path, reason: "cannot write into the folder for reports")
        }
    }

    /// Removes the staging folder: nothing of this run appears.
    public func discard() { try? FileManager.default.removeItem(at: staging) }

    /// Moves the staged reports `names` into the out folder (manifest.json
    /// last) and removes the reports of the previous manifest that are not
    /// among them.
    public func publish(_ names: [String]) throws(AtomicFile.WriteError) {
        let stale = Set(Self.manifestOutputs(in: out)).subtracting(names).sorted()
        let list = (names.filter { $0 != "manifest.json" } + (names.contains("manifest.json") ? ["manifest.json"] : []))
        let text = list.map { "+\($0)" }.joined(separator: "\n") + "\n" + stale.map { "-\($0)" }.joined(separator: "\n")
        try AtomicFile.write(text, to: staging.appendingPathComponent(Self.ready))
        try Self.finish(staging, into: out)
    }

    /// Finishes a staging folder with a READY list; removes one without.
    static func recover(_ out: URL) {
        let files = FileManager.default
        for name in (try? files.contentsOfDirectory(atPath: out.path)) ?? [] {
            let url = out.appendingPathComponent(name, isDirectory: true)
            if name.hasPrefix(prefix) {
                if files.fileExists(atPath: url.appendingPathComponent(ready).path) {
                    try? finish(url, into: out)
                } else if let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) == 0 {
                    continue  // another run is writing its reports now
                } else {
                    try? files.removeItem(at: url)
                }
            } else if let pid = temporaryOwner(name), pid != getpid(), kill(pid, 0) != 0 {
                // `.NAME.PID.tmp` of a writer that was killed (or of an older gongji, which wrote in place).
                try? files.removeItem(at: url)
            }
        }
    }

    /// The process that writes `.NAME.PID.tmp`, if `name` is such a file.
    static func temporaryOwner(_ name: String) -> Int32? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let parts = name.dropFirst().dropLast(4).split(separator: ".")
        guard parts.count >= 2, let pid = Int32(parts[parts.count - 1]) else { return nil }
        return pid
    }

    static func finish(_ staged: URL, into out: URL) throws(AtomicFile.WriteError) {
        let list: String
        do {
            list = try String(contentsOf: staged.appendingPathComponent(ready), encoding: .utf8)
        } catch {
            throw AtomicFile.WriteError(path: staged.path, reason: "cannot read its READY list")
        }
        for line in list.split(separator: "\n") {
            let name = String(line.dropFirst())
            guard !name.isEmpty, !name.contains("/"), name != ready else { continue }
            let target = out.appendingPathComponent(name)
            if line.hasPrefix("+") {
                let source = staged.appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: source.path) else { continue }  // moved before a crash
                if rename(source.path, target.path) != 0 {
                    throw AtomicFile.WriteError(path: target.path, reason: String(cString: strerror(errno)))
                }
            } else if line.hasPrefix("-") {
                unlink(target.path)
            }
        }
        try? FileManager.default.removeItem(at: staged)
    }

    /// The reports the out folder's manifest.json lists (none without one).
    static func manifestOutputs(in out: URL) -> [String] {
        guard let data = FileManager.default.contents(atPath: out.appendingPathComponent("manifest.json").path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let outputs = object["outputs"] as? [Any] else { return [] }
        return outputs.compactMap { $0 as? String }.filter { !$0.contains("/") && !$0.hasPrefix(".") }
    }
}
