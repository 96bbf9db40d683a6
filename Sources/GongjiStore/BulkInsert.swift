import CSQLite
import Foundation
import GRDB
import GongjiDomain

/// A prepared INSERT driven through SQLite's C API. GRDB builds an argument
/// array of enums for every row; at a million rows a table that cost more
/// than the rest of the run (measured: 8 s for 2M rows through
/// `Statement.execute(arguments:)`), so the store's bulk tables bind values
/// directly. Used only inside a GRDB transaction, on its connection.
///
/// Unsafe because SQLite's C API is: the statement is this object's (made
/// by `sqlite3_prepare_v2`, freed by `sqlite3_finalize` in `deinit`); the
/// connection is GRDB's and outlives it. Every text and blob is bound with
/// SQLITE_TRANSIENT, so SQLite copies the bytes before the call returns and
/// no pointer given to it outlives the call.
final class BulkInsert {
    private let statement: OpaquePointer
    private let connection: OpaquePointer
    @exclusivity(unchecked) private var column: Int32 = 0
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    /// The first bind that failed since the last `step` (its column and
    /// code): the row is not inserted, `step` throws. Checked as GRDB does,
    /// at the cost of one comparison a value.
    private var failedBind: (column: Int32, code: Int32)?
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw StoreError("the store is closed") }
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &prepared, nil) == SQLITE_OK, let prepared else {
            throw StoreError(String(cString: sqlite3_errmsg(connection)))
        }
        self.connection = connection
        statement = prepared
    }

    deinit { sqlite3_finalize(statement) }

    @discardableResult
    func int(_ value: Int64) -> Self {
        column += 1
        check(sqlite3_bind_int64(statement, column, value))
        return self
    }

    @discardableResult
    func int(_ value: Int64?) -> Self {
        guard let value else { return null() }
        return int(value)
    }

    @discardableResult
    func null() -> Self {
        column += 1
        check(sqlite3_bind_null(statement, column))
        return self
    }

    @discardableResult
    func text(_ value: String?) -> Self {
        guard var value else { return null() }
        column += 1
        value.withUTF8 { bytes in
            check(sqlite3_bind_text(statement, column, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                    Int32(bytes.count), Self.transient))
        }
        return self
    }

    /// UTF-8 text from bytes.
    @discardableResult
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Self {
        column += 1
        check(sqlite3_bind_text(statement, column, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                Int32(bytes.count), Self.transient))
        return self
    }

    @discardableResult
    func blob(_ data: Data) -> Self {
        column += 1
        data.withUnsafeBytes { bytes in
            check(sqlite3_bind_blob(statement, column, bytes.baseAddress, Int32(bytes.count), Self.transient))
        }
        return self
    }

    @discardableResult
    func blob(_ bytes: UnsafeBufferPointer<UInt8>) -> Self {
        column += 1
        check(sqlite3_bind_blob(statement, column, bytes.baseAddress, Int32(bytes.count), Self.transient))
        return self
    }

    /// An ID as its 18 characters, without making a String.
    @discardableResult
    func id(_ id: ResidentID) -> Self { text { id.append(to: &$0) } }

    /// A time as `YYYY-MM-DD HH:MM:SS`, without making a String.
    @discardableResult
    func timestamp(_ time: Timestamp) -> Self { text { time.append(to: &$0) } }

    /// A region code's six digits, without making a String.
    @discardableResult
    func region(_ code: RegionCode) -> Self { text { code.append(to: &$0) } }

    /// Text that `write` appends to a scratch buffer (SQLite copies it).
    private func text(_ write: (inout [UInt8]) -> Void) -> Self {
        scratch.removeAll(keepingCapacity: true)
        write(&scratch)
        scratch.withUnsafeBufferPointer { _ = text($0) }
        return self
    }

    private func check(_ code: Int32) {
        if code != SQLITE_OK && failedBind == nil { failedBind = (column, code) }
    }

    /// Runs the insert with the values bound since the last one.
    func step() throws {
        column = 0
        if let failed = failedBind {
            failedBind = nil
            sqlite3_clear_bindings(statement)
            throw StoreError("cannot bind value \(failed.column) of a row: \(String(cString: sqlite3_errstr(failed.code)))")
        }
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw StoreError(String(cString: sqlite3_errmsg(connection))) }
    }
}

