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

    /// How a test's stream goes to disk.
    enum Way: CaseIterable, Sendable {
        case pageCache, pastPageCache
        /// Past the page cache on a disk that refuses it: through the page cache after all.
        case refused
    }

    /// Whether `folder`'s file system takes O_DIRECT files.
    static func takesDirect(_ folder: TemporaryFolder) -> Bool {
        guard AtomicFile.Stream.directFlag != 0 else { return false }
        let probe = folder.url.appendingPathComponent(".probe").path
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_TRUNC | AtomicFile.Stream.directFlag, 0o644)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        unlink(probe)
        return true
    }

    /// Writes `bytes` in pieces of seeded lengths, some larger than a block.
    static func stream(_ bytes: [UInt8], to url: URL, way: Way = .pastPageCache, seed: UInt64) throws -> AtomicFile.Stream {
        let stream = try AtomicFile.Stream(to: url, pastPageCache: way != .pageCache, refusedPastPageCache: way == .refused)
        var generator = SeededGenerator(state: seed)
        var at = 0
        while at < bytes.count {
            let piece = min(bytes.count - at, Int.random(in: 1...(block + block / 2), using: &generator) >> Int.random(in: 0...12, using: &generator))
            try stream.write(bytes[at..<(at + piece)].span)
            at += piece
        }
        return stream
    }

    /// Each length in turn, so each stream after the first takes the blocks
    /// the one before gave back.
    @Test(arguments: Way.allCases)
    func everyByteOfEveryLength(way: Way) throws {
        let folder = try TemporaryFolder("stream")
        let direct = Self.takesDirect(folder)
        for (index, length) in Self.lengths.enumerated() {
            let url = folder.url.appendingPathComponent("file-\(length).csv")
            let bytes = Self.bytes(length, seed: UInt64(index))
            let stream = try Self.stream(bytes, to: url, way: way, seed: UInt64(length))
            #expect(!FileManager.default.fileExists(atPath: url.path), "visible before commit: \(length)")
            try stream.commit()
            #expect(Self.difference(try Data(contentsOf: url), bytes) == nil, "\(length) bytes")
            #expect(stream.wentPastPageCache == (way == .pastPageCache && direct && length >= Self.least), "\(length) bytes")
        }
        // Only the committed files: no temporary file left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).count == Self.lengths.count)
    }

    /// Linux has O_DIRECT, and CI's temporary folder (ext4) takes it: there
    /// the tests above write past the page cache, not only through it.
    @Test func thisSystemHasDirectWrites() throws {
        #if os(Linux)
        #expect(AtomicFile.Stream.directFlag != 0)
        #endif
        let folder = try TemporaryFolder("stream")
        let url = folder.url.appendingPathComponent("large.csv")
        let bytes = Self.bytes(3 * Self.block + 100, seed: 7)
        let stream = try Self.stream(bytes, to: url, seed: 7)
        try stream.commit()
        #expect(Self.difference(try Data(contentsOf: url), bytes) == nil)
        #expect(stream.wentPastPageCache == Self.takesDirect(folder))
    }

    /// A commit that cannot put the file in place says which file, and
    /// leaves no temporary file.
    @Test func aFailedCommitNamesTheFileAndLeavesNothing() throws {
        let folder = try TemporaryFolder("stream")
        let url = folder.url.appendingPathComponent("taken.csv")
        try folder.write("taken.csv/inside.txt", "a folder where the report goes")
        let stream = try Self.stream(Self.bytes(Self.least + 5, seed: 4), to: url, seed: 4)
        #expect { try stream.commit() } throws: { error in
            (error as? AtomicFile.WriteError)?.path == url.path
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["taken.csv"])
    }

    /// A stream dropped unfinished, with a block still being written, leaves
    /// neither the file nor its temporary file.
    @Test func aStreamDroppedMidWayLeavesNothing() throws {
        let folder = try TemporaryFolder("stream")
        let url = folder.url.appendingPathComponent("dropped.csv")
        do {
            _ = try Self.stream(Self.bytes(2 * Self.block + 5, seed: 3), to: url, seed: 3)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    /// A committed stream replaces the file that was there, whole.
    @Test func aStreamReplacesTheOldFile() throws {
        let folder = try TemporaryFolder("stream")
        let url = folder.url.appendingPathComponent("replaced.csv")
        try Data(Self.bytes(Self.block + 3, seed: 1)).write(to: url)
        let bytes = Self.bytes(Self.least + 17, seed: 2)
        try Self.stream(bytes, to: url, seed: 2).commit()
        #expect(Self.difference(try Data(contentsOf: url), bytes) == nil)
    }
}
