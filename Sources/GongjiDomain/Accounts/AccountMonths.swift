/// A month's account rows (`AccountMonth`), in person-ID order: the
/// `balances` of a settled month.
///
/// Kept compact, a column per amount: the person, region, opening balance
/// and credit of every account; own spending and shared-out money only for
/// the accounts with either (`spent`, -1 when none); the four earmark
/// amounts only for the few accounts earmarks moved. Most of a city's
/// accounts only get their credit in a month, so a month of a million
/// accounts is about 30 MB, where an array of `AccountMonth` was 80 MB. That
/// made room for the reports of month M to be written while month M+1
/// settles (docs/architecture.md, "Speed").
///
/// The columns are read in place (`@inlinable`): the reports and the store
/// walk a city's million rows a month. The person and region are kept in the
/// row, not as an index into the ledger's persons: that index is in the
/// order of persons.csv, not of the IDs, and reading the IDs through it made
/// a cache miss a row (15% of a city year's processor time, perf).
public struct AccountMonths: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    @usableFromInline private(set) var person: [ResidentID] = []
    @usableFromInline private(set) var region: [RegionCode] = []
    @usableFromInline private(set) var opening: [Int64] = []
    /// A credit is below 2^31 fen (21 474 836.47 yuan) but for an absurd
    /// base: such a credit is kept in `largeCredits`, by row.
    @usableFromInline private(set) var credit: [Int32] = []
    @usableFromInline private(set) var largeCredits: [Int: Int64] = [:]
    @usableFromInline private(set) var spent: [Int32] = []
    @usableFromInline private(set) var spending: [Spending] = []
    /// By row: few accounts a month (transfers, pots, quotas).
    @usableFromInline private(set) var earmarked: [Int: Earmarked] = [:]
    /// A bit for each row in `earmarked`, so that the other rows do not
    /// hash their position (a lookup a row was 2.5% of a city year's run).
    @usableFromInline private(set) var earmarkedRows: [UInt64] = []

    @usableFromInline
    struct Spending: Sendable {
        @usableFromInline var ownSpending: Int64
        @usableFromInline var sharedOut: Int64
    }

    @usableFromInline
    struct Earmarked: Sendable {
        @usableFromInline var transferredOut: Int64
        @usableFromInline var potDeposits: Int64
        @usableFromInline var potReturned: Int64
        @usableFromInline var frozen: Int64
    }

    /// Rows as given (read back from a store, or made by a test).
    public init(_ rows: [AccountMonth]) {
        reserve(rows.count)
        for row in rows { append(row) }
    }

    public init(arrayLiteral rows: AccountMonth...) { self.init(rows) }
    public init() {}

    /// For the ledger: room for `capacity` rows.
    init(capacity: Int) { reserve(capacity) }

    private mutating func reserve(_ capacity: Int) {
        person.reserveCapacity(capacity)
        region.reserveCapacity(capacity)
        opening.reserveCapacity(capacity)
        credit.reserveCapacity(capacity)
        spent.reserveCapacity(capacity)
    }

    /// Adds a row after the others (the ledger adds them in person-ID order).
    mutating func append(_ row: AccountMonth) {
        let position = person.count
        person.append(row.person)
        region.append(row.region)
        opening.append(row.opening.fen)
        if let small = Int32(exactly: row.credits.fen) {
            credit.append(small)
        } else {
            credit.append(0)
            largeCredits[position] = row.credits.fen
        }
        if row.ownSpending.fen == 0 && row.sharedOut.fen == 0 {
            spent.append(-1)
        } else {
            spent.append(Int32(spending.count))
            spending.append(Spending(ownSpending: row.ownSpending.fen, sharedOut: row.sharedOut.fen))
        }
        if row.hasEarmarks {
            while earmarkedRows.count <= position >> 6 { earmarkedRows.append(0) }
            earmarkedRows[position >> 6] |= 1 << UInt64(position & 63)
            earmarked[position] = Earmarked(transferredOut: row.transferredOut.fen, potDeposits: row.potDeposits.fen,
                                            potReturned: row.potReturned.fen, frozen: row.frozen.fen)
        }
    }

    /// Rows written straight into columns made at `capacity` rows, for the
    /// ledger's month end: a city's million rows a month went through five
    /// array appends each (a capacity and a uniqueness check each), and most
    /// were first made whole as `AccountMonth`s to be taken apart again.
    /// `body` appends at most `capacity` rows.
    static func build(capacity: Int, _ body: (inout Builder) -> Void) -> AccountMonths {
        var side = Builder.Side()
        var region: [RegionCode] = [], opening: [Int64] = [], credit: [Int32] = [], spent: [Int32] = []
        let person = [ResidentID](unsafeUninitializedCapacity: capacity) { person, personCount in
            region = [RegionCode](unsafeUninitializedCapacity: capacity) { region, regionCount in
                opening = [Int64](unsafeUninitializedCapacity: capacity) { opening, openingCount in
                    credit = [Int32](unsafeUninitializedCapacity: capacity) { credit, creditCount in
                        spent = [Int32](unsafeUninitializedCapacity: capacity) { spent, spentCount in
                            var builder = Builder(person: person, region: region, opening: opening, credit: credit,
                                                  spent: spent)
                            body(&builder)
                            (personCount, regionCount, openingCount, creditCount, spentCount)
                                = (builder.count, builder.count, builder.count, builder.count, builder.count)
                            side = builder.side
                        }
                    }
                }
            }
        }
        var months = AccountMonths()
        (months.person, months.region, months.opening, months.credit, months.spent) = (person, region, opening, credit, spent)
        months.largeCredits = side.largeCredits
        months.spending = side.spending
        months.earmarked = side.earmarked
        months.earmarkedRows = side.earmarkedRows
        return months
    }

    /// What `build` hands its body: the columns' memory, not yet initialized
    /// past `count`.
    struct Builder {
        /// The columns kept for the few rows that have them.
        struct Side {
            var largeCredits: [Int: Int64] = [:]
            var spending: [Spending] = []
            var earmarked: [Int: Earmarked] = [:]
            var earmarkedRows: [UInt64] = []
        }

        let person: UnsafeMutableBufferPointer<ResidentID>, region: UnsafeMutableBufferPointer<RegionCode>
        let opening: UnsafeMutableBufferPointer<Int64>, credit: UnsafeMutableBufferPointer<Int32>
        let spent: UnsafeMutableBufferPointer<Int32>
        private(set) var count = 0
        var side = Side()

        init(person: UnsafeMutableBufferPointer<ResidentID>, region: UnsafeMutableBufferPointer<RegionCode>,
             opening: UnsafeMutableBufferPointer<Int64>, credit: UnsafeMutableBufferPointer<Int32>,
             spent: UnsafeMutableBufferPointer<Int32>) {
            (self.person, self.region, self.opening, self.credit, self.spent) = (person, region, opening, credit, spent)
        }

        /// A row with nothing but its opening balance and credit.
        @inline(__always)
        mutating func append(person id: ResidentID, region code: RegionCode, opening balance: Int64, credit amount: Int64) {
            precondition(count < person.count, "more rows than the columns were made for")
            (person.baseAddress! + count).initialize(to: id)
            (region.baseAddress! + count).initialize(to: code)
            (opening.baseAddress! + count).initialize(to: balance)
            if let small = Int32(exactly: amount) {
                (credit.baseAddress! + count).initialize(to: small)
            } else {
                (credit.baseAddress! + count).initialize(to: 0)
                side.largeCredits[count] = amount
            }
            (spent.baseAddress! + count).initialize(to: -1)
            count += 1
        }

        /// Any row (as `AccountMonths.append` adds it).
        mutating func append(_ row: AccountMonth) {
            let position = count
            append(person: row.person, region: row.region, opening: row.opening.fen, credit: row.credits.fen)
            if row.ownSpending.fen != 0 || row.sharedOut.fen != 0 {
                spent[position] = Int32(side.spending.count)
                side.spending.append(Spending(ownSpending: row.ownSpending.fen, sharedOut: row.sharedOut.fen))
            }
            if row.hasEarmarks {
                while side.earmarkedRows.count <= position >> 6 { side.earmarkedRows.append(0) }
                side.earmarkedRows[position >> 6] |= 1 << UInt64(position & 63)
                side.earmarked[position] = Earmarked(transferredOut: row.transferredOut.fen, potDeposits: row.potDeposits.fen,
                                                     potReturned: row.potReturned.fen, frozen: row.frozen.fen)
            }
        }
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { person.count }

    @inlinable
    public subscript(position: Int) -> AccountMonth {
        let credits = largeCredits.isEmpty ? Int64(credit[position]) : largeCredits[position] ?? Int64(credit[position])
        var row = AccountMonth(person: person[position], region: region[position], opening: Money(fen: opening[position]),
                               credits: Money(fen: credits), ownSpending: .zero, sharedOut: .zero)
        let slot = Int(spent[position])
        if slot >= 0 {
            row.ownSpending = Money(fen: spending[slot].ownSpending)
            row.sharedOut = Money(fen: spending[slot].sharedOut)
        }
        if position >> 6 < earmarkedRows.count, earmarkedRows[position >> 6] & 1 << UInt64(position & 63) != 0,
           let moved = earmarked[position] {
            row.transferredOut = Money(fen: moved.transferredOut)
            row.potDeposits = Money(fen: moved.potDeposits)
            row.potReturned = Money(fen: moved.potReturned)
            row.frozen = Money(fen: moved.frozen)
        }
        return row
    }

    /// Calls `body` with each row of `range` in order, the columns read in
    /// place: no bounds check and no look at the rare columns but where a
    /// row has them (the balances files and the store's blocks walk a
    /// city's million rows a month).
    @inlinable
    public func forEachRow<E: Error>(in range: Range<Int>? = nil, _ body: (AccountMonth) throws(E) -> Void) throws(E) {
        let range = range ?? 0..<count
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        let plainCredits = largeCredits.isEmpty
        var failure: E?
        func walk(_ person: UnsafeBufferPointer<ResidentID>, _ region: UnsafeBufferPointer<RegionCode>,
                  _ opening: UnsafeBufferPointer<Int64>, _ credit: UnsafeBufferPointer<Int32>,
                  _ spent: UnsafeBufferPointer<Int32>, _ earmarked: UnsafeBufferPointer<UInt64>) {
            for position in range {
                // A row with only its credit is made here; any other as the subscript makes it.
                let moved = position >> 6 < earmarked.count && earmarked[position >> 6] & 1 << UInt64(position & 63) != 0
                let row = plainCredits && spent[position] < 0 && !moved
                    ? AccountMonth(person: person[position], region: region[position], opening: Money(fen: opening[position]),
                                   credits: Money(fen: Int64(credit[position])), ownSpending: .zero, sharedOut: .zero)
                    : self[position]
                do throws(E) {
                    try body(row)
                } catch {
                    failure = error
                    return
                }
            }
        }
        person.withUnsafeBufferPointer { person in
            region.withUnsafeBufferPointer { region in
                opening.withUnsafeBufferPointer { opening in
                    credit.withUnsafeBufferPointer { credit in
                        spent.withUnsafeBufferPointer { spent in
                            earmarkedRows.withUnsafeBufferPointer { walk(person, region, opening, credit, spent, $0) }
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    /// The regions of its rows, each once, from the region column (a
    /// city's million rows mostly repeat the row before's).
    public var regions: Set<RegionCode> {
        var regions = Set<RegionCode>()
        var last: RegionCode?
        for code in region where code != last {
            regions.insert(code)
            last = code
        }
        return regions
    }

    /// The person of row `position`, without making the row.
    @inlinable
    public func person(at position: Int) -> ResidentID { person[position] }

    /// The first row from `start` on whose person's key is `key` or above
    /// (`count` when none): the rows are in ID order. It gallops, then
    /// halves: a month's 100,000 authorizers join a million rows without
    /// passing each (`Settlement.authorizers`).
    public func firstRow(ofKeyAtLeast key: UInt64, from start: Int) -> Int {
        person.withUnsafeBufferPointer { ids in
            var low = start, step = 1
            var high = start
            while high < ids.count && ids[high].key < key {
                low = high + 1
                high += step
                step <<= 1
            }
            high = Swift.min(high, ids.count)
            while low < high {  // the first in low..<high at or above key
                let middle = (low + high) / 2
                if ids[middle].key < key { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    public static func == (lhs: AccountMonths, rhs: AccountMonths) -> Bool { lhs.elementsEqual(rhs) }
}
