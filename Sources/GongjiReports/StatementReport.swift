import GongjiDomain

/// statement-<id>-<from>-<to>.md and .csv (`gongji statement`,
/// docs/formats.md): one person's account month by month, every line that
/// moves it with the balance after it, so that each month ends at its
/// closing balance and the next opens from it.
public enum StatementReport {
    public static let columns = ["month", "item", "claim_id", "occurred_at", "relative_id", "relation", "amount", "balance"]

    /// One line of the statement.
    struct Line {
        var month: YearMonth
        var item: String
        var claim: String?
        var time: Timestamp?
        var relative: ResidentID?
        var relation: Relation?
        var amount: Money
        /// The balance after the line; nil for a line that does not move the account.
        var balance: Money?
    }

    static func lines(_ month: PersonStatement.Month) -> [Line] {
        var lines: [Line] = []
        let m = month.month
        guard let account = month.account else {
            for draw in month.paidByRelatives {
                lines.append(Line(month: m, item: "paid_by_relative", claim: draw.claim, time: draw.occurredAt,
                                  relative: draw.relative, relation: draw.relation, amount: draw.amount, balance: nil))
            }
            return lines
        }
        var balance = account.opening
        lines.append(Line(month: m, item: "opening", amount: account.opening, balance: balance))
        // The claims and draws of the month in time order; credits post at its end (docs/rules.md section 3).
        var events: [(time: Timestamp, order: Int, line: Line)] = []
        for (index, outcome) in month.claims.enumerated() where outcome.payment.own.fen != 0 {
            events.append((outcome.claim.occurredAt, index, Line(month: m, item: "own_spending", claim: outcome.claim.id,
                                                                  time: outcome.claim.occurredAt, amount: outcome.payment.own)))
        }
        for (index, draw) in month.paidForRelatives.enumerated() {
            events.append((draw.occurredAt, 100_000 + index, Line(month: m, item: "paid_for_relative", claim: draw.claim,
                                                                   time: draw.occurredAt, relative: draw.relative,
                                                                   relation: draw.relation, amount: draw.amount)))
        }
        for (index, draw) in month.paidByRelatives.enumerated() {
            events.append((draw.occurredAt, 200_000 + index, Line(month: m, item: "paid_by_relative", claim: draw.claim,
                                                                   time: draw.occurredAt, relative: draw.relative,
                                                                   relation: draw.relation, amount: draw.amount)))
        }
        for (_, _, line) in events.sorted(by: { ($0.time, $0.order) < ($1.time, $1.order) }) {
            var line = line
            if line.item != "paid_by_relative" {
                balance -= line.amount
                line.balance = balance
            }
            lines.append(line)
        }
        let after: [(item: String, amount: Money, adds: Bool)] = [
            ("transferred_out", account.transferredOut, false), ("pot_deposits", account.potDeposits, false),
            ("pot_returned", account.potReturned, true), ("credits", account.credits, true),
        ]
        for entry in after where entry.amount.fen != 0 {
            if entry.adds { balance += entry.amount } else { balance -= entry.amount }
            lines.append(Line(month: m, item: entry.item, amount: entry.amount, balance: balance))
        }
        lines.append(Line(month: m, item: "closing", amount: account.closing, balance: account.closing))
        return lines
    }

    public static func csv(_ statement: PersonStatement, disclosure: Disclosure) -> String {
        CSVWriter.render(columns: columns, disclosure: disclosure) { writer throws(AtomicFile.WriteError) in
            for month in statement.months {
                for line in lines(month) {
                    writer.number(line.month.text)
                    writer.text(line.item)
                    if let claim = line.claim { writer.key(claim) } else { writer.empty() }
                    if let time = line.time { writer.number(time.text) } else { writer.empty() }
                    if let relative = line.relative { writer.id(relative) } else { writer.empty() }
                    if let relation = line.relation { writer.text(relation.rawValue) } else { writer.empty() }
                    writer.money(line.amount)
                    writer.money(line.balance)
                    try writer.endRow()
                }
            }
        }
    }

    static func label(_ item: String, _ w: Words) -> String {
        switch item {
        case "opening": w.pick("月初余额", "opening balance")
        case "own_spending": w.pick("本人就医支付", "own spending")
        case "paid_for_relative": w.pick("为亲属支付", "paid for a relative")
        case "paid_by_relative": w.pick("亲属代为支付（不动本人账户）", "paid by a relative (not from this account)")
        case "transferred_out": w.pick("转入亲属医保钱包", "sent to relatives' wallets")
        case "pot_deposits": w.pick("存入家庭共济账户", "deposited into the family pot")
        case "pot_returned": w.pick("家庭共济账户退回", "returned from the family pot")
        case "credits": w.pick("月末划入", "month-end credit")
        case "closing": w.pick("月末余额", "closing balance")
        default: item
        }
    }

    public static func markdown(_ statement: PersonStatement, policy: Policy?, disclosure: Disclosure,
                                words w: Words = Words(.zh)) -> String {
        let who = disclosure.id(statement.person)
        let region = statement.region.map { "\($0) \(policy?.regions[$0]?.name ?? "")" } ?? ""
        let first = statement.months.first?.month.text ?? "", last = statement.months.last?.month.text ?? ""
        var out = w.pick("# 个人账户对账单：\(who)\n\n参保地 \(region)，\(first) 至 \(last)。每行之后为账户余额；"
                             + "每月以月末余额结束，下月从该余额开始（期初余额重设时除外）。\n\n",
                         "# Account statement: \(who)\n\nInsured in \(region), \(first) to \(last). The balance after "
                             + "each line; each month ends at its closing balance and the next opens from it (unless an "
                             + "opening balance resets it).\n\n")
        for month in statement.months {
            out += "## \(month.month.text)\n\n"
            if let threshold = month.threshold {
                out += w.pick("月末适用门槛 \(w.money(threshold))：只有超出部分可为亲属支付。\n\n",
                              "Threshold in force at the month's end: \(w.money(threshold)); only the part above it may pay for relatives.\n\n")
            }
            var table = MarkdownTable([(w.pick("项目", "Item"), .left), (w.pick("结算", "Claim"), .left),
                                       (w.pick("时间", "Time"), .left), (w.pick("亲属", "Relative"), .left),
                                       (w.pick("关系", "Relation"), .left), (w.pick("金额", "Amount"), .right),
                                       (w.pick("余额", "Balance"), .right)])
            for line in lines(month) {
                table.append([label(line.item, w), line.claim.map(disclosure.text) ?? "", line.time?.text ?? "",
                              line.relative.map(disclosure.id) ?? "", line.relation.map(w.relation) ?? "",
                              w.money(line.amount), line.balance.map(w.money) ?? ""])
            }
            out += table.text + "\n"
        }
        return out
    }
}
