/// What became of a wallet transfer (transfers-YYYY-MM.csv `status`).
public enum TransferStatus: String, CaseIterable, Hashable, Sendable {
    case accepted, returned, refused
}

/// A quota at a month's end (quotas-YYYY-MM.csv `status`).
public enum QuotaStatus: String, CaseIterable, Hashable, Sendable {
    case active, ended, refused
}

/// A pot at a month's end (pots-YYYY-MM.csv `status`).
public enum PotStatus: String, CaseIterable, Hashable, Sendable {
    case open, dissolved
}

/// One transfer sent in the month, and its outcome.
public struct TransferOutcome: Hashable, Sendable {
    public var transfer: WalletTransfer
    public var status: TransferStatus
    /// Why it was refused; nil otherwise.
    public var refusal: EarmarkRefusal?
    /// When an unaccepted transfer comes back (returned only).
    public var returnsAt: Timestamp?
}

/// One wallet's month (wallets-YYYY-MM.csv).
public struct WalletMonth: Hashable, Sendable {
    public var person: ResidentID
    public var region: RegionCode
    public var opening = Money.zero
    public var received = Money.zero
    public var sent = Money.zero
    public var spent = Money.zero
    public var returned = Money.zero
    public var closing: Money { opening + received - sent - spent + returned }
}

/// Why a quota ended.
public enum QuotaEnding: Hashable, Sendable, CustomStringConvertible {
    /// Its `ended_on`.
    case endedOn(Day)
    /// An event of one side (death, leaving the scheme, moving region).
    case event(EarmarkRefusal.Side, LifeEvent)

    public var day: Day {
        switch self {
        case let .endedOn(day): day
        case let .event(_, event): event.date
        }
    }

    public var description: String {
        switch self {
        case let .endedOn(day): "ended on \(day)"
        case let .event(side, event): "ended by the \(side.rawValue)'s \(event.kind.phrase) on \(event.date)"
        }
    }
}

/// One quota's month (quotas-YYYY-MM.csv).
public struct QuotaMonth: Hashable, Sendable {
    public var quota: WalletQuota
    public var usedBefore = Money.zero
    public var used = Money.zero
    public var released = Money.zero
    public var unused = Money.zero
    public var status: QuotaStatus
    public var refusal: EarmarkRefusal?
    public var ending: QuotaEnding?

    /// The reason column: a refusal, or how it ended.
    public var reason: String? { refusal?.description ?? ending?.description }
}

/// Why a pot was dissolved.
public enum PotDissolution: Hashable, Sendable, CustomStringConvertible {
    case closedOn(Day)
    case event(LifeEvent)

    public var day: Day {
        switch self {
        case let .closedOn(day): day
        case let .event(event): event.date
        }
    }

    public var description: String {
        switch self {
        case let .closedOn(day): "closed on \(day)"
        case let .event(event): "dissolved by the creator's \(event.kind.phrase) on \(event.date)"
        }
    }
}

/// One pot's month (pots-YYYY-MM.csv).
public struct PotMonth: Hashable, Sendable {
    public var pot: FamilyPot
    public var region: RegionCode
    public var opening = Money.zero
    public var deposits = Money.zero
    public var draws = Money.zero
    public var returned = Money.zero
    /// Members (the creator among them) whose membership overlaps the month.
    public var members = 0
    public var status: PotStatus
    public var dissolution: PotDissolution?
    public var closing: Money { opening + deposits - draws - returned }
}

/// A deposit refused whole, for the month page.
public struct RefusedDeposit: Hashable, Sendable {
    public var deposit: PotDeposit
    public var refusal: EarmarkRefusal
}

/// The earmarked money of one month: what the wallets, transfers, quotas
/// and pots reports are made of.
public struct EarmarkMonth: Sendable {
    public var month: YearMonth
    /// Transfers sent in the month, in (sent_at, transfer_id) order.
    public var transfers: [TransferOutcome] = []
    /// Wallets that exist, in person-ID order.
    public var wallets: [WalletMonth] = []
    /// Quotas in force on some day of the month, set or refused in it, in quota_id order.
    public var quotas: [QuotaMonth] = []
    /// Pots that exist in the month, in pot_id order.
    public var pots: [PotMonth] = []
    public var refusedDeposits: [RefusedDeposit] = []
    public var acceptedDeposits = 0
    /// Accepted transfers between regions, by (payer, payee).
    public var clearing: [ClearingItem] = []
    /// Sent and not yet accepted or returned, at the month's start and end.
    public var inTransitBefore = Money.zero
    public var inTransitAfter = Money.zero

    public init(month: YearMonth) { self.month = month }

    /// Whether any of the three models showed in the month.
    public var isEmpty: Bool {
        transfers.isEmpty && wallets.isEmpty && quotas.isEmpty && pots.isEmpty && refusedDeposits.isEmpty
    }
}
