import Foundation
import GongjiDomain

/// What the jobs need of a store, whichever its kind (docs/store.md): the
/// embedded SQLite file (`Store`) or a PostgreSQL database
/// (`PostgresStore`), chosen by `--store` (`openStore`). Begin and finish a
/// run, keep its inputs, replace the bindings, thresholds and a month's
/// results in one transaction; read the months and thresholds back; settle
/// the publications runs left.
public protocol ResultStore: AnyObject, Sendable {
    /// What messages name: the file's path, or the server's URI without any password.
    var location: String { get }
    /// Whether this open made the store.
    var made: Bool { get }
    /// Runs `body` in one transaction: committed if it returns, rolled back
    /// if it throws. `scope`: the provinces whose rows the run replaces.
    func writing<T>(scope: ProvinceScope, _ body: (any StoreWriting) throws -> T) throws -> T
    /// Read-only access.
    func reading<T>(_ body: (any StoreReading) throws -> T) throws -> T
    /// The publications waiting, oldest first.
    func pendingPublications() throws -> [Store.Publication]
    /// The run's reports are in place: it is finished.
    func published(_ run: Int64, finishedAt: String) throws
    /// The run's reports are lost: the run stays unfinished in the log.
    func abandon(_ run: Int64) throws
    /// `error` in words a user can act on, on one line.
    func describe(_ error: any Error) -> String
}

/// Which provinces' rows a run replaces (docs/store.md, "Provinces"): every
/// province's, or only those listed (two-digit codes: 44 广东). Several
/// processes, each with its own provinces, may write one PostgreSQL store
/// at the same time.
public enum ProvinceScope: Hashable, Sendable {
    case all
    case only(Set<String>)

    /// Whether rows of `province` (two digits) are this scope's.
    public func contains(_ province: String) -> Bool {
        switch self {
        case .all: true
        case let .only(provinces): provinces.contains(province)
        }
    }
}

/// The writes of one store transaction.
public protocol StoreWriting {
    func beginRun(startedAt: String, command: String, dataFolder: String, version: String) throws -> Int64
    func finishRun(_ run: Int64, finishedAt: String, months: [YearMonth], inputs: [InputRecord]) throws
    func publish(_ publication: Store.Publication) throws
    func storeInput(sha256: String, contents: ((Data) throws -> Void) throws -> Void) throws
    /// `regionOf`: a person's region, for a store that files bindings and
    /// events by province (PostgreSQL); nil for a person it does not know.
    func replaceBindings(_ bindings: [Binding], events: [LifeEvent], regionOf: (ResidentID) -> RegionCode?) throws
    func replaceThresholds(_ periods: [ThresholdPeriod], keepBaseline: Bool) throws
    func replaceMonth(_ month: YearMonth, run: Int64, balances: AccountMonths, settlements: [ClaimSettlement],
                      clearing: [ClearingItem], earmarks: EarmarkMonth?, keepBaseline: Bool) throws
    /// `gongji audit`: replaces the month's findings (docs/audit.md, "In the store").
    func replaceFindings(_ month: YearMonth, run: Int64, findings: [AuditFinding],
                         detail: (AuditFinding) -> String, regionOf: (ResidentID) -> RegionCode?) throws
    func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth
    func thresholds(_ set: ResultSet) throws -> [ThresholdFigure]
    func settledMonths() throws -> [YearMonth]
}

/// The queries of a store.
public protocol StoreReading {
    func count(_ table: String) throws -> Int
    func input(sha256: String) throws -> Data
    func latestDigest(of file: String) throws -> String?
    func settledMonths() throws -> [YearMonth]
    func closingBalance(of person: ResidentID, month: YearMonth) throws -> Money?
    func runs() throws -> [StoredRun]
    func month(_ month: YearMonth, _ set: ResultSet) throws -> StoredMonth
    func thresholds(_ set: ResultSet) throws -> [ThresholdFigure]
    func statement(of person: ResidentID, from: YearMonth?, to: YearMonth?) throws -> PersonStatement?
}

/// Opens the store `location` names: a `postgresql://` URI, or the path of
/// an SQLite file. `readOnly`: a store that must exist and is not changed.
public func openStore(_ location: String, readOnly: Bool = false) throws(StoreError) -> any ResultStore {
    if PostgresStore.isURI(location) { return try PostgresStore(uri: location, readOnly: readOnly) }
    return try Store(path: location, readOnly: readOnly)
}

/// `location` fit for a message or a file: a URI without its password.
public func storeDisplay(_ location: String) -> String {
    PostgresStore.isURI(location) ? PostgresURI.redacted(location) : location
}

// MARK: The SQLite store as one kind

extension Store: ResultStore {
    public var location: String { path }

    /// A run of some provinces replaces only their rows (`StoreWriter.scope`).
    public func writing<T>(scope: ProvinceScope, _ body: (any StoreWriting) throws -> T) throws -> T {
        try transaction(scope: scope) { writer in try body(writer) }
    }

    public func reading<T>(_ body: (any StoreReading) throws -> T) throws -> T {
        try read { reader in try body(reader) }
    }

    public func describe(_ error: any Error) -> String { Store.describe(error, store: path) }
}

extension StoreWriter: StoreWriting {}

extension StoreReader: StoreReading {}
