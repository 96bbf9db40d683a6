import GongjiDomain
import Testing

@Suite struct ResidentIDTests {
    @Test func acceptsValidAndLowerCaseX() throws {
        #expect(try ResidentID(parsing: "11010519491231002X").text == "11010519491231002X")
        #expect(try ResidentID(parsing: "11010519491231002x").text == "11010519491231002X")
        #expect(try ResidentID(parsing: "11010519491231002X").birthDate == Day(text: "1949-12-31"))
    }

    @Test func makesTheCheckCharacterForSeventeenDigits() throws {
        #expect(ResidentID(digits: 11010519491231002)?.text == "11010519491231002X")
        #expect(ResidentID(digits: 44030519500101001) == ResidentID("44030519500101001X"))
        #expect(ResidentID(digits: 11010519491332002) == nil)  // month 13
        #expect(ResidentID(digits: 100_000_000_000_000_000) == nil)
    }

    @Test func convertsLegacy15Digits() throws {
        // 110105491231002 → 11010519491231002 + check character X
        #expect(try ResidentID(parsing: "110105491231002").text == "11010519491231002X")
    }

    @Test(arguments: [
        ("110105194912310021", "the check character is wrong (expected X)"),
        ("1101051949123100", "an ID has 18 characters (or 15 digits), not 16"),
        ("11010519491231002Y", "an ID has only digits and a final check character"),
        ("110105194902300020", "the birth date in the ID is not a real date"),
    ])
    func rejectsWithReason(text: String, reason: String) {
        #expect(throws: ResidentID.Problem.self) { try ResidentID(parsing: text) }
        do { _ = try ResidentID(parsing: text) } catch { #expect(error.description == reason) }
    }

    @Test func masksAndPacks() throws {
        let id = try ResidentID(parsing: "11010519491231002X")
        #expect(id.masked == "110105********002X")
        #expect("\(id)" == "110105********002X")
        #expect(id.key == 11_010_519_491_231_002 * 11 + 10)
    }
}

/// docs/rules.md section 3, conventions 1-3, with Beijing's rules, through
/// `CreditBook.post`: the path every roster row of a run takes.
@Suite struct CreditCalculatorTests {
    static let beijing: RegionPolicy = {
        let bands = AgeBands<Rate>([.init(fromAge: 0, value: Rate(text: "0.8%")!), .init(fromAge: 35, value: Rate(text: "1%")!),
                                    .init(fromAge: 45, value: Rate(text: "2%")!)])
        let retirees = AgeBands<Money>([.init(fromAge: 0, value: Money(yuan: 100)), .init(fromAge: 70, value: Money(yuan: 110))])
        let before = CreditRule(personalRate: Rate(text: "2%")!, employerShare: bands, retireeMonthly: retirees,
                                baseFloor: Rate(text: "60%"), baseCap: Rate(text: "300%"))
        var after = before
        after.employerShare = AgeBands([])
        return RegionPolicy(code: RegionCode("110000")!, name: "北京市",
                            credit: DatedRules([Dated(from: Day(text: "2006-04-01")!, rule: before),
                                                Dated(from: Day(text: "2022-09-01")!, rule: after)]))
    }()

    /// A person born on `birth` (YYYYMMDD) with a valid ID.
    func person(_ birth: String) -> ResidentID {
        let body = "110105\(birth)001"
        for check in ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X"] {
            if let id = ResidentID(body + check) { return id }
        }
        return ResidentID("11010519491231002X")!  // unreachable: one of the 11 characters is right
    }

    /// Posts one roster row to a `CreditBook`, as a run does, and reads the
    /// month's credit, band and finding back. `wage`: the previous
    /// statistical year's average monthly wage (a bulletin), which bounds the base.
    func credit(_ birth: String, _ month: String, status: ContributionStatus = .inService, base: String? = "10000",
                wage: Money? = nil) throws -> (amount: Money, band: String, finding: BaseFinding?) {
        let yearMonth = YearMonth(text: month)!
        let bulletins = wage.map { wage in
            [WageBulletin(region: Self.beijing.code, statYear: yearMonth.year - 1, issued: Day(text: "\(yearMonth.year)-01-01")!,
                          revision: 1, figures: [WageFigure(series: defaultWageSeries, monthly: wage, annual: nil)], origin: "test")]
        } ?? []
        var book = CreditBook(policy: Policy(regions: [Self.beijing]), wages: try WageBook(bulletins: bulletins), count: 1)
        try book.post(Contribution(person: person(birth), month: yearMonth, region: Self.beijing.code, status: status,
                                   base: base.flatMap { Money(yuanText: $0) }), index: 0)
        let posted = try #require(book.credits(in: yearMonth))
        let groups = posted.groups(labels: book.bandLabels).filter { $0.persons > 0 }  // every band of the rule has a group
        try #require(groups.count == 1)
        #expect(groups[0].creditTotal.fen == posted.column[0])
        return (Money(fen: posted.column[0]), groups[0].band, posted.findings.first?.finding)
    }

    @Test(arguments: [
        // birth date, month, band, credit in fen for base 10000
        ("19870701", "2022-07", "in_service 35-44", 30_000),  // 35 on the 1st: birthday counts
        ("19870702", "2022-07", "in_service 0-34", 28_000),   // turns 35 on the 2nd: still 34
        ("19770701", "2022-07", "in_service 45+", 40_000),    // 45 on the 1st
        ("19770702", "2022-07", "in_service 35-44", 30_000),
        ("19870701", "2022-09", "in_service all", 20_000),    // reform month: personal 2% only
        ("19870701", "2022-08", "in_service 35-44", 30_000),  // the month before the reform
    ] as [(String, String, String, Int64)])
    func ageBandsOnTheFirstOfTheMonth(birth: String, month: String, band: String, fen: Int64) throws {
        let result = try credit(birth, month)
        #expect(result.band == band)
        #expect(result.amount.fen == fen)
    }

    @Test(arguments: [("19520701", "retired 70+", 11_000), ("19520702", "retired 0-69", 10_000)] as [(String, String, Int64)])
    func retireesGetTheFixedAmount(birth: String, band: String, fen: Int64) throws {
        let result = try credit(birth, "2022-07", status: .retired, base: nil)
        #expect(result.band == band)
        #expect(result.amount.fen == fen)
    }

    @Test func roundsTheWholeCreditOnceHalfUp() throws {
        // 10003.75 × (2% + 0.8%) = 280.105 → 280.11 (banker's rounding or Double: 280.10)
        #expect(try credit("19900101", "2022-07", base: "10003.75").amount == Money(fen: 28_011))
    }

    @Test func baseOutsideTheBandIsAFindingNotAChange() throws {
        let wage = Money(yuan: 11_000)  // floor 6600.00, cap 33000.00
        let low = try credit("19900101", "2022-07", base: "6599.99", wage: wage)
        #expect(low.amount == Money(fen: 18_480))  // 6599.99 × 2.8% = 184.79972 → 184.80
        #expect(low.finding == BaseFinding(side: .belowFloor, base: Money(fen: 659_999), bound: Money(yuan: 6_600)))
        #expect(try credit("19900101", "2022-07", base: "6600", wage: wage).finding == nil)
        #expect(try credit("19900101", "2022-07", base: "33000", wage: wage).finding == nil)
        #expect(try credit("19900101", "2022-07", base: "33000.01", wage: wage).finding?.side == .aboveCap)
    }

    @Test func noRuleBeforeTheFirstDate() {
        #expect(throws: PostingProblem.credit(.noCreditRule(RegionCode("110000")!, YearMonth(text: "2006-03")!))) {
            try credit("19900101", "2006-03")
        }
    }

    /// A second row for the same person and month is refused, and the first stays.
    @Test func aPersonIsCreditedOnceAMonth() throws {
        var book = CreditBook(policy: Policy(regions: [Self.beijing]), wages: try WageBook(bulletins: []), count: 1)
        let row = Contribution(person: person("19900101"), month: YearMonth(text: "2022-07")!, region: Self.beijing.code,
                               status: .inService, base: Money(yuan: 10_000))
        try book.post(row, index: 0)
        #expect(throws: PostingProblem.repeated) { try book.post(row, index: 0) }
        #expect(book.credits(in: row.month)?.groups(labels: book.bandLabels).map(\.persons).reduce(0, +) == 1)
    }
}

/// Every way an ID is written is masked (issue 14): with separators, spaces,
/// dots, full-width digits, a lower-case x; what is not an ID stays.
@Suite struct MaskingTests {
    @Test(arguments: [
        ("110105195201174070", "110105********4070"),
        ("110105-19520117-4070", "110105********4070"),
        ("110105 1952 0117 4070", "110105********4070"),
        ("110105.19520117.4070", "110105********4070"),
        ("１１０１０５１９５２０１１７４０７０", "110105********4070"),
        ("11010519491231002x,B0001", "110105********002X,B0001"),
        ("C202206-0001,10.00", "C202206-****,10.00"),
        ("C202206-0001", "C202206-0001"),
        ("2022-06-30 10:00:00", "2022-06-30 10:00:00"),
        ("44030519900101123", "440305********1123"),
        ("a-1 b", "a-1 b"),
    ]) func masksIDsWrittenAnyWay(text: String, masked: String) {
        #expect(maskedIDs(text) == masked)
    }

    @Test(arguments: [
        ("110105-19520117-4070", "an ID is written without separators: this one has -, a space, a dot or a slash between its digits"),
        ("１１０１０５１９５２０１１７４０７０", "an ID is written in ASCII digits (0-9, and X): this one has a full-width digit or another character"),
        ("1101051952011740", "an ID has 18 characters (or 15 digits), not 16"),
    ]) func saysWhatIsWrongWithAnID(text: String, reason: String) {
        #expect(throws: ResidentID.Problem.self) { try ResidentID(parsing: text) }
        do { _ = try ResidentID(parsing: text) } catch { #expect(error.description == reason) }
    }
}

/// The months that wait to settle wait in a stash (`CreditBook.stash`):
/// what `take` gives back is what was posted, to the fen.
@Suite struct CreditStashTests {
    final class MemoryStash: CreditStash, @unchecked Sendable {
        var kept: [YearMonth: [UInt8]] = [:]
        func keep(_ bytes: [UInt8], for month: YearMonth) { kept[month] = bytes }
        func take(_ month: YearMonth) -> [UInt8] { kept.removeValue(forKey: month) ?? [] }
    }

    struct Posted: Equatable {
        var credits: [Int64?]
        var findings: [BaseFindingRow]
        var groups: [CreditGroupRow]
    }

    static let months = ["2022-07", "2022-08", "2022-09"].map { YearMonth(text: $0)! }

    /// Three persons over three months, with a base below the floor, one above the cap whose credit
    /// is beyond 32 bits (32,000,000.00 yuan in August), and a person without a row in August.
    static func book() throws -> CreditBook {
        let beijing = CreditCalculatorTests.beijing
        let bulletin = WageBulletin(region: beijing.code, statYear: 2021, issued: Day(text: "2022-01-01")!, revision: 1,
                                    figures: [WageFigure(series: defaultWageSeries, monthly: Money(yuan: 11_000), annual: nil)],
                                    origin: "test")
        var book = CreditBook(policy: Policy(regions: [beijing]), wages: try WageBook(bulletins: [bulletin]), count: 3)
        let ids = ["19900101", "19700101", "19870701"].map { CreditCalculatorTests().person($0) }
        for month in months {
            for (index, base) in ["6599.99", "800000000", "10003.75"].enumerated() {
                if index == 2, month == months[1] { continue }
                try book.post(Contribution(person: ids[index], month: month, region: beijing.code, status: .inService,
                                           base: Money(yuanText: base)), index: index)
            }
        }
        return book
    }

    static func posted(_ credits: MonthCredits?, _ book: CreditBook) -> Posted? {
        credits.map { credits in
            Posted(credits: (0..<3).map { credits.column.present.contains($0) ? credits.column[$0] : nil },
                   findings: credits.findings, groups: credits.groups(labels: book.bandLabels))
        }
    }

    @Test func takeGivesBackWhatWasPosted() throws {
        var book = try Self.book()
        let before = Self.months.map { Self.posted(book.credits(in: $0), book) }
        // 6599.99 × 2.8%, 800,000,000.00 × 4% (over 32 bits), no row; September: the reform's 2%.
        #expect(before[1]?.credits == [18_480, 3_200_000_000, nil])
        #expect(before[2]?.credits == [13_200, 1_600_000_000, 20_008])
        #expect(before[1]?.findings.map(\.finding.side) == [.belowFloor, .aboveCap])
        let stash = MemoryStash()
        try book.stash(into: stash, keeping: 1)
        #expect(stash.kept.keys.sorted() == Array(Self.months.dropFirst()))
        for (month, expected) in zip(Self.months, before) {
            #expect(Self.posted(try book.take(month), book) == expected)
        }
        #expect(stash.kept.isEmpty)
        #expect(try book.take(YearMonth(text: "2022-10")!) == nil)
    }

    @Test func damagedBytesAreAnErrorNotOtherCredits() throws {
        var book = try Self.book()
        let stash = MemoryStash()
        try book.stash(into: stash, keeping: 0)
        stash.kept[Self.months[0]]?.removeLast()
        #expect(throws: DamagedCredits.self) { try book.take(Self.months[0]) }
        stash.kept[Self.months[1]]?.append(0)
        #expect(throws: DamagedCredits.self) { try book.take(Self.months[1]) }
        // Whole bytes, but of a book of one person: not this book's three.
        var other = CreditBook(policy: book.policy, wages: book.wages, count: 1)
        try other.post(Contribution(person: CreditCalculatorTests().person("19900101"), month: Self.months[2],
                                    region: CreditCalculatorTests.beijing.code, status: .inService, base: Money(yuan: 10_000)),
                       index: 0)
        let small = MemoryStash()
        try other.stash(into: small, keeping: 0)
        stash.kept[Self.months[2]] = small.kept[Self.months[2]]
        #expect(throws: DamagedCredits.self) { try book.take(Self.months[2]) }
    }
}
