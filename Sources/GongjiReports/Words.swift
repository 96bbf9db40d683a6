import GongjiDomain

/// The language of the Markdown pages and workbooks (`--lang`, docs/formats.md).
/// CSV columns and codes never change with it.
public enum Language: String, CaseIterable, Sendable {
    case zh, en
}

/// Every word the pages print, in both languages: one table, so that the
/// renderers are written once (docs/formats.md, "Labels" lists the codes').
/// Numbers on pages are grouped by thousands (69,923.74); headline totals of
/// a hundred thousand yuan or more also show 万元.
public struct Words: Sendable {
    public let language: Language

    public init(_ language: Language) { self.language = language }

    public func pick(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    // MARK: Numbers

    /// `69,923.74`.
    public func money(_ value: Money) -> String {
        let text = value.yuanText
        guard let dot = text.firstIndex(of: ".") else { return text }
        return Self.grouped(text[..<dot]) + text[dot...]
    }

    /// A count, grouped: `1,553`.
    public func count(_ value: Int) -> String { Self.grouped(String(value)) }

    /// How a carried-forward threshold was had (docs/rules.md, rule R1).
    public func carried(_ period: ThresholdPeriod) -> String {
        guard let year = period.carriedFrom else { return pick("沿用", "carried forward") }
        return pick("沿用 \(year) 年基数", "carried forward, \(year) base")
    }

    /// Whole digits (with an optional leading `-`) with a comma every three.
    static func grouped(_ whole: Substring) -> String { grouped(String(whole)) }

    static func grouped(_ whole: String) -> String {
        let negative = whole.hasPrefix("-")
        let digits = Array(negative ? whole.dropFirst() : Substring(whole))
        var out = negative ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// A span of days or months, written one way on every page:
    /// `2018-07-01 至 2019-06-30`, `2018-07-01 to 2019-06-30`.
    public func span(_ start: String, _ end: String) -> String { pick("\(start) 至 \(end)", "\(start) to \(end)") }

    /// A headline total: `40,035,184.22 元（4,003.52 万元）`.
    /// With `note`, the note shares the 万元's bracket, so that two brackets
    /// never follow each other: `528,700.00 元（52.87 万元；18 笔划扣）`.
    public func total(_ value: Money, note: String? = nil) -> String {
        let unit = pick(" 元", " yuan")
        var inside: [String] = []
        if value.fen.magnitude >= 10_000_000 {
            // 万元 to 2 decimals, half up once (docs/rules.md convention 1).
            let wan = Money(fen: Rounding.halfUp(value.fen, dividedBy: 10_000) ?? 0)
            inside.append("\(money(wan)) 万元")
        }
        if let note { inside.append(note) }
        guard !inside.isEmpty else { return money(value) + unit }
        return money(value) + unit + pick("（\(inside.joined(separator: "；"))）", " (\(inside.joined(separator: "; ")))")
    }

    /// What a `--province` job's page headers end with: the provinces, by
    /// code and `policy`'s name (`：仅含 13 河北、32 江苏`), in English by
    /// code (` (provinces 13, 32 only)`).
    public func provincesOnly(_ selection: ProvinceSelection, policy: Policy) -> String {
        let codes = selection.codes.map(ProvinceSelection.text)
        let names = selection.codes.map { code in
            let name = policy.sortedRegions.first { $0.code.province == code }?.province
            return ProvinceSelection.text(code) + (name.map { " \($0)" } ?? "")
        }
        return pick("：仅含 \(names.joined(separator: "、"))",
                    " (province\(names.count > 1 ? "s" : "") \(codes.joined(separator: ", ")) only)")
    }

    /// A what-if override's title (docs/policy.md, "What-if overrides") in this language.
    public func title(zh: String, en: String) -> String { pick(zh, en) }

    /// A share in percent to 1 decimal: `12.5%`; `-` when the whole is zero.
    public func percent(_ part: Money, of whole: Money) -> String {
        guard whole.fen > 0, let tenths = Rounding.halfUp(part.fen, times: 1000, dividedBy: whole.fen) else { return "-" }
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(tenths.magnitude / 10).\(tenths.magnitude % 10)%"
    }

    // MARK: Codes

    public func status(_ status: FamilyStatus) -> String {
        switch status {
        case .notNeeded: pick("无需共济", "not needed")
        case .shared: pick("共济支付", "shared")
        case .partial: pick("部分共济", "partly shared")
        case .noBinding: pick("无共济绑定", "no binding")
        case .noExcess: pick("授权人无超出门槛余额", "nothing above the threshold")
        case .categoryExcluded: pick("该类别不可共济", "category not shareable")
        case .ineligible: pick("不符合共济条件", "not eligible")
        }
    }

    public func category(_ category: UsageCategory) -> String {
        switch category {
        case .outpatient: pick("门诊", "outpatient")
        case .inpatient: pick("住院", "inpatient")
        case .pharmacyOTC: pick("药店非处方药", "pharmacy, OTC")
        case .pharmacyRx: pick("药店处方药", "pharmacy, prescription")
        case .vaccination: pick("疫苗接种", "vaccination")
        case .physicalExam: pick("健康体检", "physical exam")
        case .residentPremium: pick("居民医保缴费", "resident premium")
        }
    }

    public func relation(_ relation: Relation) -> String {
        switch relation {
        case .spouse: pick("配偶", "spouse")
        case .parent: pick("父母", "parent")
        case .child: pick("子女", "child")
        case .sibling: pick("兄弟姐妹", "sibling")
        case .grandparent: pick("祖父母、外祖父母", "grandparent")
        case .grandchild: pick("孙子女、外孙子女", "grandchild")
        }
    }

    public func channel(_ channel: DrawChannel) -> String {
        switch channel {
        case .binding: pick("绑定授权", "binding")
        case .quota: pick("共济额度", "quota")
        case .walletTransfer: pick("钱包转账", "wallet transfer")
        }
    }

    public func event(_ kind: LifeEventKind) -> String {
        guard language == .zh else { return kind.phrase }
        return switch kind {
        case .death: "死亡"
        case .leftScheme: "退出职工医保"
        case .movedRegion: "转往其他统筹区"
        case .chronicDisease: "认定门诊慢特病"
        case .lixiu: "转为离休"
        }
    }

    public func transferStatus(_ status: TransferStatus) -> String {
        switch status {
        case .accepted: pick("已接收", "accepted")
        case .returned: pick("已退回", "returned")
        case .refused: pick("被拒绝", "refused")
        }
    }

    public func quotaStatus(_ status: QuotaStatus) -> String {
        switch status {
        case .active: pick("生效中", "active")
        case .ended: pick("已终止", "ended")
        case .refused: pick("被拒绝", "refused")
        }
    }

    public func potStatus(_ status: PotStatus) -> String {
        switch status {
        case .open: pick("开放", "open")
        case .dissolved: pick("已解散", "dissolved")
        }
    }

    /// Every code the CSV files and workbooks hold, with its label, for the legend.
    public var legend: [(column: String, code: String, label: String)] {
        FamilyStatus.allCases.map { (pick("共济状态", "family_status"), $0.rawValue, status($0)) }
            + UsageCategory.allCases.map { (pick("类别", "category"), $0.rawValue, category($0)) }
            + Relation.allCases.map { (pick("关系", "relation"), $0.rawValue, relation($0)) }
            + DrawChannel.allCases.map { (pick("渠道", "channel"), $0.rawValue, channel($0)) }
    }

    // MARK: Refusals

    /// Why a binding could not pay (`Refusal`), as the page says it; in
    /// English the domain's own text (the one the store keeps).
    public func refusal(_ refusal: Refusal) -> String {
        guard language == .zh else { return refusal.description }
        switch refusal {
        case let .ended(binding, ending):
            return "绑定 \(binding) 已于 \(ending.event.date) 因\(side(ending.side))\(event(ending.event.kind))终止"
        case let .authorizerNotInsured(binding):
            return "绑定 \(binding)：授权人未参保（参保人名单中没有此人）"
        case let .authorizerHasNoAccount(binding):
            return "绑定 \(binding)：授权人参加居民医保，没有个人账户"
        case let .differentRegions(binding, authorizer, beneficiary, from):
            return "绑定 \(binding)：授权人参保于 \(authorizer)，被授权人参保于 \(beneficiary)；\(authorizer) 仅在本统筹区内共济"
                + (from.map { "（\($0) 起可省内共济）" } ?? "")
        case let .differentProvinces(binding, authorizer, beneficiary):
            return "绑定 \(binding)：\(authorizer) 与 \(beneficiary) 不在同一省份"
        case let .outsideRegion(binding, claim, beneficiary):
            return "绑定 \(binding)：在 \(claim) 结算，不在被授权人参保地 \(beneficiary)"
        case let .noFamilyRule(region, day):
            return "\(region) 于 \(day) 无家庭共济规则"
        case let .relationNotAllowed(binding, relation, region, from):
            return "绑定 \(binding)：\(region) 不允许\(self.relation(relation))共济" + (from.map { "（\($0) 起允许）" } ?? "")
        case let .thresholdUnknown(region, day):
            return "\(region) 在 \(day) 的门槛未知：缺少该统计年度的工资公报"
        case let .categoryNotShareable(category, region, day):
            return "\(region) 于 \(day) 不允许以家庭共济支付\(self.category(category))"
        }
    }

    private func side(_ side: Ending.Side) -> String { side == .authorizer ? "授权人" : "被授权人" }

    /// A refusal's kind, for grouping; in English the domain's own.
    public func refusalKind(_ refusal: Refusal) -> String {
        guard language == .zh else { return refusal.kind }
        switch refusal {
        case let .ended(_, ending): return "因\(side(ending.side))\(event(ending.event.kind))终止绑定"
        case .authorizerNotInsured: return "授权人未参保"
        case .authorizerHasNoAccount: return "授权人无个人账户（居民医保）"
        case .differentRegions: return "授权人与被授权人不在同一统筹区"
        case .differentProvinces: return "授权人与被授权人不在同一省份"
        case .outsideRegion: return "在被授权人参保地以外结算"
        case .noFamilyRule: return "无家庭共济规则"
        case let .relationNotAllowed(_, relation, _, _): return "不允许\(self.relation(relation))共济"
        case .thresholdUnknown: return "门槛未知（缺少工资公报）"
        case let .categoryNotShareable(category, _, _): return "\(self.category(category))不可共济"
        }
    }

    /// The claims file's `reason`: for a claim that paid cash while relatives'
    /// money could have been asked for, every refusal behind it, joined by
    /// `; ` (docs/formats.md); empty for the other statuses.
    public func claimReason(_ settled: ClaimSettlement) -> String {
        switch settled.status {
        case .notNeeded, .shared: return ""
        case .noBinding: return settled.refusals.isEmpty ? status(.noBinding) : settled.refusals.map(refusal).joined(separator: "; ")
        case .partial, .noExcess, .categoryExcluded, .ineligible:
            return settled.refusals.isEmpty ? unrefusedReason(settled) : settled.refusals.map(refusal).joined(separator: "; ")
        }
    }

    /// Why a claim without a refusal paid cash: its authorizers had nothing
    /// above their thresholds, or (`partial`) not enough.
    public func unrefusedReason(_ settled: ClaimSettlement) -> String {
        settled.status == .partial ? notEnoughReason : noExcessReason
    }

    public var notEnoughReason: String {
        pick("授权人超出门槛的余额不足以支付全部", "the authorizers' money above their thresholds did not cover it all")
    }

    public var noExcessReason: String { pick("授权人无超出门槛的余额", "no authorizer had money above the threshold") }

    /// An audit finding code's label (docs/audit.md).
    public func findingCode(_ code: FindingCode) -> String {
        switch code {
        case .noBinding: pick("付款人与参保人当日无有效绑定或额度", "no active binding or quota that day")
        case .relation: pick("付款人所在统筹区当日不允许该亲属关系", "relation not allowed by the payer's region")
        case .category: pick("付款人所在统筹区当日不允许共济该类别", "category not shareable in the payer's region")
        case .scope: pick("付款人所在统筹区不与结算地共济", "the payer's region does not share with the settlement's")
        case .payerEnded: pick("付款人此前已死亡、退保或转出", "the payer died, left or moved before")
        case .belowThreshold: pick("付款后余额低于门槛", "the payer's balance went below the threshold")
        case .beyondBalance: pick("支付超过账户余额", "paid more than the balance held")
        case .ownAccountFirst: pick("本人账户尚有余额却使用共济资金", "relatives paid while the own account held money")
        case .mutualAidMismatch: pick("共济支付与明细不符", "mutual-aid total differs from its rows")
        case .balanceDiffers: pick("报告余额与重放余额不符", "reported balance differs from the replay")
        case .duplicate: pick("重复结算", "the same settlement twice")
        case .badReversal: pick("冲销无原结算或重复冲销", "reversal without original, or reversed twice")
        case .couldHaveShared: pick("亲属可共济却由个人现金支付", "cash paid that relatives could have paid")
        }
    }

    /// What a supervisor reads of one finding.
    public func detail(_ detail: FindingDetail) -> String {
        switch detail {
        case let .refused(why): return refusal(why)
        case let .noBinding(channel):
            return channel == .quota ? pick("当日无付款人给参保人的有效共济额度", "no quota of the payer for the patient in force that day")
                : pick("当日无付款人与参保人之间的有效绑定", "no binding of the payer with the patient in force that day")
        case .payerUnknown: return pick("付款人不在 persons.csv 中或没有个人账户", "the payer is not in persons.csv or has no account")
        case let .belowThreshold(after, threshold):
            return pick("付款后余额 \(money(after))，低于门槛 \(money(threshold))",
                        "\(money(after)) left after paying, below the threshold of \(money(threshold))")
        case let .beyondBalance(held, paid):
            return pick("账户余额 \(money(held))，却支付 \(money(paid))", "paid \(money(paid)) from \(money(held)) held")
        case let .ownAccountHeld(left):
            return pick("本人账户尚余 \(money(left))", "the patient's own account still held \(money(left))")
        case let .mutualAidDiffers(declared, rows):
            return pick("acct_mulaid_pay 为 \(money(declared))，明细合计 \(money(rows))",
                        "acct_mulaid_pay \(money(declared)), its rows \(money(rows))")
        case .unknownSettlement: return pick("共济明细所指的结算不存在", "the mutual-aid row names no settlement of the data")
        case let .balanceDiffers(reported, replayed):
            return pick("报告余额 \(money(reported))，重放余额 \(money(replayed))",
                        "reported \(money(reported)), replayed \(money(replayed))")
        case .repeatedID: return pick("setl_id 重复出现", "the setl_id appears again")
        case let .sameAs(other):
            return pick("与结算 \(other) 的参保人、时间和金额相同，且未冲销", "same patient, time and amounts as \(other), not reversed")
        case let .reversalWithoutOriginal(original):
            return pick("冲销的原结算 \(original) 不存在", "the reversed settlement \(original) is not in the data")
        case let .reversedTwice(original): return pick("原结算 \(original) 已被冲销过", "\(original) was reversed already")
        case let .relativesHeld(available):
            return pick("亲属按规则尚可共济 \(money(available))", "relatives held \(money(available)) the rules let them share")
        }
    }

    /// Why a transfer, quota or deposit was refused (`EarmarkRefusal`).
    public func refusal(_ refusal: EarmarkRefusal) -> String {
        func side(_ side: EarmarkRefusal.Side) -> String {
            switch side {
            case .sender: pick("转出人", "sender")
            case .sharer: pick("授权人", "sharer")
            case .beneficiary: pick("被授权人", "beneficiary")
            case .creator: pick("创建人", "creator")
            }
        }
        switch refusal {
        case let .noWallet(region, day): return pick("\(region) 于 \(day) 未开通医保钱包", "no wallet in force in \(region) on \(day)")
        case let .wrongModel(region, day, model):
            let name = model == .transfer ? pick("转账", "transfer") : pick("共济额度", "quota")
            return pick("\(region) 于 \(day) 实行的是\(name)模式", "the wallet in force in \(region) on \(day) is the \(model.rawValue) model")
        case let .overTransferMax(amount, max):
            return pick("\(money(amount)) 超过单笔上限 \(money(max))", "\(money(amount)) is over the limit of \(money(max)) a transfer")
        case let .quietHours(sentAt, hours):
            return pick("\(sentAt) 发出，处于禁止时段 \(hours)", "sent at \(sentAt), inside the quiet hours \(hours)")
        case let .overDailyCount(count, max, day):
            return pick("转出人 \(day) 的第 \(count) 笔：每日至多 \(max) 笔", "the sender's transfer number \(count) on \(day): at most \(max) a day")
        case let .short(source, free, amount):
            let what = source == .account ? pick("账户（扣除冻结额度）", "account (less frozen quota)") : pick("钱包", "wallet")
            return pick("\(what)余额 \(money(free))，不足 \(money(amount))", "the \(what) holds \(money(free)), short of \(money(amount))")
        case let .noAccount(who): return pick("\(side(who))没有个人账户（居民医保）", "the \(who.rawValue) has no individual account (resident scheme)")
        case let .endedBefore(who, happened):
            return pick("\(side(who))已于 \(happened.date) \(event(happened.kind))", "the \(who.rawValue)'s \(event(happened.kind)) on \(happened.date)")
        case let .noPotRule(region, day): return pick("\(region) 于 \(day) 无家庭共济账户规则", "no pot rule in force in \(region) on \(day)")
        case let .potNotOpen(pot, day): return pick("家庭共济账户 \(pot) 于 \(day) 未开放", "pot \(pot) is not open on \(day)")
        case let .overMonthlyDeposits(count, max, month):
            return pick("\(month) 第 \(count) 笔存入：每月至多 \(max) 笔", "deposit number \(count) of the pot in \(month): at most \(max) a month")
        case let .belowFloor(leaves, floor):
            return pick("存入后账户仅余 \(money(leaves))，低于保留额 \(money(floor))",
                        "would leave \(money(leaves)) in the creator's account, below the floor \(money(floor))")
        }
    }

    public func quotaEnding(_ ending: QuotaEnding) -> String {
        guard language == .zh else { return ending.description }
        return switch ending {
        case let .endedOn(day): "于 \(day) 到期"
        case let .event(side, happened): "因\(side == .sharer ? "授权人" : "被授权人")\(event(happened.kind))于 \(happened.date) 终止"
        }
    }

    public func dissolution(_ dissolution: PotDissolution) -> String {
        guard language == .zh else { return dissolution.description }
        return switch dissolution {
        case let .closedOn(day): "于 \(day) 关闭"
        case let .event(happened): "因创建人\(event(happened.kind))于 \(happened.date) 解散"
        }
    }
}
