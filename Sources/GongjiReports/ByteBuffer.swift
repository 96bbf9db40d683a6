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
        var count = 1
        var power: UInt64 = 10
        while count < 20 && value >= power {  // UInt64's 20 digits at most
            count += 1
            power &*= 10
        }
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
