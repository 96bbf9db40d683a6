import Foundation
import GongjiDomain

/// The accepted claims of a run, kept on disk by month until their month is
/// settled, so that memory holds one month of claims however many months
/// the usage files hold (a city's year is 2.4M claims, about 170 MB in
/// memory). One file per month in a folder of its own under the temporary
/// folder, readable by this user only (the records hold full IDs). Each file
/// loses its name as soon as it is opened: it lives on through the open
/// handle, and nothing is left on disk when the process ends, however it
/// ends (only the empty folder, if it is killed).
///
/// A record: person (8 bytes), day ordinal and second (4 + 4), amount in fen
/// (8), region code (4), category (1), the claim ID's length (2) and bytes.
final class ClaimSpool: ClaimSource, @unchecked Sendable {  // filled by one lane, then read by the job's thread
    let folder: URL
    @exclusivity(unchecked) private var pending: [YearMonth: [UInt8]] = [:]
    @exclusivity(unchecked) private var handles: [YearMonth: FileHandle] = [:]
    @exclusivity(unchecked) private(set) var counts: [YearMonth: Int] = [:]
    /// A month's records are written out once this many bytes wait.
    private let flushAt = 1 << 20

    static let prefix = "gongji-claims-"

    init() throws(RunError) {
        ClaimSpool.removeLeftovers()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(ClaimSpool.prefix)\(getpid())-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw RunError("\(folder.path): cannot make a folder for the month's claims: \(error.localizedDescription)")
        }
    }

    /// The empty folders of runs that were killed (their files had no names
    /// already; only the folder stayed).
    static func removeLeftovers() {
        let files = FileManager.default
        let temporary = files.temporaryDirectory
        for name in (try? files.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid(), kill(pid, 0) != 0 else {
                continue
            }
            let url = temporary.appendingPathComponent(name)
            if (try? files.contentsOfDirectory(atPath: url.path))?.isEmpty == true { try? files.removeItem(at: url) }
        }
    }

    deinit {
        for handle in handles.values { try? handle.close() }
        try? FileManager.default.removeItem(at: folder)
    }

    var months: Set<YearMonth> { Set(counts.keys) }

    /// The month being appended to and its waiting bytes: usage files
    /// mostly hold one month, so a claim seldom touches `pending`.
    @exclusivity(unchecked) private var current: YearMonth?
    @exclusivity(unchecked) private var bytes: [UInt8] = []
    private let categories = ClaimSpool.categories

    func append(_ claim: Claim) throws(RunError) {
        let month = YearMonth(claim.occurredAt.day)
        if month != current {
            if let current { pending[current] = bytes }
            bytes = pending.removeValue(forKey: month) ?? []
            current = month
        }
        counts[month, default: 0] += 1
        put(claim.person.key)
        put(Int32(claim.occurredAt.day.ordinal))
        put(Int32(claim.occurredAt.second))
        put(claim.amount.fen)
        put(claim.region.value)
        put(UInt8(categories.firstIndex(of: claim.category) ?? 0))
        var id = claim.id
        id.withUTF8 { utf8 in
            let kept = UnsafeBufferPointer(rebasing: utf8.prefix(Int(UInt16.max)))
            put(UInt16(kept.count))
            bytes.append(contentsOf: kept)
        }
        if bytes.count >= flushAt {
            try write(bytes, month)
            bytes.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always)
    private func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes every waiting record out.
    func finish() throws(RunError) {
        if let current { pending[current] = bytes }
        current = nil
        bytes = []
        for (month, bytes) in pending where !bytes.isEmpty { try write(bytes, month) }
        pending = [:]
    }

    private func write(_ bytes: [UInt8], _ month: YearMonth) throws(RunError) {
        let url = folder.appendingPathComponent("\(month.text).claims")
        do {
            if handles[month] == nil {
                handles[month] = try Self.unnamedFile(url)
            }
            try handles[month]?.write(contentsOf: bytes)
        } catch {
            throw RunError("\(url.path): cannot write the month's claims: \(error.localizedDescription)")
        }
    }

    /// A new file at `url`, readable by this user only, opened and then
    /// unlinked: the open handle keeps it, and nothing is left on disk when
    /// the process ends (CreditSpool uses it too).
    static func unnamedFile(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forUpdating: url)
        try FileManager.default.removeItem(at: url)
        return handle
    }

    /// The month's claims, in settlement order.
    func claims(in month: YearMonth) throws(RunError) -> [Claim] {
        guard let count = counts[month], count > 0 else { return [] }
        var data = Data()
        do {
            if let handle = handles[month] {
                try handle.seek(toOffset: 0)
                data = try handle.readToEnd() ?? Data()
            }
        } catch {
            throw RunError("\(folder.path): cannot read the claims of \(month.text) back: \(error.localizedDescription)")
        }
        var claims: [Claim] = []
        claims.reserveCapacity(count)
        let complete = data.withUnsafeBytes { raw -> Bool in
            var at = 0
            func take<T: FixedWidthInteger>(_: T.Type) -> T? {
                guard at + MemoryLayout<T>.size <= raw.count else { return nil }
                defer { at += MemoryLayout<T>.size }
                return T(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: T.self))
            }
            while at < raw.count {
                guard let key = take(UInt64.self), let ordinal = take(Int32.self), let second = take(Int32.self),
                      let fen = take(Int64.self), let region = take(UInt32.self), let category = take(UInt8.self),
                      let length = take(UInt16.self), at + Int(length) <= raw.count, let code = RegionCode(value: region),
                      Int(category) < ClaimSpool.categories.count, (0..<86_400).contains(second) else { return false }
                let id = String(decoding: raw[at..<at + Int(length)], as: UTF8.self)
                at += Int(length)
                claims.append(Claim(id: id, person: ResidentID(key: key),
                                    occurredAt: Timestamp(day: Day(ordinal: Int(ordinal)), second: Int(second)),
                                    region: code, category: ClaimSpool.categories[Int(category)],
                                    amount: Money(fen: fen)))
            }
            return true
        }
        guard complete, claims.count == count else {
            throw RunError("\(folder.path): the claims of \(month.text) came back damaged")
        }
        return Self.inSettlementOrder(claims)
    }

    /// `claims` sorted by `Claim.settlementOrder` (occurred_at, then
    /// claim_id): their times (`Timestamp.seconds`, which orders them), with each claim's place,
    /// sorted as pairs of integers, the IDs compared only between claims of
    /// the same second. Sorting the claims themselves moved 70-byte values
    /// and compared tuples: 85% of the time to read a city month's claims
    /// back (perf).
    static func inSettlementOrder(_ claims: [Claim]) -> [Claim] {
        var keys = claims.indices.map { (time: claims[$0].occurredAt.seconds, place: Int32($0)) }
        keys.sort { lhs, rhs in
            lhs.time != rhs.time ? lhs.time < rhs.time : claims[Int(lhs.place)].id < claims[Int(rhs.place)].id
        }
        return keys.map { claims[Int($0.place)] }
    }

    static let categories = UsageCategory.allCases
}
