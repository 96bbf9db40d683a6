import GongjiTestSupport
import Foundation
import GRDB
@testable import GongjiDomain
@testable import GongjiStore
import Testing

@Suite struct StoreTests {
    /// A valid ID for each n, in increasing order of n.
    static func id(_ n: Int) -> ResidentID {
        let born = Day(ordinal: Day(year: 1950, month: 1, day: 1)!.ordinal + n / 1000)
        let body = "440305" + born.text.replacingOccurrences(of: "-", with: "") + String(1000 + n % 1000).suffix(3)
        return ResidentID(digits: UInt64(body)!)!
    }

    static func balance(_ n: Int) -> AccountMonth {
        AccountMonth(person: id(n), region: RegionCode(n % 2 == 0 ? "440300" : "131000")!,
                     opening: Money(fen: Int64(n) * 101), credits: Money(fen: 12_345), ownSpending: Money(fen: Int64(n % 7)),
                     sharedOut: Money(fen: n % 11 == 0 ? 500 : 0))
    }

    static func settlement(_ n: Int, month: YearMonth) -> ClaimSettlement {
        let claim = Claim(id: "C\(n)", person: id(n), occurredAt: Timestamp(day: month.firstDay, second: 3600 + n),
                          region: RegionCode("440300")!, category: .outpatient, amount: Money(fen: 1000 + Int64(n)))
        return ClaimSettlement(claim: claim, ownAccount: Money(fen: 1000 + Int64(n)), familyShared: .zero, cash: .zero,
                               status: .notNeeded, draws: [], refusals: [])
    }

    func temporaryStore() throws -> (String, URL) {
        let folder = try TemporaryFolder("store")
        return (folder.path("gongji.sqlite"), folder.url)
    }

    /// More accounts of one province than one block holds: every account
    /// comes back through the `month_balance` view, to the fen, and the
    /// blocks cut in ID order.
    @Test func balancesRoundTripThroughBlocks() throws {
        let (path, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let month = YearMonth(year: 2022, month: 1)!
        let balances = (0..<(BalanceBlocks.size + 1_000)).map { n in
            var balance = Self.balance(n)
            balance.region = RegionCode("440300")!
            return balance
        }
        let store = try Store(path: path)
        try store.transaction { writer in
            let run = try writer.beginRun(startedAt: "2026-11-22T00:00:00Z", command: "test", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: balances, settlements: [Self.settlement(1, month: month)], clearing: [],
                                    keepBaseline: false)
        }
        let stored = try store.read { try $0.month(month, .current) }
        #expect(stored.balances == balances)
        // The view gives the same accounts, in the same order.
        let viewed = try store.read { reader in
            try Row.fetchAll(reader.db, sql: "SELECT person_id, closing_fen FROM month_balance WHERE month = '2022-01'")
        }
        #expect(viewed.map { $0[0] as String } == balances.map(\.person.text))
        #expect(viewed.map { $0[1] as Int64 } == balances.map(\.closing.fen))
        let blocks = try store.read { reader in
            try Row.fetchAll(reader.db, sql: "SELECT block, first_person_id, last_person_id, accounts, province FROM month_balance_block")
        }
        #expect(blocks.map { $0[4] as String } == ["44", "44"])
        #expect(blocks.map { $0[0] as Int } == [0, 1])
        #expect(blocks.map { $0[3] as Int } == [BalanceBlocks.size, 1_000])
        #expect(blocks[1][1] as String == Self.id(BalanceBlocks.size).text)
        #expect(blocks[1][2] as String == Self.id(BalanceBlocks.size + 999).text)
        let closing = try store.read { try $0.closingBalance(of: Self.id(77), month: month) }
        let expected: Int64 = 77 * 101 + 12_345 - 0 - 500
        #expect(closing == Money(fen: expected))
        let claims = try store.read { try $0.month(month, .current) }.claims
        #expect(claims["C1"]?.claim.occurredAt.text == "2022-01-01 01:00:01")
        #expect(claims["C1"]?.payment == Self.settlement(1, month: month).payment)
    }

    /// The form gongji writes is read back exactly: each account's ID, region and five sums.
    @Test(arguments: [
        ("[]", [String]()),
        ("[[\"44030519500101001X\",\"440300\",100,20,30,40,50]]", ["44030519500101001X 440300 100 20 30 40 50"]),
        ("[[\"44030519500101001X\",\"440300\",0,7,0,0,7],[\"11010519491231002X\",\"110000\",9,8,7,6,4]]",
         ["44030519500101001X 440300 0 7 0 0 7", "11010519491231002X 110000 9 8 7 6 4"]),
        // Since v4: transferred out, pot deposits, pot returned, frozen (100 + 20 − 30 − 40 − 5 − 6 + 7 = 46).
        ("[[\"44030519500101001X\",\"440300\",100,20,30,40,46,5,6,7,8]]", ["44030519500101001X 440300 100 20 30 40 46 5 6 7 8"]),
    ]) func decodesItsOwnForm(json: String, accounts: [String]) throws {
        var text = json
        let rows = try #require(text.withUTF8 { BalanceBlocks.decode($0) })
        #expect(rows.map {
            "\($0.person.text) \($0.region.text) \($0.opening.fen) \($0.credits.fen) \($0.ownSpending.fen) \($0.sharedOut.fen) \($0.closing.fen)"
                + ($0.hasEarmarks ? " \($0.transferredOut.fen) \($0.potDeposits.fen) \($0.potReturned.fen) \($0.frozen.fen)" : "")
        } == accounts)
    }

    /// A block not in the form gongji writes is refused, never half read.
    @Test(arguments: [
        "", "[", "[[\"44030519500101001X\",\"440300\",1,2,3,4]]", "[[\"440305195001010019\",\"440300\",1,2,3,4,5]]",
        "[[\"44030519500101001X\",\"44030\",1,2,3,4,5]]", "[[\"44030519500101001X\",\"440300\",1,2,3,4,5]] ",
        "[[\"44030519500101001X\",\"440300\",1,2,3,4,99999999999999999999]]",
        "[[\"44030519500101001X\",\"440300\",100,20,30,40,51]]",  // the closing does not add up
        "[[\"44030519500101001X\",\"440300\",100,20,30,40,50,1,2,3]]",  // three of the four v4 numbers
        "[[\"44030519500101001X\",\"440300\",100,20,30,40,50,1,0,0,0]]",  // the transfer not subtracted
    ]) func refusesAnythingElse(json: String) {
        var text = json
        #expect(text.withUTF8 { BalanceBlocks.decode($0) } == nil)
    }

    /// What wallets and pots paid, and an account's earmark movements, come
    /// back from the store; the month's wallets, transfers, quotas and pots
    /// are kept as reported.
    @Test func earmarksRoundTrip() throws {
        let (path, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let month = YearMonth(year: 2026, month: 1)!
        var account = Self.balance(5)
        (account.transferredOut, account.potDeposits, account.potReturned, account.frozen) =
            (Money(fen: 300), Money(fen: -40), Money(fen: 7), Money(fen: 900))
        var settled = Self.settlement(5, month: month)
        (settled.ownAccount, settled.wallet, settled.pot) = (Money(fen: 5), Money(fen: 1000), Money(fen: 0))
        var earmarks = EarmarkMonth(month: month)
        let quota = WalletQuota(id: "Q1", sharer: Self.id(5), beneficiary: Self.id(6), relation: .parent,
                                setOn: Day(text: "2026-01-12")!, amount: Money(fen: 90_000))
        earmarks.quotas = [QuotaMonth(quota: quota, used: Money(fen: 100), unused: Money(fen: 89_900), status: .active)]
        earmarks.wallets = [WalletMonth(person: Self.id(6), region: RegionCode("131000")!, received: Money(fen: 50))]
        let store = try Store(path: path)
        try store.transaction { writer in
            let run = try writer.beginRun(startedAt: "2026-11-22T00:00:00Z", command: "test", dataFolder: "-", version: "0")
            try writer.replaceMonth(month, run: run, balances: [account], settlements: [settled], clearing: [],
                                    earmarks: earmarks, keepBaseline: false)
        }
        let stored = try store.read { try $0.month(month, .current) }
        #expect(stored.balances == [account])
        #expect(stored.claims["C5"]?.payment == settled.payment)
        #expect(stored.claims["C5"]?.payment.wallet == Money(fen: 1000))
        let viewed = try store.read { reader in
            try Row.fetchOne(reader.db, sql: """
                SELECT transferred_out_fen, pot_deposits_fen, pot_returned_fen, frozen_fen, closing_fen FROM month_balance
                """)
        }
        #expect(viewed.map { [$0[0], $0[1], $0[2], $0[3], $0[4]] as [Int64] }
            == [300, -40, 7, 900, account.closing.fen])
        let kept = try store.read { reader in
            try Row.fetchAll(reader.db, sql: "SELECT quota_id, used_fen, unused_fen, status FROM quota_month")
                .map { "\($0[0] as String) \($0[1] as Int64) \($0[2] as Int64) \($0[3] as String)" }
                + Row.fetchAll(reader.db, sql: "SELECT person_id, received_fen, closing_fen FROM wallet_month")
                .map { "\($0[0] as String) \($0[1] as Int64) \($0[2] as Int64)" }
        }
        #expect(kept == ["Q1 100 89900 active", "\(Self.id(6).text) 50 50"])
    }

    /// A store made by version 1 of the schema (a row per account and month)
    /// opens with the same results: balances moved into blocks, claims keyed
    /// by month.
    @Test func migratesAVersion1Store() throws {
        let (path, folder) = try temporaryStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let queue = try DatabaseQueue(path: path)
        try Store.migrator.migrate(queue, upTo: "v1")
        try queue.write { db in
            for (month, n) in [("2022-01", 3), ("2022-01", 1), ("2022-02", 2)] {
                let row = Self.balance(n)
                try db.execute(sql: "INSERT INTO month_balance VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [month, row.person.text, row.region.text, row.opening.fen, row.credits.fen,
                                           row.ownSpending.fen, row.sharedOut.fen, row.closing.fen])
                try db.execute(sql: """
                    INSERT INTO claim_result VALUES (?, ?, '2022-01-05 10:00:00', ?, '440300', 'outpatient', 100, 100, 0, 0,
                                                     'not_needed', NULL)
                    """, arguments: ["C\(n)", month, row.person.text])
            }
            try db.execute(sql: "INSERT INTO run (id, started_at, command, data_folder, version) VALUES (1, '-', 'run', '-', '0')")
            try db.execute(sql: "INSERT INTO settled_month VALUES ('2022-01', 1), ('2022-02', 1)")
        }
        try queue.close()
        let store = try Store(path: path)
        let january = try store.read { try $0.month(YearMonth(year: 2022, month: 1)!, .current) }
        #expect(january.balances.map(\.person) == [Self.id(1), Self.id(3)])
        #expect(january.balances.last == Self.balance(3))
        #expect(Set(january.claims.keys) == ["C1", "C3"])
        let february = try store.read { try $0.month(YearMonth(year: 2022, month: 2)!, .current) }
        #expect(Set(february.claims.keys) == ["C2"])
        let entries = try store.read { reader in
            try Int64.fetchAll(reader.db, sql: "SELECT entry FROM claim_result ORDER BY entry")
        }
        // Since v6 the key holds the province too (44: the claims' region 440300).
        let january0 = (Int64(2022 * 12) * 128 + 44) << 32
        #expect(entries == [january0, january0 + 1, january0 + (128 << 32)])
        let order = try store.read { reader in
            try String.fetchAll(reader.db, sql: "SELECT person_id FROM month_balance WHERE month = '2022-01'")
        }
        #expect(order == [Self.id(1).text, Self.id(3).text])
    }
}

/// A store gongji cannot vouch for is refused, unchanged, with a reason.
@Suite struct StoreVersionTests {
    func store(_ prepare: (DatabaseQueue) throws -> Void) throws -> (path: String, folder: TemporaryFolder) {
        let folder = try TemporaryFolder("store")
        let path = folder.path("gongji.sqlite")
        _ = try Store(path: path)
        let queue = try DatabaseQueue(path: path)
        try prepare(queue)
        try queue.close()
        return (path, folder)
    }

    @Test(arguments: [
        "PRAGMA user_version = 99",
        "INSERT INTO grdb_migrations VALUES ('v9')",
    ]) func aStoreOfANewerGongjiIsRefusedAndLeftAsItWas(sql: String) throws {
        let (path, folder) = try store { try $0.write { try $0.execute(sql: sql) } }
        defer { folder.remove() }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for readOnly in [false, true] {
            #expect { try Store(path: path, readOnly: readOnly) } throws: { error in
                "\(error)".hasPrefix("\(path): made by a newer gongji (schema version ")
                    && "\(error)".hasSuffix("this gongji writes version \(Store.schemaVersion)): use that gongji, or give another --store; nothing was changed")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func anEmptyFileBecomesANewStore() throws {
        let folder = try TemporaryFolder("store")
        defer { folder.remove() }
        let path = try folder.write("gongji.sqlite", "")
        let store = try Store(path: path)
        #expect(store.made)
        #expect(try store.read { try $0.count("claim_result") } == 0)
        #expect(try Store(path: path).made == false)
    }

    @Test func aFileThatIsNotAStoreIsNamed() throws {
        let folder = try TemporaryFolder("store")
        defer { folder.remove() }
        let path = try folder.write("gongji.sqlite", String(repeating: "not a database at all ", count: 100))
        #expect { try Store(path: path) } throws: { error in
            "\(error)" == "\(path): cannot open the store: the file is not a gongji store (not an SQLite database)"
        }
    }

    @Test func aStoreHeldByAnotherRunSaysSo() throws {
        let (path, folder) = try store { _ in }
        defer { folder.remove() }
        var holding = Configuration()
        holding.allowsUnsafeTransactions = true  // the other run's transaction stays open
        let other = try DatabaseQueue(path: path, configuration: holding)
        try other.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        defer { try? other.inDatabase { try $0.execute(sql: "ROLLBACK") } }
        let writer = try DatabaseQueue(path: path)
        #expect { try writer.write { try $0.execute(sql: "DELETE FROM run") } } throws: { error in
            Store.describe(error, store: path) == "another program (another gongji, or a reader such as sqlite3) held the store "
                + "for more than 20 s: run again when it has finished"
        }
    }

    /// The `sqlite3` shell reading the store at `path` in a transaction that
    /// lasts `seconds`: started, and once its read is done, handed back.
    func reader(_ path: String, seconds: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN;\nSELECT 'reading', count(*) FROM run;\n.shell sleep \(seconds)\nCOMMIT;\n".utf8))
        try input.fileHandleForWriting.close()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("reading") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        return process
    }

    /// A reader of the store (the README suggests `sqlite3` on it) holds it
    /// while a run commits: the run waits for it and commits (issue 25).
    @Test func aReaderMakesAWriteWaitNotFail() throws {
        let (path, folder) = try store { _ in }
        defer { folder.remove() }
        let store = try Store(path: path)
        let sqlite = try reader(path, seconds: 2)
        defer { sqlite.waitUntilExit() }
        #expect(sqlite.isRunning)
        let id = try store.transaction { writer in
            try writer.beginRun(startedAt: "2026-01-01T00:00:00Z", command: "gongji run", dataFolder: "d", version: "0")
        }
        #expect(try store.read { try $0.runs().map(\.id) }.contains(id))
    }

    /// The run log's months come back as months; a value gongji does not
    /// write is an error, not a run without months.
    @Test(arguments: [("2022-03..2026-02", "2022-03...2026-02"), ("2022-3..2026-02", nil), ("2026-02..2022-03", nil),
                      ("2022-03", nil)])
    func theRunLogsMonthsAreRead(_ text: String, _ read: String?) throws {
        let (path, folder) = try store { queue in
            try queue.write { db in
                try db.execute(sql: "INSERT INTO run (started_at, command, data_folder, version, months) VALUES ('-', 'run', 'd', '0', ?)",
                               arguments: [text])
            }
        }
        defer { folder.remove() }
        let store = try Store(path: path, readOnly: true)
        if let read {
            #expect(try store.read { try $0.runs() }.map { $0.months.map { "\($0.lowerBound)...\($0.upperBound)" } } == [read])
        } else {
            #expect { try store.read { try $0.runs() } } throws: { "\($0)" == "run months '\(text)': not the form gongji writes" }
        }
    }

    /// Who holds the store is named: the process and its id.
    @Test func whatHoldsTheStoreIsNamed() throws {
        let (path, folder) = try store { _ in }
        defer { folder.remove() }
        let sqlite = try reader(path, seconds: 2)
        defer { sqlite.waitUntilExit() }
        #expect(Store.holders(of: path) == ["sqlite3 (pid \(sqlite.processIdentifier))"])
    }
}
