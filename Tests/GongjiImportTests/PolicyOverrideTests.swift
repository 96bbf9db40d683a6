import GongjiTestSupport
import Foundation
import GongjiDomain
import GongjiImport
import Testing

/// What-if overrides (docs/policy.md): a list given replaces the region's list whole.
@Suite struct PolicyOverrideTests {
    static let sampleData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleData")

    func base() throws -> Policy {
        try PolicyReader.read(path: Self.sampleData.appendingPathComponent("policy.yaml").path, name: "policy.yaml")
    }

    @Test func replacesOnlyTheListsGiven() throws {
        let base = try base()
        let read = try PolicyReader.override(path: Self.sampleData.appendingPathComponent("what-if/threshold-3pct.yaml").path,
                                             name: "threshold-3pct.yaml", base: base)
        #expect(read.title == PolicyReader.Title(zh: "深圳门槛按 3% 而非 5% 计算", en: "Shenzhen threshold at 3% instead of 5%"))
        let shenzhen = try #require(read.policy.regions[RegionCode("440300")!])
        #expect(shenzhen.threshold.inForce(on: Day(text: "2019-01-01")!)?.rule
            == .shareOfAnnualWage(ShareOfAnnualWage(rate: Rate(text: "3%")!)))
        #expect(shenzhen.name == "深圳市")
        // Shenzhen's family rule and every other region are as in policy.yaml.
        #expect(shenzhen.family.entries.map(\.rule) == base.regions[RegionCode("440300")!]?.family.entries.map(\.rule))
        #expect(read.policy.regions.count == 6)
        #expect(read.policy.regions[RegionCode("110000")!]?.family.entries.map(\.from)
            == base.regions[RegionCode("110000")!]?.family.entries.map(\.from))
    }

    /// A title of one text (as before issue 24) serves both languages.
    @Test func aSingleTitleServesBothLanguages() throws {
        let folder = try TemporaryFolder("override")
        defer { folder.remove() }
        let file = try folder.write("x.yaml", "title: Shenzhen at 3%\nregions: {}\n")
        let read = try PolicyReader.override(path: file, name: "x.yaml", base: try base())
        #expect(read.title == PolicyReader.Title(zh: "Shenzhen at 3%", en: "Shenzhen at 3%"))
    }

    @Test(arguments: [
        ("regions:\n  \"440300\":\n    threshold: []\n", "x.yaml:1: missing key 'title'"),
        ("title: t\nregions:\n  \"440300\":\n    name: 深圳\n", "x.yaml:4: regions.440300.name: unknown key"),
        ("title: t\nregions:\n  \"510100\":\n    family: []\n", "x.yaml:3: regions.510100: not a region of policy.yaml"),
        ("title:\n  zh: 标题\nregions: {}\n", "x.yaml:2: title: missing key 'en'"),
        ("title:\n  zh: 标题\n  en: t\n  fr: t\nregions: {}\n", "x.yaml:4: title.fr: unknown key 'fr'"),
    ])
    func refusesWithFileAndLine(yaml: String, message: String) throws {
        let folder = try TemporaryFolder("override")
        defer { folder.remove() }
        let file = try folder.write("x.yaml", yaml)
        let base = try base()
        do {
            _ = try PolicyReader.override(path: file, name: "x.yaml", base: base)
            Issue.record("no error")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}
