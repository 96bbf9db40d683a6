import CISAL
import CZlib
import Foundation

/// A zip file (PKWARE's APPNOTE: local headers, a central directory) whose
/// entries are raw deflate data, as an .xlsx is. Written here, not with
/// ZIPFoundation (0.9.20 is on the offline list): it deflates at zlib's
/// default level 6 with no setting (`Data+Compression.swift`), the cost
/// issue 21 measured: a city's 190 MB of sheet XML took 4.2 s to deflate at
/// level 6 and 0.7 s at level 1, for a file about a third larger; ISA-L's
/// igzip is faster again (`Deflater`). And a sheet is deflated in three pieces (`Deflated`) as its rows come, which
/// an entry API taking the whole data does not do. What a workbook needs of
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
/// does); their CRC-32s combine (zlib's `crc32_combine`).
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

/// One raw deflate stream (no header), by ISA-L's igzip at its level 1.
/// Issue 21 measured zlib's default level (4.2 s of a city month's
/// workbook) and its level 1 (0.7 s); igzip's level 1 then deflated the
/// same month's 140 MB claims sheet in 0.18 s where zlib's level 1 took
/// 0.89 s, into 17.1 MB instead of 17.4 (docs/architecture.md, "The
/// workbook's deflate"). Output goes to memory or to a temporary file.
final class Deflater: @unchecked Sendable {  // used by one thread at a time: the deflating queue (XLSXWriter.send)
    static let level: UInt32 = 1
    /// The stream at a fixed address, and the level's buffer, which igzip's state points into.
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawBufferPointer
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    private var crc: UInt32 = 0
    private var size: UInt64 = 0
    private var compressed: UInt64 = 0
    private var kept: [UInt8] = []
    private let file: TemporaryFile?

    /// Into memory (a sheet's head or tail, the small parts) or, given a
    /// folder, into a temporary file there (a sheet's rows).
    init(temporaryIn folder: String? = nil) throws(IOFailure) {
        file = try folder.map { folder throws(IOFailure) in try TemporaryFile(in: folder) }
        stream = .allocate(capacity: 1)
        // Zeroed in place: the struct is 80 KB (igzip keeps its history in it), too large for a copy on the stack.
        UnsafeMutableRawPointer(stream).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<isal_zstream>.stride)
        levelBuffer = .allocate(byteCount: Int(gongji_isal_level1_buffer_size()), alignment: 64)
        isal_deflate_init(stream)
        stream.pointee.level = Self.level
        stream.pointee.level_buf = levelBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = UInt32(levelBuffer.count)
        stream.pointee.gzip_flag = UInt16(IGZIP_DEFLATE)
    }

    deinit {
        stream.deallocate()
        levelBuffer.deallocate()
    }

    /// Deflates `raw` on.
    func add(_ raw: UnsafeRawBufferPointer) throws(IOFailure) {
        guard let base = raw.baseAddress, !raw.isEmpty else { return }
        crc = crc32_gzip_refl(crc, base.assumingMemoryBound(to: UInt8.self), UInt64(raw.count))  // zlib's crc32
        size += UInt64(raw.count)
        var at = 0
        while at < raw.count {  // igzip counts its input in 32 bits
            let count = min(raw.count - at, 1 << 30)
            try run(UnsafeRawBufferPointer(rebasing: raw[at..<at + count]), flush: NO_FLUSH, end: false)
            at += count
        }
    }

    /// Ends the piece: `last` ends the stream (the entry's last piece);
    /// otherwise a sync flush, so that another piece can follow.
    func finish(last: Bool) throws(IOFailure) -> Deflated {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: last ? NO_FLUSH : SYNC_FLUSH, end: last)
        let storage: Deflated.Storage = file.map { .file($0) } ?? .bytes(kept)
        return Deflated(crc: crc, size: size, compressed: compressed, storage: storage)
    }

    private func run(_ raw: UnsafeRawBufferPointer, flush: Int32, end: Bool) throws(IOFailure) {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: raw.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(raw.count)
        stream.pointee.flush = UInt16(flush)
        stream.pointee.end_of_stream = end ? 1 : 0
        while true {
            let (status, produced) = output.withUnsafeMutableBytes { out -> (Int32, Int) in
                stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_out = UInt32(out.count)
                let status = isal_deflate(stream)
                return (status, out.count - Int(stream.pointee.avail_out))
            }
            guard status == COMP_OK else { throw IOFailure(reason: "igzip: deflate failed (\(status))") }
            if produced > 0 {
                if let file {
                    try output.withRaw { out throws(IOFailure) in
                        try OutputFile.writeAll(file.descriptor, UnsafeRawBufferPointer(rebasing: out[0..<produced]))
                    }
                } else {
                    kept.append(contentsOf: output[0..<produced])
                }
                compressed += UInt64(produced)
            }
            // igzip's manual: it returns when the input is taken or the output is full; once it
            // returns with room left in the output, a sync flush is done. The stream's end is done
            // when its state says so.
            if produced == output.count || stream.pointee.avail_in > 0 { continue }
            if !end || stream.pointee.internal_state.state == ZSTATE_END { return }
            if produced == 0 { throw IOFailure(reason: "igzip: deflate made no progress") }
        }
    }
}

extension [UInt8] {
    /// `withUnsafeBytes` for a body that throws `IOFailure` (Array's rethrows any error).
    func withRaw<R>(_ body: (UnsafeRawBufferPointer) throws(IOFailure) -> R) throws(IOFailure) -> R {
        try withUnsafeBytes { raw in Result { () throws(IOFailure) -> R in try body(raw) } }.get()
    }
}
