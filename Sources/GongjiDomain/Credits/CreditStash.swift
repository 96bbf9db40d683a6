/// Where a run keeps the credits of the months that wait to be settled
/// (docs/architecture.md, "Memory"). A city's year of roster files is read
/// at once, before the first month settles; each month's credit column and
/// base findings (4 MB and about 3 MB for a million persons) then wait in
/// the stash, not in memory, until their month is taken
/// (`CreditBook.stash(into:keeping:)`, `CreditBook.take(_:)`). The
/// pipeline's stash is a file (GongjiPipeline/CreditSpool.swift); the
/// domain sees bytes only.
public protocol CreditStash: AnyObject, Sendable {
    /// Keeps `bytes` under `month`, until `take(_:)` asks for them.
    func keep(_ bytes: [UInt8], for month: YearMonth) throws
    /// The bytes kept under `month`, given once.
    func take(_ month: YearMonth) throws -> [UInt8]
}

/// A stash whose bytes came back other than they went in.
public struct DamagedCredits: Error, Sendable, CustomStringConvertible {
    public var month: YearMonth
    public var description: String { "the credits of \(month.text) came back from their stash damaged" }
}

/// Little-endian integers into a byte array (what a stash keeps).
struct Packer {
    var bytes: [UInt8] = []

    /// Room for `capacity` bytes at once: grown by doubling, a month's 4 MB
    /// column was copied and its new pages faulted in several times over.
    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// The count, then every value.
    mutating func put<T: FixedWidthInteger>(all values: [T]) {
        put(Int64(values.count))
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in values { put(value) }
        #endif
    }
}

/// Reads back what a `Packer` wrote; nil once the bytes run short.
struct Unpacker {
    let bytes: [UInt8]
    var at = 0

    var atEnd: Bool { at == bytes.count }

    mutating func take<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = MemoryLayout<T>.size
        guard at + size <= bytes.count else { return nil }
        defer { at += size }
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: T.self)) }
    }

    mutating func takeAll<T: FixedWidthInteger>(_: T.Type) -> [T]? {
        guard let stated = take(Int64.self), stated >= 0, stated <= Int64((bytes.count - at) / MemoryLayout<T>.size) else {
            return nil
        }
        let count = Int(stated)
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                for index in 0..<count {
                    buffer[index] = T(littleEndian: raw.loadUnaligned(fromByteOffset: at + index * MemoryLayout<T>.size,
                                                                      as: T.self))
                }
            }
            initialized = count
        }
        at += count * MemoryLayout<T>.size
        return values
    }
}

extension MonthCredits {
    /// The credit column and the base findings as bytes; the totals by
    /// region and band (a few rows) stay in the book.
    func packed() -> [UInt8] {
        var packer = Packer(capacity: column.packedCount + 8 + findings.count * 29)
        column.pack(into: &packer)
        packer.put(Int64(findings.count))
        for row in findings {
            packer.put(row.person.key)
            packer.put(row.region.value)
            packer.put(row.finding.base.fen)
            packer.put(row.finding.bound.fen)
            packer.put(UInt8(row.finding.side == .belowFloor ? 0 : 1))
        }
        return packer.bytes
    }

    /// Puts back the column and findings of `packed()`; false, and nothing changed, if the bytes are not such.
    mutating func unpack(_ bytes: [UInt8]) -> Bool {
        var unpacker = Unpacker(bytes: bytes)
        guard let column = CreditColumn(unpacking: &unpacker), let count = unpacker.take(Int64.self),
              count >= 0, count <= Int64(bytes.count / 29) else { return false }
        var findings: [BaseFindingRow] = []
        findings.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let key = unpacker.take(UInt64.self), let value = unpacker.take(UInt32.self),
                  let region = RegionCode(value: value), let base = unpacker.take(Int64.self),
                  let bound = unpacker.take(Int64.self), let side = unpacker.take(UInt8.self), side <= 1 else { return false }
            findings.append(BaseFindingRow(person: ResidentID(key: key), region: region,
                                           finding: BaseFinding(side: side == 0 ? .belowFloor : .aboveCap,
                                                                base: Money(fen: base), bound: Money(fen: bound))))
        }
        guard unpacker.atEnd else { return false }
        self.column = column
        self.findings = findings
        return true
    }
}
