import GongjiTestSupport
import Foundation
@testable import GongjiDomain
@testable import GongjiStore
import Testing

/// The store's operations, the same on both kinds (docs/store.md): each
/// check runs on an SQLite file and on a PostgreSQL database.
@Suite struct StoreKindTests {
    static let month = YearMonth(year: 2022, month: 1)!

    /// Accounts of two provinces, interleaved in ID order (440300 and 131000), over more than one block.
    static let balances = (0..<(BalanceBlocks.size + 1_000)).map(StoreTests.balance)

    /// A store of either kind, for one test; `body` gets its location.
    static func withStore(_ kind: Kind, _ body: (String) throws -> Void) throws {
        switch kind {
        case .sqlite:
            let folder = try TemporaryFolder("store")
            defer { folder.remove() }
            try body(folder.path("gongji.sqlite"))
        case .postgres:
            let database = try TestPostgres.database()
            defer { database.drop() }
            try body(database.uri)
        }
    }

    enum Kind { case sqlite, postgres }

    static func write(_ store: any ResultStore, balances: [AccountMonth], claims: [Int], keepBaseline: Bool = false) throws {
        try store.writing(scope: .all) { writer in
            let run = try writer.beginRun(startedAt: "2026-11-22T00:00:00Z", command: "test", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: balances, settlements: claims.map { StoreTests.settlement($0, month: month) },
                                    clearing: [], earmarks: nil, keepBaseline: keepBaseline)
            try writer.finishRun(run, finishedAt: "2026-11-22T00:00:01Z", months: [month], inputs: [])
        }
    }

    /// Every account comes back to the fen and in ID order, whatever its
    /// province; the claims with them; the month is settled.
    static func roundTrip(_ location: String) throws {
        let store = try openStore(location)
        try write(store, balances: balances, claims: [1, 2])
        let stored = try store.reading { try $0.month(month, .current) }
        #expect(stored.balances == balances)
        #expect(stored.claims.keys.sorted() == ["C1", "C2"])
        #expect(stored.claims["C1"]?.claim.occurredAt.text == "2022-01-01 01:00:01")
        #expect(stored.claims["C1"]?.payment == StoreTests.settlement(1, month: month).payment)
        #expect(try store.reading { try $0.settledMonths() } == [month])
        #expect(try store.reading { try $0.count("month_balance") } == balances.count)
        #expect(try store.reading { try $0.closingBalance(of: StoreTests.id(77), month: month) } == Money(fen: 77 * 101 + 12_345 - 0 - 500))
        #expect(try store.reading { try $0.runs() }.map(\.months) == [month...month])
    }

    /// A month written again is replaced, not appended to; a recompute
    /// (`keepBaseline`) keeps what the run wrote as the baseline, and the
    /// next run drops it.
    static func replaceAndBaseline(_ location: String) throws {
        let store = try openStore(location)
        try write(store, balances: balances, claims: [1, 2])
        try write(store, balances: balances, claims: [1, 2])
        #expect(try store.reading { try $0.count("month_balance") } == balances.count)
        #expect(try store.reading { try $0.count("claim_result") } == 2)
        let fewer = Array(balances.prefix(10))
        try write(store, balances: fewer, claims: [3], keepBaseline: true)
        #expect(try store.reading { try $0.month(month, .current) }.balances == fewer)
        #expect(try store.reading { try $0.month(month, .baseline) }.balances == balances)
        #expect(try store.reading { try $0.month(month, .baseline) }.claims.keys.sorted() == ["C1", "C2"])
        // A second recompute keeps the first baseline.
        try write(store, balances: [], claims: [], keepBaseline: true)
        #expect(try store.reading { try $0.month(month, .baseline) }.claims.keys.sorted() == ["C1", "C2"])
        try write(store, balances: fewer, claims: [3])
        #expect(try store.reading { try $0.month(month, .baseline) }.balances == fewer)
        #expect(try store.reading { try $0.month(month, .baseline) }.claims.keys.sorted() == ["C3"])
    }

    /// A transaction that fails leaves the store as it was.
    static func failureLeavesNothing(_ location: String) throws {
        let store = try openStore(location)
        try write(store, balances: balances, claims: [1])
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try store.writing(scope: .all) { writer in
                let run = try writer.beginRun(startedAt: "-", command: "killed", dataFolder: "-", version: "0")
                try writer.replaceMonth(month, run: run, balances: [], settlements: [], clearing: [], earmarks: nil, keepBaseline: false)
                throw Stop()
            }
        }
        #expect(try store.reading { try $0.count("month_balance") } == balances.count)
        #expect(try store.reading { try $0.runs() }.map(\.command) == ["test"])
    }

    /// The URI's parts, for messages.
    @Test(arguments: [
        ("postgresql://u:p%40ss@db.example:6543/gongji", "postgresql://u@db.example:6543/gongji"),
        ("postgres://u@h/db?password=x&sslmode=require", "postgres://u@h/db?sslmode=require"),
        ("postgresql:///gongji?password=x", "postgresql:///gongji"),
        ("postgresql://h:5/d", "postgresql://h:5/d"),
    ]) func aURIIsShownWithoutItsPassword(uri: String, shown: String) {
        #expect(storeDisplay(uri) == shown)
    }

    @Test func roundTripSQLite() throws { try Self.withStore(.sqlite, Self.roundTrip) }
    @Test(.enabled(if: TestPostgres.enabled, Comment(rawValue: TestPostgres.why))) func roundTripPostgres() throws { try Self.withStore(.postgres, Self.roundTrip) }
    @Test func replaceAndBaselineSQLite() throws { try Self.withStore(.sqlite, Self.replaceAndBaseline) }
    @Test(.enabled(if: TestPostgres.enabled, Comment(rawValue: TestPostgres.why))) func replaceAndBaselinePostgres() throws {
        try Self.withStore(.postgres, Self.replaceAndBaseline)
    }
    @Test func failureLeavesNothingSQLite() throws { try Self.withStore(.sqlite, Self.failureLeavesNothing) }
    @Test(.enabled(if: TestPostgres.enabled, Comment(rawValue: TestPostgres.why))) func failureLeavesNothingPostgres() throws {
        try Self.withStore(.postgres, Self.failureLeavesNothing)
    }
}

/// What only the PostgreSQL store has: a server to reach, a password to
/// keep out of sight, partitions by province, runs of some provinces.
@Suite(.enabled(if: TestPostgres.enabled, Comment(rawValue: TestPostgres.why))) struct PostgresStoreTests {
    /// `postgresql://user@host:port/`: the test server's, less its database.
    static var server: String { TestPostgres.replacingDatabase(of: TestPostgres.uri ?? "postgresql://gongji@127.0.0.1:1/x", with: "") }

    @Test func aServerThatIsNotThereIsNamed() throws {
        let error = #expect(throws: StoreError.self) { try PostgresStore(uri: "postgresql://gongji@127.0.0.1:1/gongji_x") }
        #expect(error?.description == "127.0.0.1:1/gongji_x: cannot reach the PostgreSQL server at 127.0.0.1:1: "
                + "is it running, and is the address right?")
    }

    /// A wrong password (here in the URI) is told as such, and never shown.
    @Test func aRefusedPasswordIsToldNotShown() throws {
        let uri = Self.server.replacingOccurrences(of: "gongji@", with: "gongji:Wrong%20Secret-4711@") + "gongji_test"
        let error = #expect(throws: StoreError.self) { try PostgresStore(uri: uri) }
        let text = try #require(error?.description)
        #expect(text.contains("the server refused user gongji (wrong or missing password"))
        #expect(!text.contains("Secret") && !text.contains("4711"))
    }

    @Test func aMissingDatabaseIsNamed() throws {
        let error = #expect(throws: StoreError.self) { try PostgresStore(uri: Self.server + "gongji_not_there") }
        let text = try #require(error?.description)
        #expect(text.hasSuffix(": the server has no database \"gongji_not_there\": make it (createdb -h 127.0.0.1 -p "
                               + "\(URL(string: Self.server)?.port ?? 0) gongji_not_there) or name another"))
    }

    /// The password given in the URI works, and the store names itself without it.
    @Test func aPasswordInTheURIStaysOutOfItsName() throws {
        let database = try TestPostgres.database()
        defer { database.drop() }
        let password = try #require(TestPostgres.password)
        let uri = database.uri.replacingOccurrences(of: "gongji@", with: "gongji:\(password)@")
        let store = try PostgresStore(uri: uri)
        #expect(!store.location.contains(password))
        #expect(store.location == database.uri)
        #expect(storeDisplay(uri) == database.uri)
        #expect(storeDisplay(database.uri + "?password=\(password)&sslmode=disable") == database.uri + "?sslmode=disable")
    }

    /// A store made by a newer gongji is refused, unchanged.
    @Test func aNewerStoreIsRefused() throws {
        let database = try TestPostgres.database()
        defer { database.drop() }
        _ = try PostgresStore(uri: database.uri)
        try database.sql("UPDATE gongji_schema SET version = 99")
        let error = #expect(throws: StoreError.self) { try PostgresStore(uri: database.uri) }
        #expect(error?.description == "\(database.uri): made by a newer gongji (schema version 99; this gongji writes version "
                + "\(PostgresStore.schemaVersion)): use that gongji, or give another --store; nothing was changed")
        #expect(try database.sql("SELECT version FROM gongji_schema") == "99")
        // Reading needs a store that is there.
        let empty = try TestPostgres.database()
        defer { empty.drop() }
        let missing = #expect(throws: StoreError.self) { try PostgresStore(uri: empty.uri, readOnly: true) }
        #expect(missing?.description == "\(empty.uri): no store there: `gongji run` makes one")
    }

    /// Rows are filed by province, a partition made for each as it first
    /// appears; a run of one province replaces only that province's rows.
    @Test func aRunOfOneProvinceReplacesOnlyItsRows() throws {
        let database = try TestPostgres.database()
        defer { database.drop() }
        let store = try PostgresStore(uri: database.uri)
        let month = StoreKindTests.month
        let balances = StoreKindTests.balances
        try StoreKindTests.write(store, balances: balances, claims: [1, 2])
        #expect(try database.sql("""
            SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'month_balance_block_p%' AND relkind = 'r'
            """) == "month_balance_block_p13,month_balance_block_p44")
        #expect(try database.sql("SELECT province, count(*) FROM month_balance_block GROUP BY 1 ORDER BY 1") == "13|1\n44|1")
        // Province 44 again, its accounts' credits doubled; 13's rows stay.
        let ours = balances.filter { $0.region.text == "440300" }.map { account in
            var changed = account
            changed.credits = Money(fen: account.credits.fen * 2)
            return changed
        }
        try store.transaction(scope: .only(["44"])) { writer in
            let run = try writer.beginRun(startedAt: "-", command: "province 44", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: ours, settlements: [StoreTests.settlement(2, month: month)],
                                    clearing: [], earmarks: nil, keepBaseline: false)
            // A row of another province is refused, never written.
            #expect(throws: StoreError.self) {
                try writer.replaceMonth(month, run: run, balances: [balances[1]], settlements: [], clearing: [], earmarks: nil,
                                        keepBaseline: false)
            }
        }
        let stored = try store.read { try $0.month(month, .current) }
        let changed = Dictionary(uniqueKeysWithValues: ours.map { ($0.person, $0) })
        let expected = balances.map { changed[$0.person] ?? $0 }
        #expect(stored.balances == expected)
        #expect(try database.sql("SELECT province || ':' || run_id FROM settled_month ORDER BY 1") == "13:1\n44:2")
    }

    /// Two processes' runs of different provinces write one store at the
    /// same time: each transaction has written its month before the other
    /// commits (neither waits for the other's locks), and both are kept.
    @Test func twoProvincesWriteAtOnce() throws {
        let database = try TestPostgres.database()
        defer { database.drop() }
        let month = StoreKindTests.month
        let balances = StoreKindTests.balances
        let provinces = [("44", "440300"), ("13", "131000")]
        // Each province's first run makes its partitions (one after the other).
        for (province, region) in provinces { try Self.run(PostgresStore(uri: database.uri), province, region, credits: 1) }
        let stores = try provinces.map { _ in try PostgresStore(uri: database.uri) }
        let written = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let failures = Failures()
        let threads = provinces.enumerated().map { index, item in
            Thread {
                do {
                    try Self.run(stores[index], item.0, item.1, credits: 7) {
                        (index == 0 ? written.0 : written.1).signal()
                        // The other province's transaction has written too, before this one commits.
                        guard (index == 0 ? written.1 : written.0).wait(timeout: .now() + 20) == .success else {
                            throw StoreError("province \(item.0) waited 20 s for the other province's run")
                        }
                    }
                } catch {
                    failures.add("\(error)")
                }
                failures.done()
            }
        }
        threads.forEach { $0.start() }
        failures.waitForAll(threads.count)
        #expect(failures.messages.isEmpty)
        let stored = try PostgresStore(uri: database.uri, readOnly: true).read { try $0.month(month, .current) }
        #expect(stored.balances.count == balances.count)
        #expect(Set(stored.balances.map(\.credits.fen)) == [7])
        #expect(try database.sql("SELECT province || ':' || run_id FROM settled_month ORDER BY 1") == "13:4\n44:3"
                || database.sql("SELECT province || ':' || run_id FROM settled_month ORDER BY 1") == "13:3\n44:4")
    }

    /// A run of one province: its accounts of the month, each with `credits`.
    static func run(_ store: PostgresStore, _ province: String, _ region: String, credits: Int64,
                    meanwhile: () throws -> Void = {}) throws {
        try store.transaction(scope: .only([province])) { writer in
            let run = try writer.beginRun(startedAt: "-", command: "province \(province)", dataFolder: "-", version: "0")
            let ours = StoreKindTests.balances.filter { $0.region.text == region }.map { account in
                var changed = account
                changed.credits = Money(fen: credits)
                return changed
            }
            try writer.replaceMonth(StoreKindTests.month, run: run, balances: ours, settlements: [], clearing: [], earmarks: nil,
                                    keepBaseline: false)
            try meanwhile()
        }
    }

    final class Failures: @unchecked Sendable {
        private let condition = NSCondition()
        private(set) var messages: [String] = []
        private var finished = 0
        func add(_ message: String) { condition.lock(); messages.append(message); condition.unlock() }
        func done() { condition.lock(); finished += 1; condition.broadcast(); condition.unlock() }
        func waitForAll(_ count: Int) {
            condition.lock()
            while finished < count { condition.wait() }
            condition.unlock()
        }
    }
}
