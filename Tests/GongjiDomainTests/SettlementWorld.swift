import GongjiDomain

/// A small world for settlement tests: Shenzhen with its threshold, Beijing
/// without one, persons, bindings and events, and a ledger.
struct SettlementWorld {
    static let shenzhen = RegionCode("440300")!
    static let beijing = RegionCode("110000")!

    static func day(_ text: String) -> Day { Day(text: text)! }
    static func month(_ text: String) -> YearMonth { YearMonth(text: text)! }
    static func yuan(_ text: String) -> Money { Money(yuanText: text)! }

    static let policy: Policy = {
        let threshold = Dated<ThresholdRule>(from: day("2017-07-01"), rule: .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "5%")!)))
        let shenzhenFamily = Dated(from: day("2017-01-01"), rule: FamilyRule(
            relations: [.spouse, .parent, .child, .grandparent, .grandchild], categories: [.outpatient, .vaccination]))
        let beijingFamily = [
            Dated(from: day("2021-07-01"), rule: FamilyRule(relations: [.spouse, .parent, .child],
                                                          categories: [.outpatient, .inpatient])),
            Dated(from: day("2025-01-01"), rule: FamilyRule(relations: [.spouse, .parent, .child, .sibling],
                                                          categories: [.outpatient, .inpatient])),
        ]
        return Policy(regions: [
            RegionPolicy(code: shenzhen, name: "深圳市", threshold: DatedRules([threshold]),
                         family: DatedRules([shenzhenFamily])),
            RegionPolicy(code: beijing, name: "北京市", family: DatedRules(beijingFamily)),
        ])
    }()

    /// 2017 → 5008.80 for 2018-07-01 .. 2019-06-30; 2018 → 5585.40 for 2019-07-01 .. 2020-06-30.
    static let periods: [ThresholdPeriod] = {
        let bulletins = [("2017", "8348"), ("2018", "9309")].map { year, wage in
            WageBulletin(region: shenzhen, statYear: Int(year)!, issued: day("\(Int(year)! + 1)-06-30"), revision: 1,
                         figures: [WageFigure(series: defaultWageSeries, monthly: yuan(wage), annual: nil)], origin: "test")
        }
        guard let book = try? WageBook(bulletins: bulletins), let region = policy.regions[shenzhen] else { return [] }
        return ThresholdSchedule.periods(for: region, wages: book, through: day("2020-06-30"))
    }()

    /// The rules the settler follows: `policy` above unless a test sets its own.
    var rules: Policy = Self.policy
    var thresholds: [ThresholdPeriod] = Self.periods
    var personList: [Person] = []
    var bindings: [Binding] = []
    var events: [LifeEvent] = []
    var openingList: [(key: UInt64, day: Day, balance: Money)] = []

    var persons: PersonTable { PersonTable(personList) }

    /// Opening balances by day, with the dense index of `persons`.
    var openings: [Day: [AccountLedger.Opening]] {
        let table = persons
        var byDay: [Day: [AccountLedger.Opening]] = [:]
        for opening in openingList {
            guard let index = table.index(of: opening.key) else { continue }
            byDay[opening.day, default: []].append(.init(index: Int32(index), balance: opening.balance))
        }
        return byDay
    }

    func ledger() -> AccountLedger { AccountLedger(persons: persons, openings: openings) }

    /// Credits by packed ID, as the ledger takes them.
    func column(_ credits: [UInt64: Money]) -> CreditColumn? {
        guard !credits.isEmpty else { return nil }
        let table = persons
        var column = CreditColumn(count: table.count)
        for (key, amount) in credits {
            guard let index = table.index(of: key) else { continue }
            column.set(index, amount.fen)
        }
        return column
    }
    private var sequence = 0
    private var claims = 0

    /// A new insured person; `balance` opens an account at the start of `month`.
    mutating func person(_ region: RegionCode = shenzhen, scheme: Scheme = .employee, balance: String? = nil,
                         month: String = "2019-03") -> ResidentID {
        sequence += 1
        let area = region == Self.shenzhen ? "440305" : String(region.text.prefix(4)) + "05"
        let body = "\(area)19800101" + String(100 + sequence).suffix(3)
        let id = ResidentID(digits: UInt64(body)!)!
        personList.append(Person(id: id, region: region, scheme: scheme))
        if let balance { openingList.append((id.key, Self.month(month).firstDay, Self.yuan(balance))) }
        return id
    }

    @discardableResult
    mutating func bind(_ authorizer: ResidentID, _ beneficiary: ResidentID, _ relation: Relation = .spouse,
                       from: String = "2018-01-01", until: String? = nil, id: String? = nil,
                       priority: Int? = nil) -> Binding {
        let binding = Binding(id: id ?? "B\(bindings.count + 1)", authorizer: authorizer, beneficiary: beneficiary,
                              relation: relation, boundOn: Self.day(from), unboundOn: until.map(Self.day), priority: priority)
        bindings.append(binding)
        return binding
    }

    mutating func claim(_ person: ResidentID, _ amount: String, at: String = "2019-03-10 10:00:00",
                        _ category: UsageCategory = .outpatient, region: RegionCode? = nil, id: String? = nil) -> Claim {
        claims += 1
        return Claim(id: id ?? "C\(claims)", person: person, occurredAt: Timestamp(text: at)!,
                     region: region ?? personList.first { $0.id == person }?.region ?? Self.shenzhen, category: category,
                     amount: Self.yuan(amount))
    }

    var settler: FamilySettler {
        FamilySettler(policy: rules, periods: thresholds, persons: persons,
                      family: FamilyIndex(bindings: bindings, events: events))
    }

    /// Settles the claims of one month in settlement order and closes it with `credits`.
    func settle(_ claims: [Claim], month: String = "2019-03", credits: [UInt64: Money] = [:],
                ledger: inout AccountLedger) -> (settled: [ClaimSettlement], balances: [AccountMonth]) {
        let settler = self.settler
        ledger.open(month: Self.month(month))
        let settled = claims.sorted(by: Claim.settlementOrder).map { settler.settle($0, ledger: &ledger) }
        return (settled, Array(ledger.close(month: Self.month(month), credits: column(credits))))
    }

    func settle(_ claims: [Claim], month: String = "2019-03") -> (settled: [ClaimSettlement], balances: [AccountMonth]) {
        var ledger = ledger()
        return settle(claims, month: month, ledger: &ledger)
    }
}

extension Collection<AccountMonth> {
    func closing(_ id: ResidentID) -> Money? { first { $0.person == id }?.closing }
    func row(_ id: ResidentID) -> AccountMonth? { first { $0.person == id } }
}
