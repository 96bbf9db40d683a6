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
        #expect(read.title == "Shenzhen threshold at 3% instead of 5%")
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

    @Test(arguments: [
        ("regions:\n  \"440300\":\n    threshold: []\n", "x.yaml:1: missing key 'title'"),
        ("title: t\nregions:\n  \"440300\":\n    name: 深圳\n", "x.yaml:4: regions.440300.name: unknown key"),
        ("title: t\nregions:\n  \"510100\":\n    family: []\n", "x.yaml:3: regions.510100: not a region of policy.yaml"),
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
