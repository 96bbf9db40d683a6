import GongjiDomain
import GongjiReports
import GongjiTestSupport
import Testing

/// Invariants over random worlds (issue: property tests): every claim is paid
/// exactly (own + family + cash = amount), no authorizer goes below its
/// threshold, no balance goes negative, the ledger agrees with the claims, and
/// the report totals are the sums of their rows.
@Suite struct SettlementPropertyTests {
    static let shenzhen = RegionCode("440300")!
    static let beijing = RegionCode("110000")!
    static func day(_ text: String) -> Day { Day(text: text)! }

    static let policy: Policy = {
        let threshold = Dated<ThresholdRule>(from: day("2017-07-01"), rule: .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "5%")!)))
        let all = Set(UsageCategory.allCases)
        return Policy(regions: [
            RegionPolicy(code: shenzhen, name: "深圳市", threshold: DatedRules([threshold]), family: DatedRules([
                Dated(from: day("2017-01-01"), rule: FamilyRule(relations: [.spouse, .parent, .child],
                                                              categories: [.outpatient, .vaccination])),
                Dated(from: day("2019-07-01"), rule: FamilyRule(relations: Set(Relation.allCases), categories: all)),
            ])),
            RegionPolicy(code: beijing, name: "北京市", family: DatedRules([
                Dated(from: day("2019-06-01"), rule: FamilyRule(relations: [.spouse, .child], categories: all)),
            ])),
        ])
    }()

    static let periods: [ThresholdPeriod] = {
        let bulletins = [(2017, "8348"), (2018, "9309")].map { year, wage in
            WageBulletin(region: shenzhen, statYear: year, issued: day("\(year + 1)-06-30"), revision: 1,
                         figures: [WageFigure(series: defaultWageSeries, monthly: Money(yuanText: wage), annual: nil)],
                         origin: "test")
        }
        guard let book = try? WageBook(bulletins: bulletins), let region = policy.regions[shenzhen] else { return [] }
        return ThresholdSchedule.periods(for: region, wages: book, through: day("2020-06-30"))
    }()

    static func id(_ n: Int) -> ResidentID {
        let body = "44030519800101" + String(100 + n).suffix(3)
        return ResidentID(digits: UInt64(body)!)!
    }

    @Test(arguments: 1...200)
    func invariantsHold(seed: Int) {
        var rng = SeededGenerator(state: UInt64(seed))
        let months = ["2019-05", "2019-06", "2019-07", "2019-08"].map { YearMonth(text: $0)! }
        var persons = PersonTable()
        var openings: [Day: [AccountLedger.Opening]] = [:]
        let count = Int.random(in: 3...14, using: &rng)
        var ids: [ResidentID] = []
        for n in 0..<count {
            let id = Self.id(n)
            ids.append(id)
            let region = Bool.random(using: &rng) ? Self.shenzhen : Self.beijing
            let scheme: Scheme = Int.random(in: 0..<5, using: &rng) == 0 ? .resident : .employee
            persons.insert(Person(id: id, region: region, scheme: scheme))
            if scheme == .employee, Int.random(in: 0..<6, using: &rng) > 0 {
                // Around the thresholds (5008.80, 5585.40) often, to test the boundary.
                let fen = Int.random(in: 0..<3, using: &rng) == 0 ? Int64.random(in: 495_000...560_000, using: &rng)
                    : Int64.random(in: 0...1_200_000, using: &rng)
                openings[months[0].firstDay, default: []].append(.init(index: Int32(n), balance: Money(fen: fen)))
            }
        }
        var bindings: [Binding] = []
        for n in 0..<Int.random(in: 0...20, using: &rng) {
            let authorizer = ids.randomElement(using: &rng)!
            let beneficiary = ids.randomElement(using: &rng)!
            guard authorizer != beneficiary else { continue }
            let bound = Day(text: "2019-0\(Int.random(in: 4...8, using: &rng))-\(10 + Int.random(in: 0...18, using: &rng))")!
            let unbound = Int.random(in: 0..<4, using: &rng) == 0 ? bound.adding(days: Int.random(in: 1...60, using: &rng)) : nil
            bindings.append(Binding(id: "B\(n)", authorizer: authorizer, beneficiary: beneficiary,
                                    relation: Relation.allCases.randomElement(using: &rng)!, boundOn: bound, unboundOn: unbound))
        }
        var events: [LifeEvent] = []
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
            events.append(LifeEvent(person: ids.randomElement(using: &rng)!,
                                    date: Day(text: "2019-0\(Int.random(in: 5...8, using: &rng))-15")!,
                                    kind: LifeEventKind.allCases.randomElement(using: &rng)!))
        }
        let settler = FamilySettler(policy: Self.policy, periods: Self.periods, persons: persons,
                                    family: FamilyIndex(bindings: bindings, events: events))
        var ledger = AccountLedger(persons: persons, openings: openings)
        for month in months {
            var claims: [Claim] = []
            for n in 0..<Int.random(in: 0...25, using: &rng) {
                let person = ids.randomElement(using: &rng)!
                let home = persons[person.key]!.region
                let at = Timestamp(day: month.firstDay.adding(days: Int.random(in: 0...27, using: &rng)),
                                   second: Int.random(in: 0..<86_400, using: &rng))
                claims.append(Claim(id: "C\(month.text)-\(n)", person: person, occurredAt: at,
                                    region: Int.random(in: 0..<10, using: &rng) == 0 ? (home == Self.beijing ? Self.shenzhen : Self.beijing) : home,
                                    category: UsageCategory.allCases.randomElement(using: &rng)!,
                                    amount: Money(fen: Int64.random(in: 0...300_000, using: &rng))))
            }
            claims.sort(by: Claim.settlementOrder)
            ledger.open(month: month)
            let settled = claims.map { settler.settle($0, ledger: &ledger) }
            var credits = CreditColumn(count: persons.count)
            for (index, id) in ids.enumerated() where persons[id.key]?.scheme == .employee && Bool.random(using: &rng) {
                // Now and then a credit too large for 32 bits, kept aside.
                credits.set(index, Int.random(in: 0..<50, using: &rng) == 0 ? Int64(Int32.max) + 7 : Int64.random(in: 0...60_000, using: &rng))
            }
            let balances = Array(ledger.close(month: month, credits: credits))
            check(seed: seed, month: month, settled: settled, balances: balances, settler: settler)
        }
    }

    func check(seed: Int, month: YearMonth, settled: [ClaimSettlement], balances: [AccountMonth], settler: FamilySettler) {
        let context = Comment(rawValue: "seed \(seed), \(month.text)")
        var own: [ResidentID: Money] = [:]
        var shared: [ResidentID: Money] = [:]
        for s in settled {
            #expect(s.ownAccount + s.familyShared + s.cash == s.claim.amount, context)
            #expect(s.ownAccount.fen >= 0 && s.familyShared.fen >= 0 && s.cash.fen >= 0, context)
            #expect(s.familyShared == s.draws.reduce(.zero) { $0 + $1.amount }, context)
            #expect((s.status == .shared || s.status == .partial) == !s.draws.isEmpty, context)
            if s.status == .shared || s.status == .notNeeded { #expect(s.cash == .zero, context) }
            if s.status == .partial { #expect(s.cash.fen > 0, context) }
            own[s.claim.person, default: .zero] += s.ownAccount
            for draw in s.draws {
                #expect(draw.amount.fen > 0, context)
                #expect(draw.balanceBefore - draw.amount >= (draw.threshold ?? .zero), context)
                shared[draw.authorizer, default: .zero] += draw.amount
            }
        }
        for row in balances {
            #expect(row.closing.fen >= 0, context)
            #expect(row.ownSpending == own[row.person] ?? .zero, context)
            #expect(row.sharedOut == shared[row.person] ?? .zero, context)
        }
        #expect(Set(own.filter { $0.value.fen > 0 }.keys).isSubset(of: Set(balances.map(\.person))), context)

        // The reports: totals are the sums of their rows.
        let usage = UsageMonth(month: month, settlements: settled, authorizers: [], clearing: Clearing.items(settled))
        let claimsCSV = UsageReports.claimsCSV(usage, disclosure: Disclosure(reveal: true)).split(separator: "\n").dropFirst()
        #expect(claimsCSV.count == settled.count, context)
        let csvCash = claimsCSV.reduce(Money.zero) { $0 + Money(yuanText: $1.split(separator: ",")[8])! }
        #expect(csvCash == settled.reduce(.zero) { $0 + $1.cash }, context)
        let sharesCSV = UsageReports.sharesCSV(usage, disclosure: Disclosure(reveal: true)).split(separator: "\n").dropFirst()
        let drawn = sharesCSV.reduce(Money.zero) { $0 + Money(yuanText: $1.split(separator: ",")[5])! }
        #expect(drawn == shared.values.reduce(.zero, +), context)
        guard !settled.isEmpty else { return }
        let page = UsageReports.sections(usage, policy: Self.policy, disclosure: Disclosure(reveal: false), words: Words(.en))
        // Every "by" table ends with a total row equal to the sum of the rows
        // above it: by status, category and region at least, every month.
        var totalled = 0
        defer { #expect(totalled >= 3, "\(context): \(totalled) tables with a total row") }
        for table in page.components(separatedBy: "\n\n") where table.hasPrefix("| ") && table.contains("**Total**") {
            totalled += 1
            // Figures on pages are grouped by thousands (1,551.02).
            let rows = table.split(separator: "\n").dropFirst(2).map {
                $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "") }
            }
            guard let total = rows.last else { continue }
            for column in 1..<total.count {
                let values = rows.dropLast().map { $0[column] }
                if let sum = values.reduce(Optional(Money.zero), { acc, text in Money(yuanText: text).flatMap { v in acc.map { $0 + v } } }),
                   total[column].contains(".") {
                    #expect(Money(yuanText: total[column]) == sum, "\(context): \(table)")
                } else if let counts = values.reduce(Optional(0), { acc, text in Int(text).flatMap { v in acc.map { $0 + v } } }) {
                    #expect(Int(total[column]) == counts, "\(context): \(table)")
                }
            }
        }
    }
}
