import Foundation
import GongjiDomain

/// The credits of the months waiting to be settled, on disk
/// (`CreditStash`; docs/architecture.md, "Memory"): a city's year is read
/// at once, and its later months' credit columns and base findings, about
/// 70 MB, would otherwise be held while the first months settle. One file
/// in the run's spool folder (`ClaimSpool`: readable by this user only,
/// since the findings hold full IDs), which loses its name as soon as it is
/// opened, so nothing is left on disk when the process ends, however it ends.
final class CreditSpool: CreditStash, @unchecked Sendable {  // used by the job's thread; `writer` writes
    private let handle: FileHandle
    private let url: URL
    private var end: UInt64 = 0
    private var places: [YearMonth: (offset: UInt64, count: Int)] = [:]
    /// Writes what `keep` is given, in order, on a thread of its own: the
    /// job's thread packs the next month meanwhile, then prepares the
    /// settlement and settles the first month. Written on the job's thread,
    /// the 75 MB of a city year took it 0.3 s before the first month could
    /// settle, most of it the kernel copying the bytes (docs/architecture.md,
    /// "Memory"). Each month's bytes are let go once written, as the book
    /// lets go of its column once packed.
    private let writer = DispatchQueue(label: "gongji.credit-spool")
    /// The first month whose bytes could not be written, and why: set on
    /// `writer`, read through it.
    private var failure: (month: YearMonth, reason: String)?

    /// The file's name while it has one: in messages.
    static func url(in folder: URL) -> URL { folder.appendingPathComponent("credits") }

    /// A spool in `folder` (the claim spool's).
    init(in folder: URL) throws(RunError) {
        url = Self.url(in: folder)
        do {
            handle = try ClaimSpool.unnamedFile(url)
        } catch {
            throw RunError("\(url.path): cannot make a file for the credits of the months to come: \(error.localizedDescription)")
        }
    }

    deinit {
        writer.sync {}
        try? handle.close()
    }

    /// Keeps `bytes` for `month`: they are written on `writer`; a failure
    /// is told by the next `take`.
    func keep(_ bytes: [UInt8], for month: YearMonth) throws {
        let offset = end
        places[month] = (offset, bytes.count)
        end += UInt64(bytes.count)
        let descriptor = handle.fileDescriptor
        writer.async { [self] in
            guard failure == nil else { return }
            if let reason = Self.write(bytes, to: descriptor, at: offset) { failure = (month, reason) }
        }
    }

    func take(_ month: YearMonth) throws -> [UInt8] {
        if let failed = writer.sync(execute: { failure }) {
            throw RunError("\(url.path): cannot keep the credits of \(failed.month.text) until it settles: \(failed.reason)")
        }
        guard let place = places.removeValue(forKey: month) else {
            throw RunError("\(url.path): no credits of \(month.text) were kept")
        }
        var reason: String?
        let descriptor = handle.fileDescriptor
        // Read straight into the array: through `Data`, each month's bytes were copied twice more.
        let bytes = [UInt8](unsafeUninitializedCapacity: place.count) { buffer, initialized in
            var done = 0
            while done < place.count, let base = buffer.baseAddress {
                let count = pread(descriptor, base + done, place.count - done, off_t(place.offset) + off_t(done))
                if count < 0 && errno == EINTR { continue }
                if count < 0 { reason = String(cString: strerror(errno)) }
                if count <= 0 { break }
                done += count
            }
            initialized = done
        }
        if let reason {
            throw RunError("\(url.path): cannot read the credits of \(month.text) back: \(reason)")
        }
        guard bytes.count == place.count else {
            throw RunError("\(url.path): the credits of \(month.text) came back short (\(bytes.count) of \(place.count) bytes)")
        }
        return bytes
    }

    /// Writes all of `bytes` at `offset`; why not, or nil.
    private static func write(_ bytes: [UInt8], to descriptor: Int32, at offset: UInt64) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let count = pwrite(descriptor, base + done, raw.count - done, off_t(offset) + off_t(done))
                if count < 0 && errno == EINTR { continue }
                if count < 0 { return String(cString: strerror(errno)) }
                if count == 0 { return String(cString: strerror(EIO)) }  // no progress: as the system says it
                done += count
            }
            return nil
        }
    }
}
