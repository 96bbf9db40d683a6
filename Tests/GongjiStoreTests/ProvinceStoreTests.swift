import GongjiTestSupport
import Foundation
import GRDB
@testable import GongjiDomain
@testable import GongjiStore
import Testing

/// A `--province` run replaces only its provinces' rows (store v6,
/// docs/policy.md "Units of work"): balance blocks per province, claim
/// and draw entries per province, and the baseline kept per province.
@Suite struct ProvinceStoreTests {
    let month = YearMonth(year: 2022, month: 1)!
    static let hebei = ProvinceScope.only(["13"])

    /// Accounts 0..<6: even ones in 440300, odd ones in 131000 (`StoreTests.balance`), credits `credits` fen.
    func balances(credits: Int64 = 12_345) -> [AccountMonth] {
        (0..<6).map { n in
            var balance = StoreTests.balance(n)
            balance.credits = Money(fen: credits)
            return balance
        }
    }

    /// A claim of account `n`, in its region, with one draw on account `n + 2`.
    func settlement(_ n: Int, amount: Int64 = 1_000) -> ClaimSettlement {
        let region = StoreTests.balance(n).region
        let claim = Claim(id: "C\(n)", person: StoreTests.id(n), occurredAt: Timestamp(day: month.firstDay, second: 3600 + n),
                          region: region, category: .outpatient, amount: Money(fen: amount))
        let draw = Draw(authorizer: StoreTests.id(n + 2), authorizerRegion: region, channel: .binding, binding: "B\(n)",
                        relation: .spouse, amount: Money(fen: amount), balanceBefore: Money(fen: 9_000), threshold: nil)
        return ClaimSettlement(claim: claim, ownAccount: .zero, familyShared: Money(fen: amount), cash: .zero,
                               status: .shared, draws: [draw], refusals: [])
    }

    func sql(_ store: Store, _ query: String) throws -> [String] {
        try store.read { reader in
            try Row.fetchAll(reader.db, sql: query).map { row in
                row.databaseValues.map { $0.storage.value.map { "\($0)" } ?? "NULL" }.joined(separator: "|")
            }
        }
    }

    @Test func aProvinceRunReplacesOnlyItsRowsAndKeepsItsBaseline() throws {
        let folder = try TemporaryFolder("store")
        defer { folder.remove() }
        let store = try Store(path: folder.path("gongji.sqlite"))
        // A run of every province.
        try store.transaction { writer in
            let run = try writer.beginRun(startedAt: "-", command: "run", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: balances(), settlements: [settlement(0), settlement(1), settlement(2)],
                                    clearing: [], keepBaseline: false)
        }
        let monthKey = Int64(2022 * 12) * 128
        #expect(try sql(store, "SELECT entry, claim_id FROM claim_result ORDER BY entry")
                == ["\((monthKey + 13) << 32)|C1", "\((monthKey + 44) << 32)|C0", "\((monthKey + 44) << 32 + 1)|C2"])
        #expect(try sql(store, "SELECT entry, claim_id FROM share ORDER BY entry")
                == ["\((monthKey + 13) << 32)|C1", "\((monthKey + 44) << 32)|C0", "\((monthKey + 44) << 32 + 1)|C2"])
        #expect(try sql(store, "SELECT province, block, accounts FROM month_balance_block ORDER BY province")
                == ["13|0|3", "44|0|3"])
        let before = try store.read { try $0.month(month, .current) }

        // A recompute of province 13 alone: its rows replaced, its old ones kept as its baseline.
        try store.transaction(scope: Self.hebei) { writer in
            let run = try writer.beginRun(startedAt: "-", command: "recompute", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: balances(credits: 99).filter { $0.region.province == 13 },
                                    settlements: [settlement(3, amount: 7)], clearing: [], keepBaseline: true)
        }
        let after = try store.read { try $0.month(month, .current) }
        #expect(Set(after.claims.keys) == ["C0", "C2", "C3"])
        #expect(after.balances.map(\.credits.fen) == [12_345, 99, 12_345, 99, 12_345, 99])
        #expect(after.balances.map(\.person) == before.balances.map(\.person))
        #expect(try sql(store, "SELECT claim_id FROM claim_result WHERE (entry >> 32) & 127 = 13") == ["C3"])
        // The baseline: 13's as the first run left it, 44's the current ones.
        let baseline = try store.read { try $0.month(month, .baseline) }
        #expect(baseline.balances == before.balances)
        #expect(baseline.claims == before.claims)
        #expect(try sql(store, "SELECT part FROM baseline_set") == ["month 2022-01/13"])
        #expect(try sql(store, "SELECT province FROM baseline_month_balance_block") == ["13"])

        // A run of 44 drops no baseline of 13's; a run of every province drops all.
        try store.transaction(scope: .only(["44"])) { writer in
            let run = try writer.beginRun(startedAt: "-", command: "run", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: balances().filter { $0.region.province == 44 },
                                    settlements: [settlement(0)], clearing: [], keepBaseline: false)
        }
        #expect(try sql(store, "SELECT part FROM baseline_set") == ["month 2022-01/13"])
        #expect(try sql(store, "SELECT claim_id FROM claim_result ORDER BY entry") == ["C3", "C0"])
        try store.transaction { writer in
            let run = try writer.beginRun(startedAt: "-", command: "run", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: balances(), settlements: [], clearing: [], keepBaseline: false)
        }
        #expect(try sql(store, "SELECT count(*) FROM baseline_set") == ["0"])
        #expect(try sql(store, "SELECT count(*) FROM baseline_month_balance_block") == ["0"])
        #expect(try sql(store, "SELECT count(*) FROM claim_result") == ["0"])
    }

    /// A baseline kept by a run of every province, then a run of one: the
    /// others keep theirs, a part each.
    @Test func aWholeBaselineSplitsWhenOneProvinceRuns() throws {
        let folder = try TemporaryFolder("store")
        defer { folder.remove() }
        let store = try Store(path: folder.path("gongji.sqlite"))
        for keep in [false, true] {
            try store.transaction { writer in
                let run = try writer.beginRun(startedAt: "-", command: "-", dataFolder: "-", version: "0")
                try writer.replaceMonth(month, run: run, balances: balances(credits: keep ? 5 : 12_345),
                                        settlements: [settlement(0), settlement(1)], clearing: [], keepBaseline: keep)
            }
        }
        #expect(try sql(store, "SELECT part FROM baseline_set") == ["month 2022-01"])
        try store.transaction(scope: Self.hebei) { writer in
            let run = try writer.beginRun(startedAt: "-", command: "run", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: balances().filter { $0.region.province == 13 }, settlements: [],
                                    clearing: [], keepBaseline: false)
        }
        #expect(try sql(store, "SELECT part FROM baseline_set") == ["month 2022-01/44"])
        let baseline = try store.read { try $0.month(month, .baseline) }
        #expect(baseline.balances.map(\.credits.fen) == [12_345, 12_345, 12_345, 12_345, 12_345, 12_345])
        #expect(baseline.claims.keys.sorted() == ["C0"])
        #expect(try sql(store, "SELECT provinces FROM run ORDER BY id") == ["NULL", "NULL", "13"])
    }
}

extension ProvinceStoreTests {
    /// A run of some provinces writes no row of another: its transaction fails, naming the province.
    @Test func aRowOutsideTheRunsProvincesIsRefused() throws {
        let folder = try TemporaryFolder("store")
        defer { folder.remove() }
        let store = try Store(path: folder.path("gongji.sqlite"))
        #expect {
            try store.transaction(scope: Self.hebei) { writer in
                let run = try writer.beginRun(startedAt: "-", command: "run", dataFolder: "-", version: "0")
                try writer.replaceMonth(month, run: run, balances: balances(), settlements: [], clearing: [], keepBaseline: false)
            }
        } throws: { error in
            "\(error)" == "a result of 2022-01 of province '44', outside this run's provinces (13)"
        }
        #expect(try sql(store, "SELECT count(*) FROM run") == ["0"])
    }
}
