import Foundation
import GongjiImport
@testable import GongjiPipeline
import Testing

/// The hash taken on the other core, part by part, letting each part go
/// from memory once hashed, is the file's SHA-256.
@Suite struct FileDigestTests {
    @Test func aMappedFileHashedInPartsGivesTheFilesDigest() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gongji-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let count = (9 << 20) + 123  // two whole parts of 4 MiB and a short one
        try Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: url)
        let expected = "f8eedeea985db1f859c4edf081dd8e2e5ed7993178824329a9ab45a06622fd8a"  // Python's hashlib
        let file = try #require(MappedFile(path: url.path))
        let digest = try #require(FileDigest.Background(file).wait())
        #expect(digest.hex == expected)
        #expect(digest.bytes == Int64(count))
        #expect(try FileDigest.sha256(of: url).hex == expected)
        // The pages let go are read again from the file when touched.
        file.withBytes { bytes in #expect(FileDigest.sha256(of: bytes).hex == expected) }
    }

    /// Each part is announced (and mapped in: `MappedFile.populate`) before
    /// it is hashed, and let go after; ranges past the file's ends are cut to it.
    @Test func eachPartIsMappedInBeforeItIsHashed() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gongji-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let count = (9 << 20) + 123
        try Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: url)
        let file = try #require(MappedFile(path: url.path))
        var events: [String] = []
        let digest = file.withBytes { bytes in
            FileDigest.sha256(of: bytes, ahead: { events.append("ahead \($0)") }, done: { events.append("done \($0)") })
        }
        #expect(digest.hex == "f8eedeea985db1f859c4edf081dd8e2e5ed7993178824329a9ab45a06622fd8a")
        #expect(events == ["ahead 0..<4194304", "done 0..<4194304", "ahead 4194304..<8388608", "done 4194304..<8388608",
                           "ahead 8388608..<9437307", "done 8388608..<9437307"])
        file.populate(-4096..<count + (1 << 20))
        file.populate(count..<count + 1)
        file.release(0..<count)
        file.populate(4095..<4097)
        file.withBytes { bytes in
            #expect(FileDigest.sha256(of: bytes).hex == "f8eedeea985db1f859c4edf081dd8e2e5ed7993178824329a9ab45a06622fd8a")
        }
    }
}
