import GongjiDomain

/// What a store answers for one person's statement (`gongji statement`):
/// each kind of store asks in its own SQL, and the statement is put together
/// once, here.
protocol StatementQueries {
    func settledMonths() throws -> [YearMonth]
    /// The person's account in the month's balance blocks; nil when it is in none.
    func statementAccount(_ person: ResidentID, _ month: YearMonth) throws -> AccountMonth?
    /// The person's claims of the month, in (occurred_at, claim_id) order.
    func statementClaims(_ person: ResidentID, _ month: YearMonth) throws -> [ClaimOutcome]
    /// The month's draws with the person in column `side` (`beneficiary_id`
    /// or `authorizer_id`), the relative in `other`, in the order of their claims.
    func statementDraws(_ person: ResidentID, _ month: YearMonth, side: String, other: String) throws -> [PersonStatement.Draw]
    /// The threshold of the newest policy year of `region` that holds `day`.
    func statementThreshold(_ region: RegionCode, on day: Day) throws -> Money?
}

extension StatementQueries {
    /// The statement of `person` over the settled months from `from` to `to`
    /// (both inclusive; nil: the first or last). Nil when the store holds
    /// nothing of the person in those months.
    func assembleStatement(of person: ResidentID, from: YearMonth?, to: YearMonth?) throws -> PersonStatement? {
        let months = try settledMonths().filter { month in
            (from.map { month >= $0 } ?? true) && (to.map { month <= $0 } ?? true)
        }
        var statement = PersonStatement(person: person, region: nil, months: [])
        for month in months {
            let account = try statementAccount(person, month)
            let claims = try statementClaims(person, month)
            let byRelatives = try statementDraws(person, month, side: "beneficiary_id", other: "authorizer_id")
            let forRelatives = try statementDraws(person, month, side: "authorizer_id", other: "beneficiary_id")
            guard account != nil || !claims.isEmpty || !byRelatives.isEmpty || !forRelatives.isEmpty else { continue }
            if let region = account?.region ?? claims.first?.claim.region { statement.region = statement.region ?? region }
            let threshold = try account.flatMap { try statementThreshold($0.region, on: month.lastDay) }
            statement.months.append(PersonStatement.Month(month: month, account: account, claims: claims,
                                                          paidByRelatives: byRelatives, paidForRelatives: forRelatives,
                                                          threshold: threshold))
        }
        return statement.months.isEmpty ? nil : statement
    }
}
