import GongjiTestSupport
import Foundation
import Testing

/// Runs the built `gongji` binary the way a user would, from the package root.
enum Gongji {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("Tests/GongjiEndToEndTests/Fixtures")

    /// The binary SwiftPM built next to the test bundle.
    static var binary: URL {
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for folder in [testBundle, Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent("gongji")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/gongji")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs gongji. A `run` without `--store` gets a store of its own in the
    /// temporary folder, so tests running side by side never share one.
    /// `environment`: variables added to the test's own.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        var arguments = arguments
        if arguments.first == "run", !arguments.contains("--store") {
            arguments += ["--store", FileManager.default.temporaryDirectory
                .appendingPathComponent("gongji-e2e-store-\(TemporaryFolder.uniqueName()).sqlite").path]
        }
        return try launch(process, arguments)
    }

    /// Runs another program (by name, found on PATH, or by path), from the
    /// package root. With `check`, a non-zero exit is an error naming the command.
    @discardableResult
    static func shell(_ arguments: [String], check: Bool = false) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let result = try launch(process, arguments)
        struct Failed: Error, CustomStringConvertible { var description: String }
        if check, result.status != 0 {
            throw Failed(description: "\(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
        }
        return result
    }

    private static func launch(_ process: Process, _ arguments: [String]) throws -> Result {
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryFolder() throws -> URL { try TemporaryFolder("e2e").url }

    /// What `sqlite3 STORE QUERY` prints (rows on lines, values split by
    /// `separator`), but that a query of the view `month_balance` (or its
    /// baseline) goes through Scripts/store-sql.py: the view reads the balance
    /// blocks through gongji's SQL function `gongji_balances`, which the
    /// sqlite3 shell does not know and the script registers (docs/store.md, "Size").
    static func sqlite(_ store: String, _ query: String, separator: String = "|") throws -> String {
        let view = try Regex("month_balance([^_]|$)")
        let command = query.firstMatch(of: view) != nil
            ? ["python3", packageRoot.appendingPathComponent("Scripts/store-sql.py").path, "--separator", separator, store, query]
            : ["sqlite3", "-separator", separator, store, query]
        return try shell(command, check: true).stdout
    }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// Compares a report with its golden copy. `GONGJI_UPDATE_GOLDEN=1`
    /// rewrites the copy and fails the test (as swift-argument-parser's
    /// snapshots do), so that a recording run is never taken for a pass:
    /// check the diff, then run again without it.
    static func golden(_ produced: URL, _ expectedName: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> (String, String) {
        let expected = fixtures.appendingPathComponent("expected/\(expectedName)")
        let actual = try text(produced)
        if ProcessInfo.processInfo.environment["GONGJI_UPDATE_GOLDEN"] == "1" {
            let before = try? text(expected)
            if before != actual {
                try FileManager.default.createDirectory(at: expected.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: expected)
                Issue.record("recorded Fixtures/expected/\(expectedName): check its diff and run again without GONGJI_UPDATE_GOLDEN",
                             sourceLocation: sourceLocation)
            }
        }
        return (actual, try text(expected))
    }
}
