import Foundation
import Testing

/// Publication is a step the store knows about (issue 25): the store and
/// the out folder agree after a kill at any moment, and the next gongji
/// start finishes or rolls back what a killed run left.
@Suite struct PublicationTests {
    struct Setup {
        let copy: RobustnessTests.Copy
        var out: URL { copy.root.appendingPathComponent("out") }
        var store: URL { copy.root.appendingPathComponent("gongji.sqlite") }
        init() throws {
            copy = try RobustnessTests.Copy()
        }

        func run(_ fault: String? = nil) throws -> Gongji.Result {
            try Gongji.run(["run", "--quiet", "--data", copy.data.path, "--out", out.path, "--store", store.path],
                           environment: fault.map { ["GONGJI_FAULT": $0] } ?? [:])
        }

        var claims: String { (try? Gongji.text(out.appendingPathComponent("usage-2022-06-claims.csv"))) ?? "" }
        var staging: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter { $0.hasPrefix(".gongji-staging-") }
        }

        func sql(_ query: String) throws -> String {
            try Gongji.shell(["sqlite3", store.path, query], check: true).stdout
        }
    }

    /// Killed after the store's commit, before the reports were in place:
    /// the store has not finished the run, the staging folder keeps its
    /// reports, and the next start (one that opens the out folder, or one
    /// that opens only the store) puts them in place and finishes the run.
    @Test func aRunKilledAfterItsCommitIsFinishedByTheNextStart() throws {
        let setup = try Setup()
        defer { setup.copy.remove() }
        #expect(try setup.run().status == 0)
        try setup.copy.append("usage/2022-06.csv", "C-NEW1,440305198707011392,2022-06-30 11:00:00,440300,outpatient,12.00\n")
        #expect(try setup.run("after-commit").status == 9)  // SIGKILL
        #expect(!setup.claims.contains("C-NEW1"))
        #expect(setup.staging.count == 1)
        #expect(try setup.sql("SELECT count(*) FROM publication; SELECT count(*) FROM run WHERE finished_at IS NULL") == "1\n1\n")
        // validate opens the out folder: it finishes the publication first.
        #expect(try Gongji.run(["validate", "--quiet", "--data", setup.copy.data.path, "--out", setup.out.path]).status == 0)
        #expect(setup.claims.contains("C-NEW1"))
        #expect(setup.staging.isEmpty)
        #expect(try setup.sql("SELECT count(*) FROM publication; SELECT count(*) FROM run WHERE finished_at IS NULL") == "0\n0\n")

        // Again, and this time a what-if that opens only the store (and another out folder) finishes it.
        try setup.copy.append("usage/2022-06.csv", "C-NEW2,440305198707011392,2022-06-30 12:00:00,440300,outpatient,13.00\n")
        #expect(try setup.run("after-commit").status == 9)
        #expect(!setup.claims.contains("C-NEW2"))
        let whatIf = try Gongji.run(["what-if", "--quiet", "--data", setup.copy.data.path, "--out", setup.copy.root.appendingPathComponent("w").path,
                                     "--store", setup.store.path, "--override", setup.copy.data.appendingPathComponent("what-if/threshold-3pct.yaml").path])
        #expect(whatIf.status == 0, "\(whatIf.stderr)")
        #expect(setup.claims.contains("C-NEW2"))
        #expect(setup.staging.isEmpty)
        #expect(try setup.sql("SELECT count(*) FROM publication; SELECT count(*) FROM run WHERE finished_at IS NULL") == "0\n0\n")
    }

    /// Killed after the READY list was written but before the store's
    /// commit: nothing of the run counts; the next start removes its staging
    /// folder and the previous reports stay.
    @Test func aRunKilledBeforeItsCommitLeavesThePreviousReports() throws {
        let setup = try Setup()
        defer { setup.copy.remove() }
        #expect(try setup.run().status == 0)
        let before = setup.claims
        try setup.copy.append("usage/2022-06.csv", "C-NEW3,440305198707011392,2022-06-30 11:00:00,440300,outpatient,12.00\n")
        #expect(try setup.run("before-commit").status == 9)
        #expect(setup.staging.count == 1)
        #expect(try Gongji.run(["validate", "--quiet", "--data", setup.copy.data.path, "--out", setup.out.path]).status == 0)
        #expect(setup.staging.isEmpty)
        #expect(setup.claims == before)
        #expect(try setup.sql("SELECT count(*) FROM run; SELECT count(*) FROM publication") == "1\n0\n")
    }
}
