import Foundation
import GongjiDomain

/// The out folder as a run sees it: the run's reports are written into a
/// staging folder inside it (`.gongji-staging-PID`), locked while the run
/// lives, and appear in the out folder together only when `publish` is
/// called.
///
/// - `prepare` writes a `READY` list into the staging folder: the reports,
///   the previous manifest's reports this run did not write, and, for a run
///   that stores its results, a token and the store's path. The store then
///   commits the results with the same token (`publication`), so that the
///   two agree on what was published.
/// - `publish` moves each file into place (each move is a rename: atomic),
///   then removes the reports the previous manifest listed that this run
///   did not write.
/// - A run that fails or is killed leaves a staging folder that the next
///   gongji to open the out folder (`recover`) settles: without READY it is
///   removed; with a token, the store it names decides: finished when the
///   store committed that token, removed when it did not; with READY and no
///   token (what-if, which stores nothing) it is finished.
/// - The out folder then holds exactly what manifest.json lists, and any
///   file gongji never wrote, which it never touches.
public final class ReportStage {
    public let out: URL
    public let staging: URL
    static let prefix = ".gongji-staging-"
    static let ready = "READY"
    /// The staging folder, open and locked (flock) while this run owns it.
    private var lock: Int32 = -1

    /// Settles the staging folder of an interrupted run whose READY names
    /// a token and a store: finishes it (`finish`) or removes it.
    public typealias Settle = (_ staging: URL, _ token: String, _ store: String) -> Void

    /// Makes the out folder and an empty staging folder in it, after
    /// finishing or removing what an interrupted run left (`settle` decides
    /// for a staging folder whose run stores its results). Fails at once,
    /// naming the folder, when the out folder cannot be written.
    public init(out: URL, settle: Settle? = nil) throws(AtomicFile.WriteError) {
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
        Self.recover(out, settle: settle)
        try? files.removeItem(at: staging)
        do {
            try files.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw AtomicFile.WriteError(path: out.path, reason: "cannot write into the folder for reports")
        }
        lock = Self.lock(staging) ?? -1
    }

    deinit {
        if lock >= 0 { close(lock) }
    }

    /// Removes the staging folder: nothing of this run appears.
    public func discard() { try? FileManager.default.removeItem(at: staging) }

    /// Writes the READY list of the staged reports `names` (manifest.json
    /// last) and of the previous manifest's reports that are not among
    /// them; with the run's `token` and `store` when it stores its results.
    public func prepare(_ names: [String], token: String? = nil, store: String? = nil) throws(AtomicFile.WriteError) {
        let stale = Set(Self.manifestOutputs(in: out)).subtracting(names).sorted()
        let list = (names.filter { $0 != "manifest.json" } + (names.contains("manifest.json") ? ["manifest.json"] : []))
        var text = ""
        if let token, let store { text += "#token \(token)\n#store \(store)\n" }
        text += list.map { "+\($0)" }.joined(separator: "\n") + "\n" + stale.map { "-\($0)" }.joined(separator: "\n")
        try AtomicFile.write(text, to: staging.appendingPathComponent(Self.ready))
    }

    /// Moves the reports of the READY list into the out folder and removes the stale ones.
    public func publish() throws(AtomicFile.WriteError) {
        try Self.finish(staging, into: out)
    }

    /// `prepare` and `publish` at once, for a job that stores nothing.
    public func publish(_ names: [String]) throws(AtomicFile.WriteError) {
        try prepare(names)
        try publish()
    }

    /// The staging folder `url` opened and locked (flock), or nil when
    /// another process holds it: its run is alive.
    public static func lock(_ url: URL) -> Int32? {
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// The token and store a staging folder's READY list names, if any.
    public static func header(_ staging: URL) -> (token: String, store: String)? {
        guard let list = try? String(contentsOf: staging.appendingPathComponent(ready), encoding: .utf8) else { return nil }
        var token: String?, store: String?
        for line in list.split(separator: "\n") where line.hasPrefix("#") {
            if line.hasPrefix("#token ") { token = String(line.dropFirst(7)) }
            if line.hasPrefix("#store ") { store = String(line.dropFirst(7)) }
        }
        guard let token, let store else { return nil }
        return (token, store)
    }

    /// Settles what interrupted runs left in `out`: a staging folder whose
    /// run is alive (locked) is left alone; one without READY is removed;
    /// one whose READY names a token and a store goes to `settle` (removed
    /// when there is none); one with READY alone is finished.
    public static func recover(_ out: URL, settle: Settle? = nil) {
        let files = FileManager.default
        for name in (try? files.contentsOfDirectory(atPath: out.path)) ?? [] {
            let url = out.appendingPathComponent(name, isDirectory: true)
            if name.hasPrefix(prefix) {
                guard let locked = lock(url) else { continue }  // another run is writing its reports now
                defer { close(locked) }
                if files.fileExists(atPath: url.appendingPathComponent(ready).path) {
                    if let (token, store) = header(url) {
                        if let settle { settle(url, token, store) } else { try? files.removeItem(at: url) }
                    } else {
                        try? finish(url, into: out)
                    }
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

    /// Moves the reports a READY list names from `staged` into `out`, removes the stale ones, then the staging folder.
    public static func finish(_ staged: URL, into out: URL) throws(AtomicFile.WriteError) {
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
                    throw AtomicFile.WriteError(path: target.path, reason: Phrase(verbatim: String(cString: strerror(errno))))
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
