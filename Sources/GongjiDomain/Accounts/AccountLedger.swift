/// One account's movements in one month (balances-YYYY-MM.csv).
public struct AccountMonth: Hashable, Sendable {
    public var person: ResidentID
    public var region: RegionCode
    public var opening: Money
    public var credits: Money
    public var ownSpending: Money
    public var sharedOut: Money

    public init(person: ResidentID, region: RegionCode, opening: Money, credits: Money, ownSpending: Money,
                sharedOut: Money) {
        self.person = person
        self.region = region
        self.opening = opening
        self.credits = credits
        self.ownSpending = ownSpending
        self.sharedOut = sharedOut
    }

    public var closing: Money { opening + credits - ownSpending - sharedOut }
}

/// Individual-account balances, month after month. Keyed by the packed ID
/// (`ResidentID.key`) so the per-person state stays small.
///
/// A month runs `open(month:)`, then any number of `spendOwn`/`shareOut` as
/// claims settle, then `close(month:…)`, which posts the month's credits
/// (credits reach the account at month end, DOMAIN.md section 3).
public struct AccountLedger: Sendable {
    /// An opening balance: the balance at the start of `asOf` (the first day
    /// of a month). It sets the account to that amount on that day.
    public struct Opening: Hashable, Sendable {
        public var asOf: Day
        public var balance: Money
        public init(asOf: Day, balance: Money) {
            self.asOf = asOf
            self.balance = balance
        }
    }

    /// The current balance of every account that exists.
    private var balances: [UInt64: Money] = [:]
    /// This month's own spending and shared-out money, per account.
    private var spent: [UInt64: Money] = [:]
    private var shared: [UInt64: Money] = [:]
    private let openingsByDay: [Day: [(key: UInt64, balance: Money)]]

    public init(openings: [UInt64: [Opening]]) {
        var byDay: [Day: [(key: UInt64, balance: Money)]] = [:]
        for (key, list) in openings {
            for opening in list { byDay[opening.asOf, default: []].append((key, opening.balance)) }
        }
        openingsByDay = byDay
    }

    /// Starts `month`: opening balances dated its first day set their accounts.
    public mutating func open(month: YearMonth) {
        precondition(spent.isEmpty && shared.isEmpty, "the previous month was not closed")
        for opening in openingsByDay[month.firstDay] ?? [] { balances[opening.key] = opening.balance }
    }

    /// The current balance, or nil when the person has no account (yet).
    public func balance(_ key: UInt64) -> Money? { balances[key] }

    /// The account pays its owner's cost.
    public mutating func spendOwn(_ key: UInt64, _ amount: Money) {
        debit(key, amount)
        spent[key, default: .zero] += amount
    }

    /// The account pays a relative's cost.
    public mutating func shareOut(_ key: UInt64, _ amount: Money) {
        debit(key, amount)
        shared[key, default: .zero] += amount
    }

    private mutating func debit(_ key: UInt64, _ amount: Money) {
        guard let balance = balances[key], amount.fen >= 0, amount <= balance else {
            preconditionFailure("an account may not go below zero")
        }
        balances[key] = balance - amount
    }

    /// Closes `month`: credits post, and every account that exists gets a row,
    /// in person-ID order.
    public mutating func close(month: YearMonth, persons: [UInt64: Person], credits: [UInt64: Money]) -> [AccountMonth] {
        var keys = Set(balances.keys)
        keys.formUnion(credits.keys)
        var rows: [AccountMonth] = []
        rows.reserveCapacity(keys.count)
        for key in keys {
            guard let person = persons[key] else { continue }
            let own = spent[key] ?? .zero
            let out = shared[key] ?? .zero
            let current = balances[key] ?? .zero
            let row = AccountMonth(person: person.id, region: person.region, opening: current + own + out,
                                   credits: credits[key] ?? .zero, ownSpending: own, sharedOut: out)
            balances[key] = row.closing
            rows.append(row)
        }
        spent.removeAll(keepingCapacity: true)
        shared.removeAll(keepingCapacity: true)
        return rows.sorted { $0.person < $1.person }
    }
}
