/// One settlement made by the national medical-insurance information
/// platform (settlements/*.csv, columns after interface 2207 `setlinfo`):
/// what the patient's own account, relatives' accounts and cash actually
/// paid (docs/audit.md).
public struct PlatformSettlement: Hashable, Sendable {
    public var id: String
    public var patient: ResidentID
    public var time: Timestamp
    /// Where it was settled.
    public var region: RegionCode
    public var category: UsageCategory
    /// The patient's own account (`acct_pay`).
    public var ownAccount: Money
    /// Relatives' accounts (`acct_mulaid_pay`), the sum the platform declares.
    public var mutualAid: Money
    /// `psn_cash_pay`.
    public var cash: Money
    /// The patient's account balance after (`balc`), when given.
    public var balanceAfter: Money?
    /// `refd_setl_flag` 1: this row reverses `original`, its amounts negated.
    public var reverses: String?

    public init(id: String, patient: ResidentID, time: Timestamp, region: RegionCode, category: UsageCategory,
                ownAccount: Money, mutualAid: Money, cash: Money, balanceAfter: Money? = nil, reverses: String? = nil) {
        self.id = id
        self.patient = patient
        self.time = time
        self.region = region
        self.category = category
        self.ownAccount = ownAccount
        self.mutualAid = mutualAid
        self.cash = cash
        self.balanceAfter = balanceAfter
        self.reverses = reverses
    }

    /// What accounts and cash paid together (`acct_pay + acct_mulaid_pay + psn_cash_pay`).
    public var total: Money { ownAccount + mutualAid + cash }

    /// The claim this settlement paid, for the rules' checks.
    var claim: Claim {
        Claim(id: id, person: patient, occurredAt: time, region: region, category: category, amount: total)
    }

    /// Settlement order: time, then ID (docs/rules.md convention 3).
    public static func order(_ lhs: PlatformSettlement, _ rhs: PlatformSettlement) -> Bool {
        (lhs.time, lhs.id) < (rhs.time, rhs.id)
    }
}

/// One relative's payment for a settlement (mutual-aid/*.csv).
public struct MutualAidPayment: Hashable, Sendable {
    public var settlement: String
    public var payer: ResidentID
    public var amount: Money
    /// `binding` (the default) or `quota`.
    public var channel: DrawChannel
    /// The payer's balance after (`payer_balc`), when given.
    public var payerBalanceAfter: Money?

    public init(settlement: String, payer: ResidentID, amount: Money, channel: DrawChannel = .binding,
                payerBalanceAfter: Money? = nil) {
        self.settlement = settlement
        self.payer = payer
        self.amount = amount
        self.channel = channel
        self.payerBalanceAfter = payerBalanceAfter
    }
}

/// The fixed finding codes (docs/audit.md).
public enum FindingCode: String, CaseIterable, Hashable, Sendable, Comparable {
    /// The payer has no active binding or quota with the patient that day.
    case noBinding = "A01"
    /// The relation is not one the payer's region allows that day.
    case relation = "A02"
    /// The category is not shareable in the payer's region that day.
    case category = "A03"
    /// The payer's region does not share with the settlement's region that day.
    case scope = "A04"
    /// The payer died, left the scheme or moved before that day.
    case payerEnded = "A05"
    /// The payer's balance went below the threshold in force.
    case belowThreshold = "A06"
    /// The payer (or the patient's own account) paid more than the balance held.
    case beyondBalance = "A07"
    /// Relatives paid while the patient's own account still held money.
    case ownAccountFirst = "A08"
    /// `acct_mulaid_pay` differs from its mutual-aid rows, or a row names an unknown settlement.
    case mutualAidMismatch = "A09"
    /// `balc` or `payer_balc` differs from the replayed balance.
    case balanceDiffers = "A10"
    /// The same settlement twice.
    case duplicate = "A11"
    /// A reversal without its original, or reversed twice.
    case badReversal = "A12"
    /// Cash paid while relatives could have paid it under the rules.
    case couldHaveShared = "A13"

    public static func < (lhs: FindingCode, rhs: FindingCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a payment is a finding: what a supervisor can act on. Reports turn
/// it into words (`Words.detail`).
public enum FindingDetail: Hashable, Sendable {
    /// The rules refused every binding of the payer with the patient (A01-A05).
    case refused(Refusal)
    /// No binding (or, for `quota`, no quota) of the payer with the patient in force that day.
    case noBinding(channel: DrawChannel)
    /// The payer is not in persons.csv, or has no account.
    case payerUnknown
    case belowThreshold(after: Money, threshold: Money)
    case beyondBalance(held: Money, paid: Money)
    case ownAccountHeld(Money)
    case mutualAidDiffers(declared: Money, rows: Money)
    case unknownSettlement
    case balanceDiffers(reported: Money, replayed: Money)
    case repeatedID
    case sameAs(String)
    case reversalWithoutOriginal(String)
    case reversedTwice(String)
    case relativesHeld(Money)
}

/// One finding of the audit (audit-YYYY-MM-findings.csv).
public struct AuditFinding: Hashable, Sendable {
    public var settlement: String
    /// Nil only for a mutual-aid row naming no settlement of the data (A09).
    public var time: Timestamp?
    public var region: RegionCode?
    public var patient: ResidentID?
    /// Nil where the finding is about the patient's own account or the settlement as a whole.
    public var payer: ResidentID?
    public var code: FindingCode
    /// Always positive.
    public var amountAtRisk: Money
    public var detail: FindingDetail

    public init(settlement: String, time: Timestamp?, region: RegionCode?, patient: ResidentID?, payer: ResidentID?,
                code: FindingCode, amountAtRisk: Money, detail: FindingDetail) {
        self.settlement = settlement
        self.time = time
        self.region = region
        self.patient = patient
        self.payer = payer
        self.code = code
        self.amountAtRisk = amountAtRisk
        self.detail = detail
    }
}

/// A month audited: its findings in settlement order, and how the replayed
/// balances compare with what the platform reported.
public struct AuditMonth: Sendable {
    public var month: YearMonth
    public var settlements: Int
    public var reversals: Int
    public var findings: [AuditFinding]
    /// Balances the platform reported (`balc`, `payer_balc`) and how many matched the replay.
    public var balancesReported = 0
    public var balancesMatched = 0
    /// The movements of the accounts the month's records name (patients and payers), as replayed.
    public var balances = AccountMonths()

    public init(month: YearMonth, settlements: Int = 0, reversals: Int = 0, findings: [AuditFinding] = []) {
        self.month = month
        self.settlements = settlements
        self.reversals = reversals
        self.findings = findings
    }
}
