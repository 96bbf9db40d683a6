/// One person's account month by month, from the store alone (`gongji
/// statement`, docs/formats.md): what a person asking "where did my
/// account's money go?" is shown.
public struct PersonStatement: Sendable {
    public struct Draw: Hashable, Sendable {
        public var claim: String
        public var occurredAt: Timestamp
        /// The relative: who paid (draws for the person) or for whom (draws on the person's account).
        public var relative: ResidentID
        public var relation: Relation
        public var channel: DrawChannel
        public var amount: Money

        public init(claim: String, occurredAt: Timestamp, relative: ResidentID, relation: Relation, channel: DrawChannel,
                    amount: Money) {
            self.claim = claim
            self.occurredAt = occurredAt
            self.relative = relative
            self.relation = relation
            self.channel = channel
            self.amount = amount
        }
    }

    public struct Month: Sendable {
        public var month: YearMonth
        /// The account's movements; nil when the person had no account that month.
        public var account: AccountMonth?
        /// The person's own claims, in settlement order.
        public var claims: [ClaimOutcome]
        /// Relatives' money that paid the person's claims.
        public var paidByRelatives: [Draw]
        /// The person's money that paid relatives' claims.
        public var paidForRelatives: [Draw]
        /// The threshold of the person's region at the month's end (nil: none in force or unknown).
        public var threshold: Money?

        public init(month: YearMonth, account: AccountMonth?, claims: [ClaimOutcome], paidByRelatives: [Draw],
                    paidForRelatives: [Draw], threshold: Money?) {
            self.month = month
            self.account = account
            self.claims = claims
            self.paidByRelatives = paidByRelatives
            self.paidForRelatives = paidForRelatives
            self.threshold = threshold
        }
    }

    public var person: ResidentID
    public var region: RegionCode?
    public var months: [Month]

    public init(person: ResidentID, region: RegionCode?, months: [Month]) {
        self.person = person
        self.region = region
        self.months = months
    }
}

