import Crypto
import Foundation
import GongjiImport
import GongjiStore

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

    /// Hands `url`'s bytes to `body` in the store's parts (`StoreWriter.inputPart`).
    static func parts(of url: URL, _ body: (Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw RunError("\(url.path): cannot read the file") }
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: StoreWriter.inputPart), !chunk.isEmpty { try body(chunk) }
    }

    /// SHA-256 of bytes already in memory (a mapped file), 4 MiB at a
    /// time; `done` is told each part's range once it is hashed.
    static func sha256(of bytes: RawSpan, done: (Range<Int>) -> Void = { _ in }) -> (hex: String, bytes: Int64) {
        var hasher = SHA256()
        bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = min(start + (4 << 20), raw.count)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                done(start..<end)
                start = end
            }
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), Int64(bytes.byteCount))
    }

    /// Starts hashing a mapped file on another thread; `wait` gives the result.
    final class Background: @unchecked Sendable {
        private let group = DispatchGroup()
        private var result: (hex: String, bytes: Int64)?

        init(_ file: MappedFile) {
            group.enter()
            DispatchQueue.global().async { [self] in
                // Each part hashed leaves memory: the CSV reader maps it in again when it gets there.
                result = file.withBytes { FileDigest.sha256(of: $0, done: file.release) }
                group.leave()
            }
        }

        func wait() -> (hex: String, bytes: Int64)? {
            group.wait()
            return result
        }
    }
}
