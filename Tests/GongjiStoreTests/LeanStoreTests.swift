import GongjiTestSupport
import Foundation
import GRDB
@testable import GongjiDomain
@testable import GongjiStore
import Testing

/// The lean store (v7, docs/store.md "Size"): balance blocks in the binary
/// form, read back exactly, and stores of earlier versions migrated
/// without losing a row.
@Suite struct LeanStoreTests {
    static func account(_ id: String, _ region: String, _ amounts: [Int64]) -> AccountMonth {
        AccountMonth(person: ResidentID(id)!, region: RegionCode(region)!, opening: Money(fen: amounts[0]),
                     credits: Money(fen: amounts[1]), ownSpending: Money(fen: amounts[2]), sharedOut: Money(fen: amounts[3]),
                     transferredOut: Money(fen: amounts[4]), potDeposits: Money(fen: amounts[5]),
                     potReturned: Money(fen: amounts[6]), frozen: Money(fen: amounts[7]))
    }

    static func blocks(_ rows: [AccountMonth]) -> [[UInt8]] {
        var blocks: [[UInt8]] = []
        BalanceBlocks.encode(AccountMonths(rows)) { _, _, _, _, bytes in blocks.append(Array(bytes)) }
        return blocks
    }

    /// The form, byte for byte: the mark, the count, then per account its
    /// flags, ID step, region when it changes, opening and the amounts that
    /// are not zero (zigzag varints).
    @Test func writesTheLeanForm() {
        let rows = [Self.account("44030519500101001X", "440300", [100, 20, 30, 0, 0, 0, 0, 0]),
                    Self.account("440305195001010028", "131000", [-5, 0, 0, 7, 0, 0, 0, 0])]
        #expect(Self.blocks(rows) == [[
            0x01, 0x02,
            0x07, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4E, 0xEC, 0xEF, 0x1A, 0xC8, 0x01, 0x28, 0x3C,  // region, credits, own
            0x09, 0x01, 0xB8, 0xFF, 0x07, 0x09, 0x0E,  // region, shared out; the next ID is 1 on; opening −5
        ]])
    }

    /// Every value comes back: extremes of either sign, each earmark column,
    /// regions that change and change back, IDs far apart and next to each other.
    @Test func readsBackWhatItWrote() throws {
        let rows = [
            Self.account("11010519491231002X", "110000", [0, 0, 0, 0, 0, 0, 0, 0]),
            Self.account("110105194912310038", "110000", [Int64.max, Int64.min, -1, 1, 300, -40, 7, 900]),
            Self.account("44030519500101001X", "440300", [123_456, 12_345, 0, 500, 0, 0, 0, 0]),
            Self.account("650105200402290018", "110000", [-2_000_000, 0, 0, 0, 0, 0, 0, 1]),
        ]
        let blocks = Self.blocks(rows)
        #expect(blocks.count == 1)
        #expect(blocks[0].withUnsafeBufferPointer { BalanceBlocks.decode($0) } == rows)
        // The view's text is the JSON of stores v2 to v6, closing balance included.
        let json = String(decoding: BalanceBlocks.json([rows[2]]), as: UTF8.self)
        #expect(json == "[[\"44030519500101001X\",\"440300\",123456,12345,0,500,135301,0,0,0,0]]")
    }

    /// Bytes that are not exactly a block gongji writes are refused, never half read.
    @Test(arguments: [
        [0x01], [0x01, 0x01], [0x01, 0x00, 0x00],  // no count; an account missing; a byte after the end
        [0x01, 0x01, 0x00, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4E, 0x00],  // the first account without a region
        [0x01, 0x01, 0x03, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4E, 0xEC, 0xEF, 0x1A, 0x00, 0x00],  // credits flagged, written 0
        [0x01, 0x01, 0x01, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4E, 0xEC, 0xEF, 0x1A],  // no opening
        [0x01, 0x01, 0x01, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4F, 0xEC, 0xEF, 0x1A, 0x00],  // no real birth date
        [0x01, 0x05, 0x01, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4E, 0xEC, 0xEF, 0x1A, 0x00],  // more accounts than bytes
        [0x01, 0x02, 0x01, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4E, 0xEC, 0xEF, 0x1A, 0x00,
         0x00, 0x00, 0x00],  // the same ID twice (a step of 0)
        [0x01, 0x02, 0x01, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4E, 0xEC, 0xEF, 0x1A, 0x00,
         0x01, 0x01, 0xEC, 0xEF, 0x1A, 0x00],  // the region written again unchanged
        [0x01, 0x01, 0x01, 0x89, 0xAB, 0xD1, 0x90, 0xE3, 0xB0, 0x9B, 0x4E, 0xEC, 0xEF, 0x1A,
         0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],  // an opening past 64 bits
    ] as [[UInt8]]) func refusesAnythingElse(bytes: [UInt8]) {
        #expect(bytes.withUnsafeBufferPointer { BalanceBlocks.decode($0) } == nil)
    }

    /// A store made by gongji before v7 (schema v5: JSON blocks written as
    /// text, input files kept whole) opens with every row of
    /// `month_balance` and `baseline_month_balance` as it was, the blocks
    /// in the lean form, and the input files still there.
    @Test func migratesAVersion5StoreRowForRow() throws {
        let folder = try TemporaryFolder("store")
        defer { folder.remove() }
        let path = folder.path("gongji.sqlite")
        let queue = try DatabaseQueue(path: path)
        try Store.migrator.migrate(queue, upTo: "v5")
        let january = (0..<(BalanceBlocks.size + 10)).map(StoreTests.balance)
        var february = Array(january.prefix(5))
        february[1].transferredOut = Money(fen: 300)
        february[2].frozen = Money(fen: 900)
        try queue.write { db in
            // As gongji 0.3.0 wrote them: JSON text, 65,536 accounts to a block.
            for (table, month, rows) in [("month_balance_block", "2022-01", january), ("month_balance_block", "2022-02", february),
                                         ("baseline_month_balance_block", "2022-02", Array(january.suffix(3)))] {
                for (block, start) in stride(from: 0, to: rows.count, by: BalanceBlocks.size).enumerated() {
                    let part = Array(rows[start..<min(start + BalanceBlocks.size, rows.count)])
                    try db.execute(sql: "INSERT INTO \(table) VALUES (?, ?, ?, ?, ?, ?)", arguments: [
                        month, block, part[0].person.text, part[part.count - 1].person.text, part.count,
                        String(decoding: BalanceBlocks.json(part[...]), as: UTF8.self)])
                }
            }
            // A block of a store before v4: seven numbers an account.
            try db.execute(sql: """
                INSERT INTO month_balance_block VALUES ('2021-12', 0, '44030519500101001X', '44030519500101001X', 1,
                                                        '[["44030519500101001X","440300",100,20,30,40,50]]')
                """)
            try db.execute(sql: "INSERT INTO input_content VALUES ('abc', 0, x'68656c6c6f')")
        }
        let everything = "SELECT * FROM month_balance ORDER BY month, person_id"
        let baseline = "SELECT * FROM baseline_month_balance ORDER BY month, person_id"
        let before = try queue.read { db in (try Row.fetchAll(db, sql: everything), try Row.fetchAll(db, sql: baseline)) }
        try queue.close()
        #expect(before.0.count == january.count + february.count + 1)

        let store = try Store(path: path)
        let after = try store.read { reader in
            (try Row.fetchAll(reader.db, sql: everything), try Row.fetchAll(reader.db, sql: baseline),
             try String.fetchAll(reader.db, sql: "SELECT DISTINCT typeof(balances) FROM month_balance_block"),
             try Data.fetchAll(reader.db, sql: "SELECT content FROM input_content"))
        }
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
        #expect(after.2 == ["blob"])
        #expect(after.3 == [Data("hello".utf8)])
        #expect(try store.read { try $0.month(YearMonth(year: 2022, month: 2)!, .current) }.balances == february)
        #expect(try store.read { try $0.month(YearMonth(year: 2022, month: 1)!, .current) }.balances == january)
        #expect(try store.read { try $0.closingBalance(of: ResidentID("44030519500101001X")!, month: YearMonth(text: "2021-12")!) }
            == Money(fen: 50))
    }

    /// `GONGJI_MAIN_STORE=PATH swift test --filter LeanStoreTests`: a copy of
    /// a store an earlier gongji made (e.g. `gongji run` of main on
    /// SampleData or a city) is migrated, and every row of `month_balance`
    /// is the same before and after.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["GONGJI_MAIN_STORE"] != nil,
                   "runs on a store given by GONGJI_MAIN_STORE=PATH (a copy of one an earlier gongji made)"))
    func migratesAGivenStoreRowForRow() throws {
        let folder = try TemporaryFolder("store")
        defer { folder.remove() }
        let path = folder.path("gongji.sqlite")
        try FileManager.default.copyItem(atPath: ProcessInfo.processInfo.environment["GONGJI_MAIN_STORE"] ?? "", toPath: path)
        func digest(_ db: Database) throws -> (rows: Int, hash: Int) {
            var hasher = Hasher()
            var rows = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM month_balance ORDER BY month, person_id")
            while let row = try cursor.next() {
                hasher.combine(row)
                rows += 1
            }
            return (rows, hasher.finalize())
        }
        let queue = try DatabaseQueue(path: path)
        let before = try queue.read(digest)
        let inputs = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM input_content") }
        try queue.close()
        let store = try Store(path: path)
        #expect(try store.read { try digest($0.db) } == before)
        #expect(try store.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM input_content") } == inputs)
        print("migrated \(before.rows) rows of month_balance, \(inputs ?? 0) input parts")
    }
}
