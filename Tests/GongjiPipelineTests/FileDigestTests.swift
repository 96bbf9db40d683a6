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
}
