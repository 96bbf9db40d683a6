import Foundation
import GRDB
import GongjiDomain

extension StoreReader: StatementQueries {
    /// The statement of `person` over the settled months from `from` to `to` (`StatementQueries`).
    public func statement(of person: ResidentID, from: YearMonth?, to: YearMonth?) throws -> PersonStatement? {
        try assembleStatement(of: person, from: from, to: to)
    }

    func statementAccount(_ person: ResidentID, _ month: YearMonth) throws -> AccountMonth? {
        try db.storedAccount(person, month: month)
    }

    func statementClaims(_ person: ResidentID, _ month: YearMonth) throws -> [ClaimOutcome] {
        let entries = StoreWriter.Rows.of(.entries, month: month, only: nil)
        var claims: [ClaimOutcome] = []
        let claimRows = try Row.fetchCursor(db, sql: """
            SELECT claim_id, occurred_at, region_code, category, amount_fen, own_account_fen, family_shared_fen, cash_fen,
                   family_status, wallet_fen, pot_fen FROM claim_result WHERE \(entries.condition) AND person_id = ?
            ORDER BY occurred_at, claim_id
            """, arguments: entries.arguments + [person.text])
        while let row = try claimRows.next() {
            guard let time = Timestamp(text: row[1] as String), let region = RegionCode(row[2] as String),
                  let category = UsageCategory(rawValue: row[3]), let status = FamilyStatus(rawValue: row[8]) else {
                throw StoreError("claim_result \(month.text): not the form gongji writes")
            }
            claims.append(ClaimOutcome(
                claim: Claim(id: row[0], person: person, occurredAt: time, region: region, category: category,
                             amount: Money(fen: row[4])),
                payment: ClaimPayment(own: Money(fen: row[5]), family: Money(fen: row[6]), cash: Money(fen: row[7]),
                                      status: status, wallet: Money(fen: row[9]), pot: Money(fen: row[10]))))
        }
        return claims
    }

    func statementDraws(_ person: ResidentID, _ month: YearMonth, side: String, other: String) throws -> [PersonStatement.Draw] {
        let range = MonthEntries.range(month)
        var found: [PersonStatement.Draw] = []
        let shares = StoreWriter.Rows.of(.entries, month: month, only: nil)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT s.claim_id, c.occurred_at, s.\(other), s.relation, s.channel, s.amount_fen
            FROM share s LEFT JOIN claim_result c ON c.claim_id = s.claim_id AND c.entry BETWEEN ? AND ?
            WHERE \(shares.condition.replacingOccurrences(of: "entry", with: "s.entry")) AND s.\(side) = ?
            ORDER BY c.occurred_at, s.claim_id, s.entry
            """, arguments: [range.lowerBound, range.upperBound] + shares.arguments + [person.text])
        while let row = try rows.next() {
            guard let time = Timestamp(text: (row[1] as String?) ?? ""), let relative = ResidentID(row[2] as String),
                  let relation = Relation(rawValue: row[3]), let channel = DrawChannel(rawValue: row[4]) else {
                throw StoreError("share \(month.text): not the form gongji writes")
            }
            found.append(PersonStatement.Draw(claim: row[0], occurredAt: time, relative: relative, relation: relation,
                                              channel: channel, amount: Money(fen: row[5])))
        }
        return found
    }

    func statementThreshold(_ region: RegionCode, on day: Day) throws -> Money? {
        try Int64.fetchOne(db, sql: """
            SELECT threshold_fen FROM threshold WHERE region_code = ? AND policy_year_start <= ? AND policy_year_end >= ?
            ORDER BY policy_year_start DESC LIMIT 1
            """, arguments: [region.text, day.text, day.text]).map(Money.init(fen:))
    }
}
