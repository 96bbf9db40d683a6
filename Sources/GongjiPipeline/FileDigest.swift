import Crypto
import Foundation

/// SHA-256 of an input file, read in 1 MiB chunks so a large roster is never
/// held in memory whole. Uses swift-crypto's SHA256.
enum FileDigest {
    static func sha256(of url: URL) throws -> (hex: String, bytes: Int64) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return (hex, bytes)
    }
}
