import Foundation
import GongjiTestSupport
import Testing

@testable import GongjiReports

/// A streamed file holds exactly the bytes written, whichever way they went
/// to disk: through the page cache, or past it (O_DIRECT) a block at a time,
/// its last block padded and the file cut back.
@Suite struct AtomicFileStreamTests {
    static let block = AtomicFile.Stream.blockSize
    static let least = AtomicFile.Stream.directLeast
    /// Lengths around every edge: the alignment, the least direct file, a block.
    static let lengths = [0, 1, 4095, 4096, 4097, least - 1, least, least + 1, block - 1, block, block + 1, 2 * block + 12_345]

    /// `length` seeded bytes, none zero (a padding left in would show): a
    /// seeded 64 KiB piece, turned by another offset each time it repeats,
    /// so a block written in the wrong place would show too.
    static func bytes(_ length: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(state: seed)
        let piece = Data((0..<(1 << 16)).map { _ in UInt8.random(in: 1...255, using: &generator) })
        var out = Data(capacity: length)
        var turn = 0
        while out.count < length {
            let start = (turn * 7919) % piece.count
            out.append(piece[start...])
            out.append(piece[..<start])
            turn += 1
        }
        return [UInt8](out.prefix(length))
    }

    /// Where `written` first differs from `bytes`, or nil. (Not `==`: a
    /// failed expectation on two 8 MiB collections makes the test library
    /// compute their difference, for minutes.)
    static func difference(_ written: Data, _ bytes: [UInt8]) -> String? {
        if written == Data(bytes) { return nil }
        let common = min(written.count, bytes.count)
        let at = written.withUnsafeBytes { (w: UnsafeRawBufferPointer) in bytes.withUnsafeBufferPointer { b in (0..<common).first { w[$0] != b[$0] } } } ?? common
        return "\(written.count) bytes written, \(bytes.count) expected, the first difference at \(at)"
    }

    /// Writes `bytes` in pieces of seeded lengths, some larger than a block.
    static func stream(_ bytes: [UInt8], to url: URL, pastPageCache: Bool, seed: UInt64) throws -> AtomicFile.Stream {
        let stream = try AtomicFile.Stream(to: url, pastPageCache: pastPageCache)
        var generator = SeededGenerator(state: seed)
        var at = 0
        while at < bytes.count {
            let piece = min(bytes.count - at, Int.random(in: 1...(block + block / 2), using: &generator) >> Int.random(in: 0...12, using: &generator))
            try stream.write(bytes[at..<(at + piece)].span)
            at += piece
        }
        return stream
    }

    @Test(arguments: [true, false])
    func everyByteOfEveryLength(pastPageCache: Bool) throws {
        let folder = try TemporaryFolder("stream")
        for (index, length) in Self.lengths.enumerated() {
            let url = folder.url.appendingPathComponent("file-\(length).csv")
            let bytes = Self.bytes(length, seed: UInt64(index))
            let stream = try Self.stream(bytes, to: url, pastPageCache: pastPageCache, seed: UInt64(length))
            #expect(!FileManager.default.fileExists(atPath: url.path), "visible before commit: \(length)")
            try stream.commit()
            let written = try Data(contentsOf: url)
            #expect(Self.difference(written, bytes) == nil, "\(length) bytes")
            if !pastPageCache || length < Self.least { #expect(!stream.wentPastPageCache) }
        }
        // Only the committed files: no temporary file left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).count == Self.lengths.count)
    }

    /// On this machine's temporary folder (ext4 in CI) a large file goes past the page cache;
    /// on a file system that refuses O_DIRECT it goes through it, the same bytes either way.
    @Test func aLargeFileGoesPastThePageCacheWhereItCan() throws {
        let folder = try TemporaryFolder("stream")
        let url = folder.url.appendingPathComponent("large.csv")
        let bytes = Self.bytes(3 * Self.block + 100, seed: 7)
        let stream = try Self.stream(bytes, to: url, pastPageCache: true, seed: 7)
        try stream.commit()
        #expect(Self.difference(try Data(contentsOf: url), bytes) == nil)
        let probe = open(folder.url.appendingPathComponent("probe").path, O_WRONLY | O_CREAT | O_TRUNC | AtomicFile.Stream.directFlag, 0o644)
        if probe >= 0 { close(probe) }
        #expect(stream.wentPastPageCache == (probe >= 0 && AtomicFile.Stream.directFlag != 0))
    }

    /// A stream dropped unfinished, with a block still being written, leaves
    /// neither the file nor its temporary file.
    @Test func aStreamDroppedMidWayLeavesNothing() throws {
        let folder = try TemporaryFolder("stream")
        let url = folder.url.appendingPathComponent("dropped.csv")
        do {
            _ = try Self.stream(Self.bytes(2 * Self.block + 5, seed: 3), to: url, pastPageCache: true, seed: 3)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    /// A committed stream replaces the file that was there, whole.
    @Test func aStreamReplacesTheOldFile() throws {
        let folder = try TemporaryFolder("stream")
        let url = folder.url.appendingPathComponent("replaced.csv")
        try Data(Self.bytes(Self.block + 3, seed: 1)).write(to: url)
        let bytes = Self.bytes(Self.least + 17, seed: 2)
        try Self.stream(bytes, to: url, pastPageCache: true, seed: 2).commit()
        #expect(Self.difference(try Data(contentsOf: url), bytes) == nil)
    }
}
