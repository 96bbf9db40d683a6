import CZlib
import Foundation

/// A zip file (PKWARE's APPNOTE: local headers, a central directory) whose
/// entries are raw deflate data, as an .xlsx is. Written here, not with
/// ZIPFoundation (0.9.20 is on the offline list): it deflates at zlib's
/// default level 6 with no setting (`Data+Compression.swift`), the cost
/// issue 21 measured: a city's 190 MB of sheet XML took 4.2 s to deflate at
/// level 6 and 0.7 s at level 1, for a file about a third larger. And a
/// sheet is deflated in three pieces (`Deflated`) as its rows come, which
/// an entry API taking the whole data does not do. The deflating is
/// `DeflateEncoder`'s (Deflate.swift, which says why); zlib gives the CRC-32s. What a workbook needs of
/// the format is small: no zip64 (a workbook that would need it is refused,
/// not written wrong), no encryption, no comments.
final class ZipArchive {
    private struct Entry {
        let name: [UInt8]
        let crc: UInt32
        let compressed: UInt64
        let size: UInt64
        let offset: UInt64
    }

    private let file: OutputFile
    private var entries: [Entry] = []

    init(path: String) throws(IOFailure) {
        file = try OutputFile(path: path)
    }

    /// Adds an entry whose data is `pieces`, deflated one after another (the
    /// last one finished: `Deflater.finish`).
    func add(_ name: String, _ pieces: [Deflated]) throws(IOFailure) {
        var crc: UInt32 = 0, compressed: UInt64 = 0, size: UInt64 = 0
        for piece in pieces {
            crc = UInt32(crc32_combine(uLong(crc), uLong(piece.crc), off_t(piece.size)))
            compressed += piece.compressed
            size += piece.size
        }
        let offset = file.offset
        guard compressed < 0xFFFF_FFFF, size < 0xFFFF_FFFF, offset < 0xFFFF_FFFF else {
            throw IOFailure(reason: "the workbook is larger than a zip file without zip64 holds (4 GiB)")
        }
        let entry = Entry(name: Array(name.utf8), crc: crc, compressed: compressed, size: size, offset: offset)
        var header = Bytes()
        header.u32(0x0403_4B50)  // local file header
        header.u16(20)  // version needed: 2.0 (deflate)
        header.u16(0)  // flags
        header.u16(8)  // deflate
        header.u16(0)  // time 00:00
        header.u16(0x21)  // date 1980-01-01, as libxlsxwriter wrote it
        header.u32(entry.crc)
        header.u32(UInt32(compressed))
        header.u32(UInt32(size))
        header.u16(UInt16(entry.name.count))
        header.u16(0)  // no extra field
        header.bytes += entry.name
        try file.write(header.bytes)
        for piece in pieces { try piece.copy(to: file) }
        entries.append(entry)
    }

    /// Writes the central directory, flushes the file to disk and closes it.
    func finish() throws(IOFailure) {
        let start = file.offset
        var directory = Bytes()
        for entry in entries {
            directory.u32(0x0201_4B50)  // central directory header
            directory.u16(20)  // made by: 2.0, MS-DOS attributes
            directory.u16(20)
            directory.u16(0)
            directory.u16(8)
            directory.u16(0)
            directory.u16(0x21)
            directory.u32(entry.crc)
            directory.u32(UInt32(entry.compressed))
            directory.u32(UInt32(entry.size))
            directory.u16(UInt16(entry.name.count))
            directory.u16(0)  // extra
            directory.u16(0)  // comment
            directory.u16(0)  // disk
            directory.u16(0)  // internal attributes
            directory.u32(0)  // external attributes
            directory.u32(UInt32(entry.offset))
            directory.bytes += entry.name
        }
        let length = UInt64(directory.bytes.count)
        guard start + length < 0xFFFF_FFFF, entries.count < 0xFFFF else {
            throw IOFailure(reason: "the workbook is larger than a zip file without zip64 holds (4 GiB)")
        }
        directory.u32(0x0605_4B50)  // end of central directory
        directory.u16(0)
        directory.u16(0)
        directory.u16(UInt16(entries.count))
        directory.u16(UInt16(entries.count))
        directory.u32(UInt32(length))
        directory.u32(UInt32(start))
        directory.u16(0)
        try file.write(directory.bytes)
        try file.close()
    }

    /// Little-endian fields.
    private struct Bytes {
        var bytes: [UInt8] = []
        mutating func u16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
        mutating func u32(_ value: UInt32) { u16(UInt16(value & 0xFFFF)); u16(UInt16(value >> 16)) }
    }
}

/// A write that failed: the disk full, or what the system said.
struct IOFailure: Error {
    let reason: String

    init(reason: String) { self.reason = reason }

    /// From `errno` after a failed call: ENOSPC is "the disk is full".
    init(errno error: Int32) {
        reason = error == ENOSPC ? "the disk is full" : String(cString: strerror(error))
    }
}

/// A file written through a buffer, every write checked; `close` flushes it
/// to disk (fsync) as every report is.
final class OutputFile {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let capacity = 1 << 20
    /// Bytes written so far (buffered ones included).
    private(set) var offset: UInt64 = 0

    init(path: String) throws(IOFailure) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw IOFailure(errno: errno) }
        buffer.reserveCapacity(Self.capacity)
    }

    deinit { if descriptor >= 0 { _ = Foundation.close(descriptor) } }

    func write(_ bytes: [UInt8]) throws(IOFailure) {
        try bytes.withRaw { raw throws(IOFailure) in try write(raw) }
    }

    func write(_ raw: UnsafeRawBufferPointer) throws(IOFailure) {
        if buffer.count + raw.count > Self.capacity { try drain() }
        if raw.count >= Self.capacity {
            try Self.writeAll(descriptor, raw)
        } else {
            buffer.append(contentsOf: raw)
        }
        offset += UInt64(raw.count)
    }

    private func drain() throws(IOFailure) {
        try buffer.withRaw { raw throws(IOFailure) in try Self.writeAll(descriptor, raw) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(IOFailure) {
        try drain()
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = Foundation.close(descriptor) == 0 ? 0 : errno
        descriptor = -1
        if synced != 0 { throw IOFailure(errno: synced) }
        if closed != 0 { throw IOFailure(errno: closed) }
    }

    static func writeAll(_ descriptor: Int32, _ raw: UnsafeRawBufferPointer) throws(IOFailure) {
        var at = 0
        while at < raw.count, let base = raw.baseAddress {
            let written = Foundation.write(descriptor, base + at, raw.count - at)
            if written < 0 {
                if errno == EINTR { continue }
                throw IOFailure(errno: errno)
            }
            if written == 0 { throw IOFailure(errno: ENOSPC) }
            at += written
        }
    }
}

/// Raw deflate data and what it stands for (the CRC-32 and length of the
/// bytes before deflating), in memory or in a temporary file. Pieces
/// deflated apart join into one entry's data: each but the last ends with
/// a sync flush (byte-aligned, no final block), and none refers back
/// before its own start, so a reader inflates them as one stream (as pigz
/// does); their CRC-32s combine (`crc32_combine`).
struct Deflated {
    var crc: UInt32
    var size: UInt64
    var compressed: UInt64
    fileprivate var storage: Storage

    fileprivate enum Storage {
        case bytes([UInt8])
        /// `compressed` bytes from the start of an unlinked temporary file.
        case file(TemporaryFile)
    }

    func copy(to file: OutputFile) throws(IOFailure) {
        switch storage {
        case let .bytes(bytes): try file.write(bytes)
        case let .file(temporary): try temporary.copy(compressed, to: file)
        }
    }
}

/// A file in `folder` removed from it as soon as it is made: its bytes live
/// while it is open, and a run killed on the way leaves nothing behind.
final class TemporaryFile: @unchecked Sendable {  // used by one thread at a time: the deflating queue, then `copy` after it is drained
    let descriptor: Int32

    init(in folder: String) throws(IOFailure) {
        var template = Array("\(folder)/.gongji-sheet-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw IOFailure(errno: errno) }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)  // not handed to a process the run starts
    }

    deinit { _ = close(descriptor) }

    /// Copies the file's first `count` bytes to `file`.
    func copy(_ count: UInt64, to file: OutputFile) throws(IOFailure) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var at: UInt64 = 0
        while at < count {
            let want = Int(min(UInt64(buffer.count), count - at))
            let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, want, off_t(at)) }
            if read < 0 {
                if errno == EINTR { continue }
                throw IOFailure(errno: errno)
            }
            if read == 0 { throw IOFailure(reason: "a temporary file of the workbook ended early") }
            try buffer.withRaw { raw throws(IOFailure) in try file.write(UnsafeRawBufferPointer(rebasing: raw[0..<read])) }
            at += UInt64(read)
        }
    }
}

/// One raw deflate stream (`DeflateEncoder`; zlib only for the CRC-32).
/// Output goes to memory or to a temporary file.
final class Deflater: @unchecked Sendable {  // used by one thread at a time: the deflating queue (XLSXWriter.send)
    private let encoder = DeflateEncoder()
    private var crc = UInt32(crc32(0, nil, 0))
    private var size: UInt64 = 0
    private var compressed: UInt64 = 0
    private var kept: [UInt8] = []
    private let file: TemporaryFile?

    /// Into memory (a sheet's head or tail, the small parts) or, given a
    /// folder, into a temporary file there (a sheet's rows).
    init(temporaryIn folder: String? = nil) throws(IOFailure) {
        file = try folder.map { folder throws(IOFailure) in try TemporaryFile(in: folder) }
    }

    /// Deflates `raw` on.
    func add(_ raw: UnsafeRawBufferPointer) throws(IOFailure) {
        crc = UInt32(crc32(uLong(crc), raw.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(raw.count)))
        size += UInt64(raw.count)
        encoder.compress(raw)
        try move()
    }

    /// Ends the piece: `last` ends the stream (the entry's last piece);
    /// otherwise a sync flush, so that another piece can follow.
    func finish(last: Bool) throws(IOFailure) -> Deflated {
        if last { encoder.finish() } else { encoder.syncFlush() }
        try move()
        let storage: Deflated.Storage = file.map { .file($0) } ?? .bytes(kept)
        return Deflated(crc: crc, size: size, compressed: compressed, storage: storage)
    }

    /// The encoder's whole bytes, to the file or kept.
    private func move() throws(IOFailure) {
        let bytes = encoder.bytes
        guard bytes.count > 0 else { return }
        if let file {
            try OutputFile.writeAll(file.descriptor, bytes)
        } else {
            kept.append(contentsOf: bytes)
        }
        compressed += UInt64(bytes.count)
        encoder.removeOutput()
    }
}

/// For the fuzz target `deflate` (Scripts/fuzz.sh): `data` deflated by
/// `DeflateEncoder` in pieces and chunks cut where a generator seeded by its
/// first bytes says (as a sheet's head, rows and tail are), then inflated
/// by zlib. The encoder stays internal; this is its one public use.
public enum DeflateRoundTrip {
    /// Whether zlib inflates what the encoder wrote back to `data`, whole and ended.
    public static func holds(_ data: [UInt8]) -> Bool {
        var state = data.prefix(8).reduce(UInt64(0x9E37_79B9_7F4A_7C15)) { $0 &* 31 &+ UInt64($1) }
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        var deflated: [UInt8] = []
        var at = 0
        repeat {
            let encoder = DeflateEncoder()
            for _ in 0...next(3) {
                let length = min(data.count - at, next(3) == 0 ? next(64) : next(40_000))
                data[at..<(at + length)].withUnsafeBytes { encoder.compress($0) }
                at += length
            }
            if at == data.count { encoder.finish() } else { encoder.syncFlush() }
            deflated += encoder.bytes
        } while at < data.count
        return inflate(deflated, expecting: data.count).map { $0.elementsEqual(data) } ?? false
    }

    /// zlib's raw inflate of `data` (for this check and the tests'); nil when
    /// zlib finds it broken or not ended, or it holds more than `size` bytes.
    static func inflate(_ data: [UInt8], expecting size: Int) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: size + 1)
        var input = data
        let status = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                stream.next_in = input.baseAddress
                stream.avail_in = uInt(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, stream.avail_in == 0, Int(stream.total_out) <= size else { return nil }
        return Array(output[0..<Int(stream.total_out)])
    }
}

extension [UInt8] {
    /// `withUnsafeBytes` for a body that throws `IOFailure` (Array's rethrows any error).
    func withRaw<R>(_ body: (UnsafeRawBufferPointer) throws(IOFailure) -> R) throws(IOFailure) -> R {
        try withUnsafeBytes { raw in Result { () throws(IOFailure) -> R in try body(raw) } }.get()
    }
}
