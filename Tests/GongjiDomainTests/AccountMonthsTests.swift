import GongjiDomain
import Testing

/// A month's accounts as the ledger keeps them (`AccountMonths`, compact)
/// give back every amount of every row, exactly.
struct AccountMonthsTests {
    typealias W = SettlementWorld

    @Test func theLedgersCompactRowsGiveBackEveryAmount() throws {
        var world = SettlementWorld()
        let spender = world.person(balance: "100.00")
        let rich = world.person()
        let none = world.person()
        let quiet = world.person(balance: "7.00")
        let mover = world.person(balance: "500.00")
        var ledger = world.ledger()
        let month = W.month("2019-03")
        ledger.open(month: month)
        ledger.spendOwn(spender.key, W.yuan("30.00"))
        ledger.shareOut(spender.key, W.yuan("0.01"))
        let table = world.persons
        let moverIndex = try #require(table.index(of: mover.key))
        ledger.transferOut(index: moverIndex, W.yuan("200.00"))
        ledger.depositToPot(index: moverIndex, W.yuan("50.00"))
        // 30,000,000.00 yuan: above the 2^31 fen a compact credit holds.
        let credits = try #require(world.column([spender.key: W.yuan("50.00"), rich.key: W.yuan("30000000.00")]))
        let rows = ledger.close(month: month, credits: credits, frozen: [moverIndex: 12_345])

        let region = W.shenzhen
        let expected = [
            AccountMonth(person: spender, region: region, opening: W.yuan("100.00"), credits: W.yuan("50.00"),
                         ownSpending: W.yuan("30.00"), sharedOut: W.yuan("0.01")),
            AccountMonth(person: rich, region: region, opening: .zero, credits: W.yuan("30000000.00"),
                         ownSpending: .zero, sharedOut: .zero),
            AccountMonth(person: quiet, region: region, opening: W.yuan("7.00"), credits: .zero,
                         ownSpending: .zero, sharedOut: .zero),
            AccountMonth(person: mover, region: region, opening: W.yuan("500.00"), credits: .zero,
                         ownSpending: .zero, sharedOut: .zero, transferredOut: W.yuan("200.00"), potDeposits: W.yuan("50.00"),
                         frozen: Money(fen: 12_345)),
        ]
        #expect(Array(rows) == expected)
        #expect(rows == AccountMonths(expected))
        #expect(!rows.contains { $0.person == none })
        #expect(rows.map(\.closing) == [W.yuan("119.99"), W.yuan("30000000.00"), W.yuan("7.00"), W.yuan("250.00")])
        #expect(rows[1].credits.fen == 3_000_000_000)
        // Walked in place (the balances files and the store), whole or a range: the same rows.
        var walked: [AccountMonth] = []
        rows.forEachRow { walked.append($0) }
        #expect(walked == expected)
        walked = []
        rows.forEachRow(in: 1..<3) { walked.append($0) }
        #expect(walked == Array(expected[1..<3]))
        // Without a large credit, a row with only its credit is made from the columns, the others as before.
        let small = [expected[0], expected[2], expected[3], expected[2]]
        walked = []
        AccountMonths(small).forEachRow { walked.append($0) }
        #expect(walked == small)

        // The next month opens with those closings; the large credit carries on.
        ledger.open(month: W.month("2019-04"))
        let next = ledger.close(month: W.month("2019-04"), credits: nil)
        #expect(next.map(\.opening) == [W.yuan("119.99"), W.yuan("30000000.00"), W.yuan("7.00"), W.yuan("250.00")])
        #expect(next.allSatisfy { $0.credits == .zero && $0.ownSpending == .zero && !$0.hasEarmarks })
    }

    /// The authorizers' join finds a key's row by galloping and halving:
    /// the same row a walk from the start finds, for every key and start.
    @Test func firstRowOfAKeyIsTheWalksRow() {
        let keys: [UInt64] = (0..<300).map { (n: Int) -> UInt64 in UInt64(10_000 + n * 7 + n % 5) }
        let ids = keys.compactMap { ResidentID(digits: 44_030_119_800_101_000 + $0) }
        #expect(ids.count == keys.count)
        let rows = AccountMonths(ids.map {
            AccountMonth(person: $0, region: RegionCode("440300")!, opening: .zero, credits: .zero, ownSpending: .zero,
                         sharedOut: .zero)
        })
        let (first, middle, last) = (ids[0].key, ids[137].key, ids[299].key)
        let probes: [UInt64] = [0, first, first + 1, middle - 1, middle, last, last + 1, UInt64.max]
        for start in [0, 1, 136, 137, 138, 299, 300] {
            for key in probes {
                var walked = start
                while walked < ids.count && ids[walked].key < key { walked += 1 }
                #expect(rows.firstRow(ofKeyAtLeast: key, from: start) == walked, "key \(key) from \(start)")
            }
        }
    }
}
