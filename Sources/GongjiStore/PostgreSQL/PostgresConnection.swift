import CLibPQ
import Foundation

/// One connection to a PostgreSQL server through libpq (docs/store.md).
///
/// Why libpq (docs/store.md, "Why libpq"), measured on this project's
/// machine (2 cores, server and client on it, PostgreSQL 15, fsync off),
/// 1M balance-like rows (month, province, ID, region, 9 integers) in one
/// transaction:
///   libpq binary COPY                      490-520k rows/s (1.9-2.0 s)
///   libpq text COPY                        420-430k rows/s (2.3-2.4 s)
///   postgres-nio 1.33.2 text COPY (its only format, release build)
///                                          276-283k rows/s (3.5-3.6 s)
/// and the same million accounts as 16 balance blocks (`BalanceBlocks`) by
/// binary COPY: 0.5 s with lz4 TOAST compression, 1.7 s with the default
/// pglz. libpq is a Debian package CI installs in seconds and adds nothing
/// to the build; postgres-nio and its dependencies (SwiftNIO, BoringSSL)
/// took 383 s to build (release, from scratch) in a throwaway package, a
/// cost CI would pay on every run, for a slower COPY and an async API this
/// synchronous store thread would have to bridge.
///
/// Unsafe because libpq's C API is: the connection (`PQconnectdb`) is this
/// object's and is closed in `deinit`; every result is cleared before the
/// call that made it returns; no pointer libpq gives outlives that call.
final class PostgresConnection {
    let raw: OpaquePointer
    /// `user@host:port/db`, for messages: never the password.
    let display: String
    /// The password in use, to blank it out of any message libpq gives.
    private let secrets: [String]

    /// Connects to `uri` (a `postgresql://` URI; the password from the URI,
    /// PGPASSWORD or the password file, as libpq finds it). Throws one line
    /// that names host:port/db and says what to do.
    init(uri: String) throws(StoreError) {
        let target = PostgresURI(uri)
        // A server that does not answer is given up after 10 s, unless the URI says otherwise (its
        // values, expanded from `dbname`, come after these defaults and win).
        let keywords = ["connect_timeout", "fallback_application_name", "dbname"]
        let values = ["10", "gongji", uri]
        let connected = keywords.withCStrings { keywords in
            values.withCStrings { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let connection = connected else { throw StoreError("\(target.display): out of memory") }
        var secrets = [target.password, ProcessInfo.processInfo.environment["PGPASSWORD"]].compactMap { $0 }
        if let used = PQpass(connection) { secrets.append(String(cString: used)) }
        self.secrets = secrets.filter { $0.count >= 3 }
        // The values libpq used (the URI's, or its defaults and environment).
        func value(_ text: UnsafeMutablePointer<CChar>?) -> String? {
            text.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let host = value(PQhost(connection)) ?? target.host ?? "localhost"
        let port = value(PQport(connection)) ?? target.port ?? "5432"
        let database = value(PQdb(connection)) ?? target.database ?? "-"
        let user = value(PQuser(connection)) ?? target.user
        display = "postgresql://\(user.map { "\($0)@" } ?? "")\(host):\(port)/\(database)"
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.blank(String(cString: PQerrorMessage(connection)), secrets)
            PQfinish(connection)
            throw StoreError(Self.connectionFailure(message, host: host, port: port, database: database, user: user))
        }
        raw = connection
        // The server's notices (`... does not exist, skipping`) are not for the user: libpq would print them.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(raw) }

    /// The one line for a connection that failed: the server unreachable, the
    /// password refused, or the database missing, each with what to do.
    static func connectionFailure(_ message: String, host: String, port: String, database: String, user: String?) -> String {
        let lower = message.lowercased()
        let place = "\(host):\(port)/\(database)"
        if lower.contains("does not exist") && lower.contains("database") {
            return "\(place): the server has no database \"\(database)\": make it (createdb -h \(host) -p \(port) \(database)) or name another"
        }
        if lower.contains("password authentication failed") || lower.contains("no password supplied")
            || lower.contains("authentication failed") || lower.contains("no pg_hba.conf entry") {
            let who = user.map { "user \($0)" } ?? "the user"
            return "\(place): the server refused \(who) (wrong or missing password, or not allowed to connect): "
                + "give the password in PGPASSWORD or ~/.pgpass"
        }
        if lower.contains("connection refused") || lower.contains("could not translate host name") || lower.contains("timeout")
            || lower.contains("no route to host") || lower.contains("network is unreachable") || lower.contains("no such file") {
            return "\(place): cannot reach the PostgreSQL server at \(host):\(port): is it running, and is the address right?"
        }
        let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        return "\(place): cannot connect: \(line)"
    }

    /// `message` with every secret in it replaced.
    static func blank(_ message: String, _ secrets: [String]) -> String {
        secrets.filter { $0.count >= 3 }.reduce(message) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// libpq's last error, on one line, without any secret.
    var lastError: String { errorLine(String(cString: PQerrorMessage(raw))) }

    private func errorLine(_ text: String) -> String {
        Self.blank(text, secrets).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }

    // MARK: Statements

    /// A value for a statement's `$n`: text (or NULL), or bytes sent as binary (bytea).
    enum Value {
        case text(String?)
        case bytes(Data)

        static func int(_ value: Int64?) -> Value { .text(value.map(String.init)) }
    }

    /// Runs `sql` with `values` and returns its rows, as text (`nil` for NULL).
    @discardableResult
    func execute(_ sql: String, _ values: [Value] = []) throws(StoreError) -> [[String?]] {
        var rows: [[String?]] = []
        try query(sql, values) { row in rows.append((0..<row.count).map { row.text($0) }) }
        return rows
    }

    /// Runs `sql` and hands `body` its rows one at a time, without holding
    /// the whole result (libpq's single-row mode): a month's claims are a
    /// million rows.
    func query(_ sql: String, _ values: [Value] = [], binary: Bool = false, _ body: (Row) throws -> Void) throws(StoreError) {
        // Without values, the simple protocol, which takes several statements at once (the schema).
        let sent: Int32 = values.isEmpty && !binary ? PQsendQuery(raw, sql) : withParameters(values) { count, pointers, lengths, formats in
            PQsendQueryParams(raw, sql, count, nil, pointers, lengths, formats, binary ? 1 : 0)
        }
        guard sent == 1 else { throw StoreError(lastError) }
        PQsetSingleRowMode(raw)
        var failure: (any Error)?
        while let result = PQgetResult(raw) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            switch status {
            case PGRES_SINGLE_TUPLE:
                guard failure == nil else { continue }
                do { try body(Row(result: result)) } catch { failure = error }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                continue
            default:
                if failure == nil { failure = StoreError(errorLine(String(cString: PQresultErrorMessage(result)))) }
            }
        }
        if let failure { throw (failure as? StoreError) ?? StoreError("\(failure)") }
    }

    private func withParameters<T>(_ values: [Value],
                                   _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
                                            UnsafePointer<Int32>?) -> T) -> T {
        // Each value as bytes kept alive for the call; NULL as a nil pointer.
        let buffers: [Data?] = values.map { value in
            switch value {
            case let .text(text): text.map { Data($0.utf8) + Data([0]) }
            case let .bytes(data): data
            }
        }
        let lengths: [Int32] = values.enumerated().map { index, value in
            if case .bytes = value { return Int32(buffers[index]?.count ?? 0) }
            return 0
        }
        let formats: [Int32] = values.map { if case .bytes = $0 { 1 } else { 0 } }
        func go(_ index: Int, _ pointers: [UnsafePointer<CChar>?]) -> T {
            if index == buffers.count {
                return pointers.withUnsafeBufferPointer { pointers in
                    lengths.withUnsafeBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(Int32(values.count), pointers.baseAddress, lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
            guard let buffer = buffers[index] else { return go(index + 1, pointers + [nil]) }
            return buffer.withUnsafeBytes { bytes in
                // An empty bytea still needs a non-null pointer.
                let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                return go(index + 1, pointers + [base ?? UnsafePointer(bitPattern: 1)])
            }
        }
        return go(0, [])
    }

    /// One row of a result, valid only inside the call that hands it over.
    struct Row {
        let result: OpaquePointer
        var count: Int { Int(PQnfields(result)) }

        func isNull(_ column: Int) -> Bool { PQgetisnull(result, 0, Int32(column)) == 1 }

        func text(_ column: Int) -> String? {
            isNull(column) ? nil : String(cString: PQgetvalue(result, 0, Int32(column)))
        }

        func int(_ column: Int) -> Int64? { text(column).flatMap { Int64($0) } }

        /// The value's bytes (text, or binary with `binary:`).
        func bytes<T>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
            let length = Int(PQgetlength(result, 0, Int32(column)))
            let base = UnsafeRawPointer(PQgetvalue(result, 0, Int32(column)))?.assumingMemoryBound(to: UInt8.self)
            return try body(UnsafeBufferPointer(start: base, count: length))
        }
    }

    // MARK: COPY

    /// `COPY table (columns) FROM STDIN (FORMAT binary)`, with the rows
    /// `body` writes into a `CopyRows`; all or nothing.
    func copy(_ table: String, columns: [String], _ body: (inout CopyRows) throws -> Void) throws {
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN (FORMAT binary)"
        guard let started = PQexec(raw, sql) else { throw StoreError(lastError) }
        let status = PQresultStatus(started)
        let startError = String(cString: PQresultErrorMessage(started))
        PQclear(started)
        guard status == PGRES_COPY_IN else { throw StoreError(errorLine(startError)) }
        var rows = CopyRows(connection: self, columns: Int16(columns.count))
        do {
            try body(&rows)
            try rows.finish()
        } catch {
            _ = PQputCopyEnd(raw, "gongji stopped the copy")
            while let result = PQgetResult(raw) { PQclear(result) }
            throw error
        }
        guard PQputCopyEnd(raw, nil) == 1 else { throw StoreError(lastError) }
        var failure: String?
        while let result = PQgetResult(raw) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil {
                failure = errorLine(String(cString: PQresultErrorMessage(result)))
            }
            PQclear(result)
        }
        if let failure { throw StoreError(failure) }
    }

    fileprivate func send(_ bytes: [UInt8]) throws(StoreError) {
        let sent = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(raw, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else { throw StoreError(lastError) }
    }
}

/// Rows in PostgreSQL's binary COPY format: a header, then per row its field
/// count and each field as a length and bytes (big-endian), -1 for NULL.
/// Sent to the server in pieces of about 1 MiB.
struct CopyRows {
    private let connection: PostgresConnection
    private let columns: Int16
    private var buffer: [UInt8] = []
    private var fields: Int16 = 0
    private(set) var count = 0

    fileprivate init(connection: PostgresConnection, columns: Int16) {
        self.connection = connection
        self.columns = columns
        buffer.reserveCapacity(1 << 20 + 4096)
        buffer.append(contentsOf: Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00])
        append32(0)  // flags
        append32(0)  // header extension
    }

    private mutating func append16(_ value: Int16) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    private mutating func append32(_ value: Int32) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    /// Starts a row (the previous one must be whole).
    mutating func row() throws {
        if count > 0 { try check() }
        if buffer.count >= 1 << 20 {
            try connection.send(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        append16(columns)
        fields = 0
        count += 1
    }

    private func check() throws(StoreError) {
        guard fields == columns else { throw StoreError("a COPY row of \(fields) fields, not \(columns)") }
    }

    mutating func null() {
        append32(-1)
        fields += 1
    }

    mutating func int(_ value: Int64?) {
        guard let value else { return null() }
        append32(8)
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
        fields += 1
    }

    mutating func text(_ value: String?) {
        guard var value else { return null() }
        value.withUTF8 { text($0) }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        append32(Int32(bytes.count))
        buffer.append(contentsOf: bytes)
        fields += 1
    }

    /// Text that `write` appends in place (its length filled in after).
    mutating func text(_ write: (inout [UInt8]) -> Void) {
        let at = buffer.count
        append32(0)
        write(&buffer)
        let length = Int32(buffer.count - at - 4).bigEndian
        withUnsafeBytes(of: length) { bytes in
            for index in 0..<4 { buffer[at + index] = bytes[index] }
        }
        fields += 1
    }

    fileprivate mutating func finish() throws {
        if count > 0 { try check() }
        append16(-1)
        try connection.send(buffer)
        buffer.removeAll()
    }
}

/// A `postgresql://` (or `postgres://`) URI as the user gave it, taken
/// apart only to name it in messages without its password.
struct PostgresURI {
    var user: String?
    var password: String?
    var host: String?
    var port: String?
    var database: String?

    static func isURI(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    init(_ text: String) {
        guard let scheme = text.range(of: "://") else { return }
        var rest = Substring(text[scheme.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let slash = rest.firstIndex(of: "/") {
            database = String(rest[rest.index(after: slash)...]).removingPercentEncoding
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let info = rest[..<at]
            if let colon = info.firstIndex(of: ":") {
                user = String(info[..<colon]).removingPercentEncoding
                password = String(info[info.index(after: colon)...]).removingPercentEncoding
            } else {
                user = String(info).removingPercentEncoding
            }
            rest = rest[rest.index(after: at)...]
        }
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            port = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        host = rest.isEmpty ? nil : String(rest)
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "password": password = parts[1]
            case "user": user = parts[1]
            case "host": host = parts[1]
            case "port": port = parts[1]
            case "dbname": database = parts[1]
            default: break
            }
        }
        if database?.isEmpty == true { database = nil }
    }

    /// `postgresql://user@host:port/db`: what a message or a file may show.
    var display: String {
        "postgresql://\(user.map { "\($0)@" } ?? "")\(host ?? "localhost")\(port.map { ":\($0)" } ?? "")/\(database ?? "")"
    }

    /// The URI with its password (in the user part or `password=`) taken out.
    static func redacted(_ text: String) -> String {
        guard isURI(text) else { return text }
        var result = text
        if let scheme = result.range(of: "://") {
            let authorityEnd = result[scheme.upperBound...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? result.endIndex
            let authority = result[scheme.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result.removeSubrange(colon..<at)
            }
        }
        if let mark = result.firstIndex(of: "?") {
            let kept = result[result.index(after: mark)...].split(separator: "&").filter { !$0.hasPrefix("password=") }
            result = String(result[..<mark]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        return result
    }
}

extension Array where Element == String {
    /// The strings as a NULL-terminated array of C strings, for libpq's keyword and value lists.
    func withCStrings<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
