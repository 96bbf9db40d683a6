import GongjiDomain

/// The wallets, transfers, quotas and pots reports (docs/formats.md), and
/// the month page's sections on them.
public enum EarmarkReports {
    public static let walletColumns = ["person_id", "region_code", "opening", "received", "sent", "spent", "returned",
                                       "closing"]
    public static let transferColumns = ["transfer_id", "sent_at", "from_id", "to_id", "relation", "amount", "status",
                                         "reason"]
    public static let quotaColumns = ["quota_id", "sharer_id", "beneficiary_id", "relation", "amount", "used_before", "used",
                                      "released", "unused", "status", "reason"]
    public static let potColumns = ["pot_id", "region_code", "creator_id", "opening", "deposits", "draws", "returned",
                                    "closing", "members", "status"]

    public static func writeWallets(_ month: EarmarkMonth, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for wallet in month.wallets {
            writer.id(wallet.person)
            writer.region(wallet.region)
            for amount in [wallet.opening, wallet.received, wallet.sent, wallet.spent, wallet.returned, wallet.closing] {
                writer.money(amount)
            }
            try writer.endRow()
        }
    }

    /// The reason column of a transfer: why it was refused, or when an unaccepted one returns.
    static func reason(_ outcome: TransferOutcome) -> String? {
        switch outcome.status {
        case .accepted: nil
        case .returned: outcome.returnsAt.map { "not accepted: returned to the sender at \($0)" }
        case .refused: outcome.refusal?.description
        }
    }

    public static func writeTransfers(_ month: EarmarkMonth, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for outcome in month.transfers {
            let transfer = outcome.transfer
            writer.key(transfer.id)
            writer.number(transfer.sentAt.text)
            writer.id(transfer.from)
            writer.id(transfer.to)
            writer.text(transfer.relation.rawValue)
            writer.money(transfer.amount)
            writer.text(outcome.status.rawValue)
            if let reason = reason(outcome) { writer.text(reason) } else { writer.empty() }
            try writer.endRow()
        }
    }

    public static func writeQuotas(_ month: EarmarkMonth, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for row in month.quotas {
            writer.key(row.quota.id)
            writer.id(row.quota.sharer)
            writer.id(row.quota.beneficiary)
            writer.text(row.quota.relation.rawValue)
            for amount in [row.quota.amount, row.usedBefore, row.used, row.released, row.unused] { writer.money(amount) }
            writer.text(row.status.rawValue)
            if let reason = row.reason { writer.text(reason) } else { writer.empty() }
            try writer.endRow()
        }
    }

    public static func writePots(_ month: EarmarkMonth, to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for row in month.pots {
            writer.key(row.pot.id)
            writer.region(row.region)
            writer.id(row.pot.creator)
            for amount in [row.opening, row.deposits, row.draws, row.returned, row.closing] { writer.money(amount) }
            writer.int(row.members)
            writer.text(row.status.rawValue)
            try writer.endRow()
        }
    }

    /// The month page's sections: where the claims' money came from, and one
    /// section for each model in use that month. Empty when no money was
    /// earmarked that month.
    public static func sections(_ usage: UsageMonth, policy: Policy, disclosure: Disclosure, words w: Words = Words(.zh)) -> String {
        let month = usage.earmarks
        let sources = PaidFrom(usage.settlements)
        guard !month.isEmpty || sources.wallet.fen > 0 || sources.pot.fen > 0 || sources.quota.fen > 0 else { return "" }
        var out = w.pick("## 预先划定的资金：钱包、共济额度与家庭共济账户\n\n", "## Money set aside ahead of claims\n\n")
        out += w.pick("本月结算资金的来源，按支付顺序排列（docs/rules.md 约定 7）：\n\n",
                      "Where every yuan of this month's claims came from, in the order they are drawn (docs/rules.md convention 7):\n\n")
        var table = MarkdownTable([(w.pick("资金来源", "Paid from"), .left), (w.pick("笔数", "Claims"), .right),
                                   (w.pick("金额", "Amount"), .right)])
        for (label, count, amount) in sources.rows(w) { table.append([label, w.count(count), w.money(amount)]) }
        table.append([w.pick("**合计**", "**Total**"), w.count(usage.settlements.count), w.money(sources.total)])
        out += table.text
        let drew = usage.settlements.filter { $0.wallet.fen > 0 || $0.pot.fen > 0 || $0.draws.contains { $0.channel == .quota } }
        if !drew.isEmpty {
            out += w.pick("\n动用了预先划定资金的结算：\n\n", "\nClaims that drew on money set aside:\n\n")
            var list = MarkdownTable([(w.pick("结算", "Claim"), .left), (w.pick("参保人", "Patient"), .left),
                                      (w.pick("统筹区", "Region"), .left), (w.pick("金额", "Amount"), .right),
                                      (w.pick("个人账户", "Own account"), .right), (w.pick("钱包", "Wallet"), .right),
                                      (w.pick("共济账户", "Pot"), .right), (w.pick("共济额度", "Quotas"), .right),
                                      (w.pick("绑定授权", "Bindings"), .right), (w.pick("现金", "Cash"), .right)])
            for settled in drew.prefix(UsageReports.exceptionListLimit) {
                let quota = settled.draws.filter { $0.channel == .quota }.reduce(Money.zero) { $0 + $1.amount }
                list.append([disclosure.text(settled.claim.id), disclosure.id(settled.claim.person), settled.claim.region.text,
                             w.money(settled.claim.amount), w.money(settled.ownAccount), w.money(settled.wallet),
                             w.money(settled.pot), w.money(quota), w.money(settled.familyShared - quota),
                             w.money(settled.cash)])
            }
            out += list.text
            if drew.count > UsageReports.exceptionListLimit {
                out += w.pick("\n另有 \(w.count(drew.count - UsageReports.exceptionListLimit)) 笔见 usage-\(month.month.text)-claims.csv。\n",
                              "\n\(drew.count - UsageReports.exceptionListLimit) more are in usage-\(month.month.text)-claims.csv.\n")
            }
        }

        if !month.transfers.isEmpty || !month.wallets.isEmpty {
            out += w.pick("\n### 医保钱包转账\n\n", "\n### Wallet transfers\n\n")
            var byStatus = MarkdownTable([(w.pick("状态", "Status"), .left), (w.pick("笔数", "Transfers"), .right),
                                          (w.pick("金额", "Amount"), .right)])
            for status in TransferStatus.allCases {
                let rows = month.transfers.filter { $0.status == status }
                byStatus.append([w.transferStatus(status), w.count(rows.count),
                                 w.money(rows.reduce(Money.zero) { $0 + $1.transfer.amount })])
            }
            out += byStatus.text
            let wallets = month.wallets
            let sum = { (value: (WalletMonth) -> Money) in wallets.reduce(Money.zero) { $0 + value($1) } }
            out += w.pick("\n\(w.count(wallets.count)) 个钱包：期初 \(w.money(sum(\.opening)))，转入 \(w.money(sum(\.received)))，"
                              + "转出 \(w.money(sum(\.sent)))，支付结算 \(w.money(sum(\.spent)))，退回 \(w.money(sum(\.returned)))，"
                              + "期末 \(w.money(sum(\.closing)))（wallets-\(month.month.text).csv）。\n",
                          "\n\(wallets.count) wallets: opening \(w.money(sum(\.opening))), received \(w.money(sum(\.received))), "
                              + "sent \(w.money(sum(\.sent))), spent on claims \(w.money(sum(\.spent))), returned \(w.money(sum(\.returned))), "
                              + "closing \(w.money(sum(\.closing))) (wallets-\(month.month.text).csv).\n")
            if month.inTransitAfter.fen > 0 {
                out += w.pick("\n月末尚有 \(w.money(month.inTransitAfter)) 已转出、未被接收或退回。\n",
                              "\n\(w.money(month.inTransitAfter)) was sent and not yet accepted or returned at the month's end.\n")
            }
            let unsettled = month.transfers.filter { $0.status != .accepted }
            if !unsettled.isEmpty {
                out += w.pick("\n被拒绝或退回的转账（资金未动，或已退回）：\n\n",
                              "\nTransfers refused or returned (nothing moved, or the money went back):\n\n")
                var list = MarkdownTable([(w.pick("转账", "Transfer"), .left), (w.pick("发出时间", "Sent at"), .left),
                                          (w.pick("转出人", "From"), .left), (w.pick("接收人", "To"), .left),
                                          (w.pick("金额", "Amount"), .right), (w.pick("状态", "Status"), .left),
                                          (w.pick("原因", "Why"), .left)])
                for outcome in unsettled {
                    let transfer = outcome.transfer
                    let why: String = switch outcome.status {
                    case .accepted: ""
                    case .returned: outcome.returnsAt.map { w.pick("未被接收：\($0) 退回转出人", "not accepted: returned to the sender at \($0)") } ?? ""
                    case .refused: outcome.refusal.map(w.refusal) ?? ""
                    }
                    list.append([disclosure.text(transfer.id), transfer.sentAt.text, disclosure.id(transfer.from),
                                 disclosure.id(transfer.to), w.money(transfer.amount), w.transferStatus(outcome.status),
                                 disclosure.text(why)])
                }
                out += list.text
            }
        }

        if !month.quotas.isEmpty {
            out += w.pick("\n### 共济额度\n\n", "\n### Quotas\n\n")
            var list = MarkdownTable([(w.pick("额度", "Quota"), .left), (w.pick("授权人", "Sharer"), .left),
                                      (w.pick("被授权人", "Beneficiary"), .left), (w.pick("额度金额", "Amount"), .right),
                                      (w.pick("此前已用", "Used before"), .right), (w.pick("本月使用", "Used"), .right),
                                      (w.pick("本月释放", "Released"), .right), (w.pick("未用", "Unused"), .right),
                                      (w.pick("状态", "Status"), .left), (w.pick("原因", "Why"), .left)])
            for row in month.quotas {
                let why = row.refusal.map(w.refusal) ?? row.ending.map(w.quotaEnding) ?? ""
                list.append([disclosure.text(row.quota.id), disclosure.id(row.quota.sharer), disclosure.id(row.quota.beneficiary),
                             w.money(row.quota.amount), w.money(row.usedBefore), w.money(row.used), w.money(row.released),
                             w.money(row.unused), w.quotaStatus(row.status), disclosure.text(why)])
            }
            out += w.pick("未用的额度仍在授权人账户中，处于冻结状态（quotas-\(month.month.text).csv）。\n\n",
                          "An unused quota stays in the sharer's account, frozen (quotas-\(month.month.text).csv).\n\n") + list.text
        }

        if !month.pots.isEmpty || !month.refusedDeposits.isEmpty {
            out += w.pick("\n### 家庭共济账户\n\n", "\n### Family pots\n\n")
            var list = MarkdownTable([(w.pick("共济账户", "Pot"), .left), (w.pick("统筹区", "Region"), .left),
                                      (w.pick("创建人", "Creator"), .left), (w.pick("期初", "Opening"), .right),
                                      (w.pick("存入", "Deposits"), .right), (w.pick("支付结算", "Draws"), .right),
                                      (w.pick("退回创建人", "Returned"), .right), (w.pick("期末", "Closing"), .right),
                                      (w.pick("成员数", "Members"), .right), (w.pick("状态", "Status"), .left)])
            for row in month.pots {
                let status = row.dissolution.map { "\(w.potStatus(row.status))\(w.pick("：", ": "))\(w.dissolution($0))" }
                    ?? w.potStatus(row.status)
                list.append([disclosure.text(row.pot.id), "\(row.region) \(policy.regions[row.region]?.name ?? "")",
                             disclosure.id(row.pot.creator), w.money(row.opening), w.money(row.deposits), w.money(row.draws),
                             w.money(row.returned), w.money(row.closing), w.count(row.members), status])
            }
            out += list.text
            out += w.pick("\n存入：接受 \(w.count(month.acceptedDeposits)) 笔，拒绝 \(w.count(month.refusedDeposits.count)) 笔。\n",
                          "\n\(month.acceptedDeposits) deposits accepted, \(month.refusedDeposits.count) refused.\n")
            if !month.refusedDeposits.isEmpty {
                var refused = MarkdownTable([(w.pick("存入", "Deposit"), .left), (w.pick("共济账户", "Pot"), .left),
                                             (w.pick("时间", "At"), .left), (w.pick("金额", "Amount"), .right),
                                             (w.pick("原因", "Why"), .left)])
                for entry in month.refusedDeposits {
                    refused.append([disclosure.text(entry.deposit.id), disclosure.text(entry.deposit.pot),
                                    entry.deposit.at.text, w.money(entry.deposit.amount),
                                    disclosure.text(w.refusal(entry.refusal))])
                }
                out += "\n" + refused.text
            }
        }
        return out + "\n"
    }
}

/// A month's claims by the source that paid them (convention 7's order).
public struct PaidFrom: Sendable {
    public var own = Money.zero, wallet = Money.zero, pot = Money.zero, quota = Money.zero, binding = Money.zero,
               cash = Money.zero
    public var counts = [Int](repeating: 0, count: 6)

    public init(_ settlements: [ClaimSettlement]) {
        // A city's month is 200k claims: sums in place, no array per claim.
        func add(_ part: Money, _ index: Int, to sum: inout Money) {
            if part.fen > 0 { counts[index] += 1 }
            sum += part
        }
        for settled in settlements {
            var quota = Money.zero
            for draw in settled.draws where draw.channel == .quota { quota += draw.amount }
            add(settled.ownAccount, 0, to: &own)
            add(settled.wallet, 1, to: &wallet)
            add(settled.pot, 2, to: &pot)
            add(quota, 3, to: &self.quota)
            add(settled.familyShared - quota, 4, to: &binding)
            add(settled.cash, 5, to: &cash)
        }
    }

    public var total: Money { own + wallet + pot + quota + binding + cash }

    /// (label, claims that drew on it, amount).
    public func rows(_ w: Words) -> [(String, Int, Money)] {
        [(w.pick("个人账户", "own account"), counts[0], own), (w.pick("本人医保钱包", "own wallet"), counts[1], wallet),
         (w.pick("家庭共济账户", "family pots"), counts[2], pot), (w.pick("亲属共济额度", "relatives' quotas"), counts[3], quota),
         (w.pick("亲属绑定授权", "relatives' bindings"), counts[4], binding), (w.pick("现金", "cash"), counts[5], cash)]
    }
}
