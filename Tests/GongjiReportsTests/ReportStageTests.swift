import Foundation
import GongjiReports
import GongjiTestSupport
import Testing

/// The out folder holds what the last manifest lists, and files gongji never
/// wrote: reports appear together on `publish`, and an interrupted run is
/// finished or dropped by the next one.
@Suite struct ReportStageTests {
    func names(_ folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
    }

    func manifest(_ outputs: [String]) -> String {
        "{\"outputs\" : [" + outputs.map { "\"\($0)\"" }.joined(separator: ", ") + "]}"
    }

    @Test func reportsAppearOnlyOnPublishAndStaleOnesGo() throws {
        let out = try TemporaryFolder("out")
        defer { out.remove() }
        try out.write("manifest.json", manifest(["a.csv", "old-2022-01.csv", "manifest.json"]))
        try out.write("a.csv", "old a\n")
        try out.write("old-2022-01.csv", "old month\n")
        try out.write("mine.txt", "a user's own file\n")
        let stage = try ReportStage(out: out.url)
        try AtomicFile.write("new a\n", to: stage.staging.appendingPathComponent("a.csv"))
        try AtomicFile.write("new b\n", to: stage.staging.appendingPathComponent("b.csv"))
        try AtomicFile.write(manifest(["a.csv", "b.csv", "manifest.json"]), to: stage.staging.appendingPathComponent("manifest.json"))
        // Before publish: the old reports, untouched.
        #expect(try String(contentsOf: out.url.appendingPathComponent("a.csv"), encoding: .utf8) == "old a\n")
        #expect(!FileManager.default.fileExists(atPath: out.path("b.csv")))
        try stage.publish(["a.csv", "b.csv", "manifest.json"])
        #expect(try names(out) == ["a.csv", "b.csv", "manifest.json", "mine.txt"])
        #expect(try String(contentsOf: out.url.appendingPathComponent("a.csv"), encoding: .utf8) == "new a\n")
    }

    @Test func aDiscardedRunLeavesTheOutFolderAsItWas() throws {
        let out = try TemporaryFolder("out")
        defer { out.remove() }
        try out.write("a.csv", "old a\n")
        let stage = try ReportStage(out: out.url)
        try AtomicFile.write("new a\n", to: stage.staging.appendingPathComponent("a.csv"))
        stage.discard()
        #expect(try names(out) == ["a.csv"])
        #expect(try String(contentsOf: out.url.appendingPathComponent("a.csv"), encoding: .utf8) == "old a\n")
    }

    /// What a killed run leaves: a staging folder without its READY list
    /// (dropped), one with it (finished: the store had committed), and the
    /// `.NAME.PID.tmp` files of an older gongji (removed).
    @Test func theNextRunCleansUpAfterAKilledOne() throws {
        let out = try TemporaryFolder("out")
        defer { out.remove() }
        let dead = "999999999"  // no such process
        try out.write(".gongji-staging-\(dead)/usage-2022-03.md", "half a run\n")
        try out.write(".usage-2022-03.md.\(dead).tmp", "half a report\n")
        try out.write("mine.tmp", "a user's own file\n")
        _ = try ReportStage(out: out.url)
        #expect(try names(out).filter { !$0.hasPrefix(".gongji-staging-\(getpid())") } == ["mine.tmp"])

        let committed = out.url.appendingPathComponent(".gongji-staging-\(dead)")
        try out.write(".gongji-staging-\(dead)/b.csv", "b of a committed run\n")
        try out.write(".gongji-staging-\(dead)/READY", "+b.csv\n")
        let stage = try ReportStage(out: out.url)
        #expect(!FileManager.default.fileExists(atPath: committed.path))
        #expect(try String(contentsOf: out.url.appendingPathComponent("b.csv"), encoding: .utf8) == "b of a committed run\n")
        stage.discard()
    }

    @Test func anOutFolderThatIsAFileFailsAtOnce() throws {
        let out = try TemporaryFolder("out")
        defer { out.remove() }
        let file = try out.write("reports", "not a folder")
        #expect(throws: AtomicFile.WriteError.self) { try ReportStage(out: URL(fileURLWithPath: file)) }
        do { _ = try ReportStage(out: URL(fileURLWithPath: file)) } catch {
            #expect(error.description == "\(file): cannot write: it is a file, not a folder for reports")
        }
    }
}
