import Foundation
import GongjiDomain
import GongjiImport
import Testing

@Suite struct PolicyReaderTests {
    static let sample = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleData/policy.yaml")

    func day(_ text: String) -> Day { Day(text: text)! }

    func error(_ yaml: String) -> String? {
        do {
            _ = try PolicyReader.parse(yaml, name: "policy.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func readsTheSamplePolicy() throws {
        let policy = try PolicyReader.read(path: Self.sample.path, name: "policy.yaml")
        #expect(policy.sortedRegions.map(\.code.text) == ["110000", "130100", "131000", "320500", "350200", "440300"])
        let shenzhen = try #require(policy.regions[RegionCode("440300")!])
        #expect(shenzhen.name == "深圳市")
        let threshold = try #require(shenzhen.threshold.inForce(on: day("2018-07-01")))
        #expect(threshold.rule == .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "0.05")!)))
        #expect(threshold.provenance.confidence == "seed")
        let family = try #require(shenzhen.family.inForce(on: day("2020-01-01")))
        #expect(family.rule.relations == [.spouse, .parent, .child, .grandparent, .grandchild])
        #expect(family.rule.categories == [.outpatient, .vaccination])

        let beijing = try #require(policy.regions[RegionCode("110000")!])
        #expect(beijing.threshold.inForce(on: day("2022-01-01"))?.rule == ThresholdRule.none)
        let before = try #require(beijing.credit.inForce(on: day("2022-08-31"))).rule
        #expect(before.employerShare.band(forAge: 34)?.value == Rate(text: "0.8%"))
        #expect(before.employerShare.band(forAge: 35)?.value == Rate(text: "1%"))
        #expect(before.employerShare.band(forAge: 45)?.value == Rate(text: "2%"))
        #expect(before.employerShare.label(forAge: 40) == "35-44")
        #expect(before.retireeMonthly.band(forAge: 70)?.value == Money(yuan: 110))
        let after = try #require(beijing.credit.inForce(on: day("2022-09-01"))).rule
        #expect(after.employerShare.isEmpty)
        #expect(after.personalRate == Rate(text: "2%"))
        #expect(beijing.family.inForce(on: day("2025-01-01"))?.rule.relations.contains(.sibling) == true)
        #expect(beijing.family.inForce(on: day("2024-12-31"))?.rule.relations.contains(.sibling) == false)

        // Hebei: province scope from the sample's illustrative 2022-09-01; 石家庄 orders by priority.
        let langfang = try #require(policy.regions[RegionCode("131000")!])
        #expect(langfang.family.inForce(on: day("2022-08-31"))?.rule.scope == .region)
        #expect(langfang.family.inForce(on: day("2022-09-01"))?.rule.scope == .province)
        #expect(langfang.family.inForce(on: day("2022-09-01"))?.rule.order == .balance)
        let shijiazhuang = try #require(policy.regions[RegionCode("130100")!])
        #expect(shijiazhuang.family.inForce(on: day("2022-09-01"))?.rule.order == .priority)
        #expect(shijiazhuang.family.inForce(on: day("2022-09-01"))?.rule.categories == [.outpatient, .inpatient, .vaccination])
    }

    @Test func wageBasisScopeAndOrderAreRead() throws {
        let yaml = Self.base.replacingOccurrences(of: "rate: 5%\n", with: "rate: 5%\n        wage_basis: monthly\n") + """
            family:
              - from: 2021-01-01
                relations: [spouse]
                categories: [outpatient]
              - from: 2024-10-01
                relations: [spouse]
                categories: [outpatient]
                scope: province
                order: priority

        """
        let region = try #require(try PolicyReader.parse(yaml, name: "policy.yaml").regions[RegionCode("440300")!])
        #expect(region.threshold.entries.first?.rule
            == .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "5%")!, wageBasis: .monthly)))
        #expect(region.family.entries.map(\.rule.scope) == [.region, .province])
        #expect(region.family.entries.map(\.rule.order) == [.balance, .priority])
        let defaulted = try #require(try PolicyReader.parse(Self.base, name: "policy.yaml").regions[RegionCode("440300")!])
        #expect(defaulted.threshold.entries.first?.rule == .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "5%")!, wageBasis: .annual)))
    }

    @Test(arguments: [
        ("        wage_basis: yearly\n", "policy.yaml:7: regions.440300.threshold[0].wage_basis: 'yearly' is not one of: annual, monthly"),
        ("    family:\n      - { from: 2021-01-01, relations: [spouse], categories: [outpatient], scope: country }\n",
         "policy.yaml:8: regions.440300.family[0].scope: 'country' is not one of: region, province"),
        ("    family:\n      - { from: 2021-01-01, relations: [spouse], categories: [outpatient], order: age }\n",
         "policy.yaml:8: regions.440300.family[0].order: 'age' is not one of: balance, priority"),
    ])
    func badScopeOrderOrBasisNamesKeyAndLine(added: String, message: String) {
        #expect(error(Self.base + added) == message)
    }

    static let base = """
    regions:
      "440300":
        name: 深圳市
        threshold:
          - from: 2017-07-01
            rate: 5%

    """

    @Test func badDateNamesKeyAndLine() {
        let yaml = Self.base.replacingOccurrences(of: "2017-07-01", with: "2017-13-01")
        #expect(error(yaml) == "policy.yaml:5: regions.440300.threshold[0].from: '2017-13-01' is not a date YYYY-MM-DD")
    }

    @Test func unknownKeyNamesKeyAndLine() {
        let yaml = Self.base + "        rat: 3%\n"
        #expect(error(yaml) == "policy.yaml:7: regions.440300.threshold[0].rat: unknown key 'rat' (expected one of: from, rate, until, source, confidence, wage_basis, wage_series, policy_year_start, stat_year_lag)")
    }

    @Test func missingKeyNamesKeyAndLine() {
        let yaml = Self.base.replacingOccurrences(of: "        rate: 5%\n", with: "")
        #expect(error(yaml) == "policy.yaml:5: regions.440300.threshold[0]: missing key 'rate'")
    }

    @Test(arguments: [
        ("rate: 5%", "rate: five", "policy.yaml:6: regions.440300.threshold[0].rate: 'five' is not a rate (write a decimal such as 0.008 or a percentage such as 5%)"),
        ("\"440300\"", "\"4403\"", "policy.yaml:2: regions.4403: a region key must be a 6-digit region code"),
        ("name: 深圳市", "nam: 深圳市", "policy.yaml:3: regions.440300.nam: unknown key 'nam' (expected one of: name, province, threshold, credit, family, wallet, pot)"),
        ("rate: 5%", "rate: [5%", "policy.yaml:7: YAML syntax: did not find expected ',' or ']'"),
    ])
    func otherMistakes(find: String, replace: String, message: String) {
        #expect(error(Self.base.replacingOccurrences(of: find, with: replace)) == message)
    }

    @Test func familyAndCreditMistakes() {
        let family = Self.base + """
            family:
              - from: 2021-01-01
                relations: [spouse, cousin]
                categories: [outpatient]

        """
        #expect(error(family) == "policy.yaml:9: regions.440300.family[0].relations[1]: unknown relation 'cousin' (expected one of: spouse, parent, child, sibling, grandparent, grandchild)")
        let twice = family.replacingOccurrences(of: "[spouse, cousin]", with: "[spouse, parent, spouse]")
        #expect(error(twice) == "policy.yaml:9: regions.440300.family[0].relations[2]: 'spouse' is listed twice")
        let category = family.replacingOccurrences(of: "[spouse, cousin]", with: "[spouse]")
            .replacingOccurrences(of: "[outpatient]", with: "[outpatient, massage]")
        #expect(error(category) == "policy.yaml:10: regions.440300.family[0].categories[1]: unknown category 'massage' (expected one of: outpatient, inpatient, pharmacy_otc, pharmacy_rx, vaccination, physical_exam, resident_premium)")
        let bands = Self.base + """
            credit:
              - from: 2021-01-01
                personal_rate: 2%
                employer_share:
                  - { from_age: 35, rate: 1% }

        """
        #expect(error(bands) == "policy.yaml:11: regions.440300.credit[0].employer_share[0].from_age: the first band must start at from_age 0")
    }

    /// What has bounds is bounded (issue 14): rates, dates, amounts, names.
    @Test(arguments: [
        ("rate: 5%", "rate: 200%", "policy.yaml:6: regions.440300.threshold[0].rate: 200% is above 100%"),
        ("2017-07-01", "6025-01-01", "policy.yaml:5: regions.440300.threshold[0].from: 6025-01-01 is not a plausible date for a rule (1949-10-01 .. 2099-12-31)"),
        ("name: 深圳市", "name: \(String(repeating: "深", count: 65))", "policy.yaml:3: regions.440300.name: a value of 65 characters (at most 64)"),
    ])
    func boundsAreKept(find: String, replace: String, message: String) {
        #expect(error(Self.base.replacingOccurrences(of: find, with: replace)) == message)
    }

    @Test func creditAmountsAndRatesAreBounded() {
        let credit = Self.base + """
            credit:
              - from: 2021-01-01
                personal_rate: 150%
                retiree_monthly:
                  - { from_age: 0, amount: 100 }

        """
        #expect(error(credit) == "policy.yaml:9: regions.440300.credit[0].personal_rate: 150% is above 100%")
        let amount = credit.replacingOccurrences(of: "150%", with: "2%").replacingOccurrences(of: "amount: 100", with: "amount: 2000000")
        #expect(error(amount) == "policy.yaml:11: regions.440300.credit[0].retiree_monthly[0].amount: 2000000.00 yuan is above 1000000.00")
        let cap = credit.replacingOccurrences(of: "150%", with: "2%") + "        base_cap: 300%\n"
        #expect(error(cap) == nil)
    }

    @Test func valuesMayCarryTheirSource() throws {
        let yaml = Self.base.replacingOccurrences(of: "rate: 5%", with: "rate: { value: 5%, source: seed 000, confidence: seed }")
        let policy = try PolicyReader.parse(yaml, name: "policy.yaml")
        #expect(policy.regions[RegionCode("440300")!]?.threshold.entries.first?.rule
            == .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "5%")!)))
    }
}
