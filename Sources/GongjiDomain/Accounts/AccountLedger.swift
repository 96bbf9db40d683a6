import CPrefetch

/// One account's movements in one month (balances-YYYY-MM.csv).
public struct AccountMonth: Hashable, Sendable {
    public var person: ResidentID
    public var region: RegionCode
    public var opening: Money
    public var credits: Money
    public var ownSpending: Money
    public var sharedOut: Money
    /// Sent to relatives' wallets, net of transfers that came back.
    public var transferredOut: Money
    public var potDeposits: Money
    /// A dissolved pot's balance, back in its creator's account.
    public var potReturned: Money
    /// Unused quota at month end: part of the closing balance, not the owner's to spend.
    public var frozen: Money

    public init(person: ResidentID, region: RegionCode, opening: Money, credits: Money, ownSpending: Money,
                sharedOut: Money, transferredOut: Money = .zero, potDeposits: Money = .zero, potReturned: Money = .zero,
                frozen: Money = .zero) {
        self.person = person
        self.region = region
        self.opening = opening
        self.credits = credits
        self.ownSpending = ownSpending
        self.sharedOut = sharedOut
        self.transferredOut = transferredOut
        self.potDeposits = potDeposits
        self.potReturned = potReturned
        self.frozen = frozen
    }

    public var closing: Money { opening + credits - ownSpending - sharedOut - transferredOut - potDeposits + potReturned }

    /// Whether any earmark moved this account's money this month.
    public var hasEarmarks: Bool {
        transferredOut.fen != 0 || potDeposits.fen != 0 || potReturned.fen != 0 || frozen.fen != 0
    }
}

/// An account's money moved by earmarks in a month (few accounts: kept by index in a dictionary).
struct EarmarkMoves {
    var transferredOut: Int64 = 0
    var potDeposits: Int64 = 0
    var potReturned: Int64 = 0
}

/// A set of dense person indices, one bit each.
public struct IndexSet64: Sendable {
    private var words: [UInt64]
    public init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }
    /// How many indices it has room for.
    var capacity: Int { words.count * 64 }
    public func contains(_ index: Int) -> Bool { words[index >> 6] & (1 << UInt64(index & 63)) != 0 }
    /// Adds `index`; false when it was there already.
    public mutating func insert(_ index: Int) -> Bool {
        let bit: UInt64 = 1 << UInt64(index & 63)
        if words[index >> 6] & bit != 0 { return false }
        words[index >> 6] |= bit
        return true
    }

    /// Whether the two sets share an index.
    public func intersects(_ other: IndexSet64) -> Bool {
        zip(words, other.words).contains { $0 & $1 != 0 }
    }

    public mutating func formUnion(_ other: IndexSet64) {
        for index in words.indices where index < other.words.count { words[index] |= other.words[index] }
    }

    func pack(into packer: inout Packer) { packer.put(all: words) }

    init?(unpacking unpacker: inout Unpacker) {
        guard let words = unpacker.takeAll(UInt64.self) else { return nil }
        self.words = words
    }
}

/// Individual-account balances, month after month, in arrays by the
/// persons' dense index (`PersonTable`), so the per-person state stays
/// small: 24 bytes a person.
///
/// A month runs `open(month:)`, then any number of `spendOwn`/`shareOut` as
/// claims settle, then `close(month:…)`, which posts the month's credits
/// (credits reach the account at month end, docs/rules.md section 3).
public struct AccountLedger: Sendable {
    /// An opening balance: the balance at the start of `asOf` (the first day
    /// of a month). It sets the account to that amount on that day.
    public struct Opening: Hashable, Sendable {
        public var index: Int32
        public var balance: Money
        public init(index: Int32, balance: Money) {
            self.index = index
            self.balance = balance
        }
    }

    static let noAccount = Int64.min
    public let persons: PersonTable
    /// The current balance of each person's account, `noAccount` when there is none yet.
    private var balances: [Int64]
    /// This month's own spending and shared-out money, and a bit per person
    /// whose either moved this month: `close` reads and clears the two only
    /// there (a city month without claims has none; two reads a person
    /// that wait on memory, `close` walking in ID order).
    private var spent: [Int64]
    private var shared: [Int64]
    private var spending: IndexSet64
    /// This month's earmark movements, by index (transfers, pot deposits and
    /// returns), and a bit per person for the few that have one: `close`
    /// tests the bit, so a city's million rows pay no dictionary lookup.
    private var moves: [Int: EarmarkMoves] = [:]
    private var moved: IndexSet64
    /// A day's openings go once applied (a city's are 16 MB, all on one day).
    private var openings: [Day: [Opening]]
    /// The days of `openings` in order, and how many have been applied.
    private let openingDays: [Day]
    private var openingsApplied = 0
    private let order: [Int32]

    public init(persons: PersonTable, openings: [Day: [Opening]]) {
        self.persons = persons
        self.openings = openings
        openingDays = openings.keys.sorted()
        balances = [Int64](repeating: Self.noAccount, count: persons.count)
        spent = [Int64](repeating: 0, count: persons.count)
        shared = [Int64](repeating: 0, count: persons.count)
        spending = IndexSet64(count: persons.count)
        moved = IndexSet64(count: persons.count)
        order = persons.indicesInIDOrder()
    }

    /// Starts `month`: every opening balance not applied yet and dated on or
    /// before its first day sets its account, in date order: one dated in a
    /// month not settled (before the first, or in a gap) is not lost
    /// (docs/rules.md, rule R2). A caller that moves money between the
    /// openings' days (earmarks falling due in a gap) applies them day by day
    /// with `openingDays(through:)` and `applyOpenings(of:)` first.
    public mutating func open(month: YearMonth) {
        for day in openingDays(through: month.firstDay) { applyOpenings(of: day) }
    }

    /// The days of the opening balances not applied yet, up to `day`.
    public func openingDays(through day: Day) -> ArraySlice<Day> {
        var end = openingsApplied
        while end < openingDays.count && openingDays[end] <= day { end += 1 }
        return openingDays[openingsApplied..<end]
    }

    /// The opening balances of `day` set their accounts (at the start of that
    /// day). Earlier movements of this month's record for such an account
    /// (earmarks that fell due in a month not settled) are superseded: the
    /// opening balance is the account's balance from then on.
    public mutating func applyOpenings(of day: Day) {
        guard openingsApplied < openingDays.count, openingDays[openingsApplied] == day else { return }
        openingsApplied += 1
        for opening in openings[day] ?? [] {
            let index = Int(opening.index)
            balances[index] = opening.balance.fen
            if !moves.isEmpty { moves[index] = nil }
        }
        openings[day] = nil
    }

    /// The current balance, or nil when the person has no account (yet).
    public func balance(_ key: UInt64) -> Money? {
        guard let index = persons.index(of: key), balances[index] != Self.noAccount else { return nil }
        return Money(fen: balances[index])
    }

    /// The account pays its owner's cost.
    public mutating func spendOwn(_ key: UInt64, _ amount: Money) {
        let index = debit(key, amount)
        spent[index] += amount.fen
        _ = spending.insert(index)
    }

    /// The account pays a relative's cost.
    public mutating func shareOut(_ key: UInt64, _ amount: Money) {
        let index = debit(key, amount)
        shared[index] += amount.fen
        _ = spending.insert(index)
    }

    /// A reversed settlement gives back what the account paid for its owner
    /// (the audit's replay: the month's own spending is net of reversals).
    public mutating func refundOwn(_ key: UInt64, _ amount: Money) {
        guard let index = persons.index(of: key) else { return }
        credit(index: index, amount)
        spent[index] -= amount.fen
        _ = spending.insert(index)
    }

    /// A reversed settlement gives back what the account paid for a relative.
    public mutating func refundShared(_ key: UInt64, _ amount: Money) {
        guard let index = persons.index(of: key) else { return }
        credit(index: index, amount)
        shared[index] -= amount.fen
        _ = spending.insert(index)
    }

    private mutating func debit(_ key: UInt64, _ amount: Money) -> Int {
        guard let index = persons.index(of: key) else { preconditionFailure("an account may not go below zero") }
        debit(index: index, amount)
        return index
    }

    private mutating func debit(index: Int, _ amount: Money) {
        guard balances[index] != Self.noAccount, amount.fen >= 0, amount.fen <= balances[index] else {
            preconditionFailure("an account may not go below zero")
        }
        balances[index] -= amount.fen
    }

    /// The current balance of the person at `index`, nil when there is no account.
    public func balance(index: Int) -> Money? {
        balances[index] == Self.noAccount ? nil : Money(fen: balances[index])
    }

    /// Money leaves the account for a relative's wallet.
    public mutating func transferOut(index: Int, _ amount: Money) {
        debit(index: index, amount)
        moves[index, default: EarmarkMoves()].transferredOut += amount.fen
        _ = moved.insert(index)
    }

    /// A transfer nobody accepted comes back.
    public mutating func transferReturned(index: Int, _ amount: Money) {
        credit(index: index, amount)
        moves[index, default: EarmarkMoves()].transferredOut -= amount.fen
        _ = moved.insert(index)
    }

    /// Money leaves the account for its owner's family pot.
    public mutating func depositToPot(index: Int, _ amount: Money) {
        debit(index: index, amount)
        moves[index, default: EarmarkMoves()].potDeposits += amount.fen
        _ = moved.insert(index)
    }

    /// A dissolved pot's balance comes back to its creator.
    public mutating func returnFromPot(index: Int, _ amount: Money) {
        credit(index: index, amount)
        moves[index, default: EarmarkMoves()].potReturned += amount.fen
        _ = moved.insert(index)
    }

    private mutating func credit(index: Int, _ amount: Money) {
        precondition(amount.fen >= 0, "a credit is not negative")
        if balances[index] == Self.noAccount { balances[index] = 0 }
        balances[index] += amount.fen
    }

    /// Closes `month`: its credits post, and every account that exists (an
    /// opening balance, or a roster row so far) gets a row, in person-ID order.
    /// `frozen`: unused quota by index at month end (`EarmarkLedger.frozenByIndex`).
    /// `only`: rows for these accounts alone (the audit's: those its records
    /// moved; a city's every row is 80 MiB it never reads); every account
    /// closes all the same. The rows are compact (`AccountMonths`).
    public mutating func close(month: YearMonth, credits: CreditColumn?, frozen: [Int: Int64] = [:],
                               only: IndexSet64? = nil) -> AccountMonths {
        var frozenSet = IndexSet64(count: frozen.isEmpty ? 0 : persons.count)
        for index in frozen.keys { _ = frozenSet.insert(index) }
        // The persons come in ID order, their arrays are in the order of persons.csv: each row's reads
        // would wait on memory. The values of the row `ahead` rows on are asked for first, as prefetch
        // hints, so that they are in the cache when their row comes. Measured (perf, the city year
        // without claims, two runs each): close with what it calls 9.0% of the samples when it loaded
        // the next 32 rows' values first, 6.3-6.9% with the hints; 32 rows ahead no better than 16.
        // A row with only its opening balance and credit (most of a city's) goes straight into the
        // month's columns (`AccountMonths.build`).
        let hints = Hints(balances: balances, persons: persons, credits: credits)
        var some: [AccountMonth] = []  // with `only`: the rows asked for, few
        let rows = AccountMonths.build(capacity: only == nil ? persons.count : 0) { columns in
            for (number, position) in order.enumerated() {
                if number + Self.ahead < order.count { hints.fetch(Int(order[number + Self.ahead])) }
                let index = Int(position)
                let current = balances[index]
                let credited = credits?.present.contains(index) ?? false
                guard current != Self.noAccount || credited else { continue }
                let credit = credited ? credits?[index] ?? 0 : 0
                let spends = spending.contains(index)
                let base = current == Self.noAccount ? 0 : current
                if only == nil, !spends, moves.isEmpty || !moved.contains(index), frozen.isEmpty || !frozenSet.contains(index) {
                    columns.append(person: persons.ids[index], region: persons.regions[index], opening: base, credit: credit)
                    balances[index] = base + credit
                    continue
                }
                let own = spends ? spent[index] : 0, out = spends ? shared[index] : 0
                var row = AccountMonth(person: persons.ids[index], region: persons.regions[index],
                                       opening: Money(fen: base + own + out), credits: Money(fen: credit),
                                       ownSpending: Money(fen: own), sharedOut: Money(fen: out))
                if !moves.isEmpty, self.moved.contains(index), let moved = moves[index] {
                    row.opening = Money(fen: base + own + out + moved.transferredOut + moved.potDeposits - moved.potReturned)
                    row.transferredOut = Money(fen: moved.transferredOut)
                    row.potDeposits = Money(fen: moved.potDeposits)
                    row.potReturned = Money(fen: moved.potReturned)
                }
                if !frozen.isEmpty, frozenSet.contains(index), let amount = frozen[index] { row.frozen = Money(fen: amount) }
                balances[index] = row.closing.fen
                if let only {
                    if only.contains(index) { some.append(row) }
                } else {
                    columns.append(row)
                }
                if spends {
                    spent[index] = 0
                    shared[index] = 0
                }
            }
        }
        spending = IndexSet64(count: persons.count)
        if !moves.isEmpty {
            moves.removeAll(keepingCapacity: true)
            moved = IndexSet64(count: persons.count)
        }
        return only == nil ? rows : AccountMonths(some)
    }

    /// How many rows ahead `close` asks for a row's values.
    static let ahead = 16

    /// Where the arrays `close` reads begin, for prefetch hints
    /// (`gongji_prefetch`). A hint never faults and never changes memory,
    /// so addresses taken out of their arrays' closures are safe to hint at
    /// even if an array moved since (none does during `close`: it only
    /// assigns elements of arrays it alone holds).
    private struct Hints {
        let balances: UnsafeRawPointer?, ids: UnsafeRawPointer?, regions: UnsafeRawPointer?, credits: UnsafeRawPointer?

        init(balances: [Int64], persons: PersonTable, credits: CreditColumn?) {
            self.balances = balances.withUnsafeBytes { $0.baseAddress }
            ids = persons.ids.withUnsafeBytes { $0.baseAddress }
            regions = persons.regions.withUnsafeBytes { $0.baseAddress }
            self.credits = credits?.amountsAddress
        }

        @inline(__always)
        func fetch(_ index: Int) {
            if let balances { gongji_prefetch(balances + index * MemoryLayout<Int64>.stride) }
            if let ids { gongji_prefetch(ids + index * MemoryLayout<ResidentID>.stride) }
            if let regions { gongji_prefetch(regions + index * MemoryLayout<RegionCode>.stride) }
            if let credits { gongji_prefetch(credits + index * MemoryLayout<Int32>.stride) }
        }
    }
}

/// One month's credits by the persons' dense index, and who had a roster row.
/// A credit is kept in 32 bits (up to 21 474 836.47 yuan, far above any
/// month's credit); a larger one, from an absurd base, goes to `overflow`,
/// so a city's year of credits is 4 bytes a person a month.
public struct CreditColumn: Sendable {
    private var amounts: [Int32]
    private var overflow: [Int: Int64] = [:]
    public var present: IndexSet64

    public init(count: Int) {
        amounts = [Int32](repeating: 0, count: count)
        present = IndexSet64(count: count)
    }

    /// The credit in fen of the person at `index` (0 when none).
    public subscript(index: Int) -> Int64 {
        get { overflow.isEmpty ? Int64(amounts[index]) : overflow[index] ?? Int64(amounts[index]) }
        set {
            if let small = Int32(exactly: newValue) {
                amounts[index] = small
                if !overflow.isEmpty { overflow[index] = nil }
            } else {
                amounts[index] = 0
                overflow[index] = newValue
            }
        }
    }

    /// Whether it holds a credit and a presence bit for each of `count` persons.
    func fits(_ count: Int) -> Bool { amounts.count == count && present.capacity >= count }

    /// Where the amounts begin, for `AccountLedger.close`'s prefetch hints only.
    var amountsAddress: UnsafeRawPointer? { amounts.withUnsafeBytes { $0.baseAddress } }

    /// Records the credit of a person with a roster row this month.
    public mutating func set(_ index: Int, _ fen: Int64) {
        _ = present.insert(index)
        self[index] = fen
    }

    /// The bytes `pack` puts.
    var packedCount: Int { 8 + amounts.count * 4 + 8 + overflow.count * 16 + 8 + present.capacity / 8 }

    /// For a stash (`CreditStash`): the amounts, the overflow, who had a row.
    func pack(into packer: inout Packer) {
        packer.put(all: amounts)
        packer.put(Int64(overflow.count))
        for (index, value) in overflow.sorted(by: { $0.key < $1.key }) {
            packer.put(Int64(index))
            packer.put(value)
        }
        present.pack(into: &packer)
    }

    init?(unpacking unpacker: inout Unpacker) {
        guard let amounts = unpacker.takeAll(Int32.self), let count = unpacker.take(Int64.self), count >= 0 else { return nil }
        var overflow: [Int: Int64] = [:]
        for _ in 0..<count {
            guard let index = unpacker.take(Int64.self), let value = unpacker.take(Int64.self),
                  (0..<Int64(amounts.count)).contains(index) else { return nil }
            overflow[Int(index)] = value
        }
        guard let present = IndexSet64(unpacking: &unpacker), present.capacity >= amounts.count else { return nil }
        self.amounts = amounts
        self.overflow = overflow
        self.present = present
    }

    /// Takes in a column of other persons (the caller checked they do not overlap).
    public mutating func absorb(_ other: CreditColumn) {
        present.formUnion(other.present)
        for index in amounts.indices where other.amounts[index] != 0 { amounts[index] = other.amounts[index] }
        for (index, value) in other.overflow { overflow[index] = value }
    }
}
