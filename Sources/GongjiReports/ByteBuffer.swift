/// Bytes appended into room of its own, for the report writers (the
/// workbook's XML, the CSV files). Most appends are a few bytes (`<c r="`,
/// a comma, an amount's digits), where `Array.append` cost more than the
/// bytes: 5% of a city month's run for the workbook alone (perf); an
/// amount is written straight into the room `room(_:)` makes.
final class ByteBuffer: @unchecked Sendable {  // one thread at a time: a full one is handed to the deflating thread whole
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes so far, valid while the buffer lives and is not appended to.
    var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(count + bytes.count) }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    func removeAll() { count = 0 }

    /// Room for `bytes` more bytes at the end: write them there, then `advance(by:)` as many as written.
    @inline(__always)
    func room(_ bytes: Int) -> UnsafeMutablePointer<UInt8> {
        if count + bytes > capacity { grow(count + bytes) }
        return base + count
    }

    @inline(__always)
    func advance(by written: Int) { count += written }

    /// The decimal digits of `value`, written into room made for them from
    /// the last one back (CSV counts, the workbook's numbers).
    func append(digitsOf value: UInt64) {
        let count = decimalDigitCount(value)
        let out = room(count)
        var rest = value
        var at = count
        while at > 0 {
            at -= 1
            out[at] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
            rest /= 10
        }
        advance(by: count)
    }

    private func grow(_ needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}

/// How many decimal digits `value` has (1 for 0, 20 at most), without a
/// loop: the bit length times log10(2) (1233 / 4096) is the count or one
/// less, and one comparison with a power of ten tells which. Counting with
/// a loop of multiplications was the hottest part of writing an amount (a
/// city year writes 36 million that are not zero into its balances files).
@inline(__always)
func decimalDigitCount(_ value: UInt64) -> Int {
    let bits = UInt64.bitWidth - (value | 1).leadingZeroBitCount
    let estimate = (bits * 1233) >> 12  // the count, or one less (Swift shifts before it multiplies)
    return estimate + ((value | 1) >= powerOfTen(estimate) ? 1 : 0)  // 0 has one digit too
}

/// 10^exponent for 0 ... 19 (all that fit in 64 bits).
@inline(__always)
private func powerOfTen(_ exponent: Int) -> UInt64 {
    switch exponent {
    case 0: 1
    case 1: 10
    case 2: 100
    case 3: 1_000
    case 4: 10_000
    case 5: 100_000
    case 6: 1_000_000
    case 7: 10_000_000
    case 8: 100_000_000
    case 9: 1_000_000_000
    case 10: 10_000_000_000
    case 11: 100_000_000_000
    case 12: 1_000_000_000_000
    case 13: 10_000_000_000_000
    case 14: 100_000_000_000_000
    case 15: 1_000_000_000_000_000
    case 16: 10_000_000_000_000_000
    case 17: 100_000_000_000_000_000
    case 18: 1_000_000_000_000_000_000
    default: 10_000_000_000_000_000_000
    }
}
