import GRDB
import GongjiDomain

/// Which results to read: the baseline (what a `run` last reported) or the
/// current ones (after any recompute).
public enum ResultSet: Sendable {
    case baseline, current
}

/// A claim's stored settlement (money in fen).
public struct StoredClaim: Hashable, Sendable {
    public var claimID: String
    public var occurredAt: String
    public var personID: String
    public var region: String
    public var category: String
    public var amount: Int64
    public var own: Int64
    public var family: Int64
    public var cash: Int64
    public var status: String
}

/// A stored threshold period (money in fen).
public struct StoredThreshold: Hashable, Sendable {
    public var region: String
    public var start: String
    public var end: String
    public var statYear: Int
    public var threshold: Int64
    public var revision: Int?
    public var basis: String
}

/// One month's stored results, keyed for comparison.
public struct StoredMonth: Sendable {
    public var claims: [String: StoredClaim] = [:]
    /// Every account of the month, in person-ID order.
    public var balances: [AccountMonth] = []
    /// The month's clearing, in (payer, payee, channel) order.
    public var clearing: [ClearingItem] = []
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
                   family_shared_fen, cash_fen, family_status FROM \(prefix)claim_result WHERE entry BETWEEN ? AND ?
            """, arguments: [MonthEntries.range(month).lowerBound, MonthEntries.range(month).upperBound])
        while let row = try claims.next() {
            let claim = StoredClaim(claimID: row[0], occurredAt: row[1], personID: row[2], region: row[3], category: row[4],
                                    amount: row[5], own: row[6], family: row[7], cash: row[8], status: row[9])
            result.claims[claim.claimID] = claim
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

    func storedThresholds(_ set: ResultSet) throws -> [StoredThreshold] {
        let prefix = try tablePrefix(set, part: "thresholds")
        return try Row.fetchAll(self, sql: """
            SELECT region_code, policy_year_start, policy_year_end, stat_year, threshold_fen, bulletin_revision, basis
            FROM \(prefix)threshold ORDER BY region_code, policy_year_start
            """).map {
            StoredThreshold(region: $0[0], start: $0[1], end: $0[2], statYear: $0[3], threshold: $0[4], revision: $0[5],
                            basis: $0[6])
        }
    }

    func settledMonthList() throws -> [String] {
        try String.fetchAll(self, sql: "SELECT month FROM settled_month ORDER BY month")
    }
}

extension StoreReader {
    public func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth { try db.storedMonth(month, set) }
    public func thresholds(_ set: ResultSet) throws -> [StoredThreshold] { try db.storedThresholds(set) }
}

extension StoreWriter {
    public func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth { try db.storedMonth(month, set) }
    public func thresholds(_ set: ResultSet) throws -> [StoredThreshold] { try db.storedThresholds(set) }
    public func settledMonths() throws -> [String] { try db.settledMonthList() }
}
