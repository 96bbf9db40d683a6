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
    public static func sections(_ usage: UsageMonth, policy: Policy, disclosure: Disclosure) -> String {
        let month = usage.earmarks
        let sources = PaidFrom(usage.settlements)
        guard !month.isEmpty || sources.wallet.fen > 0 || sources.pot.fen > 0 || sources.quota.fen > 0 else { return "" }
        var out = "## Money set aside ahead of claims\n\n"
        out += "Where every yuan of this month's claims came from, in the order they are drawn (docs/rules.md convention 7):\n\n"
        var table = MarkdownTable([("Paid from", .left), ("Claims", .right), ("Amount", .right)])
        for (label, count, amount) in sources.rows { table.append([label, String(count), amount.yuanText]) }
        table.append(["**Total**", String(usage.settlements.count), sources.total.yuanText])
        out += table.text
        let drew = usage.settlements.filter { $0.wallet.fen > 0 || $0.pot.fen > 0 || $0.draws.contains { $0.channel == .quota } }
        if !drew.isEmpty {
            out += "\nClaims that drew on money set aside:\n\n"
            var list = MarkdownTable([("Claim", .left), ("Patient", .left), ("Region", .left), ("Amount", .right),
                                      ("Own account", .right), ("Wallet", .right), ("Pot", .right), ("Quotas", .right),
                                      ("Bindings", .right), ("Cash", .right)])
            for settled in drew.prefix(UsageReports.exceptionListLimit) {
                let quota = settled.draws.filter { $0.channel == .quota }.reduce(Money.zero) { $0 + $1.amount }
                list.append([disclosure.text(settled.claim.id), disclosure.id(settled.claim.person), settled.claim.region.text,
                             settled.claim.amount.yuanText, settled.ownAccount.yuanText, settled.wallet.yuanText,
                             settled.pot.yuanText, quota.yuanText, (settled.familyShared - quota).yuanText,
                             settled.cash.yuanText])
            }
            out += list.text
            if drew.count > UsageReports.exceptionListLimit {
                out += "\n\(drew.count - UsageReports.exceptionListLimit) more are in usage-\(month.month.text)-claims.csv.\n"
            }
        }

        if !month.transfers.isEmpty || !month.wallets.isEmpty {
            out += "\n### Wallet transfers\n\n"
            var byStatus = MarkdownTable([("Status", .left), ("Transfers", .right), ("Amount", .right)])
            for status in TransferStatus.allCases {
                let rows = month.transfers.filter { $0.status == status }
                byStatus.append([status.rawValue, String(rows.count), rows.reduce(Money.zero) { $0 + $1.transfer.amount }.yuanText])
            }
            out += byStatus.text
            let wallets = month.wallets
            let sum = { (value: (WalletMonth) -> Money) in wallets.reduce(Money.zero) { $0 + value($1) } }
            out += "\n\(wallets.count) wallets: opening \(sum(\.opening).yuanText), received \(sum(\.received).yuanText), "
                + "sent \(sum(\.sent).yuanText), spent on claims \(sum(\.spent).yuanText), returned \(sum(\.returned).yuanText), "
                + "closing \(sum(\.closing).yuanText) (wallets-\(month.month.text).csv).\n"
            if month.inTransitAfter.fen > 0 {
                out += "\n\(month.inTransitAfter.yuanText) was sent and not yet accepted or returned at the month's end.\n"
            }
            let unsettled = month.transfers.filter { $0.status != .accepted }
            if !unsettled.isEmpty {
                out += "\nTransfers refused or returned (nothing moved, or the money went back):\n\n"
                var list = MarkdownTable([("Transfer", .left), ("Sent at", .left), ("From", .left), ("To", .left),
                                          ("Amount", .right), ("Status", .left), ("Why", .left)])
                for outcome in unsettled {
                    let transfer = outcome.transfer
                    list.append([disclosure.text(transfer.id), transfer.sentAt.text, disclosure.id(transfer.from),
                                 disclosure.id(transfer.to), transfer.amount.yuanText, outcome.status.rawValue,
                                 disclosure.text(reason(outcome) ?? "")])
                }
                out += list.text
            }
        }

        if !month.quotas.isEmpty {
            out += "\n### Quotas\n\n"
            var list = MarkdownTable([("Quota", .left), ("Sharer", .left), ("Beneficiary", .left), ("Amount", .right),
                                      ("Used before", .right), ("Used", .right), ("Released", .right), ("Unused", .right),
                                      ("Status", .left), ("Why", .left)])
            for row in month.quotas {
                list.append([disclosure.text(row.quota.id), disclosure.id(row.quota.sharer), disclosure.id(row.quota.beneficiary),
                             row.quota.amount.yuanText, row.usedBefore.yuanText, row.used.yuanText, row.released.yuanText,
                             row.unused.yuanText, row.status.rawValue, disclosure.text(row.reason ?? "")])
            }
            out += "An unused quota stays in the sharer's account, frozen (quotas-\(month.month.text).csv).\n\n" + list.text
        }

        if !month.pots.isEmpty || !month.refusedDeposits.isEmpty {
            out += "\n### Family pots\n\n"
            var list = MarkdownTable([("Pot", .left), ("Region", .left), ("Creator", .left), ("Opening", .right),
                                      ("Deposits", .right), ("Draws", .right), ("Returned", .right), ("Closing", .right),
                                      ("Members", .right), ("Status", .left)])
            for row in month.pots {
                let status = row.dissolution.map { "\(row.status.rawValue): \($0)" } ?? row.status.rawValue
                list.append([disclosure.text(row.pot.id), "\(row.region) \(policy.regions[row.region]?.name ?? "")",
                             disclosure.id(row.pot.creator), row.opening.yuanText, row.deposits.yuanText, row.draws.yuanText,
                             row.returned.yuanText, row.closing.yuanText, String(row.members), status])
            }
            out += list.text
            out += "\n\(month.acceptedDeposits) deposits accepted, \(month.refusedDeposits.count) refused.\n"
            if !month.refusedDeposits.isEmpty {
                var refused = MarkdownTable([("Deposit", .left), ("Pot", .left), ("At", .left), ("Amount", .right),
                                             ("Why", .left)])
                for entry in month.refusedDeposits {
                    refused.append([disclosure.text(entry.deposit.id), disclosure.text(entry.deposit.pot),
                                    entry.deposit.at.text, entry.deposit.amount.yuanText,
                                    disclosure.text(entry.refusal.description)])
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
    public var rows: [(String, Int, Money)] {
        [("own account", counts[0], own), ("own wallet", counts[1], wallet), ("family pots", counts[2], pot),
         ("relatives' quotas", counts[3], quota), ("relatives' bindings", counts[4], binding), ("cash", counts[5], cash)]
    }
}
