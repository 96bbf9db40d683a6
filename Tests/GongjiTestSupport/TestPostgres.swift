import Foundation

/// The PostgreSQL server the store's tests use (docs/store.md, "Tests"):
/// the URI in GONGJI_TEST_POSTGRES, as `Scripts/postgres-test-server.sh
/// start` prints it (the password in PGPASSFILE). Without one the
/// PostgreSQL tests are skipped and say why; in CI (CI set) they run all the
/// same and fail, so that a missing server is never a silent pass.
public enum TestPostgres {
    /// The server's URI, if one is given.
    public static var uri: String? {
        ProcessInfo.processInfo.environment["GONGJI_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var inCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }

    /// Whether the PostgreSQL tests run: a server answers, or CI wants them run (and failing).
    public static let enabled: Bool = inCI || available

    /// Whether a server answers at `uri`.
    public static let available: Bool = {
        guard let uri else { return false }
        return (try? psql(uri, "SELECT 1")) == "1"
    }()

    public static let why = "no PostgreSQL server for the tests: start one with "
        + "`eval \"$(Scripts/postgres-test-server.sh start)\"`, which sets GONGJI_TEST_POSTGRES"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A new, empty database on the server, for one test; `drop()` removes it.
    public struct Database: Sendable {
        public let uri: String
        public let name: String

        public func drop() {
            guard let base = TestPostgres.uri else { return }
            _ = try? TestPostgres.psql(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }

        /// Runs SQL in this database; its output, unaligned, without headers.
        @discardableResult
        public func sql(_ text: String) throws -> String { try TestPostgres.psql(uri, text) }
    }

    public static func database() throws -> Database {
        guard let base = uri else { throw Failure(description: why) }
        let name = "gongji_t_" + TemporaryFolder.uniqueName()
        try psql(base, "CREATE DATABASE \(name)")
        return Database(uri: replacingDatabase(of: base, with: name), name: name)
    }

    /// `uri` naming the database `name` instead.
    public static func replacingDatabase(of uri: String, with name: String) -> String {
        var rest = Substring(uri)
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[mark...])
            rest = rest[..<mark]
        }
        let start = rest.range(of: "://").map(\.upperBound) ?? rest.startIndex
        let authority = rest[start...].firstIndex(of: "/").map { rest[..<$0] } ?? rest
        return "\(authority)/\(name)\(query)"
    }

    /// The password PGPASSFILE gives for the test server (the last field of its line).
    public static var password: String? {
        guard let file = ProcessInfo.processInfo.environment["PGPASSFILE"],
              let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.flatMap { $0.split(separator: ":").last.map(String.init) }
    }

    /// Runs `sql` through psql at `uri`; its output, trimmed.
    @discardableResult
    public static func psql(_ uri: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", uri, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "psql: " + (String(decoding: errors, as: UTF8.self)))
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
