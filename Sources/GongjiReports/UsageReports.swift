import GongjiDomain

/// One authorizer's month (usage-YYYY-MM-authorizers.csv).
public struct AuthorizerRow: Hashable, Sendable {
    public var authorizer: ResidentID
    public var region: RegionCode
    public var account: AccountMonth?
    /// What stays in the account: written 0.00 for a region without a
    /// threshold, empty when no bulletin gives it. Refusal texts name
    /// bindings and regions, never people.
    public var threshold: Threshold
    public var beneficiaries: Int

    /// The threshold's figure only: a city has 100k authorizers a month, and
    /// the period behind the figure is the thresholds report's business.
    public enum Threshold: Hashable, Sendable {
        case noThreshold, amount(Money), unknown

        public init(_ inForce: ThresholdInForce) {
            switch inForce {
            case .noThreshold: self = .noThreshold
            case let .amount(amount, _): self = .amount(amount)
            case .unknown: self = .unknown
            }
        }
    }

    public init(authorizer: ResidentID, region: RegionCode, account: AccountMonth?, threshold: ThresholdInForce,
                beneficiaries: Int) {
        self.authorizer = authorizer
        self.region = region
        self.account = account
        self.threshold = Threshold(threshold)
        self.beneficiaries = beneficiaries
    }
}

/// The family-sharing reports of one month.
public struct UsageMonth: Sendable {
    public var month: YearMonth
    /// In settlement order.
    public var settlements: [ClaimSettlement]
    /// In authorizer-ID order.
    public var authorizers: [AuthorizerRow]
    /// Money that crossed pooling regions (`Clearing.items`).
    public var clearing: [ClearingItem]

    public init(month: YearMonth, settlements: [ClaimSettlement], authorizers: [AuthorizerRow], clearing: [ClearingItem]) {
        self.month = month
        self.settlements = settlements
        self.authorizers = authorizers
        self.clearing = clearing
    }
}

public enum UsageReports {
    public static let claimColumns = ["claim_id", "occurred_at", "region_code", "person_id", "category", "amount",
                                      "own_account", "family_shared", "cash", "family_status"]
    public static let shareColumns = ["claim_id", "occurred_at", "authorizer_id", "beneficiary_id", "relation", "amount",
                                      "authorizer_balance_before", "threshold", "channel", "authorizer_region"]
    public static let clearingColumns = ["payer_region", "payee_region", "channel", "draws", "amount"]
    public static let authorizerColumns = ["authorizer_id", "region_code", "opening_balance", "credits", "own_spending",
                                           "shared_out", "closing_balance", "threshold", "beneficiaries"]

    public static func claimsCSV(_ usage: UsageMonth, disclosure: Disclosure) -> String {
        CSVWriter.render(columns: claimColumns, disclosure: disclosure) { writer throws(AtomicFile.WriteError) in
            try writeClaims(usage, to: writer)
        }
    }

    public static func writeClaims(_ usage: UsageMonth, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for settled in usage.settlements {
            let claim = settled.claim
            writer.text(claim.id)
            writer.number(claim.occurredAt.text)
            writer.region(claim.region)
            writer.id(claim.person)
            writer.text(claim.category.rawValue)
            writer.money(claim.amount)
            writer.money(settled.ownAccount)
            writer.money(settled.familyShared)
            writer.money(settled.cash)
            writer.text(settled.status.rawValue)
            try writer.endRow()
        }
    }

    public static func sharesCSV(_ usage: UsageMonth, disclosure: Disclosure) -> String {
        CSVWriter.render(columns: shareColumns, disclosure: disclosure) { writer throws(AtomicFile.WriteError) in
            try writeShares(usage, to: writer)
        }
    }

    public static func writeShares(_ usage: UsageMonth, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for settled in usage.settlements {
            for draw in settled.draws {
                writer.text(settled.claim.id)
                writer.number(settled.claim.occurredAt.text)
                writer.id(draw.authorizer)
                writer.id(settled.claim.person)
                writer.text(draw.relation.rawValue)
                writer.money(draw.amount)
                writer.money(draw.balanceBefore)
                writer.money(draw.threshold ?? .zero)
                writer.text(draw.channel.rawValue)
                writer.region(draw.authorizerRegion)
                try writer.endRow()
            }
        }
    }

    /// clearing-YYYY-MM.csv: one row per payer region, payee region and channel.
    public static func writeClearing(_ usage: UsageMonth, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for item in usage.clearing {
            writer.region(item.payer)
            writer.region(item.payee)
            writer.text(item.channel.rawValue)
            writer.int(item.draws)
            writer.money(item.amount)
            try writer.endRow()
        }
    }

    public static func writeAuthorizers(_ usage: UsageMonth, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for row in usage.authorizers {
            let account = row.account
            writer.id(row.authorizer)
            writer.region(row.region)
            writer.money(account?.opening ?? .zero)
            writer.money(account?.credits ?? .zero)
            writer.money(account?.ownSpending ?? .zero)
            writer.money(account?.sharedOut ?? .zero)
            writer.money(account?.closing ?? .zero)
            switch row.threshold {
            case .noThreshold: writer.money(Money.zero)
            case let .amount(amount): writer.money(amount)
            case .unknown: writer.empty()
            }
            writer.int(row.beneficiaries)
            try writer.endRow()
        }
    }

    /// The draws paid from an account insured in another region than the
    /// claim's: by region pair, then by province (clearing-YYYY-MM.csv).
    static func acrossRegions(_ usage: UsageMonth, policy: Policy) -> String {
        guard !usage.clearing.isEmpty else { return "No family money crossed pooling regions this month.\n" }
        func name(_ code: RegionCode) -> String { "\(code) \(policy.regions[code]?.name ?? "")" }
        var pairs = MarkdownTable([("Paid by (account's region)", .left), ("For claims in", .left), ("Channel", .left),
                                   ("Draws", .right), ("Amount", .right)])
        var provinces: [UInt32: (draws: Int, amount: Money, name: String)] = [:]
        var across = (draws: 0, amount: Money.zero)
        for item in usage.clearing {
            pairs.append([name(item.payer), name(item.payee), item.channel.rawValue, String(item.draws), item.amount.yuanText])
            if item.payer.sharesProvince(with: item.payee) {
                let province = policy.regions[item.payer]?.province ?? String(item.payer.province)
                provinces[item.payer.province, default: (0, .zero, province)].draws += item.draws
                provinces[item.payer.province, default: (0, .zero, province)].amount += item.amount
            } else {
                across.draws += item.draws
                across.amount += item.amount
            }
        }
        let total = usage.clearing.reduce((draws: 0, amount: Money.zero)) { ($0.draws + $1.draws, $0.amount + $1.amount) }
        pairs.append(["**Total**", "", "", String(total.draws), total.amount.yuanText])
        var out = "Each region's fund pays what its insured persons' accounts gave; the regions clear these amounts "
            + "between their funds (clearing-\(usage.month.text).csv).\n\n" + pairs.text
        var byProvince = MarkdownTable([("Province", .left), ("Draws", .right), ("Amount", .right)])
        for code in provinces.keys.sorted() {
            let entry = provinces[code] ?? (0, .zero, "")
            byProvince.append(["\(entry.name) (\(code))", String(entry.draws), entry.amount.yuanText])
        }
        if across.draws > 0 { byProvince.append(["across provinces", String(across.draws), across.amount.yuanText]) }
        return out + "\nAcross regions inside one province, and across provinces:\n\n" + byProvince.text
    }

    /// How many exception claims the page lists one by one; the rest are counted.
    public static let exceptionListLimit = 50
    /// How many authorizers the page lists.
    public static let topAuthorizers = 10

    /// The family-sharing sections of usage-YYYY-MM.md.
    public static func sections(_ usage: UsageMonth, policy: Policy, disclosure: Disclosure) -> String {
        let settled = usage.settlements
        var out = "## Family sharing\n\n"
        guard !settled.isEmpty else { return out + "No claims this month.\n\n" }
        struct Sum { var claims = 0, amount = Money.zero, own = Money.zero, family = Money.zero, cash = Money.zero }
        func add(_ sum: inout Sum, _ s: ClaimSettlement) {
            sum.claims += 1
            sum.amount += s.claim.amount
            sum.own += s.ownAccount
            sum.family += s.familyShared
            sum.cash += s.cash
        }
        func sumTable(_ first: String, _ rows: [(String, Sum)], total: Sum) -> String {
            var table = MarkdownTable([(first, .left), ("Claims", .right), ("Amount", .right), ("Own account", .right),
                                       ("Family shared", .right), ("Cash", .right)])
            for (label, sum) in rows + [("**Total**", total)] {
                table.append([label, String(sum.claims), sum.amount.yuanText, sum.own.yuanText, sum.family.yuanText,
                              sum.cash.yuanText])
            }
            return table.text
        }
        var total = Sum()
        var byStatus: [FamilyStatus: Sum] = [:]
        var byCategory: [UsageCategory: Sum] = [:]
        var byRegion: [RegionCode: Sum] = [:]
        var byRelation: [Relation: (draws: Int, amount: Money)] = [:]
        var drawsByAuthorizer: [ResidentID: Int] = [:]
        for s in settled {
            add(&total, s)
            add(&byStatus[s.status, default: Sum()], s)
            add(&byCategory[s.claim.category, default: Sum()], s)
            add(&byRegion[s.claim.region, default: Sum()], s)
            for draw in s.draws {
                byRelation[draw.relation, default: (0, .zero)].draws += 1
                byRelation[draw.relation, default: (0, .zero)].amount += draw.amount
                drawsByAuthorizer[draw.authorizer, default: 0] += 1
            }
        }
        let draws = settled.reduce(0) { $0 + $1.draws.count }
        out += "\(total.claims) claims for \(total.amount.yuanText) yuan: own accounts paid \(total.own.yuanText), "
            + "family accounts \(total.family.yuanText) in \(draws) draws, cash \(total.cash.yuanText).\n\n"
        out += "### By family status\n\n"
        out += sumTable("Status", byStatus.keys.sorted().map { ($0.rawValue, byStatus[$0] ?? Sum()) }, total: total)
        out += "\n### By relation\n\n"
        if byRelation.isEmpty {
            out += "No family money was drawn.\n"
        } else {
            var table = MarkdownTable([("Relation", .left), ("Draws", .right), ("Amount", .right)])
            for relation in byRelation.keys.sorted() {
                let entry = byRelation[relation] ?? (0, .zero)
                table.append([relation.rawValue, String(entry.draws), entry.amount.yuanText])
            }
            table.append(["**Total**", String(draws), total.family.yuanText])
            out += table.text
        }
        out += "\n### By category\n\n"
        out += sumTable("Category", byCategory.keys.sorted().map { ($0.rawValue, byCategory[$0] ?? Sum()) }, total: total)
        out += "\n### By region\n\n"
        out += sumTable("Region", byRegion.keys.sorted().map {
            ("\($0) \(policy.regions[$0]?.name ?? "")", byRegion[$0] ?? Sum())
        }, total: total)

        out += "\n### Money across regions\n\n" + acrossRegions(usage, policy: policy)

        out += "\n### Top authorizers\n\n"
        let top = usage.authorizers.filter { ($0.account?.sharedOut.fen ?? 0) > 0 }
            .sorted { (($1.account?.sharedOut ?? .zero), $0.authorizer) < (($0.account?.sharedOut ?? .zero), $1.authorizer) }
        if top.isEmpty {
            out += "No authorizer shared money this month (\(usage.authorizers.count) had an active binding).\n"
        } else {
            var table = MarkdownTable([("Authorizer", .left), ("Region", .left), ("Shared out", .right), ("Draws", .right),
                                       ("Beneficiaries", .right), ("Closing balance", .right), ("Threshold", .right)])
            for row in top.prefix(topAuthorizers) {
                let threshold: String = switch row.threshold {
                case .noThreshold: "none"
                case let .amount(amount): amount.yuanText
                case .unknown: "unknown"
                }
                table.append([disclosure.id(row.authorizer), row.region.text, (row.account?.sharedOut ?? .zero).yuanText,
                              String(drawsByAuthorizer[row.authorizer] ?? 0), String(row.beneficiaries),
                              (row.account?.closing ?? .zero).yuanText, threshold])
            }
            out += table.text
            out += "\n\(top.count) of \(usage.authorizers.count) authorizers with an active binding shared money; "
                + "all are in usage-\(usage.month.text)-authorizers.csv.\n"
        }

        out += "\n### Exceptions\n\n"
        let exceptions = settled.filter { !$0.refusals.isEmpty || $0.status == .noExcess }
        if exceptions.isEmpty {
            out += "None: every claim that needed family money and had a binding was eligible.\n\n"
            return out
        }
        out += "Claims that needed family money, had a binding, and were refused in whole or in part.\n\n"
        var reasons: [String: (claims: Int, cash: Money)] = [:]
        for s in exceptions {
            let kinds = s.refusals.isEmpty ? ["no authorizer had money above the threshold"] : Set(s.refusals.map(\.kind)).sorted()
            for kind in kinds {
                reasons[kind, default: (0, .zero)].claims += 1
                reasons[kind, default: (0, .zero)].cash += s.cash
            }
        }
        var summary = MarkdownTable([("Reason", .left), ("Claims", .right), ("Cash paid", .right)])
        for reason in reasons.keys.sorted() {
            let entry = reasons[reason] ?? (0, .zero)
            summary.append([reason, String(entry.claims), entry.cash.yuanText])
        }
        out += summary.text
        out += "\n"
        var list = MarkdownTable([("Claim", .left), ("Patient", .left), ("Category", .left), ("Status", .left),
                                  ("Cash", .right), ("Why", .left)])
        for s in exceptions.prefix(exceptionListLimit) {
            let why = s.refusals.isEmpty ? "no authorizer had money above the threshold"
                : s.refusals.map(\.description).joined(separator: "; ")
            list.append([s.claim.id, disclosure.id(s.claim.person), s.claim.category.rawValue, s.status.rawValue,
                         s.cash.yuanText, why])
        }
        out += list.text
        if exceptions.count > exceptionListLimit {
            out += "\n\(exceptions.count - exceptionListLimit) more exceptions are not listed here; "
                + "usage-\(usage.month.text)-claims.csv has every claim's status.\n"
        }
        return out + "\n"
    }
}
