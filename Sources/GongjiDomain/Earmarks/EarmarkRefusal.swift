/// Why a wallet transfer, a quota or a pot deposit was refused whole
/// (docs/rules.md convention 10): nothing moved.
public enum EarmarkRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The region has no wallet rule in force that day.
    case noWallet(region: RegionCode, on: Day)
    /// The region's wallet is of another model that day.
    case wrongModel(region: RegionCode, on: Day, inForce: WalletModel)
    case overTransferMax(amount: Money, max: Money)
    case quietHours(sentAt: Timestamp, QuietHours)
    /// The sender's `count`-th transfer that day, over the limit.
    case overDailyCount(count: Int, max: Int, on: Day)
    /// `free`: what the account (less frozen quota) or the wallet held.
    case short(source: Source, free: Money, amount: Money)
    /// The sender or sharer is in the resident scheme and has no individual account.
    case noAccount(Side)
    /// The sharer's or beneficiary's insurance ended before the quota was set.
    case endedBefore(Side, LifeEvent)
    case noPotRule(region: RegionCode, on: Day)
    case potNotOpen(pot: String, on: Day)
    case overMonthlyDeposits(count: Int, max: Int, month: YearMonth)
    /// The deposit would leave `leaves` in the creator's account, below `floor`.
    case belowFloor(leaves: Money, floor: Money)

    public enum Source: String, Sendable { case account, wallet }
    public enum Side: String, Sendable { case sender, sharer, beneficiary, creator }

    public var description: String {
        switch self {
        case let .noWallet(region, day): "no wallet in force in \(region) on \(day)"
        case let .wrongModel(region, day, model): "the wallet in force in \(region) on \(day) is the \(model.rawValue) model"
        case let .overTransferMax(amount, max): "\(amount.yuanText) is over the limit of \(max.yuanText) a transfer"
        case let .quietHours(sentAt, hours): "sent at \(sentAt), inside the quiet hours \(hours)"
        case let .overDailyCount(count, max, day): "the sender's transfer number \(count) on \(day): at most \(max) a day"
        case let .short(source, free, amount):
            "the \(source == .account ? "account (less frozen quota)" : "wallet") holds \(free.yuanText), short of \(amount.yuanText)"
        case let .noAccount(side): "the \(side.rawValue) has no individual account (resident scheme)"
        case let .endedBefore(side, event): "the \(side.rawValue)'s \(event.kind.phrase) on \(event.date)"
        case let .noPotRule(region, day): "no pot rule in force in \(region) on \(day)"
        case let .potNotOpen(pot, day): "pot \(pot) is not open on \(day)"
        case let .overMonthlyDeposits(count, max, month): "deposit number \(count) of the pot in \(month): at most \(max) a month"
        case let .belowFloor(leaves, floor): "would leave \(leaves.yuanText) in the creator's account, below the floor \(floor.yuanText)"
        }
    }
}
