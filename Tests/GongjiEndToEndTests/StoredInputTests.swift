import Foundation
@testable import GongjiPipeline
import GongjiDomain
import GongjiStore
import Testing

/// The store keeps each input file as the run read it, or the run fails.
@Suite struct StoredInputTests {
    @Test func aFileChangedWhileReadFailsTheRunAndLeavesTheStoreAsItWas() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("person_id,region_code,scheme\n".utf8).write(to: folder.appendingPathComponent("persons.csv"))
        let data = try DataFolder(path: folder.path)
        let store = try Store(path: folder.appendingPathComponent("gongji.sqlite").path)
        let transaction = BackgroundTransaction(store: store)
        let run = try transaction.sync { try $0.beginRun(startedAt: "-", command: "run", dataFolder: folder.path, version: "0") }
        let stored = RunJob.StoredInputs()
        stored.digests["persons.csv"] = String(repeating: "a", count: 64)  // what the store kept
        let read = InputRecord(file: "persons.csv", sha256: String(repeating: "b", count: 64), bytes: 29, read: 0, rejected: 0)
        try RunJob.finishRun(run, data, inputs: [read], months: [], stored: stored, transaction)
        #expect {
            try transaction.commit()
        } throws: { error in
            "\(error)".contains("persons.csv: the file changed while gongji read it (SHA-256 \(read.sha256) when read, "
                                + "\(String(repeating: "a", count: 64)) when stored): run again once it is complete")
        }
        #expect(try store.read { try $0.runs() }.isEmpty)
    }

    /// A file the early pass did not keep is kept at the end, once its
    /// content is checked against what the run read.
    @Test func aFileMissedEarlyIsKeptAtTheEnd() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = Data("person_id,region_code,scheme\n".utf8)
        try bytes.write(to: folder.appendingPathComponent("persons.csv"))
        let digest = try FileDigest.sha256(of: folder.appendingPathComponent("persons.csv"))
        let store = try Store(path: folder.appendingPathComponent("gongji.sqlite").path)
        let transaction = BackgroundTransaction(store: store)
        let run = try transaction.sync { try $0.beginRun(startedAt: "-", command: "run", dataFolder: folder.path, version: "0") }
        let read = InputRecord(file: "persons.csv", sha256: digest.hex, bytes: digest.bytes, read: 0, rejected: 0)
        try RunJob.finishRun(run, try DataFolder(path: folder.path), inputs: [read], months: [], stored: RunJob.StoredInputs(),
                             transaction)
        try transaction.commit()
        #expect(try store.read { try $0.input(sha256: digest.hex) } == bytes)
        #expect(try store.read { try $0.runs() }.count == 1)
    }

    /// Without --keep-inputs the store keeps no copy, but each input's
    /// SHA-256, size and row counts, as manifest.json has them; the rows a
    /// `--province` run skipped, and none for a run of every province.
    @Test(arguments: [[], ["--province", "11"]])
    func aRunWithoutKeepInputsKeepsEachInputsDigestAndCounts(_ provinces: [String]) throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("gongji.sqlite")
        let out = folder.appendingPathComponent("out")
        #expect(try Gongji.run(["run", "--quiet", "--out", out.path, "--store", store.path] + provinces).status == 0)
        let opened = try Store(path: store.path, readOnly: true)
        #expect(try opened.read { try $0.count("input_content") } == 0)
        #expect(try opened.read { try $0.count("input_file") } == 43)
        let persons = Gongji.packageRoot.appendingPathComponent("SampleData/persons.csv")
        #expect(try opened.read { try $0.latestDigest(of: "persons.csv") } == FileDigest.sha256(of: persons).hex)
        // Every input of manifest.json, with the same digest, size and counts (the store's skipped rows
        // of a --province run: 0 for policy.yaml and the bulletins, which the manifest leaves out).
        let run = try #require(try opened.read { try $0.runs() }.last?.id)
        let records = try opened.read { try $0.inputFiles(run: run) }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        let inputs = try #require((manifest as? [String: Any])?["inputs"] as? [[String: Any]])
        #expect(records.map { "\($0.file) \($0.sha256) \($0.bytes) \($0.read) \($0.accepted) \($0.rejected) \($0.skipped ?? -1)" }
            == inputs.map { input in
                ["file", "sha256", "bytes", "read", "accepted", "rejected", "skipped"]
                    .map { "\(input[$0] ?? (provinces.isEmpty ? -1 : 0))" }.joined(separator: " ")
            })
        #expect(records.count == 43)
        // The sample's persons.csv: 345 rows, 3 rejected; with --province 11, those of other provinces skipped.
        #expect(records.first { $0.file == "persons.csv" }.map { [$0.read, $0.rejected, $0.skipped ?? -1] }
            == (provinces.isEmpty ? [345, 3, -1] : [345, 1, 223]))
    }

    @Test func aRunKeepsEveryInputOnceByContent() throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("gongji.sqlite")
        let out = folder.appendingPathComponent("out")
        for _ in 0..<2 {
            #expect(try Gongji.run(["run", "--quiet", "--keep-inputs", "--out", out.path, "--store", store.path]).status == 0)
        }
        let opened = try Store(path: store.path, readOnly: true)
        let persons = try Data(contentsOf: Gongji.packageRoot.appendingPathComponent("SampleData/persons.csv"))
        let digest = try #require(try opened.read { try $0.latestDigest(of: "persons.csv") })
        #expect(try opened.read { try $0.input(sha256: digest) } == persons)
        // Every file a run reads (each under 8 MiB: one part), kept once per content. The platform's
        // settlement records are `gongji audit`'s, not a run's.
        let sample = Gongji.packageRoot.appendingPathComponent("SampleData")
        let files = try FileManager.default.subpathsOfDirectory(atPath: sample.path)
            .filter { ($0.hasSuffix(".csv") || $0.hasSuffix(".xml") || $0 == "policy.yaml")
                && !$0.hasPrefix("revised/") && !$0.hasPrefix("what-if/") && !$0.hasPrefix("settlements/")
                && !$0.hasPrefix("mutual-aid/") }
        let contents = try Set(files.map { try Data(contentsOf: sample.appendingPathComponent($0)) })
        #expect(files.count > 20)
        #expect(try opened.read { try $0.count("input_content") } == contents.count)
        #expect(try opened.read { try $0.runs() }.count == 2)
    }
}
