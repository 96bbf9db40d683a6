import Foundation
import CDirectIO
import GongjiDomain

/// Writes a file so that readers see either the old file or the whole new
/// one, never a half-written report: write a temporary file in the same
/// folder, flush it to disk, then rename it over the target.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        /// Why, in either language (`Phrase`).
        public var reason: Phrase
        public var phrase: Phrase { "\(path): cannot write: \(reason)" }
        public var description: String { phrase.english }
    }

    /// Writes `data` whole, as a `Stream` writes it.
    public static func write(_ data: Data, to url: URL) throws(WriteError) {
        let stream = try Stream(to: url)
        if let failure = data.withUnsafeBytes({ stream.append($0) }) { throw failure }
        try stream.commit()
    }

    public static func write(_ text: String, to url: URL) throws(WriteError) {
        try write(Data(text.utf8), to: url)
    }

    /// Puts a file another writer made and flushed beside its target (a
    /// workbook, XLSXWriter) in place at once; on failure the file is removed.
    public static func place(_ partial: URL, at url: URL) throws(WriteError) {
        guard rename(partial.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial.path)
            throw WriteError(path: url.path, reason: "cannot put the file in place (\(reason))")
        }
    }

    /// A file written in pieces, atomically: nothing is visible at `url`
    /// until `commit`, and then the whole file is.
    ///
    /// A large file goes to disk past the page cache (O_DIRECT) where the
    /// file system allows it, a block while the next fills: a city month's
    /// balances file is 76 MB, and the kernel's copy of those bytes into the
    /// page cache was a tenth of a city year's processor time
    /// (docs/architecture.md, "Reports past the page cache").
    public final class Stream {
        private let url: URL
        private let temporary: URL
        private let disk: Disk
        /// The block being filled, and the one the disk's queue may still be writing.
        private var filling: UnsafeMutableRawPointer?
        private var spare: UnsafeMutableRawPointer?
        private var staged = 0
        /// Whether the disk's `direct` was decided: at the first block written.
        private var decided: Bool
        /// A block's size: the bytes staged before they are written.
        static let blockSize = 2 << 20
        /// A file of at least this many bytes is written past the page cache.
        static let directLeast = 1 << 20
        /// O_DIRECT's alignment of addresses, lengths and offsets (the
        /// largest logical block size of common disks).
        static let alignment = 4096
        /// O_DIRECT's value here; 0 where the system has none.
        static let directFlag = gongji_o_direct()

        /// Whether the file's blocks went past the page cache (for tests).
        var wentPastPageCache: Bool {
            disk.pending.wait()
            return disk.direct
        }

        /// `pastPageCache: false` keeps every write in the page cache;
        /// `refusedPastPageCache` makes the disk refuse O_DIRECT writes (both for tests).
        public convenience init(to url: URL, pastPageCache: Bool = true) throws(WriteError) {
            try self.init(to: url, pastPageCache: pastPageCache, refusedPastPageCache: false)
        }

        init(to url: URL, pastPageCache: Bool, refusedPastPageCache: Bool) throws(WriteError) {
            self.url = url
            decided = !pastPageCache
            let folder = url.deletingLastPathComponent()
            temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw WriteError(path: folder.path, reason: "cannot create the folder")
            }
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { throw WriteError(path: url.path, reason: Phrase(verbatim: String(cString: strerror(errno)))) }
            disk = Disk(descriptor: descriptor, refuseDirect: refusedPastPageCache)
        }

        deinit {
            disk.pending.wait()
            Blocks.shared.give(filling)
            Blocks.shared.give(spare)
            if disk.descriptor >= 0 {
                close(disk.descriptor)
                unlink(temporary.path)
            }
        }

        /// Appends `bytes` to the temporary file.
        public func write(_ bytes: Span<UInt8>) throws(WriteError) {
            if let failure = bytes.withUnsafeBytes({ append($0) }) { throw failure }
        }

        /// Stages `buffer`'s bytes, handing each full block to the disk; why not, or nil.
        fileprivate func append(_ buffer: UnsafeRawBufferPointer) -> WriteError? {
            guard var from = buffer.baseAddress else { return nil }
            var left = buffer.count
            while left > 0 {
                let block = filling ?? Blocks.shared.take()
                filling = block
                let count = min(left, Self.blockSize - staged)
                (block + staged).copyMemory(from: from, byteCount: count)
                staged += count
                from += count
                left -= count
                if staged == Self.blockSize, let reason = send(last: false) { return error(reason) }
            }
            return nil
        }

        /// Flushes to disk and renames over the target.
        public func commit() throws(WriteError) {
            var failure = send(last: true)
            if failure == nil, fsync(disk.descriptor) != 0 { failure = String(cString: strerror(errno)) }
            close(disk.descriptor)
            disk.descriptor = -1
            if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
            if let failure {
                unlink(temporary.path)
                throw error(failure)
            }
        }

        private func error(_ reason: String) -> WriteError {
            WriteError(path: url.path, reason: Phrase(verbatim: reason))
        }

        /// The blocks of streams that were written, for the next: a new
        /// block's pages are each faulted in and cleared by the kernel, and
        /// a month's reports go through a few of them a second.
        final class Blocks: @unchecked Sendable {
            static let shared = Blocks()
            private let lock = NSLock()
            private var free: [UnsafeMutableRawPointer] = []
            /// A run's reports lane writes one stream at a time: its two blocks.
            static let kept = 2

            func take() -> UnsafeMutableRawPointer {
                lock.withLock { free.popLast() }
                    ?? UnsafeMutableRawPointer.allocate(byteCount: Stream.blockSize, alignment: Stream.alignment)
            }

            func give(_ block: UnsafeMutableRawPointer?) {
                guard let block else { return }
                let kept = lock.withLock {
                    guard free.count < Self.kept else { return false }
                    free.append(block)
                    return true
                }
                if !kept { block.deallocate() }
            }
        }

        /// Hands the staged bytes to the disk's queue (the last ones: writes
        /// them and waits). Returns why an earlier or this write failed.
        private func send(last: Bool) -> String? {
            disk.pending.wait()
            if let failure = disk.failure { return failure }
            guard let block = filling, staged > 0 else { return nil }
            if !decided, staged >= Self.directLeast {
                decided = true
                disk.direct = disk.setDirect(true)
            }
            let count = staged
            staged = 0
            if last {
                disk.write(block, count: count)
                return disk.failure
            }
            filling = spare
            spare = block
            disk.pending.enter()
            let disk = disk
            let address = UInt(bitPattern: block)
            disk.queue.async {
                disk.write(UnsafeMutableRawPointer(bitPattern: address)!, count: count)
                disk.pending.leave()
            }
            return nil
        }

        /// The file's descriptor and what its writes found. Only one write
        /// runs at a time: `send` waits for `pending` before it starts or
        /// queues the next, and reads `failure` and `direct` only then.
        private final class Disk: @unchecked Sendable {
            var descriptor: Int32
            var direct = false
            var failure: String?
            var written = 0
            /// For tests: every O_DIRECT write fails as a file system that takes none would fail it.
            let refuseDirect: Bool
            let pending = DispatchGroup()
            let queue = DispatchQueue(label: "gongji.atomic-file")

            init(descriptor: Int32, refuseDirect: Bool) {
                self.descriptor = descriptor
                self.refuseDirect = refuseDirect
            }

            func setDirect(_ on: Bool) -> Bool {
                let flag = Stream.directFlag
                guard flag != 0 else { return false }
                let flags = fcntl(descriptor, F_GETFL)
                guard flags >= 0 else { return false }
                return fcntl(descriptor, F_SETFL, on ? flags | flag : flags & ~flag) == 0
            }

            /// Writes `count` bytes at `block`. Past the page cache, a last
            /// block is padded to the alignment and the file cut back.
            func write(_ block: UnsafeMutableRawPointer, count: Int) {
                var length = count
                if direct, count % Stream.alignment != 0 {
                    length = (count + Stream.alignment - 1) / Stream.alignment * Stream.alignment
                    (block + count).initializeMemory(as: UInt8.self, repeating: 0, count: length - count)
                }
                var offset = 0
                while offset < length {
                    let refused = refuseDirect && direct
                    let done = refused ? -1 : Foundation.write(descriptor, block + offset, length - offset)
                    let code = refused ? EINVAL : errno
                    if done < 0 {
                        if code == EINTR { continue }
                        // The file system takes no O_DIRECT writes: the file goes through the page
                        // cache, then. Only at its first write: a later refusal would be a fault of
                        // this code's alignment, and is told.
                        if code == EINVAL, direct, written == 0, offset == 0, setDirect(false) {
                            direct = false
                            length = count
                            continue
                        }
                        failure = String(cString: strerror(code))
                        return
                    }
                    offset += done
                }
                written += count
                if length != count, ftruncate(descriptor, off_t(written)) != 0 {
                    failure = String(cString: strerror(errno))
                }
            }
        }
    }
}
