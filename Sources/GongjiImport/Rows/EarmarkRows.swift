import GongjiDomain

/// Checks shared by the earmark inputs: a person must be in persons.csv
/// (settlement needs their region), and an ID may appear once.
struct KnownPersons {
    let persons: PersonTable
    /// `--province`: persons of other provinces are known too (`ProvinceFilter`).
    let filter: ProvinceFilter?

    func check(_ id: ResidentID, _ column: Column) throws(RowError) {
        guard persons.index(of: id.key) != nil || filter?.isKnown(id.key, persons) == true else {
            throw RowError(column: column.name, "person is not in persons.csv")
        }
    }

    func province(_ id: ResidentID?) -> UInt32? { filter?.province(ofPerson: id, persons) }

    /// With `--province`: whether a row that failed its checks is skipped (its
    /// persons, those that are known, all of provinces left out).
    func skipsRejected(_ ids: [ResidentID?]) -> Bool {
        guard let filter else { return false }
        let known = ids.compactMap(province)
        return !known.isEmpty && known.allSatisfy(filter.skips)
    }

    /// With `--province`: a row of two persons that passed its checks is a
    /// tie when they are of two provinces, and skipped when neither is of
    /// the job's.
    func sortOut(_ kind: ProvinceTie.Kind, _ id: String, _ first: ResidentID, _ second: ResidentID, _ month: YearMonth,
                 ties: inout [ProvinceTie]) throws(RowError) {
        guard let filter else { return }
        let (a, b) = (province(first), province(second))
        if let tie = ProvinceFilter.tie(kind, id, a, b, month) { ties.append(tie) }
        if filter.skips(a) && filter.skips(b) { throw .skip }
    }
}

/// wallet-transfers.csv → transfers. A row is rejected when a field is not
/// valid, a person is not in persons.csv, the sender is the recipient, the
/// amount is not above 0, `accepted_at` is before `sent_at`, or its
/// transfer_id was on an earlier row, accepted or not (rule R3). Whether the wallet rules allow it is
/// settlement's business: a transfer that breaks one is refused, and the
/// transfers report says why.
public struct WalletTransfersRows: TableRows {
    public static let columns = (required: ["transfer_id", "from_id", "to_id", "relation", "sent_at", "amount"],
                                 optional: ["from_wallet", "accepted_at"])

    struct Columns { let id, from, to, relation, sentAt, amount, fromWallet, acceptedAt: Column }
    let c: Columns
    let window: DateWindow
    let known: KnownPersons
    public private(set) var transfers: [WalletTransfer] = []
    /// Transfers between provinces (with `--province`).
    public private(set) var ties: [ProvinceTie] = []
    private var owners = KeyOwners<String>()
    private let file: String

    public init(table: CSVTableReader, persons: PersonTable, window: DateWindow, filter: ProvinceFilter? = nil) {
        file = table.name
        c = Columns(id: table.column("transfer_id"), from: table.column("from_id"), to: table.column("to_id"),
                    relation: table.column("relation"), sentAt: table.column("sent_at"), amount: table.column("amount"),
                    fromWallet: table.column("from_wallet"), acceptedAt: table.column("accepted_at"))
        self.window = window
        known = KnownPersons(persons: persons, filter: filter)
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let transfer: WalletTransfer
        do {
            transfer = try take(id, row)
        } catch {
            if known.skipsRejected([try? Field.id(row, c.from), try? Field.id(row, c.to)]) { throw .skip }
            throw error
        }
        try known.sortOut(.transfer, id, transfer.from, transfer.to, YearMonth(transfer.sentAt.day), ties: &ties)
        transfers.append(transfer)
    }

    private mutating func take(_ id: String, _ row: CSVTableReader.Row) throws(RowError) -> WalletTransfer {
        let (c, window, known) = (self.c, self.window, self.known)
        return try owners.take(id, column: "transfer_id", file: file, line: row.line) { () throws(RowError) -> WalletTransfer in
            let from = try Field.id(row, c.from)
            let to = try Field.id(row, c.to)
            guard from != to else { throw RowError(column: "to_id", "a person cannot send to themselves") }
            let relation = try Field.choice(row, c.relation, Relation.self)
            let sentAt = try Field.timestamp(row, c.sentAt)
            if let problem = window.problem(sentAt.day) { throw RowError(column: "sent_at", problem) }
            let amount = try Field.positiveAmount(row, c.amount)
            let fromWallet = try Field.flag(row, c.fromWallet, default: false)
            var acceptedAt: Timestamp?
            if !Field.isEmpty(row, c.acceptedAt) {
                let time = try Field.timestamp(row, c.acceptedAt)
                guard sentAt <= time else { throw RowError(column: "accepted_at", "accepted_at is before sent_at") }
                acceptedAt = time
            }
            try known.check(from, c.from)
            try known.check(to, c.to)
            return WalletTransfer(id: id, from: from, to: to, relation: relation, sentAt: sentAt, amount: amount,
                                  fromWallet: fromWallet, acceptedAt: acceptedAt)
        }
    }
}

/// wallet-quotas.csv → quotas. A row is rejected when a field is not
/// valid, a person is not in persons.csv, the sharer is the beneficiary, the
/// amount is not above 0, `ended_on` is not after `set_on`, or its quota_id
/// was on an earlier row, accepted or not (rule R3). A quota the rules or the sharer's balance do not
/// allow is refused at settlement, with its reason in the quotas report.
public struct WalletQuotasRows: TableRows {
    public static let columns = (required: ["quota_id", "sharer_id", "beneficiary_id", "relation", "set_on", "amount"],
                                 optional: ["ended_on"])

    struct Columns { let id, sharer, beneficiary, relation, setOn, amount, endedOn: Column }
    let c: Columns
    let window: DateWindow
    let known: KnownPersons
    public private(set) var quotas: [WalletQuota] = []
    /// Quotas between provinces (with `--province`).
    public private(set) var ties: [ProvinceTie] = []
    private var owners = KeyOwners<String>()
    private let file: String

    public init(table: CSVTableReader, persons: PersonTable, window: DateWindow, filter: ProvinceFilter? = nil) {
        file = table.name
        c = Columns(id: table.column("quota_id"), sharer: table.column("sharer_id"),
                    beneficiary: table.column("beneficiary_id"), relation: table.column("relation"),
                    setOn: table.column("set_on"), amount: table.column("amount"), endedOn: table.column("ended_on"))
        self.window = window
        known = KnownPersons(persons: persons, filter: filter)
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let quota: WalletQuota
        do {
            quota = try take(id, row)
        } catch {
            if known.skipsRejected([try? Field.id(row, c.sharer), try? Field.id(row, c.beneficiary)]) { throw .skip }
            throw error
        }
        try known.sortOut(.quota, id, quota.sharer, quota.beneficiary, YearMonth(quota.setOn), ties: &ties)
        quotas.append(quota)
    }

    private mutating func take(_ id: String, _ row: CSVTableReader.Row) throws(RowError) -> WalletQuota {
        let (c, window, known) = (self.c, self.window, self.known)
        return try owners.take(id, column: "quota_id", file: file, line: row.line) { () throws(RowError) -> WalletQuota in
            let sharer = try Field.id(row, c.sharer)
            let beneficiary = try Field.id(row, c.beneficiary)
            guard sharer != beneficiary else { throw RowError(column: "beneficiary_id", "a person cannot share with themselves") }
            let relation = try Field.choice(row, c.relation, Relation.self)
            let setOn = try Field.day(row, c.setOn)
            if let problem = window.problem(setOn) { throw RowError(column: "set_on", problem) }
            let amount = try Field.positiveAmount(row, c.amount)
            let endedOn = try Field.end(row, c.endedOn, after: setOn, "set_on")
            try known.check(sharer, c.sharer)
            try known.check(beneficiary, c.beneficiary)
            return WalletQuota(id: id, sharer: sharer, beneficiary: beneficiary, relation: relation, setOn: setOn,
                               amount: amount, endedOn: endedOn)
        }
    }
}

/// pots.csv → family pots. A row is rejected when a field is not valid, the
/// creator is not in persons.csv, `closed_on` is not after `created_on`, or
/// its pot_id was on an earlier row, accepted or not (rule R3).
public struct PotsRows: TableRows {
    public static let columns = (required: ["pot_id", "creator_id", "created_on"], optional: ["closed_on"])

    struct Columns { let id, creator, createdOn, closedOn: Column }
    let c: Columns
    let window: DateWindow
    let known: KnownPersons
    /// The pots kept (with `--province`: those of the job's provinces).
    public private(set) var pots: [FamilyPot] = []
    /// Every pot accepted, of any province: what the member and deposit rows are checked against.
    public private(set) var all: [FamilyPot] = []
    private var owners = KeyOwners<String>()
    private let file: String

    public init(table: CSVTableReader, persons: PersonTable, window: DateWindow, filter: ProvinceFilter? = nil) {
        file = table.name
        c = Columns(id: table.column("pot_id"), creator: table.column("creator_id"), createdOn: table.column("created_on"),
                    closedOn: table.column("closed_on"))
        self.window = window
        known = KnownPersons(persons: persons, filter: filter)
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let pot: FamilyPot
        do {
            pot = try take(id, row)
        } catch {
            if known.skipsRejected([try? Field.id(row, c.creator)]) { throw .skip }
            throw error
        }
        all.append(pot)
        // A pot is of its creator's province.
        if known.skipsRejected([pot.creator]) { throw .skip }
        pots.append(pot)
    }

    private mutating func take(_ id: String, _ row: CSVTableReader.Row) throws(RowError) -> FamilyPot {
        let (c, window, known) = (self.c, self.window, self.known)
        return try owners.take(id, column: "pot_id", file: file, line: row.line) { () throws(RowError) -> FamilyPot in
            let creator = try Field.id(row, c.creator)
            let createdOn = try Field.day(row, c.createdOn)
            if let problem = window.problem(createdOn) { throw RowError(column: "created_on", problem) }
            let closedOn = try Field.end(row, c.closedOn, after: createdOn, "created_on")
            try known.check(creator, c.creator)
            return FamilyPot(id: id, creator: creator, createdOn: createdOn, closedOn: closedOn)
        }
    }
}

/// pot-members.csv → members. A row is rejected when a field is not valid,
/// the pot is not in pots.csv, the person is not in persons.csv or is the
/// pot's creator (a member without a row), `left_on` is not after
/// `joined_on`, or the same person was a member of the pot on an earlier row,
/// accepted or not (rule R3).
public struct PotMembersRows: TableRows {
    public static let columns = (required: ["pot_id", "person_id", "relation", "joined_on"], optional: ["left_on"])

    struct Columns { let pot, person, relation, joinedOn, leftOn: Column }
    let c: Columns
    let window: DateWindow
    let known: KnownPersons
    let creators: [String: ResidentID]
    public private(set) var members: [PotMember] = []
    /// Members of another province than the pot's (with `--province`).
    public private(set) var ties: [ProvinceTie] = []
    private var owners = KeyOwners<String>()
    private let file: String

    /// `pots`: every pot accepted (`PotsRows.all`); a member row is of its pot's province.
    public init(table: CSVTableReader, persons: PersonTable, pots: [FamilyPot], window: DateWindow,
                filter: ProvinceFilter? = nil) {
        file = table.name
        c = Columns(pot: table.column("pot_id"), person: table.column("person_id"), relation: table.column("relation"),
                    joinedOn: table.column("joined_on"), leftOn: table.column("left_on"))
        self.window = window
        known = KnownPersons(persons: persons, filter: filter)
        creators = Dictionary(pots.map { ($0.id, $0.creator) }, uniquingKeysWith: { first, _ in first })
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let pot = try Field.string(row, c.pot)
        let person = try Field.id(row, c.person)
        let member: PotMember
        do {
            member = try take(pot, person, row)
        } catch {
            if known.skipsRejected([creators[pot] ?? person]) { throw .skip }
            throw error
        }
        if let creator = creators[pot] {
            try known.sortOut(.potMember, pot, creator, person, YearMonth(member.joinedOn), ties: &ties)
            if known.skipsRejected([creator]) { throw .skip }
        }
        members.append(member)
    }

    private mutating func take(_ pot: String, _ person: ResidentID, _ row: CSVTableReader.Row) throws(RowError) -> PotMember {
        let (c, window, known, creators) = (self.c, self.window, self.known, self.creators)
        // The pot and person belong to the first row that names them, accepted or not (rule R3).
        return try owners.take(pot + "\u{0}" + person.text, file: file, line: row.line, taken: { owner in
            guard let owner else { return RowError(column: "person_id", "the person is a member of pot \(pot) on an earlier row") }
            return RowError(column: "person_id", "the person is a member of pot \(pot) on line \(owner.line), which was rejected")
        }) { () throws(RowError) -> PotMember in
            let relation = try Field.choice(row, c.relation, Relation.self)
            let joinedOn = try Field.day(row, c.joinedOn)
            if let problem = window.problem(joinedOn) { throw RowError(column: "joined_on", problem) }
            let leftOn = try Field.end(row, c.leftOn, after: joinedOn, "joined_on")
            guard let creator = creators[pot] else { throw RowError(column: "pot_id", "pot \(pot) is not in pots.csv") }
            guard creator != person else {
                throw RowError(column: "person_id", "the creator is a member of their pot without a row")
            }
            try known.check(person, c.person)
            return PotMember(pot: pot, person: person, relation: relation, joinedOn: joinedOn, leftOn: leftOn)
        }
    }
}

/// pot-deposits.csv → deposits. A row is rejected when a field is not
/// valid, the pot is not in pots.csv, the amount is not above 0, or its
/// deposit_id was on an earlier row, accepted or not (rule R3). A deposit the pot rule or the
/// creator's balance does not allow is refused at settlement, with its
/// reason on the month page.
public struct PotDepositsRows: TableRows {
    public static let columns = (required: ["deposit_id", "pot_id", "at", "amount"], optional: [String]())

    struct Columns { let id, pot, at, amount: Column }
    let c: Columns
    let window: DateWindow
    let pots: Set<String>
    /// With `--province`: each pot's creator, whose province is the deposit's.
    let creators: [String: ResidentID]
    let known: KnownPersons
    public private(set) var deposits: [PotDeposit] = []
    private var owners = KeyOwners<String>()
    private let file: String

    /// `pots`: every pot accepted (`PotsRows.all`).
    public init(table: CSVTableReader, pots: [FamilyPot], window: DateWindow, persons: PersonTable = PersonTable(),
                filter: ProvinceFilter? = nil) {
        known = KnownPersons(persons: persons, filter: filter)
        creators = Dictionary(pots.map { ($0.id, $0.creator) }, uniquingKeysWith: { first, _ in first })
        file = table.name
        c = Columns(id: table.column("deposit_id"), pot: table.column("pot_id"), at: table.column("at"),
                    amount: table.column("amount"))
        self.window = window
        self.pots = Set(pots.map(\.id))
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let deposit: PotDeposit
        do {
            deposit = try take(id, row)
        } catch {
            if known.skipsRejected([(try? Field.string(row, c.pot)).flatMap { creators[$0] }]) { throw .skip }
            throw error
        }
        if known.skipsRejected([creators[deposit.pot]]) { throw .skip }
        deposits.append(deposit)
    }

    private mutating func take(_ id: String, _ row: CSVTableReader.Row) throws(RowError) -> PotDeposit {
        let (c, window, pots) = (self.c, self.window, self.pots)
        return try owners.take(id, column: "deposit_id", file: file, line: row.line) { () throws(RowError) -> PotDeposit in
            let pot = try Field.string(row, c.pot)
            let at = try Field.timestamp(row, c.at)
            if let problem = window.problem(at.day) { throw RowError(column: "at", problem) }
            let amount = try Field.positiveAmount(row, c.amount)
            guard pots.contains(pot) else { throw RowError(column: "pot_id", "pot \(pot) is not in pots.csv") }
            return PotDeposit(id: id, pot: pot, at: at, amount: amount)
        }
    }
}
