import Foundation
import GongjiDomain
import GongjiImport

/// Everything the data folder's CSV inputs give, read once: the domain
/// values settlement needs, and each file's counts and rejected rows.
struct Inputs: Sendable {
    var persons = PersonTable()
    /// Opening balances by their day, with the persons' dense index.
    var openings: [Day: [AccountLedger.Opening]] = [:]
    /// Every roster row's credit, by month.
    var credits: CreditBook
    var bindings: [Binding] = []
    var events: [LifeEvent] = []
    /// The accepted claims, by the month they occurred in (on disk until read).
    var claims: ClaimSpool
    /// Wallet transfers, quotas and pots.
    var earmarks = EarmarkInputs()
    /// Every file read, in reading order: persons, openings, rosters,
    /// bindings, events, usage, the earmark inputs.
    var files: [InputRecord] = []
    /// `--province`: the provinces read, and persons.csv's persons of the
    /// others (for the rows that name them); nil: every province.
    var filter: ProvinceFilter?
    /// With `filter`: the accepted rows that join two provinces, of any province.
    var ties: [ProvinceTie] = []

    /// The provinces the job takes; nil: every province.
    var selection: ProvinceSelection? { filter?.selection }

    /// Where a person is insured, of any province; nil: not in persons.csv.
    func region(of person: ResidentID) -> RegionCode? { Self.region(of: person, persons, filter?.others) }

    /// `region(of:)` holding the persons only, for work that outlives the
    /// inputs (the store's queue): a closure over `self` would hold every
    /// month's credits and the opening balances until the store ran it,
    /// 90 MB of a city year at the start of its settlement.
    var regions: @Sendable (ResidentID) -> RegionCode? {
        let persons = persons, others = filter?.others
        return { person in Self.region(of: person, persons, others) }
    }

    private static func region(of person: ResidentID, _ persons: PersonTable, _ others: PersonTable?) -> RegionCode? {
        if let index = persons.index(of: person.key) { return persons.regions[index] }
        if let others, let index = others.index(of: person.key) { return others.regions[index] }
        return nil
    }

    /// The bindings the store keeps for this job: all, or with `--province`
    /// those filed under its provinces (a binding under its beneficiary's,
    /// else its authorizer's; one between provinces, which the jobs of both
    /// keep, is stored by its beneficiary's, and one naming no person of
    /// persons.csv by a job of every province only).
    var storedBindings: [Binding] {
        guard let selection else { return bindings }
        return bindings.filter { binding in
            (region(of: binding.beneficiary) ?? region(of: binding.authorizer)).map(selection.contains) ?? false
        }
    }

    /// The events the store keeps for this job: all, or its provinces' persons'
    /// (not those of other provinces it read for their bindings).
    var storedEvents: [LifeEvent] {
        guard let selection else { return events }
        return events.filter { event in region(of: event.person).map(selection.contains) ?? false }
    }

    /// Every rejected row, file by file in reading order, each file's in line order.
    var rejects: [RejectedRow] { files.flatMap(\.rejects) }

    /// Every month that has a roster row, a claim, a transfer sent, a quota
    /// set or a pot deposit, in order (docs/formats.md, `run`). A month
    /// without any is not settled: accounts carry over it unchanged, and
    /// `gaps` names such months between the first and the last.
    var months: [YearMonth] {
        var all = Set(credits.monthList).union(claims.months)
        for transfer in earmarks.transfers { all.insert(YearMonth(transfer.sentAt.day)) }
        for quota in earmarks.quotas { all.insert(YearMonth(quota.setOn)) }
        for deposit in earmarks.deposits { all.insert(YearMonth(deposit.at.day)) }
        return all.sorted()
    }

    /// Runs of months without inputs between the first and the last month settled.
    static func gaps(in months: [YearMonth]) -> [ClosedRange<YearMonth>] {
        var gaps: [ClosedRange<YearMonth>] = []
        for (earlier, later) in zip(months, months.dropFirst()) where earlier.next < later {
            var last = earlier.next
            while last.next < later { last = last.next }
            gaps.append(earlier.next...last)
        }
        return gaps
    }
}

extension Day {
    /// Today in China Standard Time, where the agencies are.
    public static var todayInChina: Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day(ordinal: 0)
    }
}

/// The first stage of every job: the CSV inputs → `Inputs`. persons.csv is
/// read first (every other input names its persons); then the opening
/// balances, the family-sharing inputs and the roster files are read on both
/// cores, each lane with a roster reader of its own. If the two lanes'
/// rosters overlap (the same person and month in files of both), the roster
/// files are read again in order on one lane, so the outcome is always the
/// sequential one.
enum ReadInputs {
    /// `today` bounds the plausible dates (`DateWindow`): by default the day in China now.
    /// `selection` (`--province`): only those provinces' rows are taken,
    /// the others' counted as skipped (`ProvinceFilter`).
    static func run(_ folder: DataFolder, _ loaded: LoadedThresholds, encoding: TextEncoding, console: Console,
                    today: Day = .todayInChina, selection: ProvinceSelection? = nil) throws(RunError) -> Inputs {
        let window = DateWindow(policy: loaded.policy, today: today)
        var folder = folder
        folder.filtered = selection != nil
        let filter = selection.map { ProvinceFilter(selection: $0, policy: loaded.policy) }
        return try console.time("inputs and credits") { () throws(RunError) in
            try read(folder, loaded, encoding, console, window, filter)
        }
    }

    /// The family-sharing inputs, read on one lane.
    struct Sharing {
        var bindings: [Binding] = []
        var events: [LifeEvent] = []
        var claims: ClaimSpool
        var earmarks = EarmarkInputs()
        var files: [InputRecord] = []
        var ties: [ProvinceTie] = []
    }

    /// Opening balances, the sharing inputs, or one roster file: a lane's task.
    enum Task { case openings(URL), sharing, roster(Int) }
    enum Outcome: @unchecked Sendable {  // made on a lane, read after both lanes end
        case openings([Day: [AccountLedger.Opening]], InputRecord), sharing(Sharing), roster(InputRecord)
    }

    private static func read(_ folder: DataFolder, _ loaded: LoadedThresholds, _ encoding: TextEncoding,
                             _ console: Console, _ window: DateWindow, _ filter: ProvinceFilter?) throws(RunError) -> Inputs {
        let policy = loaded.policy
        let rosterFiles = folder.contributions()
        let openingsURL = folder.openingBalances
        let hasOpenings = FileManager.default.fileExists(atPath: openingsURL.path)
        guard FileManager.default.fileExists(atPath: folder.persons.path) else {
            if !rosterFiles.isEmpty {
                throw RunError("persons.csv: missing: contribution rosters need the persons they name")
            }
            if hasOpenings {
                throw RunError("persons.csv: missing: opening balances need the persons they name")
            }
            let sharing = try readSharing(folder, policy, PersonTable(), encoding, console, window, filter)
            return Inputs(credits: CreditBook(policy: policy, wages: loaded.wages, count: 0), bindings: sharing.bindings,
                          events: sharing.events, claims: sharing.claims, earmarks: sharing.earmarks, files: sharing.files,
                          filter: filter, ties: sharing.ties)
        }
        var files: [InputRecord] = []

        #if DEBUG
        if DataFolder.size(of: folder.persons) > 20 << 20 {
            console.warning("this is a debug build, many times slower on a city's data: build the release binary once "
                            + "(swift build -c release) and run .build/release/gongji")
        }
        #endif
        let (persons, filter) = try readPersons(folder, policy, encoding, console, filter, into: &files)
        let book = CreditBook(policy: policy, wages: loaded.wages, count: persons.count)
        var credits = book

        let tasks: [Task] = (hasOpenings ? [.openings(openingsURL)] : []) + [.sharing] + rosterFiles.indices.map { .roster($0) }
        var rosters: [InputRecord]?
        var openings: (byDay: [Day: [AccountLedger.Opening]], file: InputRecord)?
        var sharing: Sharing?
        var rosterTies: [ProvinceTie] = []
        if tasks.count >= 2 {
            let lanes = [RosterLane(persons: persons, book: book, window: window, filter: filter),
                         RosterLane(persons: persons, book: book, window: window, filter: filter)]
            // On a terminal the lanes' files make one progress line (everything but persons.csv, read before).
            let shared = console.progress.map { display in
                let files = folder.csvInputs().filter { $0 != folder.persons }
                let bytes = files.reduce(Int64(0)) { $0 + DataFolder.size(of: $1) }
                return SharedProgress(display, label: "reading \(files.count) files on both cores", totalBytes: bytes)
            }
            let quiet = (0..<2).map { _ in Console(info: { _ in }, warning: console.warning, timing: nil, progress: shared?.lane()) }
            let results = TwoLanes.run(tasks.count) { index, lane throws(RunError) -> Outcome in
                switch tasks[index] {
                case let .openings(url):
                    let read = try readOpenings(url, folder, persons, encoding, quiet[lane], window, filter)
                    return .openings(read.byDay, read.file)
                case .sharing:
                    return .sharing(try readSharing(folder, policy, persons, encoding, quiet[lane], window, filter))
                case let .roster(file):
                    return .roster(try lanes[lane].read(rosterFiles[file], folder, encoding, quiet[lane]))
                }
            }
            shared?.finish()
            // The first failure in task order is the one told.
            var read: [InputRecord] = []
            for (index, result) in results.enumerated() {
                guard let result else { throw RunError("\(describe(tasks[index], folder, rosterFiles)): not read") }
                switch try result.get() {
                case let .openings(byDay, file): openings = (byDay, file)
                case let .sharing(value): sharing = value
                case let .roster(file): read.append(file)
                }
            }
            if lanes[0].merge(lanes[1]) {
                credits = lanes[0].book
                rosterTies = lanes[0].ties + lanes[1].ties
                rosters = read
                for file in (openings.map { [$0.file] } ?? []) + read { CSVInput.tell(file, console) }
            }
        }
        if rosters == nil {
            // One lane, in order: no parallel read, or the lanes' rosters overlapped.
            openings = hasOpenings ? try readOpenings(openingsURL, folder, persons, encoding, console, window, filter) : nil
            let lane = RosterLane(persons: persons, book: book, window: window, filter: filter)
            rosters = try rosterFiles.map { url throws(RunError) in try lane.read(url, folder, encoding, console) }
            credits = lane.book
            rosterTies = lane.ties
        }
        files += (openings.map { [$0.file] } ?? []) + (rosters ?? [])
        if let sharing {
            for file in sharing.files { CSVInput.tell(file, console) }
        } else {
            sharing = try readSharing(folder, policy, persons, encoding, console, window, filter)
        }
        guard let sharing else { throw RunError("the family-sharing inputs were not read") }
        credits.sortFindings()
        return Inputs(persons: persons, openings: openings?.byDay ?? [:], credits: credits, bindings: sharing.bindings,
                      events: sharing.events, claims: sharing.claims, earmarks: sharing.earmarks, files: files + sharing.files,
                      filter: filter, ties: rosterTies + sharing.ties)
    }

    static func describe(_ task: Task, _ folder: DataFolder, _ rosters: [URL]) -> String {
        switch task {
        case .openings: "opening-balances.csv"
        case .sharing: "the family-sharing inputs"
        case let .roster(index): folder.name(of: rosters[index])
        }
    }

    /// persons.csv, first: every other input names its persons. (Its own
    /// function, so that the file is unmapped once read.) With `filter`
    /// (`--province`), the persons of other provinces go to its `others`.
    static func readPersons(_ folder: DataFolder, _ policy: Policy, _ encoding: TextEncoding, _ console: Console,
                            _ filter: ProvinceFilter?, into files: inout [InputRecord])
        throws(RunError) -> (PersonTable, ProvinceFilter?) {
        let table = try CSVInput.open(folder.persons, folder, PersonsRows.self, encoding, console)
        // About 40 bytes a row: room for every person at once, no rehashing (`trim` gives back what is left).
        var rows = PersonsRows(table: table, policy: policy, expected: Int(DataFolder.size(of: folder.persons)) / 40,
                               filter: filter)
        files.append(try CSVInput.read(table, folder.persons, folder, into: &rows, console))
        var persons = rows.persons
        persons.trim()
        return (persons, rows.filter)
    }

    static func readOpenings(_ url: URL, _ folder: DataFolder, _ persons: PersonTable, _ encoding: TextEncoding,
                             _ console: Console, _ window: DateWindow, _ filter: ProvinceFilter?)
        throws(RunError) -> (byDay: [Day: [AccountLedger.Opening]], file: InputRecord) {
        let table = try CSVInput.open(url, folder, OpeningBalancesRows.self, encoding, console)
        var rows = OpeningBalancesRows(table: table, persons: persons, window: window, filter: filter)
        let file = try CSVInput.read(table, url, folder, into: &rows, console)
        return (rows.takeOpenings(), file)
    }

    /// bindings.csv, events.csv, usage/*.csv and the earmark inputs (they need only the persons).
    static func readSharing(_ folder: DataFolder, _ policy: Policy, _ persons: PersonTable, _ encoding: TextEncoding,
                            _ console: Console, _ window: DateWindow, _ filter: ProvinceFilter?) throws(RunError) -> Sharing {
        var sharing = Sharing(claims: try ClaimSpool())
        var named: Set<UInt64> = []
        if FileManager.default.fileExists(atPath: folder.bindings.path) {
            let table = try CSVInput.open(folder.bindings, folder, BindingsRows.self, encoding, console)
            var rows = BindingsRows(table: table, window: window, persons: persons, filter: filter)
            sharing.files.append(try CSVInput.read(table, folder.bindings, folder, into: &rows, console))
            // At its size: grown row by row, a city's 100k bindings held 17 MB for 9 MB of them.
            sharing.bindings = rows.bindings.withUnsafeBufferPointer { Array($0) }
            named = rows.named
        }
        if FileManager.default.fileExists(atPath: folder.events.path) {
            let table = try CSVInput.open(folder.events, folder, EventsRows.self, encoding, console)
            var rows = EventsRows(table: table, window: window, persons: persons, filter: filter, named: named)
            sharing.files.append(try CSVInput.read(table, folder.events, folder, into: &rows, console))
            sharing.events = rows.events
        }
        let spool = sharing.claims
        // A claim row is some 80 bytes (claim ID, person, time, region, category, amount).
        let usageFiles = folder.usage()
        let expected = usageFiles.reduce(Int64(0)) { $0 + DataFolder.size(of: $1) } / 80
        var usage = UsageRows(policy: policy, persons: persons, window: window, filter: filter,
                              expected: Int(expected)) { claim in try spool.append(claim) }
        for url in usageFiles {
            let table = try CSVInput.open(url, folder, UsageRows.self, encoding, console)
            usage.use(table)
            sharing.files.append(try CSVInput.read(table, url, folder, into: &usage, console))
            // The claims could not be kept: the run stops.
            if let failure = usage.failure { throw failure as? RunError ?? RunError(Phrase(verbatim: "\(failure)")) }
        }
        try spool.finish()
        sharing.ties = usage.ties
        sharing.earmarks = try readEarmarks(folder, persons, encoding, console, window, filter, into: &sharing.files,
                                            ties: &sharing.ties)
        return sharing
    }

    /// wallet-transfers.csv, wallet-quotas.csv, pots.csv, pot-members.csv and
    /// pot-deposits.csv, each optional; pots.csv before the two that name its pots.
    static func readEarmarks(_ folder: DataFolder, _ persons: PersonTable, _ encoding: TextEncoding, _ console: Console,
                             _ window: DateWindow, _ filter: ProvinceFilter?, into files: inout [InputRecord],
                             ties: inout [ProvinceTie]) throws(RunError) -> EarmarkInputs {
        var earmarks = EarmarkInputs()
        var pots: [FamilyPot] = []  // every pot accepted, of any province: what members and deposits are checked against
        func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }
        if exists(folder.walletTransfers) {
            let table = try CSVInput.open(folder.walletTransfers, folder, WalletTransfersRows.self, encoding, console)
            var rows = WalletTransfersRows(table: table, persons: persons, window: window, filter: filter)
            files.append(try CSVInput.read(table, folder.walletTransfers, folder, into: &rows, console))
            earmarks.transfers = rows.transfers
            ties += rows.ties
        }
        if exists(folder.walletQuotas) {
            let table = try CSVInput.open(folder.walletQuotas, folder, WalletQuotasRows.self, encoding, console)
            var rows = WalletQuotasRows(table: table, persons: persons, window: window, filter: filter)
            files.append(try CSVInput.read(table, folder.walletQuotas, folder, into: &rows, console))
            earmarks.quotas = rows.quotas
            ties += rows.ties
        }
        if exists(folder.pots) {
            let table = try CSVInput.open(folder.pots, folder, PotsRows.self, encoding, console)
            var rows = PotsRows(table: table, persons: persons, window: window, filter: filter)
            files.append(try CSVInput.read(table, folder.pots, folder, into: &rows, console))
            earmarks.pots = rows.pots
            pots = rows.all
        }
        if exists(folder.potMembers) {
            let table = try CSVInput.open(folder.potMembers, folder, PotMembersRows.self, encoding, console)
            var rows = PotMembersRows(table: table, persons: persons, pots: pots, window: window, filter: filter)
            files.append(try CSVInput.read(table, folder.potMembers, folder, into: &rows, console))
            earmarks.members = rows.members
            ties += rows.ties
        }
        if exists(folder.potDeposits) {
            let table = try CSVInput.open(folder.potDeposits, folder, PotDepositsRows.self, encoding, console)
            var rows = PotDepositsRows(table: table, pots: pots, window: window, persons: persons, filter: filter)
            files.append(try CSVInput.read(table, folder.potDeposits, folder, into: &rows, console))
            earmarks.deposits = rows.deposits
        }
        return earmarks
    }
}

/// One lane's roster reader, with a credit book of its own, so that two
/// lanes can read different roster files at once.
final class RosterLane: @unchecked Sendable {  // one lane uses a reader at a time
    private var rows: ContributionsRows

    init(persons: PersonTable, book: CreditBook, window: DateWindow, filter: ProvinceFilter? = nil) {
        rows = ContributionsRows(persons: persons, book: book.emptied(), window: window, filter: filter)
    }

    var book: CreditBook { rows.book }
    var ties: [ProvinceTie] { rows.ties }

    func read(_ url: URL, _ folder: DataFolder, _ encoding: TextEncoding, _ console: Console) throws(RunError) -> InputRecord {
        // The rows go to a struct held in a local variable, not to the
        // class's property: then the compiler knows nothing else can reach
        // it during a row, and reads its arrays and tables without retaining
        // them (measured: retain and release were 10% of the credit stage).
        var local = ContributionsRows(persons: rows.persons, book: rows.book.emptied(), window: rows.window, filter: rows.filter)
        swap(&local, &rows)
        defer { swap(&local, &rows) }
        let table = try CSVInput.open(url, folder, ContributionsRows.self, encoding, console)
        local.use(table)
        return try CSVInput.read(table, url, folder, into: &local, console)
    }

    /// Takes in what `other` read (see `CreditBook.merge`): false, and
    /// nothing changed, when their rosters overlap.
    func merge(_ other: RosterLane) -> Bool {
        // A person and month owned by a rejected row on one lane and carried by a row of the other:
        // which row came first depends on the files' order, so the files are read again in order (rule R3).
        for (mine, theirs) in [(rows, other.rows), (other.rows, rows)] {
            for key in mine.rejectedOwners.keys
            where theirs.rejectedOwners[key] != nil || theirs.book.credited(key.index, in: key.month) {
                return false
            }
        }
        return rows.book.merge(other.rows.book)
    }
}
