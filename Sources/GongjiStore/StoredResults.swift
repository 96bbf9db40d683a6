import GRDB
import GongjiDomain

/// Which results to read: the baseline (what a `run` last reported) or the
/// current ones (after any recompute).
public enum ResultSet: Sendable {
    case baseline, current
}

/// One month's stored results, keyed for comparison.
public struct StoredMonth: Sendable {
    /// Each claim and how it was paid, by claim ID.
    public var claims: [String: ClaimOutcome] = [:]
    /// Every account of the month, in person-ID order.
    public var balances: [AccountMonth] = []
    /// The month's clearing, in (payer, payee, channel) order.
    public var clearing: [ClearingItem] = []

    public init(claims: [String: ClaimOutcome] = [:], balances: [AccountMonth] = [], clearing: [ClearingItem] = []) {
        self.claims = claims
        self.balances = balances
        self.clearing = clearing
    }
}

extension Database {
    func tablePrefix(_ set: ResultSet, part: String) throws -> String {
        guard set == .baseline else { return "" }
        let kept = try Bool.fetchOne(self, sql: "SELECT 1 FROM baseline_set WHERE part = ?", arguments: [part]) ?? false
        return kept ? "baseline_" : ""
    }

    func storedMonth(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth {
        let prefix = try tablePrefix(set, part: "month \(month.text)")
        var result = StoredMonth()
        let claims = try Row.fetchCursor(self, sql: """
            SELECT claim_id, occurred_at, person_id, region_code, category, amount_fen, own_account_fen,
                   family_shared_fen, cash_fen, family_status, wallet_fen, pot_fen FROM \(prefix)claim_result WHERE entry BETWEEN ? AND ?
            """, arguments: [MonthEntries.range(month).lowerBound, MonthEntries.range(month).upperBound])
        while let row = try claims.next() {
            guard let occurredAt = Timestamp(text: row[1] as String), let person = ResidentID(row[2] as String),
                  let region = RegionCode(row[3] as String), let category = UsageCategory(rawValue: row[4]),
                  let status = FamilyStatus(rawValue: row[9]) else {
                throw StoreError("\(prefix)claim_result \(month.text) claim \(row[0] as String): not the form gongji writes")
            }
            let claim = Claim(id: row[0], person: person, occurredAt: occurredAt, region: region, category: category,
                              amount: Money(fen: row[5]))
            result.claims[claim.id] = ClaimOutcome(claim: claim, payment: ClaimPayment(
                own: Money(fen: row[6]), family: Money(fen: row[7]), cash: Money(fen: row[8]), status: status,
                wallet: Money(fen: row[10]), pot: Money(fen: row[11])))
        }
        let blocks = try Row.fetchCursor(self, sql: """
            SELECT block, balances FROM \(prefix)month_balance_block WHERE month = ? ORDER BY block
            """, arguments: [month.text])
        while let row = try blocks.next() {
            let block: Int = row[0]
            let decoded = try row.withUnsafeData(atIndex: 1) { data in
                data?.withUnsafeBytes { BalanceBlocks.decode($0.bindMemory(to: UInt8.self)) }
            }
            guard let decoded = decoded ?? nil else {
                throw StoreError("\(prefix)month_balance_block \(month.text) block \(block): not the form gongji writes")
            }
            result.balances += decoded
        }
        let items = try Row.fetchCursor(self, sql: """
            SELECT payer_region, payee_region, channel, draws, amount_fen FROM \(prefix)clearing WHERE month = ?
            ORDER BY payer_region, payee_region, channel
            """, arguments: [month.text])
        while let row = try items.next() {
            guard let payer = RegionCode(row[0] as String), let payee = RegionCode(row[1] as String),
                  let channel = DrawChannel(rawValue: row[2]) else {
                throw StoreError("\(prefix)clearing \(month.text): not the form gongji writes")
            }
            result.clearing.append(ClearingItem(payer: payer, payee: payee, channel: channel, draws: row[3],
                                                amount: Money(fen: row[4])))
        }
        return result
    }

    func storedThresholds(_ set: ResultSet) throws -> [ThresholdFigure] {
        let prefix = try tablePrefix(set, part: "thresholds")
        return try Row.fetchAll(self, sql: """
            SELECT region_code, policy_year_start, policy_year_end, stat_year, threshold_fen, bulletin_revision, basis
            FROM \(prefix)threshold ORDER BY region_code, policy_year_start
            """).map { row throws in
            guard let region = RegionCode(row[0] as String), let start = Day(text: row[1] as String),
                  let end = Day(text: row[2] as String), let basis = ThresholdBasis(rawValue: row[6]) else {
                throw StoreError("\(prefix)threshold: a row is not in the form gongji writes")
            }
            return ThresholdFigure(region: region, start: start, end: end, statYear: row[3], threshold: Money(fen: row[4]),
                                   revision: row[5], basis: basis)
        }
    }

    func settledMonthList() throws -> [YearMonth] {
        try String.fetchAll(self, sql: "SELECT month FROM settled_month ORDER BY month").map { text in
            guard let month = YearMonth(text: text) else { throw StoreError("the store holds a month written '\(text)'") }
            return month
        }
    }
}

extension StoreReader {
    public func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth { try db.storedMonth(month, set) }
    public func thresholds(_ set: ResultSet) throws -> [ThresholdFigure] { try db.storedThresholds(set) }
}

extension StoreWriter {
    public func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth { try db.storedMonth(month, set) }
    public func thresholds(_ set: ResultSet) throws -> [ThresholdFigure] { try db.storedThresholds(set) }
    public func settledMonths() throws -> [YearMonth] { try db.settledMonthList() }
}
