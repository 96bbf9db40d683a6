import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// The credits of one month, aggregated as rows stream in.
public struct MonthCredits: Sendable {
    public struct Group: Hashable, Sendable, Comparable {
        public var region: RegionCode
        public var band: String
        public static func < (lhs: Group, rhs: Group) -> Bool { (lhs.region, lhs.band) < (rhs.region, rhs.band) }
    }

    public struct Totals: Sendable {
        public var persons = 0
        public var base = Money.zero
        public var credit = Money.zero
    }

    struct GroupKey: Hashable {
        var region: RegionCode
        var band: Int
    }

    /// Credit per account, by dense person index; who had a roster row.
    public var column: CreditColumn
    /// Totals by group slot; `slots` gives each group its slot.
    var totals: [Totals] = []
    var slots: [GroupKey: Int] = [:]
    public var findings: [BaseFindingRow] = []

    init(count: Int) { column = CreditColumn(count: count) }

    mutating func slot(_ key: GroupKey) -> Int {
        if let known = slots[key] { return known }
        slots[key] = totals.count
        totals.append(Totals())
        return totals.count - 1
    }

    /// The totals by region and band label.
    func groups(labels: [String]) -> [Group: Totals] {
        var out: [Group: Totals] = [:]
        for (key, slot) in slots { out[Group(region: key.region, band: labels[key.band])] = totals[slot] }
        return out
    }
}

/// What the credit stage read and computed.
public struct CreditsResult: Sendable {
    public var persons = PersonTable()
    /// Opening balances by their day, with the persons' dense index.
    public var openings: [Day: [AccountLedger.Opening]] = [:]
    public var months: [YearMonth: MonthCredits] = [:]
    /// Band labels, indexed by the band numbers in `months`.
    public var bandLabels: [String] = []
    public var inputs: [Manifest.Input] = []
    public var rejects: [Reject] = []
}

/// persons.csv, opening-balances.csv and contributions/*.csv → credits.
/// Every row is accepted or rejected with file, line, column, reason and
/// the raw text; for each file read = accepted + rejected.
///
/// This is the hot path of a city's run: rows are read as byte views, IDs
/// and amounts are parsed from bytes, each person is a dense index, and a
/// region's credit rule is resolved once per month.
enum CreditsStage {
    static let personColumns = (["person_id", "region_code", "scheme"], ["name", "tier"])
    static let openingColumns = (["person_id", "as_of", "balance"], [String]())
    static let contributionColumns = (["person_id", "month", "region_code", "status"], ["base", "employer_id"])
    static let statusValues: [ContributionStatus] = [.inService, .retired]
    static let statuses = Choices(statusValues.map(\.rawValue))
    static let schemes = Choices(Scheme.allCases.map(\.rawValue))

    /// Work that needs only the persons (the family-sharing inputs), run
    /// beside the roster files when they are read on both cores. It reads
    /// with the console it is given and returns what it read, so that the
    /// stage tells its counts in order when it ran quietly.
    typealias Alongside = (PersonTable, Console) throws(RunError) -> [Manifest.Input]

    static func run(_ folder: DataFolder, thresholds: LoadedThresholds, encoding: TextEncoding,
                    console: Console, alongside: Alongside? = nil) throws(RunError) -> CreditsResult {
        var result = CreditsResult()
        let contributionFiles = folder.contributions()
        let personsURL = folder.persons
        guard FileManager.default.fileExists(atPath: personsURL.path) else {
            if !contributionFiles.isEmpty {
                throw RunError("persons.csv: missing: contribution rosters need the persons they name")
            }
            _ = try alongside?(result.persons, console)
            return result
        }
        let policy = thresholds.policy
        func record(_ read: (Manifest.Input, [Reject])) {
            result.inputs.append(read.0)
            result.rejects += read.1
        }
        struct PersonColumns { let id, region, scheme, name, tier: Column }
        // About 40 bytes a row: room for every person at once, no rehashing.
        result.persons.reserve(Int(DataFolder.size(of: personsURL)) / 40)
        var batch = PersonBatch(file: folder.name(of: personsURL))
        var late: [Reject] = []
        var knownRegion: RegionCode?
        record(try CSVInput.read(personsURL, folder, personColumns, encoding, console, columns: {
            PersonColumns(id: $0.column("person_id"), region: $0.column("region_code"), scheme: $0.column("scheme"),
                          name: $0.column("name"), tier: $0.column("tier"))
        }, sensitive: { row, c in Field.optional(row, c.name) }, finish: {
            late += batch.insert(into: &result.persons)
            return late
        }) { row, c throws(RowError) in
            let id = try Field.id(row, c.id)
            let region = try Field.region(row, c.region)
            if region != knownRegion {
                guard policy.regions[region] != nil else {
                    throw RowError(column: "region_code", "region \(region) is not in policy.yaml")
                }
                knownRegion = region
            }
            let scheme = Scheme.allCases[try Field.choice(row, c.scheme, schemes)]
            batch.append(Person(id: id, region: region, scheme: scheme), row, name: row.bytes(c.name))
            if batch.isFull { late += batch.insert(into: &result.persons) }
        })
        let openingsURL = folder.openingBalances
        let hasOpenings = FileManager.default.fileExists(atPath: openingsURL.path)
        // The opening balances, the roster files and the work alongside, on
        // the two cores: each lane takes the next task, and each lane has a
        // roster worker of its own. If the workers' results could depend on
        // the order (the same person and month in files of both), the files
        // are read again by one worker in order, so the outcome is always
        // the sequential one.
        let files = contributionFiles
        let persons = result.persons
        var outcome: Outcome?
        var alongsideRead: [Manifest.Input]?  // read quietly, told last
        if files.count + (hasOpenings ? 1 : 0) + (alongside == nil ? 0 : 1) >= 2 {
            (outcome, alongsideRead) = try readInParallel(files, openings: hasOpenings ? openingsURL : nil,
                                                          alongside: alongside, folder, encoding, console,
                                                          persons: persons, thresholds: thresholds)
        }
        if outcome == nil {
            let openings = hasOpenings ? try readOpenings(openingsURL, folder, encoding, console, persons: persons) : nil
            let worker = RosterWorker(persons: persons, thresholds: thresholds)
            var reads: [(Manifest.Input, [Reject])] = []
            for url in files { reads.append(try worker.read(url, folder, encoding, console)) }
            outcome = Outcome(worker: worker, openings: openings, reads: reads)
        }
        if let outcome {
            if let openings = outcome.openings {
                record(openings.read)
                result.openings = openings.byDay
            }
            for read in outcome.reads { record(read) }
            result.bandLabels = outcome.worker.bandLabels
            for (slot, month) in outcome.worker.monthList.enumerated() { result.months[month] = outcome.worker.months[slot] }
        }
        if let alongsideRead {
            for input in alongsideRead { tell(input, console) }
        } else {
            _ = try alongside?(persons, console)
        }
        return result
    }
}

/// Persons waiting to go into the person table, a few thousand at a time
/// (`PersonTable.insert(contentsOf:)`: one insert is a random access into a
/// table of 16 MB, and many at once wait for memory together). A person
/// already in the table is rejected as before, with its line and raw text,
/// kept here until then.
struct PersonBatch {
    let file: String
    private var persons: [Person] = []
    private var lines: [Int] = []
    /// Each row's raw bytes and then its name's, one after the other.
    private var text: [UInt8] = []
    private var ends: [(raw: Int, name: Int)] = []
    static let size = 4096

    init(file: String) { self.file = file }

    var isFull: Bool { persons.count >= PersonBatch.size }

    mutating func append(_ person: Person, _ row: CSVTableReader.Row, name: UnsafeBufferPointer<UInt8>) {
        persons.append(person)
        lines.append(row.line)
        text.append(contentsOf: row.rawBytes)
        let raw = text.count
        text.append(contentsOf: name)
        ends.append((raw, text.count))
    }

    /// Inserts the waiting persons in order; the rejects of those already there.
    mutating func insert(into table: inout PersonTable) -> [Reject] {
        let rejects = table.insert(contentsOf: persons).map { position in
            let (raw, name) = ends[position]
            let start = position == 0 ? 0 : ends[position - 1].name
            let nameText = String(decoding: text[raw..<name], as: UTF8.self)
            return Reject(file: file, line: lines[position], column: "person_id", error: "person_id appears on an earlier row",
                          raw: String(decoding: text[start..<raw], as: UTF8.self), sensitive: nameText.isEmpty ? [] : [nameText])
        }
        persons.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        return rejects
    }
}

extension MonthCredits {
    mutating func add(index: Int, amount: Money, group: Int, base: Money?) {
        column.set(index, amount.fen)
        totals[group].persons += 1
        totals[group].base += base ?? .zero
        totals[group].credit += amount
    }
}

/// Reads roster files into month credits. One worker's state is its own, so
/// two can read different files at once.
final class RosterWorker: @unchecked Sendable {  // one lane uses a worker at a time
    private(set) var state: RosterState

    init(persons: PersonTable, thresholds: LoadedThresholds) {
        state = RosterState(persons: persons, thresholds: thresholds)
    }

    var bandLabels: [String] { state.bandLabels }
    var months: [MonthCredits] { state.months }
    var monthList: [YearMonth] { state.monthList }

    func read(_ url: URL, _ folder: DataFolder, _ encoding: TextEncoding,
              _ console: Console) throws(RunError) -> (Manifest.Input, [Reject]) {
        // The rows go to a struct held in a local variable, not to the
        // class's property: then the compiler knows nothing else can reach
        // it during a row, and reads its arrays and tables without retaining
        // them (measured: retain and release were 10% of the credit stage).
        var rows = state.emptied()
        swap(&rows, &state)
        defer { swap(&rows, &state) }
        return try CSVInput.read(url, folder, CreditsStage.contributionColumns, encoding, console, columns: {
            RosterState.Columns(id: $0.column("person_id"), month: $0.column("month"), region: $0.column("region_code"),
                                status: $0.column("status"), base: $0.column("base"), employer: $0.column("employer_id"))
        }) { row, c throws(RowError) in try rows.accept(row, c) }
    }

    /// Takes in what `other` read from other files. False, and nothing
    /// changed, when the same person and month is in both: then which row
    /// is the later one depends on the file order, and the caller reads the
    /// files again in order.
    func merge(_ other: RosterWorker) -> Bool { state.merge(other.state) }
}

/// What a roster worker holds: the month credits so far, and the credit
/// rules it resolved.
struct RosterState {
    struct RuleKey: Hashable { var region: RegionCode; var month: YearMonth }
    struct Columns { let id, month, region, status, base, employer: Column }

    let persons: PersonTable
    let thresholds: LoadedThresholds
    private let statusValues = CreditsStage.statusValues
    private let statuses = CreditsStage.statuses
    private(set) var bandLabels: [String] = []
    private(set) var months: [MonthCredits] = []
    private(set) var monthList: [YearMonth] = []
    private var bandNumbers: [String: Int] = [:]
    private var monthSlots: [YearMonth: Int] = [:]
    private var tables: [RuleKey: (table: CreditTable, bands: [Int])] = [:]
    /// The rule of the last row's region and month (rows come grouped by
    /// month, mostly by region): its table, month slot and group slots.
    private var lastKey: RuleKey?
    private var lastTable: CreditTable?
    private var lastMonth = 0
    private var lastGroups: [Int] = []
    private var hint = 0

    init(persons: PersonTable, thresholds: LoadedThresholds) {
        self.persons = persons
        self.thresholds = thresholds
    }

    /// A state with nothing in it, to swap with.
    func emptied() -> RosterState { RosterState(persons: persons, thresholds: thresholds) }

    /// Makes the rule of `key` the current one.
    mutating func resolve(_ key: RuleKey) throws(RowError) {
        guard let region = thresholds.policy.regions[key.region] else {
            throw RowError(column: "region_code", "region \(key.region) is not in policy.yaml")
        }
        var entry = tables[key]
        if entry == nil {
            let series = region.credit.inForce(on: key.month.firstDay)?.rule.wageSeries ?? defaultWageSeries
            let wage = thresholds.wages.latest(region: region.code, series: series, atOrBefore: key.month.year - 1)
            do throws(CreditProblem) {
                let made = try CreditCalculator.table(region: region, month: key.month,
                                                      averageMonthlyWage: wage?.current.monthlyAverage)
                entry = (made, made.labels.map { bandNumber($0) })
                tables[key] = entry
            } catch {
                throw RowError(column: "month", error.description)
            }
        }
        guard let entry else { throw RowError(column: "month", "no credit rule") }
        let slot = monthSlot(key.month)
        lastGroups = entry.bands.map { months[slot].slot(MonthCredits.GroupKey(region: key.region, band: $0)) }
        lastMonth = slot
        lastTable = entry.table
        lastKey = key
    }

    mutating func bandNumber(_ label: String) -> Int {
        if let number = bandNumbers[label] { return number }
        bandNumbers[label] = bandLabels.count
        bandLabels.append(label)
        return bandLabels.count - 1
    }

    mutating func monthSlot(_ month: YearMonth) -> Int {
        if let known = monthSlots[month] { return known }
        monthSlots[month] = months.count
        months.append(MonthCredits(count: persons.count))
        monthList.append(month)
        return months.count - 1
    }

    mutating func accept(_ row: CSVTableReader.Row, _ c: Columns) throws(RowError) {
        let id = try Field.id(row, c.id)
        let month = try Field.month(row, c.month)
        let region = try Field.region(row, c.region)
        let status = statusValues[try Field.choice(row, c.status, statuses)]
        var base: Money?
        if !Field.isEmpty(row, c.base) {
            let amount = try Field.amount(row, c.base)
            if amount.fen < 0 { throw RowError(column: "base", "a base cannot be negative") }
            base = amount
        } else if status == .inService {
            throw RowError(column: "base", "base is required when status is in_service")
        }
        guard let index = persons.index(of: id.key, hint: hint) else {
            throw RowError(column: "person_id", "person is not in persons.csv")
        }
        hint = index + 1
        guard persons.schemes[index] == .employee else {
            throw RowError(column: "person_id", "person is in the resident scheme, which has no individual account")
        }
        let key = RuleKey(region: region, month: month)
        if key != lastKey { try resolve(key) }
        if months[lastMonth].column.present.contains(index) {
            throw RowError(column: "person_id", "person and month appear on an earlier row")
        }
        var found: (amount: Money, band: Int, finding: BaseFinding?)?
        do throws(CreditProblem) {
            found = try lastTable?.credit(status: status, age: id.age(onFirstDayOf: month), base: base)  // in place: no copy
        } catch {
            throw RowError(column: error == .missingBase ? "base" : (error == .notYetBorn ? "person_id" : "month"),
                           error.description)
        }
        guard let credit = found else { throw RowError(column: "month", "no credit rule") }
        months[lastMonth].add(index: index, amount: credit.amount, group: lastGroups[credit.band], base: base)
        if let finding = credit.finding {
            months[lastMonth].findings.append(BaseFindingRow(person: id, region: region, finding: finding))
        }
    }

    /// Takes in `other`'s months (see `RosterWorker.merge`).
    mutating func merge(_ other: RosterState) -> Bool {
        for (slot, month) in other.monthList.enumerated() {
            if let mine = monthSlots[month], months[mine].column.present.intersects(other.months[slot].column.present) {
                return false
            }
        }
        let bands = other.bandLabels.map { bandNumber($0) }
        for (slot, month) in other.monthList.enumerated() {
            let theirs = other.months[slot]
            let mine = monthSlot(month)
            months[mine].column.absorb(theirs.column)
            for (key, group) in theirs.slots {
                let target = months[mine].slot(MonthCredits.GroupKey(region: key.region, band: bands[key.band]))
                months[mine].totals[target].persons += theirs.totals[group].persons
                months[mine].totals[target].base += theirs.totals[group].base
                months[mine].totals[target].credit += theirs.totals[group].credit
            }
            months[mine].findings += theirs.findings
        }
        // The rule slots cached for the last row may point at groups of a month now merged: resolve anew.
        lastKey = nil
        return true
    }
}

extension CreditsStage {
    typealias Openings = (read: (Manifest.Input, [Reject]), byDay: [Day: [AccountLedger.Opening]])

    /// What the roster part of the stage gives.
    struct Outcome {
        var worker: RosterWorker
        var openings: Openings?
        var reads: [(Manifest.Input, [Reject])]
    }

    /// opening-balances.csv: balances by day, with the persons' dense index.
    static func readOpenings(_ url: URL, _ folder: DataFolder, _ encoding: TextEncoding, _ console: Console,
                             persons: PersonTable) throws(RunError) -> Openings {
        // The rows of one day (usually the only one) are gathered in `current`;
        // another day's rows go back to the dictionaries, so that a row costs
        // no dictionary access (measured: 5% of the credit stage).
        var byDay: [Day: (openings: [AccountLedger.Opening], seen: IndexSet64)] = [:]
        var day: Day?
        var openings: [AccountLedger.Opening] = []
        var seen = IndexSet64(count: 0)
        var hint = 0
        struct OpeningColumns { let id, asOf, balance: Column }
        let read = try CSVInput.read(url, folder, openingColumns, encoding, console, columns: {
            OpeningColumns(id: $0.column("person_id"), asOf: $0.column("as_of"), balance: $0.column("balance"))
        }) { row, c throws(RowError) in
            let id = try Field.id(row, c.id)
            guard let index = persons.index(of: id.key, hint: hint) else {
                throw RowError(column: "person_id", "person is not in persons.csv")
            }
            hint = index + 1
            let asOf = try Field.day(row, c.asOf)
            guard asOf.day == 1 else { throw RowError(column: "as_of", "as_of must be the first day of a month") }
            let balance = try Field.amount(row, c.balance)
            guard balance.fen >= 0 else { throw RowError(column: "balance", "a balance cannot be negative") }
            if day != asOf {
                if let day { byDay[day] = (openings, seen) }
                let earlier = byDay.removeValue(forKey: asOf)
                (day, openings, seen) = (asOf, earlier?.openings ?? [], earlier?.seen ?? IndexSet64(count: persons.count))
            }
            guard seen.insert(index) else {
                throw RowError(column: "as_of", "an opening balance for this person and day appears on an earlier row")
            }
            openings.append(.init(index: Int32(index), balance: balance))
        }
        if let day { byDay[day] = (openings, seen) }
        return (read, byDay.mapValues(\.openings))
    }

    /// Opening balances, the work alongside and the roster files on both
    /// cores: each lane takes the next task (the openings, the work
    /// alongside, then the files in order) with a roster worker of its own.
    /// Nil when the two workers' results overlap (see `RosterWorker.merge`):
    /// the caller then reads the roster files in order.
    static func readInParallel(_ files: [URL], openings: URL?, alongside: Alongside?, _ folder: DataFolder,
                               _ encoding: TextEncoding, _ console: Console, persons: PersonTable,
                               thresholds: LoadedThresholds) throws(RunError) -> (Outcome?, [Manifest.Input]) {
        enum Task: @unchecked Sendable { case openings(URL), alongside(Alongside), file(Int) }  // each runs on one lane
        let list: [Task] = (openings.map { [.openings($0)] } ?? []) + (alongside.map { [.alongside($0)] } ?? [])
            + files.indices.map { .file($0) }
        let workers = [RosterWorker(persons: persons, thresholds: thresholds),
                       RosterWorker(persons: persons, thresholds: thresholds)]
        // On a terminal the lanes' files make one progress line (everything
        // but persons.csv, read before).
        let shared = console.progress.map { display in
            let lanesRead = folder.csvInputs().filter { $0 != folder.persons }
            let bytes = lanesRead.reduce(Int64(0)) { $0 + DataFolder.size(of: $1) }
            return SharedProgress(display, label: "reading \(lanesRead.count) files on both cores", totalBytes: bytes)
        }
        let quiet = (0..<2).map { _ in
            Console(info: { _ in }, warning: console.warning, timing: nil, progress: shared?.lane())
        }
        let slots = ResultSlots(count: files.count)
        let openingSlot = OpeningSlot()
        let alongsideSlot = AlongsideSlot()
        let tasks = TaskCounter(count: list.count)
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            while let task = tasks.next() {
                switch list[task] {
                case let .openings(url):
                    do throws(RunError) {
                        openingSlot.value = .success(try readOpenings(url, folder, encoding, quiet[lane], persons: persons))
                    } catch {
                        openingSlot.value = .failure(error)
                        tasks.stop()
                    }
                case let .alongside(work):
                    do throws(RunError) {
                        alongsideSlot.value = .success(try work(persons, quiet[lane]))
                    } catch {
                        alongsideSlot.value = .failure(error)
                        tasks.stop()
                    }
                case let .file(index):
                    do throws(RunError) {
                        slots.set(index, .success(try workers[lane].read(files[index], folder, encoding, quiet[lane])))
                    } catch {
                        slots.set(index, .failure(error))
                        tasks.stop()
                    }
                }
            }
        }
        shared?.finish()
        // The first failure in task order is the one told.
        var opened: Openings?
        if openings != nil {
            guard let value = openingSlot.value else { throw RunError("opening-balances.csv: not read") }
            opened = try value.get()
        }
        var alongsideInputs: [Manifest.Input] = []
        if alongside != nil {
            guard let value = alongsideSlot.value else { throw RunError("the family-sharing inputs were not read") }
            alongsideInputs = try value.get()
        }
        var reads: [(Manifest.Input, [Reject])] = []
        for index in files.indices {
            guard let read = slots.get(index) else { throw RunError("\(folder.name(of: files[index])): not read") }
            reads.append(try read.get())
        }
        guard workers[0].merge(workers[1]) else { return (nil, alongsideInputs) }
        for read in (opened.map { [$0.read] } ?? []) + reads { tell(read.0, console) }
        return (Outcome(worker: workers[0], openings: opened, reads: reads), alongsideInputs)
    }

    static func tell(_ input: Manifest.Input, _ console: Console) {
        console.info("\(input.file): read \(input.read), accepted \(input.accepted), rejected \(input.rejected)")
    }

    /// The next task number for whichever lane asks, until all are taken.
    final class TaskCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var taken = 0
        private let count: Int
        init(count: Int) { self.count = count }
        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard taken < count else { return nil }
            taken += 1
            return taken - 1
        }
        func stop() {
            lock.lock()
            taken = count
            lock.unlock()
        }
    }

    final class OpeningSlot: @unchecked Sendable {
        var value: Result<Openings, RunError>?
    }

    final class AlongsideSlot: @unchecked Sendable {
        var value: Result<[Manifest.Input], RunError>?
    }

    /// Each file's result, filled in from either lane.
    final class ResultSlots: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Result<(Manifest.Input, [Reject]), RunError>?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Result<(Manifest.Input, [Reject]), RunError>) {
            lock.lock()
            values[index] = value
            lock.unlock()
        }
        func get(_ index: Int) -> Result<(Manifest.Input, [Reject]), RunError>? {
            lock.lock()
            defer { lock.unlock() }
            return values[index]
        }
    }
}
