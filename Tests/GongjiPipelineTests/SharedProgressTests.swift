import Foundation
@testable import GongjiPipeline
import Testing

/// Two lanes reading files at once make one progress line: rows and bytes of
/// the files done and of each lane's current file, added up.
@Suite struct SharedProgressTests {
    final class Recorder: ProgressDisplay, @unchecked Sendable {
        var begun: [(String, Int64)] = []
        var updates: [(rows: Int, bytes: Int64)] = []
        var ended = 0
        func begin(_ label: String, totalBytes: Int64) { begun.append((label, totalBytes)) }
        func update(rows: Int, bytes: Int64) { updates.append((rows, bytes)) }
        func end() { ended += 1 }
    }

    @Test func addsUpTheLanes() {
        let recorder = Recorder()
        let shared = SharedProgress(recorder, label: "reading 3 files on both cores", totalBytes: 1000)
        let first = shared.lane(), second = shared.lane()
        first.begin("a.csv", totalBytes: 400)
        second.begin("b.csv", totalBytes: 500)
        first.update(rows: 10, bytes: 100)
        second.update(rows: 20, bytes: 200)
        first.update(rows: 40, bytes: 400)
        first.end()                          // a.csv done: 40 rows, 400 bytes
        first.begin("c.csv", totalBytes: 100)
        first.update(rows: 5, bytes: 50)
        second.end()
        shared.finish()
        #expect(recorder.begun.map(\.0) == ["reading 3 files on both cores"])
        #expect(recorder.begun.map(\.1) == [1000])
        #expect(recorder.updates.map(\.rows) == [10, 30, 60, 60, 65, 65])
        #expect(recorder.updates.map(\.bytes) == [100, 300, 600, 600, 650, 650])
        #expect(recorder.ended == 1)
    }
}
