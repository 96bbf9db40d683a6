import Foundation

/// A file mapped read-only into memory. The CSV reader scans UTF-8 files in
/// place through it: no read() copies (a fifth of a roster's time went to
/// the kernel copying chunks), and the SHA-256 for the manifest is taken on
/// the second core from the same pages.
///
/// Unsafe because mmap is: this object owns the mapping (made by `mmap` in
/// `init`, removed by `munmap` in `deinit`), so `bytes` is valid while it
/// lives; the CSV reader that holds it keeps it alive. Other modules see the
/// bytes only as a span, for the duration of `withBytes`.
public final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let length: Int

    /// Nil when the file cannot be mapped (empty, or not a regular file); the
    /// caller then reads it in chunks.
    public init?(path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else { return nil }
        length = Int(status.st_size)
        guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else { return nil }
        madvise(address, length, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: address, count: length)
    }

    /// The whole file, for the duration of `body`.
    public func withBytes<R>(_ body: (RawSpan) throws -> R) rethrows -> R { try body(bytes.bytes) }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), length) }
    }

    /// Lets the kernel drop the pages before `offset` from this process's
    /// memory (they are read again from the page cache if touched).
    func release(before offset: Int) { release(0..<offset) }

    /// Lets the kernel drop the whole pages within `range` from this
    /// process's memory (read again from the page cache if touched): for
    /// the reader of a part that is done with it, such as the hash taken on
    /// the other core, which otherwise left every page it read in memory
    /// until the CSV reader came by (51 MB of an 80 MB roster, measured).
    public func release(_ range: Range<Int>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (max(range.lowerBound, 0) + page - 1) / page * page
        let end = min(range.upperBound, length) / page * page
        guard end > start, let base = bytes.baseAddress else { return }
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}
