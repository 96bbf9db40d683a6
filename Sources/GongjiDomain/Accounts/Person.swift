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

/// `张*`: the first character and a star for each of the rest.
public func maskedName(_ name: String) -> String {
    guard let first = name.first else { return name }
    return String(first) + String(repeating: "*", count: max(1, name.count - 1))
}

/// Every insured person of a run, in a compact table: an open-addressing
/// hash from the packed ID to a dense index, and the attributes in arrays by
/// that index. Per-person state elsewhere (balances, credits) is kept in
/// arrays by the same index. A Dictionary of structs was 3× slower to look
/// up and twice the size at a million persons (issue 6's probe).
public struct PersonTable: Sendable {
    /// A hash slot: the key beside its index, so a lookup touches one cache line.
    struct Slot {
        var key: UInt64
        var index: Int32
    }
    private var slots: [Slot]
    private var shift: UInt64
    public private(set) var ids: [ResidentID] = []
    public private(set) var regions: [RegionCode] = []
    public private(set) var schemes: [Scheme] = []

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, index: -1), count: size)
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

    @inline(__always)
    private func slot(for key: UInt64) -> Int { Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The dense index of the person with this packed ID.
    public func index(of key: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            var slot = slot(for: key)
            let mask = slots.count - 1
            while true {
                let entry = slots[slot]
                if entry.index < 0 { return nil }
                if entry.key == key { return Int(entry.index) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The same, trying `hint` first: rosters usually list persons in the
    /// order of persons.csv, so the next row's person is often the next index,
    /// found without touching the hash table.
    @inline(__always)
    public func index(of key: UInt64, hint: Int) -> Int? {
        if hint >= 0, hint < ids.count, ids[hint].key == key { return hint }
        return index(of: key)
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
        if (ids.count + 1) * 2 > slots.count { grow() }
        let key = person.id.key
        var slot = slot(for: key)
        let mask = slots.count - 1
        while slots[slot].index >= 0 {
            if slots[slot].key == key { return false }
            slot = (slot + 1) & mask
        }
        slots[slot] = Slot(key: key, index: Int32(ids.count))
        ids.append(person.id)
        regions.append(person.region)
        schemes.append(person.scheme)
        return true
    }

    private mutating func grow() { rehash(slots.count * 2) }

    private mutating func rehash(_ size: Int) {
        slots = [Slot](repeating: Slot(key: 0, index: -1), count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        let mask = size - 1
        for (index, id) in ids.enumerated() {
            var slot = slot(for: id.key)
            while slots[slot].index >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Slot(key: id.key, index: Int32(index))
        }
    }

    public func person(at index: Int) -> Person {
        Person(id: ids[index], region: regions[index], scheme: schemes[index])
    }

    public subscript(key: UInt64) -> Person? { index(of: key).map(person(at:)) }

    /// Dense indices in ID order.
    public func indicesInIDOrder() -> [Int32] {
        (0..<Int32(ids.count)).sorted { ids[Int($0)].key < ids[Int($1)].key }
    }
}
