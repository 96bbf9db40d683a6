/// A wallet transfer (wallet-transfers.csv): money from the sender's account,
/// or wallet, into a relative's wallet (docs/rules.md section 4b).
public struct WalletTransfer: Hashable, Sendable {
    public var id: String
    public var from: ResidentID
    public var to: ResidentID
    public var relation: Relation
    public var sentAt: Timestamp
    public var amount: Money
    /// Paid from the sender's wallet rather than the account.
    public var fromWallet: Bool
    /// Nil: never accepted.
    public var acceptedAt: Timestamp?

    public init(id: String, from: ResidentID, to: ResidentID, relation: Relation, sentAt: Timestamp, amount: Money,
                fromWallet: Bool = false, acceptedAt: Timestamp? = nil) {
        self.id = id
        self.from = from
        self.to = to
        self.relation = relation
        self.sentAt = sentAt
        self.amount = amount
        self.fromWallet = fromWallet
        self.acceptedAt = acceptedAt
    }
}

/// A quota a sharer sets for a relative (wallet-quotas.csv, 2026 model).
public struct WalletQuota: Hashable, Sendable {
    public var id: String
    public var sharer: ResidentID
    public var beneficiary: ResidentID
    public var relation: Relation
    public var setOn: Day
    public var amount: Money
    /// Exclusive.
    public var endedOn: Day?

    public init(id: String, sharer: ResidentID, beneficiary: ResidentID, relation: Relation, setOn: Day, amount: Money,
                endedOn: Day? = nil) {
        self.id = id
        self.sharer = sharer
        self.beneficiary = beneficiary
        self.relation = relation
        self.setOn = setOn
        self.amount = amount
        self.endedOn = endedOn
    }
}

/// A family pot (pots.csv): money its creator moved out of the account for
/// the members to use.
public struct FamilyPot: Hashable, Sendable {
    public var id: String
    public var creator: ResidentID
    public var createdOn: Day
    public var closedOn: Day?

    public init(id: String, creator: ResidentID, createdOn: Day, closedOn: Day? = nil) {
        self.id = id
        self.creator = creator
        self.createdOn = createdOn
        self.closedOn = closedOn
    }
}

/// A member of a pot other than its creator (pot-members.csv).
public struct PotMember: Hashable, Sendable {
    public var pot: String
    public var person: ResidentID
    public var relation: Relation
    public var joinedOn: Day
    /// Exclusive.
    public var leftOn: Day?

    public init(pot: String, person: ResidentID, relation: Relation, joinedOn: Day, leftOn: Day? = nil) {
        self.pot = pot
        self.person = person
        self.relation = relation
        self.joinedOn = joinedOn
        self.leftOn = leftOn
    }
}

/// Money the creator moves from the account into the pot (pot-deposits.csv).
public struct PotDeposit: Hashable, Sendable {
    public var id: String
    public var pot: String
    public var at: Timestamp
    public var amount: Money

    public init(id: String, pot: String, at: Timestamp, amount: Money) {
        self.id = id
        self.pot = pot
        self.at = at
        self.amount = amount
    }
}

/// Everything earmarked ahead of claims that the inputs give.
public struct EarmarkInputs: Sendable {
    public var transfers: [WalletTransfer]
    public var quotas: [WalletQuota]
    public var pots: [FamilyPot]
    public var members: [PotMember]
    public var deposits: [PotDeposit]

    public init(transfers: [WalletTransfer] = [], quotas: [WalletQuota] = [], pots: [FamilyPot] = [],
                members: [PotMember] = [], deposits: [PotDeposit] = []) {
        self.transfers = transfers
        self.quotas = quotas
        self.pots = pots
        self.members = members
        self.deposits = deposits
    }

    public var isEmpty: Bool { transfers.isEmpty && quotas.isEmpty && pots.isEmpty && deposits.isEmpty }
}
