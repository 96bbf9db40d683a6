import GongjiDomain

/// settlements/*.csv → the platform's settlements (docs/audit.md; columns
/// after interface 2207 `setlinfo`). A row is rejected when a field is not
/// valid, the patient is not in persons.csv, the region is not in the
/// policy, neither `category` nor a `med_type` with a default category
/// (docs/audit.md, "med_type") gives the category, an amount has the wrong
/// sign (a reversal's are negated: zero or below; any other row's zero or
/// above), a reversal has no `init_setl_id`, or `medfee_sumamt` (when given)
/// is less than what the fund, the accounts and cash paid. A repeated
/// setl_id is not rejected: the audit reports it (A11).
public struct SettlementsRows: TableRows {
    public static let columns = (required: ["setl_id", "certno", "setl_time", "region_code", "acct_pay", "acct_mulaid_pay",
                                            "psn_cash_pay"],
                                 optional: ["mdtrt_id", "psn_no", "med_type", "category", "medfee_sumamt", "fund_pay_sumamt",
                                            "balc", "refd_setl_flag", "init_setl_id"])

    struct Columns {
        let id, patient, time, region, medType, category, medfee, fund, own, aid, cash, balance, reversal, original: Column
    }
    let policy: Policy
    let persons: PersonTable
    let window: DateWindow
    let medTypes: MedTypeTable
    private var c: Columns?
    public private(set) var settlements: [PlatformSettlement] = []
    /// `--province`: settlements of other provinces are skipped (`ProvinceFilter`).
    let filter: ProvinceFilter?
    /// With `filter`: each settlement's province (of every province), for the mutual-aid rows that name it.
    public private(set) var provinces: [String: (province: UInt32, month: YearMonth)] = [:]
    /// Settlements of a region in another province than the patient's (with `filter`).
    public private(set) var ties: [ProvinceTie] = []

    public init(policy: Policy, persons: PersonTable, window: DateWindow, medTypes: MedTypeTable,
                filter: ProvinceFilter? = nil) {
        self.filter = filter
        self.policy = policy
        self.persons = persons
        self.window = window
        self.medTypes = medTypes
    }

    /// Finds the columns of the next file's header.
    public mutating func use(_ table: CSVTableReader) {
        c = Columns(id: table.column("setl_id"), patient: table.column("certno"), time: table.column("setl_time"),
                    region: table.column("region_code"), medType: table.column("med_type"), category: table.column("category"),
                    medfee: table.column("medfee_sumamt"), fund: table.column("fund_pay_sumamt"), own: table.column("acct_pay"),
                    aid: table.column("acct_mulaid_pay"), cash: table.column("psn_cash_pay"), balance: table.column("balc"),
                    reversal: table.column("refd_setl_flag"), original: table.column("init_setl_id"))
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        guard let c else { throw RowError(column: "", "no header read") }
        guard let filter else {
            try check(row, c)
            return
        }
        let settlement: PlatformSettlement
        do {
            settlement = try check(row, c)
        } catch {
            let region = (try? Field.region(row, c.region)).flatMap(filter.province(of:))
            if filter.skips(region ?? filter.province(ofPerson: try? Field.id(row, c.patient), persons)) { throw .skip }
            throw error
        }
        let region = filter.province(of: settlement.region)
        let patient = filter.province(ofPerson: settlement.patient.key, persons)
        if let tie = ProvinceFilter.tie(.claim, settlement.id, region, patient, YearMonth(settlement.time.day)) { ties.append(tie) }
        if let province = region ?? patient { provinces[settlement.id] = (province, YearMonth(settlement.time.day)) }
        if filter.skips(region ?? patient) || persons.index(of: settlement.patient.key) == nil {
            settlements.removeLast()
            throw .skip
        }
    }

    @discardableResult
    private mutating func check(_ row: CSVTableReader.Row, _ c: Columns) throws(RowError) -> PlatformSettlement {
        let id = try Field.string(row, c.id)
        let patient = try Field.id(row, c.patient)
        let time = try Field.timestamp(row, c.time)
        if let problem = window.problem(time.day) { throw RowError(column: "setl_time", problem) }
        let region = try Field.region(row, c.region)
        let category: UsageCategory
        if !Field.isEmpty(row, c.category) {
            category = try Field.choice(row, c.category, UsageCategory.self)
        } else if let code = Field.optional(row, c.medType), !code.isEmpty {
            guard let mapped = medTypes.category(of: code) else {
                throw RowError(column: "med_type", "med_type \(code) has no default category (docs/audit.md): give `category`")
            }
            category = mapped
        } else {
            throw RowError(column: "category", "category is empty and no med_type gives one")
        }
        let own = try Field.amount(row, c.own)
        let aid = try Field.amount(row, c.aid)
        let cash = try Field.amount(row, c.cash)
        let reversal: Bool
        switch Field.optional(row, c.reversal) ?? "" {
        case "", "0": reversal = false
        case "1": reversal = true
        case let other: throw RowError(column: "refd_setl_flag", "'\(other)' is not 0 or 1")
        }
        let original = Field.optional(row, c.original).flatMap { $0.isEmpty ? nil : $0 }
        if reversal {
            guard let _ = original else { throw RowError(column: "init_setl_id", "a reversal (refd_setl_flag 1) needs init_setl_id") }
            for (amount, name) in [(own, "acct_pay"), (aid, "acct_mulaid_pay"), (cash, "psn_cash_pay")] where amount.fen > 0 {
                throw RowError(column: name, "a reversal carries its original's amounts negated: \(name) cannot be above 0")
            }
        } else {
            for (amount, name) in [(own, "acct_pay"), (aid, "acct_mulaid_pay"), (cash, "psn_cash_pay")] where amount.fen < 0 {
                throw RowError(column: name, "\(name) cannot be negative (only a reversal's are)")
            }
        }
        if !Field.isEmpty(row, c.medfee) {
            let medfee = try Field.amount(row, c.medfee)
            let fund = Field.isEmpty(row, c.fund) ? Money.zero : try Field.amount(row, c.fund)
            let paid = fund + own + aid + cash
            if reversal ? medfee > paid : medfee < paid {
                throw RowError(column: "medfee_sumamt", "medfee_sumamt \(medfee.yuanText) is less than what the fund, the accounts "
                               + "and cash paid (\(paid.yuanText)): the sums do not add up")
            }
        }
        let balance = Field.isEmpty(row, c.balance) ? nil : try Field.amount(row, c.balance)
        if let balance, balance.fen < 0 { throw RowError(column: "balc", "a balance cannot be negative") }
        guard policy.regions[region] != nil else { throw RowError(column: "region_code", "region \(region) is not in policy.yaml") }
        guard persons.index(of: patient.key) != nil || filter?.isKnown(patient.key, persons) == true else {
            throw RowError(column: "certno", "person is not in persons.csv")
        }
        let settlement = PlatformSettlement(id: id, patient: patient, time: time, region: region, category: category,
                                            ownAccount: own, mutualAid: aid, cash: cash, balanceAfter: balance,
                                            reverses: reversal ? original : nil)
        settlements.append(settlement)
        return settlement
    }
}

/// mutual-aid/*.csv → relatives' payments for settlements. A row is
/// rejected when a field is not valid, the amount is 0, or the channel is
/// not `binding` or `quota`. A payer not in persons.csv, or a setl_id no
/// settlement has, is accepted: the audit reports it (A01, A09).
public struct MutualAidRows: TableRows {
    public static let columns = (required: ["setl_id", "payer_certno", "amount"], optional: ["channel", "payer_balc"])
    static let channels: [DrawChannel] = [.binding, .quota]

    struct Columns { let id, payer, amount, channel, balance: Column }
    private var c: Columns?
    public private(set) var payments: [MutualAidPayment] = []
    /// `--province`: a payment is of the province of the settlement it names
    /// (`settlements`: every settlement's, of any province), else of its payer's.
    let filter: ProvinceFilter?
    let persons: PersonTable
    let settlements: [String: (province: UInt32, month: YearMonth)]
    /// Payments by a payer of another province than the settlement's (with `filter`).
    public private(set) var ties: [ProvinceTie] = []

    public init(persons: PersonTable = PersonTable(), filter: ProvinceFilter? = nil, settlements: [String: (province: UInt32, month: YearMonth)] = [:]) {
        self.persons = persons
        self.filter = filter
        self.settlements = settlements
    }

    public mutating func use(_ table: CSVTableReader) {
        c = Columns(id: table.column("setl_id"), payer: table.column("payer_certno"), amount: table.column("amount"),
                    channel: table.column("channel"), balance: table.column("payer_balc"))
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        guard let c else { throw RowError(column: "", "no header read") }
        let id = try Field.string(row, c.id)
        let payer = try Field.id(row, c.payer)
        if let filter {
            let (settlement, paying) = (settlements[id], filter.province(ofPerson: payer.key, persons))
            if let settlement, let tie = ProvinceFilter.tie(.aid, id, settlement.province, paying, settlement.month) {
                ties.append(tie)
            }
            if filter.skips(settlement?.province ?? paying) { throw .skip }
        }
        let amount = try Field.amount(row, c.amount)
        guard amount.fen != 0 else { throw RowError(column: "amount", "an amount of 0 pays nothing") }
        var channel = DrawChannel.binding
        if !Field.isEmpty(row, c.channel) {
            channel = Self.channels[try Field.choice(row, c.channel, Choices(Self.channels.map(\.rawValue)))]
        }
        let balance = Field.isEmpty(row, c.balance) ? nil : try Field.amount(row, c.balance)
        if let balance, balance.fen < 0 { throw RowError(column: "payer_balc", "a balance cannot be negative") }
        payments.append(MutualAidPayment(settlement: id, payer: payer, amount: amount, channel: channel,
                                         payerBalanceAfter: balance))
    }
}
