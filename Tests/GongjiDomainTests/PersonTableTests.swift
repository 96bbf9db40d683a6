import GongjiDomain
import Testing

@Suite struct PersonTableTests {
    func id(_ n: Int) -> ResidentID {
        let body = "44" + String(10_000 + n / 1000).suffix(4) + "19800101" + String(1000 + n % 1000).suffix(3)
        return ResidentID(digits: UInt64(body)!)!
    }

    /// `trim` gives back reserved room and keeps every person where it was;
    /// the table still takes new persons after it.
    @Test func trimmingKeepsEveryPerson() {
        var table = PersonTable(capacity: 10_000)
        let region = RegionCode("440300")!
        for n in 0..<3_000 { table.insert(Person(id: id(n), region: region, scheme: n % 2 == 0 ? .resident : .employee)) }
        table.trim()
        #expect(table.count == 3_000)
        #expect((0..<3_000).allSatisfy { table.index(of: id($0).key) == $0 && table.person(at: $0).scheme == ($0 % 2 == 0 ? .resident : .employee) })
        let added = table.insert(Person(id: id(3_000), region: region, scheme: .employee))
        let repeated = table.insert(Person(id: id(17), region: region, scheme: .employee))
        #expect(added && !repeated)
        #expect(table.index(of: id(3_000).key) == 3_000)
    }

    @Test func findsEveryPersonAfterGrowingAndRefusesDuplicates() {
        var table = PersonTable(capacity: 4)
        let region = RegionCode("440300")!
        for n in 0..<50_000 {
            let inserted = table.insert(Person(id: id(n * 7), region: region, scheme: n % 3 == 0 ? .resident : .employee))
            #expect(inserted)
        }
        #expect(table.count == 50_000)
        let again = table.insert(Person(id: id(7 * 123), region: region, scheme: .employee))
        #expect(!again)
        #expect(table.count == 50_000)
        for n in stride(from: 0, to: 50_000, by: 97) {
            #expect(table.index(of: id(n * 7).key) == n)
            #expect(table[id(n * 7).key]?.scheme == (n % 3 == 0 ? .resident : .employee))
            #expect(table.index(of: id(n * 7).key, hint: n) == n)
            #expect(table.index(of: id(n * 7).key, hint: n + 1) == n)
            #expect(table.index(of: id(n * 7).key, hint: max(0, n - 2)) == n)
            #expect(table.index(of: id(n * 7).key, hint: 49_999) == n)
        }
        #expect(table.index(of: id(1).key) == nil)
        let order = table.indicesInIDOrder()
        #expect(order.count == 50_000)
        #expect(zip(order, order.dropFirst()).allSatisfy { table.ids[Int($0)] < table.ids[Int($1)] })
    }
}

extension PersonTableTests {
    /// Persons in no particular order (as persons.csv may list them), some
    /// with the check digit X: the ID order is the order of the IDs' text.
    @Test func ordersShuffledPersonsByID() {
        var table = PersonTable()
        let region = RegionCode("440300")!
        let count = 30_011  // prime: n * 7919 % count visits every n once
        for step in 0..<count {
            let n = step * 7919 % count
            let inserted = table.insert(Person(id: id(n * 13), region: region, scheme: .employee))
            #expect(inserted)
        }
        let order = table.indicesInIDOrder().map { table.ids[Int($0)].text }
        #expect(order == (0..<count).map { id($0 * 13).text }.sorted())
        #expect(order.contains { $0.hasSuffix("X") })
    }
}

@Suite struct CreditColumnTests {
    @Test func keepsSmallAndHugeCreditsExactly() {
        var column = CreditColumn(count: 10)
        column.set(1, 12_345)
        column.set(2, Int64(Int32.max) + 1)
        column.set(3, 0)
        #expect(column[1] == 12_345)
        #expect(column[2] == 2_147_483_648)
        #expect(column[3] == 0 && column.present.contains(3))
        #expect(column[4] == 0 && !column.present.contains(4))
        var other = CreditColumn(count: 10)
        other.set(5, 99_999_999_999)
        column.absorb(other)
        #expect(column[5] == 99_999_999_999)
        #expect(column[2] == 2_147_483_648)
        column[2] = 7
        #expect(column[2] == 7)
    }
}
