import Foundation
import GongjiDomain

/// The credits of the months waiting to be settled, on disk
/// (`CreditStash`; docs/architecture.md, "Memory"): a city's year is read
/// at once, and its later months' credit columns and base findings, about
/// 70 MB, would otherwise be held while the first months settle. One file
/// in the run's spool folder (`ClaimSpool`: readable by this user only,
/// since the findings hold full IDs), which loses its name as soon as it is
/// opened, so nothing is left on disk when the process ends, however it ends.
final class CreditSpool: CreditStash, @unchecked Sendable {  // used by the job's thread only
    private let handle: FileHandle
    private let url: URL
    private var end: UInt64 = 0
    private var places: [YearMonth: (offset: UInt64, count: Int)] = [:]

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

    deinit { try? handle.close() }

    func keep(_ bytes: [UInt8], for month: YearMonth) throws {
        do {
            try handle.seek(toOffset: end)
            try handle.write(contentsOf: bytes)
        } catch {
            throw RunError("\(url.path): cannot keep the credits of \(month.text) until it settles: \(error.localizedDescription)")
        }
        places[month] = (end, bytes.count)
        end += UInt64(bytes.count)
    }

    func take(_ month: YearMonth) throws -> [UInt8] {
        guard let place = places.removeValue(forKey: month) else {
            throw RunError("\(url.path): no credits of \(month.text) were kept")
        }
        let data: Data
        do {
            try handle.seek(toOffset: place.offset)
            data = try handle.read(upToCount: place.count) ?? Data()
        } catch {
            throw RunError("\(url.path): cannot read the credits of \(month.text) back: \(error.localizedDescription)")
        }
        guard data.count == place.count else {
            throw RunError("\(url.path): the credits of \(month.text) came back short (\(data.count) of \(place.count) bytes)")
        }
        return [UInt8](data)
    }
}
