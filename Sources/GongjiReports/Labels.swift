import GongjiDomain

/// The Chinese labels of the codes (docs/formats.md, "Labels"): one table,
/// used by the workbooks (and, in time, by the Markdown pages). CSV values
/// stay codes: scripts read them.
public enum Labels {
    public static func zh(_ status: FamilyStatus) -> String {
        switch status {
        case .notNeeded: "不需共济"
        case .shared: "共济支付"
        case .partial: "部分共济"
        case .noBinding: "无共济绑定"
        case .noExcess: "授权人无超出门槛余额"
        case .categoryExcluded: "该类别不可共济"
        case .ineligible: "不符合共济条件"
        }
    }

    public static func zh(_ category: UsageCategory) -> String {
        switch category {
        case .outpatient: "门诊"
        case .inpatient: "住院"
        case .pharmacyOTC: "药店非处方药"
        case .pharmacyRx: "药店处方药"
        case .vaccination: "疫苗接种"
        case .physicalExam: "健康体检"
        case .residentPremium: "居民医保缴费"
        }
    }

    public static func zh(_ relation: Relation) -> String {
        switch relation {
        case .spouse: "配偶"
        case .parent: "父母"
        case .child: "子女"
        case .sibling: "兄弟姐妹"
        case .grandparent: "祖父母、外祖父母"
        case .grandchild: "孙子女、外孙子女"
        }
    }

    public static func zh(_ channel: DrawChannel) -> String {
        switch channel {
        case .binding: "绑定授权"
        case .quota: "共济额度"
        case .walletTransfer: "钱包转账"
        }
    }

    /// Every code a workbook's data sheets hold, with its label, for the legend sheet.
    public static var legend: [(column: String, code: String, label: String)] {
        FamilyStatus.allCases.map { ("共济状态", $0.rawValue, zh($0)) }
            + UsageCategory.allCases.map { ("类别", $0.rawValue, zh($0)) }
            + Relation.allCases.map { ("关系", $0.rawValue, zh($0)) }
            + DrawChannel.allCases.map { ("渠道", $0.rawValue, zh($0)) }
    }
}
