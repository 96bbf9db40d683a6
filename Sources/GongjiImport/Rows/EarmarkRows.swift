import GongjiDomain

/// Checks shared by the earmark inputs: a person must be in persons.csv
/// (settlement needs their region), and an ID may appear once.
struct KnownPersons {
    let persons: PersonTable

    func check(_ id: ResidentID, _ column: Column) throws(RowError) {
        guard persons.index(of: id.key) != nil else { throw RowError(column: column.name, "person is not in persons.csv") }
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
    private var owners = KeyOwners<String>()
    private let file: String

    public init(table: CSVTableReader, persons: PersonTable, window: DateWindow) {
        file = table.name
        c = Columns(id: table.column("transfer_id"), from: table.column("from_id"), to: table.column("to_id"),
                    relation: table.column("relation"), sentAt: table.column("sent_at"), amount: table.column("amount"),
                    fromWallet: table.column("from_wallet"), acceptedAt: table.column("accepted_at"))
        self.window = window
        known = KnownPersons(persons: persons)
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let transfer = try owners.take(id, column: "transfer_id", file: file, line: row.line) { () throws(RowError) -> WalletTransfer in
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
        transfers.append(transfer)
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
    private var owners = KeyOwners<String>()
    private let file: String

    public init(table: CSVTableReader, persons: PersonTable, window: DateWindow) {
        file = table.name
        c = Columns(id: table.column("quota_id"), sharer: table.column("sharer_id"),
                    beneficiary: table.column("beneficiary_id"), relation: table.column("relation"),
                    setOn: table.column("set_on"), amount: table.column("amount"), endedOn: table.column("ended_on"))
        self.window = window
        known = KnownPersons(persons: persons)
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let quota = try owners.take(id, column: "quota_id", file: file, line: row.line) { () throws(RowError) -> WalletQuota in
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
        quotas.append(quota)
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
    public private(set) var pots: [FamilyPot] = []
    private var owners = KeyOwners<String>()
    private let file: String

    public init(table: CSVTableReader, persons: PersonTable, window: DateWindow) {
        file = table.name
        c = Columns(id: table.column("pot_id"), creator: table.column("creator_id"), createdOn: table.column("created_on"),
                    closedOn: table.column("closed_on"))
        self.window = window
        known = KnownPersons(persons: persons)
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let pot = try owners.take(id, column: "pot_id", file: file, line: row.line) { () throws(RowError) -> FamilyPot in
            let creator = try Field.id(row, c.creator)
            let createdOn = try Field.day(row, c.createdOn)
            if let problem = window.problem(createdOn) { throw RowError(column: "created_on", problem) }
            let closedOn = try Field.end(row, c.closedOn, after: createdOn, "created_on")
            try known.check(creator, c.creator)
            return FamilyPot(id: id, creator: creator, createdOn: createdOn, closedOn: closedOn)
        }
        pots.append(pot)
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
    private var owners = KeyOwners<String>()
    private let file: String

    public init(table: CSVTableReader, persons: PersonTable, pots: [FamilyPot], window: DateWindow) {
        file = table.name
        c = Columns(pot: table.column("pot_id"), person: table.column("person_id"), relation: table.column("relation"),
                    joinedOn: table.column("joined_on"), leftOn: table.column("left_on"))
        self.window = window
        known = KnownPersons(persons: persons)
        creators = Dictionary(pots.map { ($0.id, $0.creator) }, uniquingKeysWith: { first, _ in first })
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let pot = try Field.string(row, c.pot)
        let person = try Field.id(row, c.person)
        // The pot and person belong to the first row that names them, accepted or not (rule R3).
        let member = try owners.take(pot + "\u{0}" + person.text, file: file, line: row.line, taken: { owner in
            RowError(column: "person_id", "the person is a member of pot \(pot) on "
                     + (owner.map { "line \($0.line), which was rejected" } ?? "an earlier row"))
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
        members.append(member)
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
    public private(set) var deposits: [PotDeposit] = []
    private var owners = KeyOwners<String>()
    private let file: String

    public init(table: CSVTableReader, pots: [FamilyPot], window: DateWindow) {
        file = table.name
        c = Columns(id: table.column("deposit_id"), pot: table.column("pot_id"), at: table.column("at"),
                    amount: table.column("amount"))
        self.window = window
        self.pots = Set(pots.map(\.id))
    }

    public mutating func accept(_ row: CSVTableReader.Row) throws(RowError) {
        let id = try Field.string(row, c.id)
        let deposit = try owners.take(id, column: "deposit_id", file: file, line: row.line) { () throws(RowError) -> PotDeposit in
            let pot = try Field.string(row, c.pot)
            let at = try Field.timestamp(row, c.at)
            if let problem = window.problem(at.day) { throw RowError(column: "at", problem) }
            let amount = try Field.positiveAmount(row, c.amount)
            guard pots.contains(pot) else { throw RowError(column: "pot_id", "pot \(pot) is not in pots.csv") }
            return PotDeposit(id: id, pot: pot, at: at, amount: amount)
        }
        deposits.append(deposit)
    }
}
