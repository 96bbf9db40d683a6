import GongjiDomain

public enum ChangeReports {
    public static let thresholdColumns = ["region_code", "policy_year_start", "policy_year_end", "stat_year", "threshold_before",
                                          "threshold_after", "change", "revision_before", "revision_after", "basis_before",
                                          "basis_after"]
    public static let claimColumns = ["month", "claim_id", "occurred_at", "region_code", "person_id", "category", "amount",
                                      "own_account_before", "own_account_after", "family_shared_before", "family_shared_after",
                                      "cash_before", "cash_after", "family_status_before", "family_status_after"]
    public static let balanceColumns = ["month", "person_id", "region_code", "own_spending_before", "own_spending_after",
                                        "shared_out_before", "shared_out_after", "closing_balance_before",
                                        "closing_balance_after"]
    public static let clearingColumns = ["month", "payer_region", "payee_region", "channel", "draws_before", "draws_after",
                                         "amount_before", "amount_after"]
    public static let summaryColumns = ["region_code", "month", "claims_changed", "persons_affected", "family_shared_before",
                                        "family_shared_after", "cash_before", "cash_after"]

    static func money(_ value: Money?) -> CSVTable.Field { value.map { .number($0.yuanText) } ?? .empty }

    public static func thresholdsCSV(_ changes: ChangeSet) -> String {
        var table = CSVTable(columns: thresholdColumns)
        for change in changes.thresholds {
            let side = change.after ?? change.before
            let delta = change.after.flatMap { after in change.before.map { after.threshold - $0.threshold } }
            table.append([.number(change.region.text), .number(change.start.text), .number(side?.end.text ?? ""),
                          .number(side.map { String($0.statYear) } ?? ""), money(change.before?.threshold),
                          money(change.after?.threshold), money(delta),
                          change.before?.revision.map { .number(String($0)) } ?? .empty,
                          change.after?.revision.map { .number(String($0)) } ?? .empty,
                          change.before.map { .text($0.basis.rawValue) } ?? .empty,
                          change.after.map { .text($0.basis.rawValue) } ?? .empty])
        }
        return table.text
    }

    public static func claimsCSV(_ changes: ChangeSet, disclosure: Disclosure) -> String {
        var table = CSVTable(columns: claimColumns)
        for change in changes.claims {
            let claim = change.claim
            table.append([.number(change.month.text), .text(disclosure.text(claim.id)), .number(claim.occurredAt.text),
                          .number(claim.region.text), .text(disclosure.id(claim.person)), .text(claim.category.rawValue),
                          .number(claim.amount.yuanText), money(change.before?.own), money(change.after?.own),
                          money(change.before?.family), money(change.after?.family), money(change.before?.cash),
                          money(change.after?.cash), change.before.map { .text($0.status.rawValue) } ?? .empty,
                          change.after.map { .text($0.status.rawValue) } ?? .empty])
        }
        return table.text
    }

    public static func balancesCSV(_ changes: ChangeSet, disclosure: Disclosure) -> String {
        var table = CSVTable(columns: balanceColumns)
        for change in changes.balances {
            table.append([.number(change.month.text), .text(disclosure.id(change.person)), .number(change.region.text),
                          money(change.before?.own), money(change.after?.own), money(change.before?.shared),
                          money(change.after?.shared), money(change.before?.closing), money(change.after?.closing)])
        }
        return table.text
    }

    public static func clearingCSV(_ changes: ChangeSet) -> String {
        var table = CSVTable(columns: clearingColumns)
        for change in changes.clearing {
            table.append([.number(change.month.text), .number(change.payer.text), .number(change.payee.text),
                          .text(change.channel.rawValue), change.before.map { .number(String($0.draws)) } ?? .empty,
                          change.after.map { .number(String($0.draws)) } ?? .empty, money(change.before?.amount),
                          money(change.after?.amount)])
        }
        return table.text
    }

    public static func summaryCSV(_ changes: ChangeSet) -> String {
        var table = CSVTable(columns: summaryColumns)
        for row in changes.summary {
            table.append([.number(row.region.text), .number(row.month.text), .number(String(row.claims)),
                          .number(String(row.persons.count)), .number(row.familyBefore.yuanText),
                          .number(row.familyAfter.yuanText), .number(row.cashBefore.yuanText), .number(row.cashAfter.yuanText)])
        }
        return table.text
    }

    public static let correctionColumns = ["person_id", "region_code", "claims_changed", "cash_before", "cash_after", "action",
                                           "amount", "account_change"]

    /// changes-corrections.csv: the list a clerk acts on, per person.
    public static func correctionsCSV(_ changes: ChangeSet, disclosure: Disclosure) -> String {
        var table = CSVTable(columns: correctionColumns)
        for row in changes.corrections {
            table.append([.text(disclosure.id(row.person)), .number(row.region.text), .number(String(row.claims)),
                          .number(row.cashBefore.yuanText), .number(row.cashAfter.yuanText), .text(row.action?.rawValue ?? ""),
                          .number(row.amount.yuanText), .number(row.accountChange.yuanText)])
        }
        return table.text
    }

    /// A bulletin that caused a change: region, statistical year, revision, file.
    public struct Cause: Sendable {
        public var region: RegionCode
        public var statYear: Int
        public var revision: Int
        public var issued: Day
        public var file: String
        public init(region: RegionCode, statYear: Int, revision: Int, issued: Day, file: String) {
            self.region = region
            self.statYear = statYear
            self.revision = revision
            self.issued = issued
            self.file = file
        }
    }

    /// How many people each list on the page shows.
    public static let listLimit = 20

    /// `gongji recompute`'s changes, compared with what `gongji run` last reported.
    public static func recompute(_ w: Words) -> ChangeSet {
        ChangeSet(title: w.pick("重新计算后的变化", "Changes after recompute"),
                  comparedWith: w.pick("`gongji run` 上次报告的结果", "the results last reported by `gongji run`"))
    }

    /// `gongji what-if`'s changes under the override titled `title` (its
    /// file when it has none), compared with the store's current results.
    public static func whatIf(_ title: String, _ w: Words) -> ChangeSet {
        ChangeSet(title: w.pick("假设：", "What if: ") + title, comparedWith: w.pick("库中当前的结果", "the current results in the store"))
    }

    /// changes.svg: the family-shared money of each month, before and after.
    public static func chart(_ changes: ChangeSet, words w: Words = Words(.zh)) -> String {
        Charts.bars(title: w.pick("各月家庭共济资金：之前与之后（元）", "Family-shared money by month, before and after (yuan)"),
                    labels: changes.familyByMonth.map(\.month.text),
                    series: [Charts.Series(name: w.pick("之前", "before"), values: changes.familyByMonth.map { $0.before.fen }),
                             Charts.Series(name: w.pick("之后", "after"), values: changes.familyByMonth.map { $0.after.fen })])
    }

    public static func markdown(_ changes: ChangeSet, policy: Policy, disclosure: Disclosure, chart: String?,
                                causes: [Cause] = [], words w: Words = Words(.zh)) -> String {
        func name(_ code: RegionCode) -> String { "\(code) \(policy.regions[code]?.name ?? "")" }
        var out = "# \(changes.title)\n\n"
        let span = changes.months.isEmpty ? w.pick("无月份", "no months")
            : w.span(changes.months[0].text, changes.months[changes.months.count - 1].text)
        out += w.pick("对比对象：\(changes.comparedWith)，月份 \(span)。\n\n", "Compared with \(changes.comparedWith), months \(span).\n\n")
        if changes.isEmpty {
            return out + w.pick("**没有变化**：所有门槛、结算和余额与之前相同。\n", "**No changes**: every threshold, claim and balance is as before.\n")
        }
        if !causes.isEmpty {
            out += w.pick("引起变化的公报：\n\n", "The bulletins behind the change:\n\n")
            for cause in causes {
                out += w.pick("- \(name(cause.region))，统计年度 \(cause.statYear)，修订版 \(cause.revision)（\(cause.issued) 发布）：`\(cause.file)`\n",
                              "- \(name(cause.region)), statistical year \(cause.statYear), revision \(cause.revision) (issued \(cause.issued)): `\(cause.file)`\n")
            }
            out += "\n"
        }
        if let first = changes.firstAffectedStart {
            out += w.pick("最早受影响的政策年度：自 \(first.text) 起。\n\n", "First affected policy year: from \(first.text).\n\n")
        }
        let rows = changes.summary
        let persons = Set(rows.flatMap(\.persons)).count
        let familyBefore = rows.reduce(Money.zero) { $0 + $1.familyBefore }
        let familyAfter = rows.reduce(Money.zero) { $0 + $1.familyAfter }
        out += w.pick("\(w.count(changes.claims.count)) 笔结算、\(w.count(changes.balances.count)) 条月度账户余额发生变化；涉及 \(w.count(persons)) 人。"
                          + "变化结算的家庭共济资金由 \(w.money(familyBefore)) 变为 \(w.money(familyAfter))（\(signed(familyAfter - familyBefore, w))）。\n\n",
                      "\(changes.claims.count) claims and \(changes.balances.count) account-months changed; \(persons) persons affected. "
                          + "On the changed claims family money went from \(w.money(familyBefore)) to \(w.money(familyAfter)) "
                          + "(\(signed(familyAfter - familyBefore, w))).\n\n")

        out += w.pick("## 门槛\n\n", "## Thresholds\n\n")
        if changes.thresholds.isEmpty {
            out += w.pick("门槛没有变化。\n\n", "No threshold changed.\n\n")
        } else {
            var table = MarkdownTable([(w.pick("统筹区", "Region"), .left), (w.pick("政策年度", "Policy year"), .left),
                                       (w.pick("统计年度", "Stat. year"), .right), (w.pick("之前", "Before"), .right),
                                       (w.pick("之后", "After"), .right), (w.pick("变化", "Change"), .right),
                                       (w.pick("修订版", "Revision"), .left)])
            for change in changes.thresholds {
                let side = change.after ?? change.before
                let none = w.pick("无", "none")
                let revisions = (change.before.map { revisionText($0, w) } ?? none, change.after.map { revisionText($0, w) } ?? none)
                let revision = revisions.0 == revisions.1 ? revisions.0 : "\(revisions.0) → \(revisions.1)"
                let delta = change.after.flatMap { after in change.before.map { signed(after.threshold - $0.threshold, w) } } ?? ""
                table.append([name(change.region), w.span(change.start.text, side?.end.text ?? ""),
                              side.map { String($0.statYear) } ?? "", change.before.map { w.money($0.threshold) } ?? "-",
                              change.after.map { w.money($0.threshold) } ?? "-", delta, revision])
            }
            out += table.text + "\n"
        }

        out += w.pick("## 按统筹区和月份\n\n", "## By region and month\n\n")
        if rows.isEmpty {
            out += w.pick("结算和余额都没有变化。\n\n", "No claim or balance changed.\n\n")
        } else {
            var table = MarkdownTable([(w.pick("统筹区", "Region"), .left), (w.pick("月份", "Month"), .left),
                                       (w.pick("变化结算", "Claims changed"), .right), (w.pick("涉及人数", "Persons"), .right),
                                       (w.pick("共济（之前）", "Family before"), .right), (w.pick("共济（之后）", "Family after"), .right),
                                       (w.pick("现金（之前）", "Cash before"), .right), (w.pick("现金（之后）", "Cash after"), .right)])
            for row in rows {
                table.append([name(row.region), row.month.text, w.count(row.claims), w.count(row.persons.count),
                              w.money(row.familyBefore), w.money(row.familyAfter), w.money(row.cashBefore), w.money(row.cashAfter)])
            }
            out += table.text + "\n"
            if rows.contains(where: { $0.claims == 0 && !$0.persons.isEmpty }) {
                out += w.pick("某月没有变化的结算、却有涉及人数：这些人的账户余额因此前月份的结算变化而不同，差额延续到以后各月"
                                  + "（见 changes-balances.csv）。\n\n",
                              "A month with persons but no changed claim: their account balances differ because claims of an "
                                  + "earlier month changed, and the difference carries into every later month (changes-balances.csv).\n\n")
            }
        }
        if let chart { out += w.pick("![各月家庭共济资金：之前与之后](\(chart))\n\n", "![Family-shared money by month, before and after](\(chart))\n\n") }

        out += w.pick("## 跨统筹区资金\n\n", "## Money across regions\n\n")
        if changes.clearing.isEmpty {
            out += w.pick("统筹区之间的清算没有变化。\n\n", "No clearing between regions changed.\n\n")
        } else {
            var table = MarkdownTable([(w.pick("月份", "Month"), .left), (w.pick("付款统筹区", "Paid by"), .left),
                                       (w.pick("收款统筹区", "For claims in"), .left), (w.pick("渠道", "Channel"), .left),
                                       (w.pick("之前", "Before"), .right), (w.pick("之后", "After"), .right),
                                       (w.pick("变化", "Change"), .right)])
            for change in changes.clearing {
                let before = change.before?.amount ?? .zero, after = change.after?.amount ?? .zero
                table.append([change.month.text, name(change.payer), name(change.payee), w.channel(change.channel),
                              change.before.map { w.money($0.amount) } ?? "-", change.after.map { w.money($0.amount) } ?? "-",
                              signed(after - before, w)])
            }
            out += table.text + w.pick("\n全部变化的清算行见 changes-clearing.csv。\n\n", "\nEvery changed clearing row is in changes-clearing.csv.\n\n")
        }

        // Who gained or lost: beneficiaries by family money received, authorizers by money shared out.
        out += personList(w.pick("被授权人：收到的家庭共济资金", "Beneficiaries: family money received"), w.pick("收到", "Received"),
                          changes.receivedByPerson, disclosure: disclosure, w)
        out += personList(w.pick("授权人：付出的共济资金", "Authorizers: money shared out"), w.pick("付出", "Shared out"),
                          changes.sharedOutByPerson, disclosure: disclosure, w)

        out += w.pick("## 待办：逐人退款或追回\n\n", "## To do: refunds and recoveries, person by person\n\n")
        let corrections = changes.corrections
        if corrections.isEmpty {
            out += w.pick("无需退款或追回。\n\n", "Nothing to refund or recover.\n\n")
        } else {
            var table = MarkdownTable([(w.pick("参保人", "Person"), .left), (w.pick("统筹区", "Region"), .left),
                                       (w.pick("变化结算", "Claims"), .right), (w.pick("现金（之前）", "Cash before"), .right),
                                       (w.pick("现金（之后）", "Cash after"), .right), (w.pick("处理", "Action"), .left),
                                       (w.pick("金额", "Amount"), .right), (w.pick("账户余额变化", "Account change"), .right)])
            for row in corrections.prefix(listLimit) {
                let action: String = switch row.action {
                case .refund: w.pick("退还参保人", "refund")
                case .recover: w.pick("向参保人追回", "recover")
                case .account: w.pick("仅调整账户", "account only")
                case nil: ""
                }
                table.append([disclosure.id(row.person), row.region.text, w.count(row.claims), w.money(row.cashBefore),
                              w.money(row.cashAfter), action, w.money(row.amount), signed(row.accountChange, w)])
            }
            out += table.text
            if corrections.count > listLimit {
                out += w.pick("\n另有 \(w.count(corrections.count - listLimit)) 人未列出。\n", "\n\(corrections.count - listLimit) more are not listed here.\n")
            }
            out += w.pick("\n全部见 changes-corrections.csv。退款：新数字下参保人少付现金（家庭账户多付）；追回：参保人应多付现金。"
                              + "账户余额变化是最后一个比较月份月末的期末余额之差。\n\n",
                          "\nAll are in changes-corrections.csv. Refund: under the new figures the person pays less cash (family "
                              + "accounts pay more); recover: the person should have paid more cash. The account change is the "
                              + "difference of the closing balance at the end of the last month compared.\n\n")
        }
        out += w.pick("每笔变化的结算见 changes-claims.csv，每条变化的月度账户余额见 changes-balances.csv。\n",
                      "Every changed claim is in changes-claims.csv, every changed account-month in changes-balances.csv.\n")
        return out
    }

    static func personList(_ heading: String, _ column: String, _ deltas: [ResidentID: (region: RegionCode, delta: Money)],
                           disclosure: Disclosure, _ w: Words) -> String {
        var out = "## \(heading)\n\n"
        let moved = deltas.filter { $0.value.delta.fen != 0 }
            .sorted { (abs($1.value.delta.fen), $0.key) < (abs($0.value.delta.fen), $1.key) }
        guard !moved.isEmpty else { return out + w.pick("没有变化。\n\n", "No change.\n\n") }
        let gained = moved.filter { $0.value.delta.fen > 0 }.count
        out += w.pick("\(w.count(moved.count)) 人：\(w.count(gained)) 人增加，\(w.count(moved.count - gained)) 人减少。按变化大小排列。\n\n",
                      "\(moved.count) persons: \(gained) more, \(moved.count - gained) less. Largest changes first.\n\n")
        var table = MarkdownTable([(w.pick("参保人", "Person"), .left), (w.pick("统筹区", "Region"), .left), (column, .right)])
        for (person, entry) in moved.prefix(listLimit) {
            table.append([disclosure.id(person), entry.region.text, signed(entry.delta, w)])
        }
        out += table.text
        if moved.count > listLimit {
            out += w.pick("\n另有 \(w.count(moved.count - listLimit)) 人未列出。\n", "\n\(moved.count - listLimit) more are not listed here.\n")
        }
        return out + "\n"
    }

    static func revisionText(_ side: ThresholdFigure, _ w: Words) -> String {
        side.revision.map { "r\($0)" } ?? w.pick("沿用", "carried forward")
    }

    static func signed(_ money: Money, _ w: Words) -> String { money.fen > 0 ? "+" + w.money(money) : w.money(money) }
}
