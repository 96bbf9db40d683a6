/// Money one region's fund owes another for a month (clearing-YYYY-MM.csv):
/// every draw whose paying account is insured in a region other than the
/// claim's (docs/rules.md convention 9), summed by payer, payee and channel.
public struct ClearingItem: Hashable, Sendable {
    /// The region of the account the money left.
    public var payer: RegionCode
    /// The region where the claim was settled.
    public var payee: RegionCode
    public var channel: DrawChannel
    public var draws: Int
    public var amount: Money

    public init(payer: RegionCode, payee: RegionCode, channel: DrawChannel, draws: Int, amount: Money) {
        self.payer = payer
        self.payee = payee
        self.channel = channel
        self.draws = draws
        self.amount = amount
    }
}

public enum Clearing {
    /// The month's clearing items, in (payer, payee, channel) order: the
    /// draws of `settlements`, and `transfers` (accepted wallet transfers
    /// between regions, `EarmarkMonth.clearing`).
    public static func items(_ settlements: [ClaimSettlement], transfers: [ClearingItem] = []) -> [ClearingItem] {
        struct Key: Hashable { var payer: RegionCode; var payee: RegionCode; var channel: DrawChannel }
        var sums: [Key: (draws: Int, amount: Money)] = [:]
        for settled in settlements {
            for draw in settled.draws where draw.authorizerRegion != settled.claim.region {
                let key = Key(payer: draw.authorizerRegion, payee: settled.claim.region, channel: draw.channel)
                sums[key, default: (0, .zero)].draws += 1
                sums[key, default: (0, .zero)].amount += draw.amount
            }
        }
        return (sums.map { ClearingItem(payer: $0.key.payer, payee: $0.key.payee, channel: $0.key.channel,
                                        draws: $0.value.draws, amount: $0.value.amount) } + transfers)
            .sorted { ($0.payer, $0.payee, $0.channel) < ($1.payer, $1.payee, $1.channel) }
    }
}
