import GongjiDomain

public enum UsageReports {
    public static let claimColumns = ["claim_id", "occurred_at", "region_code", "person_id", "category", "amount",
                                      "own_account", "family_shared", "cash", "family_status", "wallet", "pot", "reason"]
    public static let shareColumns = ["claim_id", "occurred_at", "authorizer_id", "beneficiary_id", "relation", "amount",
                                      "authorizer_balance_before", "threshold", "channel", "authorizer_region"]
    public static let clearingColumns = ["payer_region", "payee_region", "channel", "draws", "amount"]
    public static let authorizerColumns = ["authorizer_id", "region_code", "opening_balance", "credits", "own_spending",
                                           "shared_out", "closing_balance", "threshold", "beneficiaries"]

    public static func claimsCSV(_ usage: UsageMonth, disclosure: Disclosure, words: Words = Words(.zh)) -> String {
        CSVWriter.render(columns: claimColumns, disclosure: disclosure) { writer throws(AtomicFile.WriteError) in
            try writeClaims(usage, words: words, to: writer)
        }
    }

    /// `reason` is in the page language (`words`); IDs in it are masked like a claim ID.
    public static func writeClaims(_ usage: UsageMonth, words: Words = Words(.zh),
                                   to writer: CSVWriter) throws(AtomicFile.WriteError) {
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
            writer.key(words.claimReason(settled))
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
    static func acrossRegions(_ usage: UsageMonth, _ summary: UsageSummary, policy: Policy, words w: Words) -> String {
        guard !usage.clearing.isEmpty else {
            return w.pick("本月没有跨统筹区的家庭共济资金。\n", "No family money crossed pooling regions this month.\n")
        }
        func name(_ code: RegionCode) -> String { "\(code) \(policy.regions[code]?.name ?? "")" }
        var pairs = MarkdownTable([(w.pick("付款统筹区（账户所在地）", "Paid by (account's region)"), .left),
                                   (w.pick("收款统筹区（结算地；钱包转账为收款钱包所在地）", "For claims (wallet transfers: wallets) in"), .left),
                                   (w.pick("渠道", "Channel"), .left), (w.pick("笔数", "Draws"), .right), (w.pick("金额", "Amount"), .right)])
        for item in usage.clearing {
            pairs.append([name(item.payer), name(item.payee), w.channel(item.channel), w.count(item.draws), w.money(item.amount)])
        }
        pairs.append([w.pick("**合计**", "**Total**"), "", "", w.count(summary.clearingTotal.draws), w.money(summary.clearingTotal.amount)])
        let out = w.pick("各统筹区基金按本地参保人账户付出的金额支付，统筹区之间再行清算（clearing-\(usage.month.text).csv）。\n\n",
                         "Each region's fund pays what its insured persons' accounts gave; the regions clear these amounts "
                             + "between their funds (clearing-\(usage.month.text).csv).\n\n") + pairs.text
        var byProvince = MarkdownTable([(w.pick("省份", "Province"), .left), (w.pick("笔数", "Draws"), .right),
                                        (w.pick("金额", "Amount"), .right)])
        for (code, totals) in summary.byProvince {
            // The province's name as the policy gives it for a region of that province.
            let province = policy.sortedRegions.first { $0.code.province == code }?.province ?? String(code)
            byProvince.append(["\(province) (\(code))", w.count(totals.draws), w.money(totals.amount)])
        }
        if summary.acrossProvinces.draws > 0 {
            byProvince.append([w.pick("跨省", "across provinces"), w.count(summary.acrossProvinces.draws),
                               w.money(summary.acrossProvinces.amount)])
        }
        return out + w.pick("\n省内跨统筹区与跨省：\n\n", "\nAcross regions inside one province, and across provinces:\n\n") + byProvince.text
    }

    /// The month against the previous one and the year so far, the threshold
    /// in force per region, and the bindings by relation.
    static func context(_ usage: UsageMonth, total: ClaimTotals, policy: Policy, words w: Words) -> String {
        let context = usage.context
        var out = w.pick("### 与上月、本年累计对比\n\n", "### Against the previous month and the year to date\n\n")
        // Every row adds up: wallets and pots get a column when any of the rows had money from them.
        let setAside = [total, context.previous?.totals, context.yearToDate].contains { ($0?.setAside.fen ?? 0) > 0 }
        var trend = MarkdownTable([("", .left), (w.pick("笔数", "Claims"), .right), (w.pick("金额", "Amount"), .right),
                                   (w.pick("个人账户", "Own account"), .right)]
                                  + (setAside ? [(w.pick("钱包、共济账户", "Wallet, pot"), .right)] : [])
                                  + [(w.pick("家庭共济", "Family shared"), .right), (w.pick("现金", "Cash"), .right),
                                     (w.pick("共济占账户支付", "Family share of account spending"), .right)])
        func row(_ label: String, _ sum: ClaimTotals) -> [String] {
            [label, w.count(sum.claims), w.money(sum.amount), w.money(sum.own)]
                + (setAside ? [w.money(sum.setAside)] : [])
                + [w.money(sum.family), w.money(sum.cash), w.percent(sum.family, of: sum.own + sum.family)]
        }
        trend.append(row(w.pick("本月", "this month"), total))
        if let previous = context.previous {
            // After months without inputs (not settled) the month before is not the previous one: say so.
            let label = previous.month.next == usage.month
                ? w.pick("上月（\(previous.month.text)）", "previous month (\(previous.month.text))")
                : w.pick("上一结算月（\(previous.month.text)）", "last month settled (\(previous.month.text))")
            trend.append(row(label, previous.totals))
        }
        trend.append(row(w.pick("\(usage.month.year) 年累计", "\(usage.month.year) to date"), context.yearToDate))
        out += trend.text
        if !context.thresholds.isEmpty {
            out += w.pick("\n各统筹区月末适用的门槛：\n\n", "\nThe threshold in force in each region at the month's end:\n\n")
            var table = MarkdownTable([(w.pick("统筹区", "Region"), .left), (w.pick("门槛", "Threshold"), .right),
                                       (w.pick("政策年度", "Policy year"), .left)])
            for (region, threshold) in context.thresholds {
                let name = "\(region) \(policy.regions[region]?.name ?? "")"
                switch threshold {
                case .noThreshold: table.append([name, w.pick("不设门槛", "none"), ""])
                case let .amount(amount, period):
                    table.append([name, w.money(amount), w.span(period.start.text, period.end.text)
                                  + (period.basis == .carriedForward ? w.pick("（\(w.carried(period))）", " (\(w.carried(period)))") : "")])
                case .unknown: table.append([name, w.pick("未知（缺少公报）", "unknown (no bulletin)"), ""])
                }
            }
            out += table.text
        }
        if !context.bindings.isEmpty {
            out += w.pick("\n共济绑定（按亲属关系）：\n\n", "\nFamily bindings, by relation:\n\n")
            var table = MarkdownTable([(w.pick("关系", "Relation"), .left), (w.pick("月末生效", "Active at month end"), .right),
                                       (w.pick("本月新增", "Added this month"), .right), (w.pick("本月终止", "Ended this month"), .right)])
            var sums = (0, 0, 0)
            for count in context.bindings {
                table.append([w.relation(count.relation), w.count(count.active), w.count(count.added), w.count(count.ended)])
                sums = (sums.0 + count.active, sums.1 + count.added, sums.2 + count.ended)
            }
            table.append([w.pick("**合计**", "**Total**"), w.count(sums.0), w.count(sums.1), w.count(sums.2)])
            out += table.text
        }
        return out + "\n"
    }

    /// How many exception claims the page lists one by one; the rest are counted.
    public static let exceptionListLimit = 50
    /// How many authorizers the page lists.
    public static let topAuthorizers = 10

    /// The family-sharing sections of usage-YYYY-MM.md.
    public static func sections(_ usage: UsageMonth, policy: Policy, disclosure: Disclosure, words w: Words = Words(.zh)) -> String {
        var out = w.pick("## 家庭共济\n\n", "## Family sharing\n\n")
        guard !usage.settlements.isEmpty else { return out + w.pick("本月没有结算。\n\n", "No claims this month.\n\n") }
        let summary = UsageSummary(usage)
        let total = summary.total
        // Wallets and pots get a column only in a month they paid something.
        let setAside = total.setAside.fen > 0
        func sumTable(_ first: String, _ rows: [(String, ClaimTotals)]) -> String {
            var table = MarkdownTable([(first, .left), (w.pick("笔数", "Claims"), .right), (w.pick("金额", "Amount"), .right),
                                       (w.pick("个人账户", "Own account"), .right)]
                                      + (setAside ? [(w.pick("钱包、共济账户", "Wallet, pot"), .right)] : [])
                                      + [(w.pick("家庭共济", "Family shared"), .right), (w.pick("现金", "Cash"), .right)])
            for (label, sum) in rows + [(w.pick("**合计**", "**Total**"), total)] {
                table.append([label, w.count(sum.claims), w.money(sum.amount), w.money(sum.own)]
                             + (setAside ? [w.money(sum.setAside)] : []) + [w.money(sum.family), w.money(sum.cash)])
            }
            return table.text
        }
        let accounts = total.own + total.family
        out += w.pick("\(w.count(total.claims)) 笔结算，金额 \(w.total(total.amount))：个人账户支付 \(w.total(total.own))，"
                          + (setAside ? "本人钱包和家庭共济账户 \(w.total(total.setAside))，" : "")
                          + "家庭共济 \(w.total(total.family, note: "\(w.count(summary.draws)) 笔划扣，占账户支付的 \(w.percent(total.family, of: accounts))"))，"
                          + "现金 \(w.total(total.cash))。\n\n",
                      "\(w.count(total.claims)) claims for \(w.total(total.amount)): own accounts paid \(w.total(total.own)), "
                          + (setAside ? "own wallets and family pots \(w.total(total.setAside)), " : "")
                          + "family accounts \(w.total(total.family)) in \(w.count(summary.draws)) draws "
                          + "(\(w.percent(total.family, of: accounts)) of what accounts paid), cash \(w.total(total.cash)).\n\n")
        out += context(usage, total: total, policy: policy, words: w)
        out += w.pick("### 按共济状态\n\n", "### By family status\n\n")
        out += sumTable(w.pick("共济状态", "Status"), summary.byStatus.map { (w.status($0.status), $0.totals) })
        out += w.pick("\n### 按亲属关系\n\n", "\n### By relation\n\n")
        if summary.byRelation.isEmpty {
            out += w.pick("本月没有家庭共济划扣。\n", "No family money was drawn.\n")
        } else {
            var table = MarkdownTable([(w.pick("关系", "Relation"), .left), (w.pick("笔数", "Draws"), .right),
                                       (w.pick("金额", "Amount"), .right), (w.pick("占比", "Share"), .right)])
            for (relation, totals) in summary.byRelation {
                table.append([w.relation(relation), w.count(totals.draws), w.money(totals.amount),
                              w.percent(totals.amount, of: total.family)])
            }
            table.append([w.pick("**合计**", "**Total**"), w.count(summary.draws), w.money(total.family), "100.0%"])
            out += table.text
        }
        out += w.pick("\n### 按类别\n\n", "\n### By category\n\n")
        out += sumTable(w.pick("类别", "Category"), summary.byCategory.map { (w.category($0.category), $0.totals) })
        out += w.pick("\n### 按结算统筹区\n\n", "\n### By region\n\n")
        out += sumTable(w.pick("统筹区", "Region"),
                        summary.byRegion.map { ("\($0.region) \(policy.regions[$0.region]?.name ?? "")", $0.totals) })

        out += w.pick("\n### 跨统筹区资金\n\n", "\n### Money across regions\n\n") + acrossRegions(usage, summary, policy: policy, words: w)

        out += w.pick("\n### 主要授权人\n\n", "\n### Top authorizers\n\n")
        let top = summary.sharingAuthorizers
        if top.isEmpty {
            out += w.pick("本月没有授权人付出家庭共济资金（\(w.count(usage.authorizers.count)) 人有生效的绑定）。\n",
                          "No authorizer shared money this month (\(w.count(usage.authorizers.count)) had an active binding).\n")
        } else {
            var table = MarkdownTable([(w.pick("授权人", "Authorizer"), .left), (w.pick("统筹区", "Region"), .left),
                                       (w.pick("共济支出", "Shared out"), .right), (w.pick("笔数", "Draws"), .right),
                                       (w.pick("被授权人数", "Beneficiaries"), .right), (w.pick("期末余额", "Closing balance"), .right),
                                       (w.pick("门槛", "Threshold"), .right)])
            for row in top.prefix(topAuthorizers) {
                let threshold: String = switch row.threshold {
                case .noThreshold: w.pick("无", "none")
                case let .amount(amount): w.money(amount)
                case .unknown: w.pick("未知", "unknown")
                }
                table.append([disclosure.id(row.authorizer), row.region.text, w.money(row.account?.sharedOut ?? .zero),
                              w.count(summary.drawsByAuthorizer[row.authorizer] ?? 0), w.count(row.beneficiaries),
                              w.money(row.account?.closing ?? .zero), threshold])
            }
            out += table.text
            out += w.pick("\n\(w.count(usage.authorizers.count)) 名有生效绑定的授权人中，\(w.count(top.count)) 名付出了资金；"
                              + "全部见 usage-\(usage.month.text)-authorizers.csv。\n",
                          "\n\(top.count) of \(usage.authorizers.count) authorizers with an active binding shared money; "
                              + "all are in usage-\(usage.month.text)-authorizers.csv.\n")
        }

        out += w.pick("\n### 例外\n\n", "\n### Exceptions\n\n")
        let exceptions = summary.exceptions
        if exceptions.isEmpty {
            out += w.pick("无：凡需要家庭共济且有绑定的结算，都没有因拒绝而自付现金。\n\n",
                          "None: no claim that needed family money and had a binding paid cash because of a refusal.\n\n")
            return out
        }
        out += w.pick("需要家庭共济、有绑定、却因全部或部分被拒（或授权人无可用余额）而自付现金的结算。\n\n",
                      "Claims that needed family money, had a binding, and paid cash because they were refused in whole "
                          + "or in part (or found nothing above a threshold).\n\n")
        var reasons = MarkdownTable([(w.pick("原因", "Reason"), .left), (w.pick("笔数", "Claims"), .right),
                                     (w.pick("现金支付", "Cash paid"), .right)])
        var grouped: [String: (claims: Int, cash: Money)] = [:]
        for settled in exceptions {
            let kinds = settled.refusals.isEmpty ? [w.unrefusedReason(settled)] : Set(settled.refusals.map(w.refusalKind)).sorted()
            for kind in kinds {
                grouped[kind, default: (0, .zero)].claims += 1
                grouped[kind, default: (0, .zero)].cash += settled.cash
            }
        }
        for reason in grouped.keys.sorted() {
            reasons.append([reason, w.count(grouped[reason]?.claims ?? 0), w.money(grouped[reason]?.cash ?? .zero)])
        }
        let cash = exceptions.reduce(Money.zero) { $0 + $1.cash }
        reasons.append([w.pick("**合计（每笔结算计一次）**", "**Total (each claim once)**"), w.count(exceptions.count), w.money(cash)])
        out += reasons.text
        // A claim refused for several reasons counts under each: say so, so that the rows need not add up to the total.
        let counted = grouped.values.reduce(0) { $0 + $1.claims }
        if counted > exceptions.count {
            out += w.pick("\n一笔结算可能因多个原因被拒，计入每个原因，因此各原因的笔数之和（\(w.count(counted))）"
                              + "与现金之和多于合计（\(w.count(exceptions.count)) 笔）。\n",
                          "\nA claim refused for several reasons counts under each, so the reasons' claims (\(counted)) "
                              + "and cash add up to more than the total (\(exceptions.count) claims).\n")
        }
        out += "\n"
        var list = MarkdownTable([(w.pick("结算", "Claim"), .left), (w.pick("参保人", "Patient"), .left),
                                  (w.pick("类别", "Category"), .left), (w.pick("共济状态", "Status"), .left),
                                  (w.pick("现金", "Cash"), .right), (w.pick("原因", "Why"), .left)])
        for s in exceptions.prefix(exceptionListLimit) {
            let why = s.refusals.isEmpty ? w.unrefusedReason(s) : s.refusals.map(w.refusal).joined(separator: w.pick("；", "; "))
            list.append([disclosure.text(s.claim.id), disclosure.id(s.claim.person), w.category(s.claim.category),
                         w.status(s.status), w.money(s.cash), disclosure.text(why)])
        }
        out += list.text
        if exceptions.count > exceptionListLimit {
            out += w.pick("\n另有 \(w.count(exceptions.count - exceptionListLimit)) 笔例外未列出；"
                              + "每笔结算的状态见 usage-\(usage.month.text)-claims.csv。\n",
                          "\n\(exceptions.count - exceptionListLimit) more exceptions are not listed here; "
                              + "usage-\(usage.month.text)-claims.csv has every claim's status.\n")
        }
        return out + "\n"
    }
}
