import Foundation
import GRDB
import GongjiDomain

/// A store error, in words a user can act on.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The embedded SQLite store (`--store`, default `.gongji/gongji.sqlite`):
/// the imported data, the thresholds, each month's balances and settlement
/// results, and a run log. Money is stored as integer fen; IDs and names in
/// full (the store is the agency's own data; reports mask them).
///
/// Everything one run writes goes through `transaction`, a single SQLite
/// transaction: a crash or an error leaves the previous state whole.
public final class Store: @unchecked Sendable {
    public let path: String
    private let queue: DatabaseQueue
    /// Whether this open made the store: a new file, or an empty one.
    public private(set) var made = false

    /// The schema this gongji writes: its last migration's number, kept in
    /// SQLite's `user_version`. A store with a higher one, or a migration
    /// this gongji does not know, was made by a newer gongji and is refused
    /// unchanged.
    public static let schemaVersion = 9

    /// How long a connection waits for another one (a reader such as the
    /// `sqlite3` shell, another gongji) to let go of the store before it
    /// gives up, naming who holds it.
    public static let busyTimeout: TimeInterval = 20

    /// Opens (and makes, unless `readOnly`) the store at `path`.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StoreError("\(path): is a folder: --store names the store's file (e.g. \(path)/gongji.sqlite)")
        }
        if readOnly, !FileManager.default.fileExists(atPath: path) {
            throw StoreError("\(path): no store there: `gongji run` makes one")
        }
        let parent = url.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw StoreError("\(path): cannot make the store: \(parent.path) is a file, not a folder")
        }
        do {
            var configuration = Configuration()
            configuration.label = "gongji"
            configuration.readonly = readOnly
            configuration.busyMode = .timeout(Store.busyTimeout)
            // The view `month_balance` reads the blocks through this function (store v7).
            configuration.prepareDatabase { db in db.add(function: BalanceBlocks.sqlFunction) }
            if !readOnly {
                // A rollback journal: a crash before the commit leaves the
                // previous state whole (the journal is rolled back on the next
                // open). A run mostly adds pages, which need no journal, so
                // each page is written once; WAL wrote every page twice (the
                // log, then the checkpoint), which measured 1.2 s of a 4 s
                // monthly run for a city. synchronous=FULL: a power cut loses
                // neither the database nor a commit. An 8 MiB page cache: a
                // run mostly appends, and 64 MiB measured no faster.
                configuration.journalMode = .default
                configuration.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA cache_size = -8192")
                }
            }
            if !readOnly {
                do {
                    try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
                } catch {
                    throw StoreError("cannot make the folder \(parent.path) for the store")
                }
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let (version, applied, superseded) = try queue.read { db in
                (try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0, try Store.migrator.appliedIdentifiers(db),
                 try Store.migrator.hasBeenSuperseded(db))
            }
            if version > Store.schemaVersion || superseded {
                throw StoreError("made by a newer gongji (schema version \(max(version, applied.count)); this gongji writes "
                                 + "version \(Store.schemaVersion)): use that gongji, or give another --store; nothing was changed")
            }
            if readOnly {
                let current = try queue.read { db in try Store.migrator.hasCompletedMigrations(db) }
                guard current else { throw StoreError("the store was made by an older gongji: run `gongji run` first") }
            } else {
                made = applied.isEmpty
                try Store.migrator.migrate(queue)
                try queue.write { db in try db.execute(sql: "PRAGMA user_version = \(Store.schemaVersion)") }
            }
        } catch let error as StoreError {
            throw StoreError("\(path): \(error.description)")
        } catch {
            throw StoreError("\(path): cannot open the store: \(Store.describe(error, store: path))")
        }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back
    /// if it throws. The transaction takes the write lock at once
    /// (IMMEDIATE), waiting for readers up to `busyTimeout`, so that it
    /// never fails halfway for a reader that came in between.
    /// `scope`: the provinces whose rows the transaction replaces (a
    /// `--province` run's; docs/store.md, "Provinces").
    public func transaction<T>(scope: ProvinceScope = .all, _ body: (StoreWriter) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(StoreWriter(db: db, scope: scope))
                return .commit
            }
            guard let result else { throw StoreError("the store transaction gave no result") }
            return result
        }
    }

    /// Read-only access for queries and tests.
    public func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        try queue.read { db in try body(StoreReader(db: db)) }
    }

    /// `error` in words a user can act on; for a store that stayed locked,
    /// who holds it (`store`: its path).
    public static func describe(_ error: any Error, store: String? = nil) -> String {
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                let holders = store.map(Store.holders(of:)) ?? []
                let who = holders.isEmpty ? "another program (another gongji, or a reader such as sqlite3)"
                    : holders.joined(separator: ", ")
                return "\(who) held the store for more than \(Int(busyTimeout)) s: run again when it has finished"
            }
            if error.resultCode == .SQLITE_NOTADB { return "the file is not a gongji store (not an SQLite database)" }
            if error.resultCode == .SQLITE_FULL { return "the disk is full" }
            return (error.message ?? "\(error.resultCode)").replacingOccurrences(of: "\n", with: " ")
        }
        return "\(error)".replacingOccurrences(of: "\n", with: " ")
    }

    /// The processes other than this one that hold a lock on the file at
    /// `path` now, as `sqlite3 (pid 1234)`: read from /proc/locks, where
    /// Linux lists the byte-range locks SQLite takes (empty elsewhere).
    public static func holders(of path: String) -> [String] {
        var info = stat()
        guard stat(path, &info) == 0, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return [] }
        var pids: [Int32] = []
        for line in locks.split(separator: "\n") {
            // `1: POSIX  ADVISORY  READ  1234 08:01:123456 1073741824 1073741825`
            let fields = line.split(separator: " ")
            guard fields.count >= 6, let pid = Int32(fields[4]), pid != getpid(),
                  let inode = fields[5].split(separator: ":").last.flatMap({ UInt64($0) }), inode == UInt64(info.st_ino),
                  !pids.contains(pid) else { continue }
            pids.append(pid)
        }
        return pids.map { pid in
            let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "a process"
            return "\(name) (pid \(pid))"
        }
    }

    /// A run's reports waiting to be put in place (`publication`).
    public struct Publication: Sendable, Hashable {
        public var run: Int64
        /// The token the staging folder's READY list names.
        public var token: String
        public var out: String
        public var staging: String
        /// The SHA-256 of the run's manifest.json, to know it in the out folder.
        public var manifestSHA256: String

        public init(run: Int64, token: String, out: String, staging: String, manifestSHA256: String) {
            self.run = run
            self.token = token
            self.out = out
            self.staging = staging
            self.manifestSHA256 = manifestSHA256
        }
    }

    /// The publications waiting, oldest first.
    public func pendingPublications() throws -> [Publication] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, token, out_folder, staging, manifest_sha256 FROM publication ORDER BY run_id").map {
                Publication(run: $0[0], token: $0[1], out: $0[2], staging: $0[3], manifestSHA256: $0[4])
            }
        }
    }

    /// The run's reports are in place: it is finished.
    public func published(_ run: Int64, finishedAt: String) throws {
        _ = try transaction { writer in try writer.published(run, finishedAt: finishedAt) }
    }

    /// The run's reports are lost (their staging folder is gone and the out
    /// folder does not hold them): the run stays unfinished in the log.
    public func abandon(_ run: Int64) throws {
        _ = try transaction { writer in try writer.db.execute(sql: "DELETE FROM publication WHERE run_id = ?", arguments: [run]) }
    }
}
