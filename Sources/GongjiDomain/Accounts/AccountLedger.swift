/// One account's movements in one month (balances-YYYY-MM.csv).
public struct AccountMonth: Hashable, Sendable {
    public var person: ResidentID
    public var region: RegionCode
    public var opening: Money
    public var credits: Money
    public var ownSpending: Money
    public var sharedOut: Money

    public var closing: Money { opening + credits - ownSpending - sharedOut }
}

/// Individual-account balances, month after month. Keyed by the packed ID
/// (`ResidentID.key`) so the per-person state stays small.
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

    private var balances: [UInt64: Money] = [:]
    private let openings: [UInt64: [Opening]]

    public init(openings: [UInt64: [Opening]]) {
        self.openings = openings
    }

    /// The balance at the start of `month`: an opening balance dated that day,
    /// else the previous month's closing, else nothing (no account yet).
    public func openingBalance(_ key: UInt64, month: YearMonth) -> Money? {
        if let opening = openings[key]?.first(where: { $0.asOf == month.firstDay }) { return opening.balance }
        return balances[key]
    }

    /// Closes `month`: every account that exists (an opening balance or a credit
    /// so far) gets a row, in person-ID order; credits post at month end.
    public mutating func close(month: YearMonth, persons: [UInt64: Person], credits: [UInt64: Money]) -> [AccountMonth] {
        var keys = Set(credits.keys).union(balances.keys)
        for (key, list) in openings where list.contains(where: { $0.asOf == month.firstDay }) { keys.insert(key) }
        var rows: [AccountMonth] = []
        rows.reserveCapacity(keys.count)
        for key in keys {
            guard let person = persons[key] else { continue }
            let opening = openingBalance(key, month: month) ?? .zero
            let row = AccountMonth(person: person.id, region: person.region, opening: opening,
                                   credits: credits[key] ?? .zero, ownSpending: .zero, sharedOut: .zero)
            balances[key] = row.closing
            rows.append(row)
        }
        return rows.sorted { $0.person < $1.person }
    }
}
