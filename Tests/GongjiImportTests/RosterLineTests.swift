import Foundation
import GongjiDomain
@testable import GongjiImport
import GongjiTestSupport
import Testing

/// `ContributionsRows.acceptLine`, the roster's shortcut for its usual row
/// (docs/architecture.md, "The roster's usual row"): it must take the rows
/// `accept` would take, with the same credits, and leave every other row to
/// `accept`, so that what a roster gives never depends on which of the two
/// read a row.
@Suite struct RosterLineTests {
    static let beijing: RegionPolicy = {
        let bands = AgeBands<Rate>([.init(fromAge: 0, value: Rate(text: "0.8%")!), .init(fromAge: 35, value: Rate(text: "1%")!),
                                    .init(fromAge: 45, value: Rate(text: "2%")!)])
        let retirees = AgeBands<Money>([.init(fromAge: 0, value: Money(yuan: 100)), .init(fromAge: 70, value: Money(yuan: 110))])
        let rule = CreditRule(personalRate: Rate(text: "2%")!, employerShare: bands, retireeMonthly: retirees,
                              baseFloor: Rate(text: "60%"), baseCap: Rate(text: "300%"))
        return RegionPolicy(code: RegionCode("110000")!, name: "北京市",
                            credit: DatedRules([Dated(from: Day(text: "2006-04-01")!, rule: rule)]))
    }()

    /// 200 persons born 1940-1999, every seventh in the resident scheme, and 20 IDs of nobody.
    static let ids: [ResidentID] = (0..<220).map { n in
        ResidentID(digits: UInt64("110105\(1940 + n % 60)0\(1 + n % 9)1\(n % 10)\(String(format: "%03d", n))")!)!
    }

    static func persons() -> PersonTable {
        PersonTable(ids.prefix(200).enumerated().map { n, id in
            Person(id: id, region: beijing.code, scheme: n % 7 == 3 ? .resident : .employee)
        })
    }

    static func book(_ persons: PersonTable) throws -> CreditBook {
        // A bulletin for 2021, so that bases outside 60%-300% of its wage give findings.
        let bulletin = WageBulletin(region: beijing.code, statYear: 2021, issued: Day(text: "2022-01-01")!, revision: 1,
                                    figures: [WageFigure(series: defaultWageSeries, monthly: Money(yuan: 10000), annual: nil)],
                                    origin: "test")
        return CreditBook(policy: Policy(regions: [beijing]), wages: try WageBook(bulletins: [bulletin]), count: persons.count)
    }

    static let window = DateWindow(first: Day(text: "2006-04-01")!, last: Day(text: "2023-12-31")!)
    static let usual = ["person_id", "month", "region_code", "status", "base", "employer_id"]

    /// A roster row: six fields (a field may hold a comma, making seven), its line end, and extra fields.
    struct Row {
        var fields: [String]
        var end = "\n"
        var extra: [String] = []
        var blank = false

        func line(_ order: [Int]) -> String {
            blank ? end : (order.map { fields[$0] } + extra).joined(separator: ",") + end
        }
    }

    /// The rows as a file with the `columns` in their usual order, where the
    /// shortcut reads, and as one with them in the `other` order, where
    /// only `accept` does.
    static func files(_ columns: [String], _ rows: [Row], other: [Int]) -> (usual: String, other: String) {
        let usual = Array(columns.indices)
        return (columns.joined(separator: ",") + "\n" + rows.map { $0.line(usual) }.joined(),
                other.map { columns[$0] }.joined(separator: ",") + "\n" + rows.map { $0.line(other) }.joined())
    }

    /// A person's ID, of the 220 (20 of nobody), now and then wrong: its
    /// check character, only 17 characters, a lower-case x.
    static func idText(_ random: inout SeededGenerator) -> String {
        let id = ids[random.below(ids.count)].text
        return switch random.below(30) {
        case 0: String(id.dropLast()) + (id.last == "0" ? "1" : "0")
        case 1: id.lowercased()
        case 2: String(id.prefix(17))
        default: id
        }
    }

    /// Mostly usual rows, and rows wrong in every way a field can be.
    static func rows(_ count: Int, seed: UInt64) -> [Row] {
        var random = SeededGenerator(state: seed)
        var rows: [Row] = []
        for _ in 0..<count {
            if random.below(40) == 0 {
                rows.append(Row(fields: [], blank: true))
                continue
            }
            if random.below(25) == 0, let earlier = rows.last(where: { !$0.blank }) {
                rows.append(earlier)  // the same person and month again
                continue
            }
            let id = ids[random.below(ids.count)].text
            let idText = switch random.below(30) {
            case 0: String(id.dropLast()) + (id.last == "0" ? "1" : "0")  // the check character wrong
            case 1: id.lowercased()
            case 2: " " + id
            case 3: String(id.prefix(17))
            case 4: "1.10105E+17"
            case 5: ""
            default: id
            }
            let month = switch random.below(30) {
            case 0: "2022-1"
            case 1: "2022/01"
            case 2: "1999-12"  // before the window
            case 3: "2024-01"  // after it
            case 4: "2022-13"
            default: "2022-" + String(format: "%02d", 1 + random.below(12))
            }
            let region = switch random.below(30) {
            case 0: "120000"  // not in the policy
            case 1: "11000"
            case 2: "11000a"
            case 3: ""
            default: "110000"
            }
            let status = switch random.below(30) {
            case 0: "In_service"
            case 1: ""
            case 2: "on_leave"
            case 3: "retired "
            default: random.below(2) == 0 ? "in_service" : "retired"
            }
            let amount = "\(random.below(70_000))"
            let base = switch random.below(30) {
            case 0...3: ""
            case 4: "-" + amount
            case 5: amount + ".123"
            case 6: "1,234.00"
            case 7: " " + amount
            case 8: amount + "."
            case 9: "99999999999999"
            case 10: "\"" + amount + "\""
            default: amount + (random.below(2) == 0 ? "" : "." + String(format: "%02d", random.below(100)))
            }
            let employer = switch random.below(30) {
            case 0...4: ""
            case 5: "\"E,01\""
            case 6: "单位一"
            case 7: "E\"1"
            case 8: "\"E01\""
            default: "E\(random.below(100))"
            }
            var row = Row(fields: [idText, month, region, status, base, employer])
            if random.below(20) == 0 { row.end = "\r\n" }
            if random.below(40) == 0 { row.extra = ["x"] }
            rows.append(row)
        }
        return rows
    }

    /// What a reading gives: the counts, each rejected row's line, column
    /// and reason, and every month's credits, groups and findings.
    struct Outcome: Equatable {
        var read: Int
        var rejects: [String]
        var credits: [String]
    }

    static func read(_ text: String, encoding: TextEncoding = .auto, persons: PersonTable) throws -> Outcome {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("roster.csv", text)
        let table = try CSVTableReader(path: path, name: "contributions/2022.csv", required: ContributionsRows.columns.required,
                                       optional: ContributionsRows.columns.optional, encoding: encoding)
        var rows = ContributionsRows(persons: persons, book: try book(persons), window: window)
        rows.use(table)
        let record = try rows.read(table)
        var credits: [String] = []
        let book = rows.book
        for (slot, month) in book.monthList.enumerated() {
            let posted = book.months[slot]
            for index in 0..<persons.count where posted.column.present.contains(index) {
                credits.append("\(month) \(persons.ids[index].text) \(posted.column[index])")
            }
            credits += posted.groups(labels: book.bandLabels).map { "\(month) \($0)" }
            credits += posted.findings.map { "\(month) \($0)" }
        }
        return Outcome(read: record.read, rejects: record.rejects.map { "\($0.line) \($0.column) \($0.reason)" },
                       credits: credits)
    }

    /// The same rows with the usual header (the shortcut reads them) and
    /// with the columns in another order (only `accept` does) give the same.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func theShortcutGivesWhatAcceptGives(seed: UInt64) throws {
        let persons = Self.persons()
        let rows = Self.rows(3000, seed: seed)
        let (first, second) = Self.files(Self.usual, rows, other: [3, 5, 1, 4, 0, 2])
        let fast = try Self.read(first, persons: persons), slow = try Self.read(second, persons: persons)
        #expect(fast.read == slow.read)
        #expect(fast.rejects == slow.rejects)
        #expect(fast.credits == slow.credits)
        // Neither outcome is trivial: rows of both kinds are there.
        #expect(fast.rejects.count > 500)
        #expect(fast.credits.count > 500)
    }

    /// Read in chunks (GB18030 is converted a chunk at a time), lines cut by a
    /// chunk's end go to `accept`; the outcome is the mapped file's.
    @Test func rowsAcrossChunksGiveTheSame() throws {
        let persons = Self.persons()
        var random = SeededGenerator(state: 9)
        let months = (1...12).map { "2022-" + ($0 < 10 ? "0\($0)" : "\($0)") }
        var lines: [String] = [Self.usual.joined(separator: ",")]
        var size = 0
        while size < (6 << 20) / 5 {  // past the end of the first chunk of 1 MiB
            let line = "\(Self.ids[random.below(200)].text),\(months[random.below(12)]),110000,in_service,\(random.below(90_000)).5,E\(lines.count)"
            size += line.utf8.count + 1
            lines.append(line)
        }
        let text = lines.joined(separator: "\n") + "\n"
        let mapped = try Self.read(text, persons: persons), chunked = try Self.read(text, encoding: .gb18030, persons: persons)
        #expect(mapped == chunked)
        #expect(mapped.read == lines.count - 1)
    }

    /// The shortcut itself: what it takes and what it leaves.
    @Test func takesTheUsualLineAndLeavesTheRest() throws {
        let persons = Self.persons()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("roster.csv", Self.usual.joined(separator: ",") + "\n")
        let table = try CSVTableReader(path: path, name: "r.csv", required: ContributionsRows.columns.required,
                                       optional: ContributionsRows.columns.optional)
        var rows = ContributionsRows(persons: persons, book: try Self.book(persons), window: Self.window)
        rows.use(table)
        func offer(_ line: String) -> Int {
            var bytes = Array(line.utf8)
            return bytes.withUnsafeMutableBufferPointer { rows.acceptLine(UnsafeBufferPointer($0), line: 2) }
        }
        let id = Self.ids[0].text, resident = Self.ids[3].text, nobody = Self.ids[210].text
        let taken = "\(id),2022-03,110000,in_service,8000.50,E1\n"
        // The whole line with its line end, and only that, even with the next row behind it.
        #expect(offer(taken + "\(id),2022-04,110000,retired,,E1\n") == taken.utf8.count)
        #expect(rows.book.credits(in: YearMonth(text: "2022-03")!)?.column[0] == 320_02)  // 4% of 8000.50 at 82: 2% and 2% from 45
        #expect(offer("\(id),2022-05,110000,retired,,\r\n") == "\(id),2022-05,110000,retired,,\r\n".utf8.count)
        #expect(rows.book.credits(in: YearMonth(text: "2022-05")!)?.column[0] == 110_00)  // a retiree of 70 and more
        for left in [
            taken,  // the same person and month again: `accept` says so
            "\(id),2022-06,110000,in_service,,E1\n",  // no base in service
            "\(id),2022-06,110000,in_service,-1,E1\n",
            "\(id),2022-06,120000,in_service,100,E1\n",  // a region not in the policy
            "\(id),2022-06,110000,in_service,100,\"E1\"\n",  // a quote
            "\(id),2022-06,110000,in_service,100,单位\n",  // beyond ASCII
            "\(id),2022-06,110000,in_service,100,E1,x\n",  // a seventh field
            "\(id),2022-06,110000,in_service,100,E1",  // no line end yet
            "\(resident),2022-06,110000,in_service,100,E1\n",
            "\(nobody),2022-06,110000,in_service,100,E1\n",
            "\(id),1999-06,110000,in_service,100,E1\n",  // outside the window
            "\(id.lowercased()),2022-06,110000,In_service,100,E1\n",
        ] {
            #expect(offer(left) == 0, "\(left)")
        }
        #expect(!rows.book.credited(0, in: YearMonth(text: "2022-06")!))
    }
}

/// `OpeningBalancesRows.acceptLine` the same way: the rows it takes are the
/// rows `accept` takes, with the same balances, whatever else is in the file.
@Suite struct OpeningLineTests {
    static let usual = ["person_id", "as_of", "balance"]

    static func rows(_ count: Int, seed: UInt64) -> [RosterLineTests.Row] {
        var random = SeededGenerator(state: seed)
        var rows: [RosterLineTests.Row] = []
        for _ in 0..<count {
            if random.below(40) == 0 {
                rows.append(RosterLineTests.Row(fields: [], blank: true))
                continue
            }
            if random.below(25) == 0, let earlier = rows.last(where: { !$0.blank }) {
                rows.append(earlier)  // the same person and day again
                continue
            }
            let idText = RosterLineTests.idText(&random)
            // Mostly one day, as a city's file; now and then another, a day not the first, or a day outside the window.
            let day = switch random.below(40) {
            case 0...2: "2022-02-01"
            case 3: "2022-01-15"
            case 4: "2022/01/01"
            case 5: "1999-01-01"
            case 6: "2022-1-01"
            default: "2022-01-01"
            }
            let balance = switch random.below(30) {
            case 0: ""
            case 1: "-5.00"
            case 2: "1,000.00"
            case 3: "12.345"
            case 4: "\"77.00\""
            case 5: "余额"
            default: "\(random.below(100_000)).\(random.below(10))\(random.below(10))"
            }
            var row = RosterLineTests.Row(fields: [idText, day, balance])
            if random.below(20) == 0 { row.end = "\r\n" }
            if random.below(50) == 0 { row.extra = ["x"] }
            rows.append(row)
        }
        return rows
    }

    static func read(_ text: String, persons: PersonTable) throws -> RosterLineTests.Outcome {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("opening-balances.csv", text)
        let table = try CSVTableReader(path: path, name: "opening-balances.csv", required: OpeningBalancesRows.columns.required,
                                       optional: [])
        var rows = OpeningBalancesRows(table: table, persons: persons, window: RosterLineTests.window)
        let record = try rows.read(table)
        let openings = rows.takeOpenings().sorted { $0.key < $1.key }.flatMap { day, list in
            list.map { "\(day) \(persons.ids[Int($0.index)].text) \($0.balance)" }
        }
        return RosterLineTests.Outcome(read: record.read, rejects: record.rejects.map { "\($0.line) \($0.column) \($0.reason)" },
                                       credits: openings)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theShortcutGivesWhatAcceptGives(seed: UInt64) throws {
        let persons = RosterLineTests.persons()
        let rows = Self.rows(3000, seed: seed)
        let (first, second) = RosterLineTests.files(Self.usual, rows, other: [2, 0, 1])
        let fast = try Self.read(first, persons: persons), slow = try Self.read(second, persons: persons)
        #expect(fast.read == slow.read)
        #expect(fast.rejects == slow.rejects)
        #expect(fast.credits == slow.credits)
        #expect(fast.rejects.count > 500)
        #expect(fast.credits.count > 150)
    }

    @Test func takesTheUsualLineOnceItsDayIsKnown() throws {
        let persons = RosterLineTests.persons()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("o.csv", Self.usual.joined(separator: ",") + "\n")
        let table = try CSVTableReader(path: path, name: "o.csv", required: OpeningBalancesRows.columns.required, optional: [])
        var rows = OpeningBalancesRows(table: table, persons: persons, window: RosterLineTests.window)
        func offer(_ line: String) -> Int {
            var bytes = Array(line.utf8)
            return bytes.withUnsafeMutableBufferPointer { rows.acceptLine(UnsafeBufferPointer($0), line: 2) }
        }
        let b = RosterLineTests.ids[1].text
        // No row of the day taken yet: left to `accept`.
        #expect(offer("\(b),2022-01-01,5.00\n") == 0)
        #expect(rows.takeOpenings().isEmpty)
    }
}

/// `PersonsRows.acceptLine` the same way: the persons it takes are the
/// persons `accept` takes, in the same order, with the same rejects.
@Suite struct PersonLineTests {
    static let usual = ["person_id", "name", "region_code", "scheme", "tier"]

    /// Rows as bytes: a name may hold bytes that are not UTF-8.
    static func rows(_ count: Int, seed: UInt64) -> [[[UInt8]]] {
        var random = SeededGenerator(state: seed)
        var rows: [[[UInt8]]] = []
        for _ in 0..<count {
            if random.below(25) == 0, let earlier = rows.last {
                rows.append(earlier)  // the same person again
                continue
            }
            let idText = RosterLineTests.idText(&random)
            let name: [UInt8] = switch random.below(12) {
            case 0: []
            case 1: Array("\"张,三\"".utf8)
            case 2: [0xE5, 0xBC, 0xA0, 0xFF]  // not UTF-8
            case 3: Array("O\"Neil".utf8)
            case 4...7: Array("张三".utf8)
            default: Array("Li Si".utf8)
            }
            let region = switch random.below(20) {
            case 0: "120000"  // not in the policy
            case 1: "11000"
            default: "110000"
            }
            let scheme = switch random.below(20) {
            case 0: "Employee"
            case 1: ""
            case 2...7: "resident"
            default: "employee"
            }
            let tier = switch random.below(20) {
            case 0: "一档"
            case 1: "1,2"
            default: "\(random.below(3))"
            }
            var row = [Array(idText.utf8), name, Array(region.utf8), Array(scheme.utf8), Array(tier.utf8)]
            if random.below(20) == 0 { row[4] += [13] }  // CRLF
            rows.append(row)
        }
        return rows
    }

    static func text(_ rows: [[[UInt8]]], order: [Int]) -> [UInt8] {
        var out = Array(order.map { usual[$0] }.joined(separator: ",").utf8) + [10]
        for row in rows {
            let last = row[4].last == 13
            var fields = row
            if last { fields[4].removeLast() }
            out += Array(order.map { fields[$0] }.joined(separator: [44]))
            out += last ? [13, 10] : [10]
        }
        return out
    }

    struct Outcome: Equatable {
        var read: Int
        var rejects: [String]
        var persons: [String]
    }

    static func read(_ bytes: [UInt8]) throws -> Outcome {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("persons.csv")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let table = try CSVTableReader(path: path, name: "persons.csv", required: PersonsRows.columns.required,
                                       optional: PersonsRows.columns.optional, encoding: .utf8)
        var rows = PersonsRows(table: table, policy: Policy(regions: [RosterLineTests.beijing]), expected: 100)
        let record = try rows.read(table)
        let persons = rows.persons
        return Outcome(read: record.read, rejects: record.rejects.map { "\($0.line) \($0.column) \($0.reason)" },
                       persons: (0..<persons.count).map { "\(persons.ids[$0].text) \(persons.regions[$0]) \(persons.schemes[$0])" })
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theShortcutGivesWhatAcceptGives(seed: UInt64) throws {
        let rows = Self.rows(2000, seed: seed)
        let fast = try Self.read(Self.text(rows, order: [0, 1, 2, 3, 4]))
        let slow = try Self.read(Self.text(rows, order: [3, 2, 4, 1, 0]))
        #expect(fast.read == slow.read)
        #expect(fast.rejects == slow.rejects)
        #expect(fast.persons == slow.persons)
        #expect(fast.rejects.count > 300)
        #expect(fast.persons.count > 150)
    }
}
