import GongjiDomain

/// audit-YYYY-MM-findings.csv and audit-YYYY-MM.md (docs/audit.md): what the
/// replay of the platform's settlements found, for fund supervisors.
public enum AuditReports {
    public static let findingColumns = ["setl_id", "setl_time", "region_code", "certno", "payer_certno", "code",
                                        "amount_at_risk", "detail"]

    /// One row per finding, in settlement order; IDs masked unless revealed, `detail` in the page language.
    public static func writeFindings(_ audit: AuditMonth, words w: Words = Words(.zh),
                                     to writer: CSVWriter) throws(AtomicFile.WriteError) {
        for finding in audit.findings {
            writer.key(finding.settlement)
            if let time = finding.time { writer.number(time.text) } else { writer.empty() }
            if let region = finding.region { writer.region(region) } else { writer.empty() }
            if let patient = finding.patient { writer.id(patient) } else { writer.empty() }
            if let payer = finding.payer { writer.id(payer) } else { writer.empty() }
            writer.text(finding.code.rawValue)
            writer.money(finding.amountAtRisk)
            writer.key(w.detail(finding.detail))
            try writer.endRow()
        }
    }

    /// How many payers or patients with several findings the page lists.
    public static let repeatListLimit = 20
    /// How many of the largest cases the page lists.
    public static let largestListLimit = 10

    /// The findings by code, codes with none left out (the page's and the workbook's table).
    static func byCode(_ audit: AuditMonth) -> [(code: FindingCode, count: Int, atRisk: Money)] {
        FindingCode.allCases.compactMap { code in
            let found = audit.findings.filter { $0.code == code }
            return found.isEmpty ? nil : (code, found.count, atRisk(found))
        }
    }

    /// The findings by region of settlement, named and in order (the page's and the workbook's table).
    static func byRegion(_ audit: AuditMonth, policy: Policy, words w: Words) -> [(name: String, count: Int, atRisk: Money)] {
        let regions = Dictionary(grouping: audit.findings, by: { $0.region.map { "\($0) \(policy.regions[$0]?.name ?? "")" }
            ?? w.pick("（未知结算）", "(unknown settlement)") })
        return regions.keys.sorted().map { name in (name, regions[name]?.count ?? 0, atRisk(regions[name] ?? [])) }
    }

    static func atRisk(_ findings: [AuditFinding]) -> Money { findings.reduce(Money.zero) { $0 + $1.amountAtRisk } }

    /// audit-YYYY-MM.md.
    public static func page(_ audit: AuditMonth, policy: Policy, disclosure: Disclosure, words w: Words = Words(.zh)) -> String {
        var out = w.pick("# \(audit.month.year)年\(audit.month.month)月 家庭共济结算稽核（\(audit.month.text)）\n\n",
                         "# Audit of family-sharing settlements, \(audit.month.text)\n\n")
        let atRisk = Self.atRisk(audit.findings)
        let settlementsWithFindings = Set(audit.findings.map(\.settlement)).count
        out += w.pick("""
            按平台实际支付的金额重放 \(w.count(audit.settlements)) 笔结算（其中冲销 \(w.count(audit.reversals)) 笔），\
            逐笔对照当时适用的规则：\(w.count(audit.findings.count)) 条发现，涉及 \(w.count(settlementsWithFindings)) 笔结算，\
            涉及金额 \(w.money(atRisk)) 元。\n\n
            """, """
            \(audit.settlements) settlements replayed as the platform paid them (\(audit.reversals) reversals), each payment \
            checked against the rules in force at that moment: \(audit.findings.count) findings in \(settlementsWithFindings) \
            settlements, \(w.money(atRisk)) at risk.\n\n
            """)
        out += w.pick("## 按发现类别\n\n", "## By code\n\n")
        var byCode = MarkdownTable([(w.pick("代码", "Code"), .left), (w.pick("发现", "Finding"), .left),
                                    (w.pick("条数", "Findings"), .right), (w.pick("涉及金额", "At risk"), .right)])
        for (code, count, amount) in Self.byCode(audit) {
            byCode.append([code.rawValue, w.findingCode(code), w.count(count), w.money(amount)])
        }
        byCode.append([w.pick("**合计**", "**Total**"), "", w.count(audit.findings.count), w.money(atRisk)])
        out += (audit.findings.isEmpty ? w.pick("没有发现。\n", "No findings.\n") : byCode.text) + "\n"

        if !audit.findings.isEmpty {
            out += w.pick("## 按结算统筹区\n\n", "## By region of settlement\n\n")
            var byRegion = MarkdownTable([(w.pick("统筹区", "Region"), .left), (w.pick("条数", "Findings"), .right),
                                          (w.pick("涉及金额", "At risk"), .right)])
            for (name, count, amount) in Self.byRegion(audit, policy: policy, words: w) {
                byRegion.append([name, w.count(count), w.money(amount)])
            }
            out += byRegion.text + "\n"

            out += w.pick("## 涉及金额最大的发现\n\n", "## The largest cases\n\n")
            var largest = MarkdownTable([(w.pick("结算", "Settlement"), .left), (w.pick("参保人", "Patient"), .left),
                                         (w.pick("付款人", "Payer"), .left), (w.pick("代码", "Code"), .left),
                                         (w.pick("涉及金额", "At risk"), .right), (w.pick("说明", "Detail"), .left)])
            let ordered = audit.findings.enumerated().sorted {
                ($1.element.amountAtRisk, $0.offset) < ($0.element.amountAtRisk, $1.offset)
            }.map(\.element)
            for finding in ordered.prefix(largestListLimit) {
                largest.append([disclosure.text(finding.settlement), finding.patient.map(disclosure.id) ?? "",
                                finding.payer.map(disclosure.id) ?? "", finding.code.rawValue, w.money(finding.amountAtRisk),
                                disclosure.text(w.detail(finding.detail))])
            }
            out += largest.text
            out += w.pick("\n全部发现见 audit-\(audit.month.text)-findings.csv。\n\n",
                          "\nEvery finding is in audit-\(audit.month.text)-findings.csv.\n\n")

            out += w.pick("## 多次出现的付款人和参保人\n\n", "## Payers and patients with several findings\n\n")
            var people: [ResidentID: (role: String, count: Int, amount: Money)] = [:]
            for finding in audit.findings {
                for (person, role) in [(finding.payer, w.pick("付款人", "payer")), (finding.patient, w.pick("参保人", "patient"))] {
                    guard let person else { continue }
                    let before = people[person]
                    let roles = before.map { $0.role == role ? role : w.pick("付款人、参保人", "payer, patient") } ?? role
                    people[person] = (roles, (before?.count ?? 0) + 1, (before?.amount ?? .zero) + finding.amountAtRisk)
                }
            }
            let repeated = people.filter { $0.value.count >= 2 }
                .sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
            if repeated.isEmpty {
                out += w.pick("没有人出现在两条以上的发现中。\n\n", "Nobody is in more than one finding.\n\n")
            } else {
                var table = MarkdownTable([(w.pick("人员", "Person"), .left), (w.pick("身份", "As"), .left),
                                           (w.pick("条数", "Findings"), .right), (w.pick("涉及金额", "At risk"), .right)])
                for (person, entry) in repeated.prefix(repeatListLimit) {
                    table.append([disclosure.id(person), entry.role, w.count(entry.count), w.money(entry.amount)])
                }
                out += table.text + "\n"
            }
        }

        out += w.pick("## 余额核对\n\n", "## Balances against the replay\n\n")
        out += audit.balancesReported == 0
            ? w.pick("平台未报告结算后的余额（balc、payer_balc）。\n", "The platform reported no balances after settlement (balc, payer_balc).\n")
            : w.pick("平台报告的结算后余额 \(w.count(audit.balancesReported)) 个，与重放结果一致 \(w.count(audit.balancesMatched)) 个，"
                         + "不一致 \(w.count(audit.balancesReported - audit.balancesMatched)) 个（A10）。\n",
                     "\(audit.balancesReported) balances reported after settlement, \(audit.balancesMatched) equal to the replay, "
                         + "\(audit.balancesReported - audit.balancesMatched) not (A10).\n")
        return out
    }
}
