/// The insurance scheme a person is in.
public enum Scheme: String, Hashable, Sendable, CaseIterable {
    case employee, resident
}

/// An insured person (persons.csv), as settlement needs them. The name and
/// tier are not kept in memory: they go to the store as the file is read.
public struct Person: Hashable, Sendable {
    public var id: ResidentID
    public var region: RegionCode
    public var scheme: Scheme

    public init(id: ResidentID, region: RegionCode, scheme: Scheme) {
        self.id = id
        self.region = region
        self.scheme = scheme
    }
}

/// Every insured person of a run, in a compact table: an open-addressing
/// hash from the packed ID to a dense index, and the attributes in arrays by
/// that index. Per-person state elsewhere (balances, credits) is kept in
/// arrays by the same index. A Dictionary of structs was 3× slower to look
/// up and twice the size at a million persons (issue 6's probe).
public struct PersonTable: Sendable {
    /// Hash slots of 8 bytes: a 32-bit fingerprint of the key beside the
    /// dense index (0: empty). Two million slots for a million persons are
    /// 16 MiB, which mostly stays in the processor's cache; the ID itself is
    /// compared only when the fingerprints agree.
    private var slots: [UInt64]
    private var shift: UInt64
    public private(set) var ids: [ResidentID] = []
    public private(set) var regions: [RegionCode] = []
    public private(set) var schemes: [Scheme] = []

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        ids.reserveCapacity(capacity)
        regions.reserveCapacity(capacity)
        schemes.reserveCapacity(capacity)
    }

    public init(_ persons: some Sequence<Person>) {
        self.init()
        for person in persons { insert(person) }
    }

    public var count: Int { ids.count }

    /// The slot to start at and the fingerprint, from one multiplication.
    @inline(__always)
    private func place(_ key: UInt64) -> (slot: Int, fingerprint: UInt64) {
        let hash = key &* 0x9E37_79B9_7F4A_7C15
        return (Int(hash >> shift), (hash & 0xFFFF_FFFF | 1) << 32)
    }

    /// The dense index of the person with this packed ID.
    public func index(of key: UInt64) -> Int? {
        let (start, fingerprint) = place(key)
        return slots.withUnsafeBufferPointer { slots in
            ids.withUnsafeBufferPointer { ids in
                var slot = start
                let mask = slots.count - 1
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    if entry & 0xFFFF_FFFF_0000_0000 == fingerprint {
                        let index = Int(entry & 0xFFFF_FFFF)
                        if ids[index].key == key { return index }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The same, trying `hint` and the next two first: rosters usually list
    /// persons in the order of persons.csv, leaving out a few (those of the
    /// resident scheme), so the next row's person is often at the next index
    /// or one after, found without touching the hash table.
    @inline(__always)
    public func index(of key: UInt64, hint: Int) -> Int? {
        if hint >= 0 {
            let end = min(hint + 3, ids.count)
            var index = hint
            while index < end {
                if ids[index].key == key { return index }
                index += 1
            }
        }
        return index(of: key)
    }

    /// Gives back the room reserved beyond the persons inserted (the
    /// reading reserves more than a file usually holds): a city's IDs,
    /// regions and schemes took 23 MB at a run's peak for 13 MB of them.
    /// The hash slots stay.
    public mutating func trim() {
        ids = ids.withUnsafeBufferPointer { Array($0) }
        regions = regions.withUnsafeBufferPointer { Array($0) }
        schemes = schemes.withUnsafeBufferPointer { Array($0) }
    }

    /// Makes room for `count` persons at once.
    public mutating func reserve(_ count: Int) {
        guard count * 2 > slots.count else { return }
        var size = slots.count
        while size < count * 2 { size <<= 1 }
        ids.reserveCapacity(count)
        regions.reserveCapacity(count)
        schemes.reserveCapacity(count)
        rehash(size)
    }

    /// Adds a person; false (and nothing changed) when the ID is there already.
    @discardableResult
    public mutating func insert(_ person: Person) -> Bool {
        if (ids.count + 1) * 2 > slots.count { rehash(slots.count * 2) }
        let key = person.id.key
        var (slot, fingerprint) = place(key)
        let mask = slots.count - 1
        while slots[slot] != 0 {
            let entry = slots[slot]
            if entry & 0xFFFF_FFFF_0000_0000 == fingerprint, ids[Int(entry & 0xFFFF_FFFF)].key == key { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = fingerprint | UInt64(ids.count)
        ids.append(person.id)
        regions.append(person.region)
        schemes.append(person.scheme)
        return true
    }

    /// Inserts `persons` in order, as `insert` one by one would; gives the
    /// positions of those already in the table (not inserted).
    ///
    /// Inserting one at a time, each insert waits for its slot to come from
    /// memory. Here a first pass only reads every person's first slot: the
    /// reads do not depend on each other, so the processor has many under
    /// way at once, and the inserts then find the slots in its cache
    /// (measured: the inserts of a million persons 2× faster).
    public mutating func insert(contentsOf persons: [Person]) -> [Int] {
        let needed = ids.count + persons.count
        if needed * 2 > slots.count {
            var size = slots.count
            while size < needed * 2 { size <<= 1 }
            rehash(size)
        }
        var touched: UInt64 = 0
        slots.withUnsafeBufferPointer { slots in
            for person in persons { touched |= slots[place(person.id.key).slot] }
        }
        touchedSink = touched  // the reads above are kept for their effect on the cache
        var duplicates: [Int] = []
        for (position, person) in persons.enumerated() where !insert(person) { duplicates.append(position) }
        return duplicates
    }

    private var touchedSink: UInt64 = 0

    private mutating func rehash(_ size: Int) {
        slots = [UInt64](repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        let mask = size - 1
        for (index, id) in ids.enumerated() {
            var (slot, fingerprint) = place(id.key)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = fingerprint | UInt64(index)
        }
    }

    public func person(at index: Int) -> Person {
        Person(id: ids[index], region: regions[index], scheme: schemes[index])
    }

    public subscript(key: UInt64) -> Person? { index(of: key).map(person(at:)) }

    /// Dense indices in ID order.
    public func indicesInIDOrder() -> [Int32] {
        // A least-significant-digit radix sort of (key, index) pairs, 11 bits
        // a pass: keys are below 2^60 (17 digits and a check, packed), so at
        // most six passes, each a count and a scatter. A million persons sort in about
        // 20 ms where the standard library's comparison sort took 100 ms.
        var pairs = ids.indices.map { (key: ids[$0].key, index: Int32($0)) }
        var other = pairs
        let bits = 11, mask: UInt64 = (1 << 11) - 1
        let largest = ids.lazy.map(\.key).max() ?? 0
        var shift = 0
        repeat {
            var counts = [Int](repeating: 0, count: 1 << bits)
            for pair in pairs { counts[Int(pair.key >> UInt64(shift) & mask)] += 1 }
            var total = 0
            for digit in counts.indices {
                let count = counts[digit]
                counts[digit] = total
                total += count
            }
            for pair in pairs {
                let digit = Int(pair.key >> UInt64(shift) & mask)
                other[counts[digit]] = pair
                counts[digit] += 1
            }
            swap(&pairs, &other)
            shift += bits
        } while shift < 64 && largest >> UInt64(shift) != 0
        return pairs.map(\.index)
    }
}
