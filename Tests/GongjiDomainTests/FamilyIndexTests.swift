import Testing
@testable import GongjiDomain

/// The family index's month walks (`activeAuthorizers(in:_:)`, the month
/// page's binding counts) work from each binding's days worked out once;
/// they must say what `isActive(_:in:)` and `ending(of:on:)` say.
@Suite struct FamilyIndexTests {
    static func id(_ digits: UInt64) -> ResidentID { ResidentID(digits: digits)! }
    static func day(_ text: String) -> Day { Day(text: text)! }
    static func month(_ year: Int, _ month: Int) -> YearMonth { YearMonth(year: year, month: month)! }

    @Test func deathOfTheBeneficiaryMidMonth() {
        let authorizer = Self.id(44030119800101001), beneficiary = Self.id(44030119500101002)
        let family = FamilyIndex(
            bindings: [Binding(id: "B1", authorizer: authorizer, beneficiary: beneficiary, relation: .parent,
                               boundOn: Self.day("2026-01-10"))],
            events: [LifeEvent(person: beneficiary, date: Self.day("2026-03-15"), kind: .death)])
        func authorizers(_ month: YearMonth) -> [String] {
            var found: [String] = []
            family.activeAuthorizers(in: month) { key, count in found.append("\(ResidentID(key: key).text) \(count)") }
            return found
        }
        #expect(authorizers(Self.month(2025, 12)) == [])
        #expect(authorizers(Self.month(2026, 1)) == ["\(authorizer.text) 1"])
        #expect(authorizers(Self.month(2026, 3)) == ["\(authorizer.text) 1"])  // active on the month's first day
        #expect(authorizers(Self.month(2026, 4)) == [])
        #expect(MonthContext.bindings(family: family, in: Self.month(2026, 1))
                == [MonthContext.BindingCount(relation: .parent, active: 1, added: 1, ended: 0)])
        #expect(MonthContext.bindings(family: family, in: Self.month(2026, 3))
                == [MonthContext.BindingCount(relation: .parent, active: 0, added: 0, ended: 1)])
        #expect(MonthContext.bindings(family: family, in: Self.month(2026, 4)) == [])
    }

    /// Random bindings and events over two years, each month's walks against
    /// the per-binding definitions.
    @Test(arguments: [1, 2, 3, 4, 5])
    func walksAgreeWithTheDefinitions(seed: UInt64) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let persons = (0..<10).map { Self.id(44030119700101000 + UInt64($0) * 10_000_000 + UInt64($0)) }
        let start = Self.day("2025-01-01").ordinal
        func someDay() -> Day { Day(ordinal: start + next(730)) }
        var bindings: [Binding] = []
        for number in 0..<40 {
            let bound = someDay()
            let unbound = next(3) == 0 ? Day(ordinal: bound.ordinal + 1 + next(200)) : nil
            bindings.append(Binding(id: "B\(number)", authorizer: persons[next(5)], beneficiary: persons[5 + next(5)],
                                    relation: Relation.allCases[next(Relation.allCases.count)], boundOn: bound, unboundOn: unbound))
        }
        let events = (0..<8).map { _ in
            LifeEvent(person: persons[next(10)], date: someDay(), kind: LifeEventKind.allCases[next(LifeEventKind.allCases.count)])
        }
        let family = FamilyIndex(bindings: bindings, events: events)
        #expect(family.authorizerCount == Set(bindings.map(\.authorizer)).count)
        var seen = (authorizers: 0, endedByEvents: 0)
        for month in (0..<26).map({ Self.month(2024 + ($0 + 11) / 12, ($0 + 11) % 12 + 1) }) {
            var walked: [String] = []
            family.activeAuthorizers(in: month) { key, count in walked.append("\(key) \(count)") }
            var expected: [String] = []
            for key in Set(bindings.map(\.authorizer.key)).sorted() {
                let active = bindings.filter { $0.authorizer.key == key && family.isActive($0, in: month) }
                if !active.isEmpty { expected.append("\(key) \(Set(active.map(\.beneficiary)).count)") }
            }
            #expect(walked == expected, "\(month)")
            seen.authorizers += walked.count

            // The month page's counts as they were made binding by binding.
            var counts: [Relation: MonthContext.BindingCount] = [:]
            for binding in bindings {
                var count = counts[binding.relation] ?? MonthContext.BindingCount(relation: binding.relation)
                if family.isActive(binding, on: month.lastDay) { count.active += 1 }
                if month.firstDay <= binding.boundOn && binding.boundOn <= month.lastDay { count.added += 1 }
                let unbound = binding.unboundOn.map { month.firstDay <= $0 && $0 <= month.lastDay } ?? false
                let ending = family.ending(of: binding, on: month.lastDay).map { $0.event.date >= month.firstDay } ?? false
                if binding.boundOn <= month.lastDay, unbound || ending { count.ended += 1 }
                if ending { seen.endedByEvents += 1 }
                counts[binding.relation] = count
            }
            let made = Relation.allCases.compactMap { counts[$0] }.filter { $0.active + $0.added + $0.ended > 0 }
            #expect(MonthContext.bindings(family: family, in: month) == made, "\(month)")
        }
        #expect(seen.authorizers > 20 && seen.endedByEvents > 0, "the random world has active and ended bindings")
    }
}
