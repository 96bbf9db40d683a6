import GongjiDomain

public enum UsageReports {
    public static let claimColumns = ["claim_id", "occurred_at", "region_code", "person_id", "category", "amount",
                                      "own_account", "family_shared", "cash", "family_status", "wallet", "pot"]
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
            writer.key(claim.id)
            writer.number(claim.occurredAt.text)
            writer.region(claim.region)
            writer.id(claim.person)
            writer.text(claim.category.rawValue)
            writer.money(claim.amount)
            writer.money(settled.ownAccount)
            writer.money(settled.familyShared)
            writer.money(settled.cash)
            writer.text(settled.status.rawValue)
            writer.money(settled.wallet)
            writer.money(settled.pot)
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
                writer.key(settled.claim.id)
                writer.number(settled.claim.occurredAt.text)
                writer.id(draw.authorizer)
                writer.id(settled.claim.person)
                writer.text(draw.relation.rawValue)
                writer.money(draw.amount)
                writer.money(draw.balanceBefore)
                // A region without a threshold shares everything: 0.00; a quota has none: empty.
                if draw.channel == .quota { writer.empty() } else { writer.money(draw.threshold ?? .zero) }
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
    static func acrossRegions(_ usage: UsageMonth, _ summary: UsageSummary, policy: Policy) -> String {
        guard !usage.clearing.isEmpty else { return "No family money crossed pooling regions this month.\n" }
        func name(_ code: RegionCode) -> String { "\(code) \(policy.regions[code]?.name ?? "")" }
        var pairs = MarkdownTable([("Paid by (account's region)", .left), ("For claims (wallet transfers: wallets) in", .left),
                                   ("Channel", .left),
                                   ("Draws", .right), ("Amount", .right)])
        for item in usage.clearing {
            pairs.append([name(item.payer), name(item.payee), item.channel.rawValue, String(item.draws), item.amount.yuanText])
        }
        pairs.append(["**Total**", "", "", String(summary.clearingTotal.draws), summary.clearingTotal.amount.yuanText])
        let out = "Each region's fund pays what its insured persons' accounts gave; the regions clear these amounts "
            + "between their funds (clearing-\(usage.month.text).csv).\n\n" + pairs.text
        var byProvince = MarkdownTable([("Province", .left), ("Draws", .right), ("Amount", .right)])
        for (code, totals) in summary.byProvince {
            // The province's name as the policy gives it for a region of that province.
            let province = policy.sortedRegions.first { $0.code.province == code }?.province ?? String(code)
            byProvince.append(["\(province) (\(code))", String(totals.draws), totals.amount.yuanText])
        }
        if summary.acrossProvinces.draws > 0 {
            byProvince.append(["across provinces", String(summary.acrossProvinces.draws), summary.acrossProvinces.amount.yuanText])
        }
        return out + "\nAcross regions inside one province, and across provinces:\n\n" + byProvince.text
    }

    /// How many exception claims the page lists one by one; the rest are counted.
    public static let exceptionListLimit = 50
    /// How many authorizers the page lists.
    public static let topAuthorizers = 10

    /// The family-sharing sections of usage-YYYY-MM.md.
    public static func sections(_ usage: UsageMonth, policy: Policy, disclosure: Disclosure) -> String {
        var out = "## Family sharing\n\n"
        guard !usage.settlements.isEmpty else { return out + "No claims this month.\n\n" }
        let summary = UsageSummary(usage)
        let total = summary.total
        // Wallets and pots get a column only in a month they paid something.
        let setAside = total.setAside.fen > 0
        func sumTable(_ first: String, _ rows: [(String, ClaimTotals)]) -> String {
            var table = MarkdownTable([(first, .left), ("Claims", .right), ("Amount", .right), ("Own account", .right)]
                                      + (setAside ? [("Wallet, pot", .right)] : [])
                                      + [("Family shared", .right), ("Cash", .right)])
            for (label, sum) in rows + [("**Total**", total)] {
                table.append([label, String(sum.claims), sum.amount.yuanText, sum.own.yuanText]
                             + (setAside ? [sum.setAside.yuanText] : []) + [sum.family.yuanText, sum.cash.yuanText])
            }
            return table.text
        }
        out += "\(total.claims) claims for \(total.amount.yuanText) yuan: own accounts paid \(total.own.yuanText), "
            + (setAside ? "own wallets and family pots \(total.setAside.yuanText), " : "")
            + "family accounts \(total.family.yuanText) in \(summary.draws) draws, cash \(total.cash.yuanText).\n\n"
        out += "### By family status\n\n"
        out += sumTable("Status", summary.byStatus.map { ($0.status.rawValue, $0.totals) })
        out += "\n### By relation\n\n"
        if summary.byRelation.isEmpty {
            out += "No family money was drawn.\n"
        } else {
            var table = MarkdownTable([("Relation", .left), ("Draws", .right), ("Amount", .right)])
            for (relation, totals) in summary.byRelation {
                table.append([relation.rawValue, String(totals.draws), totals.amount.yuanText])
            }
            table.append(["**Total**", String(summary.draws), total.family.yuanText])
            out += table.text
        }
        out += "\n### By category\n\n"
        out += sumTable("Category", summary.byCategory.map { ($0.category.rawValue, $0.totals) })
        out += "\n### By region\n\n"
        out += sumTable("Region", summary.byRegion.map { ("\($0.region) \(policy.regions[$0.region]?.name ?? "")", $0.totals) })

        out += "\n### Money across regions\n\n" + acrossRegions(usage, summary, policy: policy)

        out += "\n### Top authorizers\n\n"
        let top = summary.sharingAuthorizers
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
                              String(summary.drawsByAuthorizer[row.authorizer] ?? 0), String(row.beneficiaries),
                              (row.account?.closing ?? .zero).yuanText, threshold])
            }
            out += table.text
            out += "\n\(top.count) of \(usage.authorizers.count) authorizers with an active binding shared money; "
                + "all are in usage-\(usage.month.text)-authorizers.csv.\n"
        }

        out += "\n### Exceptions\n\n"
        let exceptions = summary.exceptions
        if exceptions.isEmpty {
            out += "None: every claim that needed family money and had a binding was eligible.\n\n"
            return out
        }
        out += "Claims that needed family money, had a binding, and were refused in whole or in part.\n\n"
        var reasons = MarkdownTable([("Reason", .left), ("Claims", .right), ("Cash paid", .right)])
        for entry in summary.reasons {
            reasons.append([entry.reason, String(entry.claims), entry.cash.yuanText])
        }
        out += reasons.text
        out += "\n"
        var list = MarkdownTable([("Claim", .left), ("Patient", .left), ("Category", .left), ("Status", .left),
                                  ("Cash", .right), ("Why", .left)])
        for s in exceptions.prefix(exceptionListLimit) {
            let why = s.refusals.isEmpty ? UsageSummary.noExcessReason : s.refusals.map(\.description).joined(separator: "; ")
            list.append([disclosure.text(s.claim.id), disclosure.id(s.claim.person), s.claim.category.rawValue,
                         s.status.rawValue, s.cash.yuanText, disclosure.text(why)])
        }
        out += list.text
        if exceptions.count > exceptionListLimit {
            out += "\n\(exceptions.count - exceptionListLimit) more exceptions are not listed here; "
                + "usage-\(usage.month.text)-claims.csv has every claim's status.\n"
        }
        return out + "\n"
    }
}
