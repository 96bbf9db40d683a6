import Foundation
import GRDB
import GongjiDomain

/// A month's account balances as the store keeps them: blocks of up to
/// `size` accounts in person-ID order, each one row of `month_balance_block`
/// whose `balances` column is a blob in the lean form (store v7,
/// docs/store.md "Size"):
///
///     0x01, varint accounts, then per account:
///     flags (one byte), varint ID step, [varint region], zigzag opening,
///     then a zigzag varint for each amount its flag marks
///
/// - the ID step is the 17 digits of the first ID, then the difference to
///   the previous ID's digits (IDs rise, so it is at least 1; a 1M city's
///   IDs are about 20 apart: one byte). The check character is computed
///   again, as every stored ID is valid.
/// - the region is written when it differs from the previous account's
///   (flag `region`; always for the first account).
/// - credits, own spending, shared out, transferred out, pot deposits, pot
///   returned and frozen are written only when not zero (one flag each):
///   most accounts have credits and an opening balance and nothing else.
/// - the closing balance is not written: it is opening + credits − own
///   spending − shared out − transferred out − pot deposits + pot returned.
///
/// About 10 bytes an account-month, where the JSON text of stores v2 to v6
/// took about 65 (and its integers' digits were 9% of a run's instructions).
/// The view `month_balance` spells the blocks out as one row per account
/// through the SQL function `gongji_balances` (registered on every
/// connection gongji opens), which gives a block back as that JSON text;
/// gongji itself reads the blocks with `decode`, which takes exactly this
/// form (or the older JSON, `decodeJSON`) and nothing else.
///
/// Why blocks: a city's month is a million accounts, and a million INSERTs
/// took about 1 s of the store's time on this machine (with the month index,
/// 2 s), half of a monthly run's budget; a block of 65 536 accounts is one
/// INSERT of about 650 kB, and the whole month well under 0.1 s.
enum BalanceBlocks {
    static let size = 65_536
    /// The first byte of a block in the lean form; the JSON form starts with `[`.
    static let leanMark: UInt8 = 0x01

    /// Which of an account's values follow its ID step and opening balance.
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let region = Flags(rawValue: 1)
        static let credits = Flags(rawValue: 2)
        static let ownSpending = Flags(rawValue: 4)
        static let sharedOut = Flags(rawValue: 8)
        static let transferredOut = Flags(rawValue: 16)
        static let potDeposits = Flags(rawValue: 32)
        static let potReturned = Flags(rawValue: 64)
        static let frozen = Flags(rawValue: 128)
    }

    /// The most bytes one account takes: flags, ID step, region, eight zigzag amounts.
    private static let accountBound = 1 + 10 + 5 + 8 * 10

    /// Writes `balances` (in person-ID order) as blocks through `body(block, first, last, count, bytes)`.
    static func encode(_ balances: AccountMonths,
                       _ body: (Int, ResidentID, ResidentID, Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var buffer: [UInt8] = []
        var block = 0
        var start = 0
        while start < balances.count {
            let end = min(start + size, balances.count)
            let count = lean(count: end - start, into: &buffer) { each in balances.forEachRow(in: start..<end, each) }
            try buffer.withUnsafeBufferPointer { bytes in
                try body(block, balances[start].person, balances[end - 1].person, end - start,
                         UnsafeBufferPointer(rebasing: bytes[0..<count]))
            }
            block += 1
            start = end
        }
    }

    /// `rows` as one block in the lean form, in the first bytes of `buffer`
    /// (grown to hold them); returns how many.
    static func lean(_ rows: some Collection<AccountMonth>, into buffer: inout [UInt8]) -> Int {
        lean(count: rows.count, into: &buffer) { each in rows.forEach(each) }
    }

    /// The same for the `count` rows that `rows` hands its closure in order
    /// (a month's accounts: `AccountMonths.forEachRow`, the columns read in place).
    static func lean(count: Int, into buffer: inout [UInt8], _ rows: ((AccountMonth) -> Void) -> Void) -> Int {
        let bound = 1 + 10 + count * accountBound
        if buffer.count < bound { buffer = [UInt8](repeating: 0, count: bound) }
        return buffer.withUnsafeMutableBufferPointer { out in
            var writer = Writer(out: out)
            writer.byte(leanMark)
            writer.varint(UInt64(count))
            var previous: (digits: UInt64, region: UInt32) = (0, UInt32.max)
            var written = 0
            rows { row in
                writer.account(row, after: &previous)
                written += 1
            }
            precondition(written == count, "a block's rows are as many as it says")
            return writer.at
        }
    }

    /// Writes into a buffer known to be large enough (`accountBound` an account).
    private struct Writer {
        let out: UnsafeMutableBufferPointer<UInt8>
        var at = 0

        mutating func byte(_ value: UInt8) {
            out[at] = value
            at += 1
        }

        mutating func varint(_ value: UInt64) {
            var rest = value
            while rest >= 0x80 {
                out[at] = UInt8(truncatingIfNeeded: rest) | 0x80
                rest >>= 7
                at += 1
            }
            out[at] = UInt8(rest)
            at += 1
        }

        /// Small magnitudes of either sign in few bytes: 0, −1, 1, −2, ... → 0, 1, 2, 3, ...
        mutating func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

        mutating func account(_ row: AccountMonth, after previous: inout (digits: UInt64, region: UInt32)) {
            var flags: Flags = []
            if row.region.value != previous.region { flags.insert(.region) }
            if row.credits.fen != 0 { flags.insert(.credits) }
            if row.ownSpending.fen != 0 { flags.insert(.ownSpending) }
            if row.sharedOut.fen != 0 { flags.insert(.sharedOut) }
            if row.transferredOut.fen != 0 { flags.insert(.transferredOut) }
            if row.potDeposits.fen != 0 { flags.insert(.potDeposits) }
            if row.potReturned.fen != 0 { flags.insert(.potReturned) }
            if row.frozen.fen != 0 { flags.insert(.frozen) }
            byte(flags.rawValue)
            let digits = row.person.key / 11
            varint(digits &- previous.digits)
            if flags.contains(.region) { varint(UInt64(row.region.value)) }
            zigzag(row.opening.fen)
            if flags.contains(.credits) { zigzag(row.credits.fen) }
            if flags.contains(.ownSpending) { zigzag(row.ownSpending.fen) }
            if flags.contains(.sharedOut) { zigzag(row.sharedOut.fen) }
            if flags.contains(.transferredOut) { zigzag(row.transferredOut.fen) }
            if flags.contains(.potDeposits) { zigzag(row.potDeposits.fen) }
            if flags.contains(.potReturned) { zigzag(row.potReturned.fen) }
            if flags.contains(.frozen) { zigzag(row.frozen.fen) }
            previous = (digits, row.region.value)
        }
    }

    /// The accounts of one block, in its order: the lean form `encode`
    /// writes, or the JSON of stores v2 to v6 (`decodeJSON`). Nil unless the
    /// bytes are exactly one of them, with valid IDs in rising order, valid
    /// region codes and amounts that fit.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> [AccountMonth]? {
        guard let first = bytes.first else { return nil }
        return first == leanMark ? decodeLean(bytes) : decodeJSON(bytes)
    }

    private static func decodeLean(_ bytes: UnsafeBufferPointer<UInt8>) -> [AccountMonth]? {
        var reader = LeanReader(bytes: bytes, at: 1)
        // Each account takes at least three bytes: a count beyond that is not this form.
        guard let count = reader.varint(), count <= UInt64(bytes.count / 3) else { return nil }
        var rows: [AccountMonth] = []
        rows.reserveCapacity(Int(count))
        var digits: UInt64 = 0
        var region: RegionCode?
        for _ in 0..<Int(count) {
            guard let raw = reader.byte(), let step = reader.varint() else { return nil }
            let flags = Flags(rawValue: raw)
            // IDs rise: a step of 0 (or one past 17 digits) is not a block gongji wrote.
            let (sum, overflow) = digits.addingReportingOverflow(step)
            guard step > 0, !overflow, let person = ResidentID(digits: sum) else { return nil }
            digits = sum
            if flags.contains(.region) {
                // Written only when it changes.
                guard let value = reader.varint(), value < 1_000_000, let code = RegionCode(value: UInt32(value)),
                      code != region else { return nil }
                region = code
            }
            guard let region, let opening = reader.zigzag() else { return nil }
            // The amounts the flags mark, in the flags' order; a marked amount is never 0.
            var amounts: (Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0)
            let complete = withUnsafeMutableBytes(of: &amounts) { raw -> Bool in
                let values = raw.bindMemory(to: Int64.self)
                for bit in 1..<8 where flags.rawValue & (UInt8(1) << bit) != 0 {
                    guard let value = reader.zigzag(), value != 0 else { return false }
                    values[bit - 1] = value
                }
                return true
            }
            guard complete else { return nil }
            rows.append(AccountMonth(person: person, region: region, opening: Money(fen: opening), credits: Money(fen: amounts.0),
                                     ownSpending: Money(fen: amounts.1), sharedOut: Money(fen: amounts.2),
                                     transferredOut: Money(fen: amounts.3), potDeposits: Money(fen: amounts.4),
                                     potReturned: Money(fen: amounts.5), frozen: Money(fen: amounts.6)))
        }
        return reader.atEnd ? rows : nil
    }

    private struct LeanReader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at: Int

        var atEnd: Bool { at == bytes.count }

        mutating func byte() -> UInt8? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            return bytes[at]
        }

        /// At most ten bytes, the last one within 64 bits.
        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while at < bytes.count {
                let byte = bytes[at]
                at += 1
                guard shift < 63 || byte <= 1 else { return nil }
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func zigzag() -> Int64? {
            guard let value = varint() else { return nil }
            return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
        }
    }

    // MARK: The JSON form (stores v2 to v6), and the view's text

    /// Writes `balances` (in person-ID order) as blocks of JSON text through
    /// `body(block, first, last, count, json)`: the form of SQLite stores v2
    /// to v6, which the PostgreSQL store keeps (its views read the JSON, and
    /// its TOAST compression keeps it small).
    static func encodeJSON(_ balances: AccountMonths,
                           _ body: (Int, ResidentID, ResidentID, Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var block = 0
        var start = 0
        while start < balances.count {
            let end = min(start + size, balances.count)
            let text = json(balances[start..<end])
            try text.withUnsafeBufferPointer { bytes in
                try body(block, balances[start].person, balances[end - 1].person, end - start, bytes)
            }
            block += 1
            start = end
        }
    }

    /// One block's accounts as the JSON text of stores v2 to v6, which the
    /// view `month_balance` spells out (`gongji_balances`):
    ///
    ///     [["440301198001010012","440300",123456,12345,0,0,135801,0,0,0,0], ...]
    ///
    /// person_id, region_code, opening_fen, credits_fen, own_spending_fen,
    /// shared_out_fen, closing_fen, transferred_out_fen, pot_deposits_fen,
    /// pot_returned_fen, frozen_fen.
    static func json(_ rows: some Collection<AccountMonth>) -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(rows.count * 64 + 2)
        json.append(UInt8(ascii: "["))
        for (index, row) in rows.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            append(row, to: &json)
        }
        json.append(UInt8(ascii: "]"))
        return json
    }

    private static func append(_ row: AccountMonth, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "["))
        json.append(UInt8(ascii: "\""))
        row.person.append(to: &json)
        json.append(UInt8(ascii: "\""))
        json.append(UInt8(ascii: ","))
        json.append(UInt8(ascii: "\""))
        row.region.append(to: &json)
        json.append(UInt8(ascii: "\""))
        appendInteger(row.opening.fen, to: &json)
        appendInteger(row.credits.fen, to: &json)
        appendInteger(row.ownSpending.fen, to: &json)
        appendInteger(row.sharedOut.fen, to: &json)
        appendInteger(row.closing.fen, to: &json)
        appendInteger(row.transferredOut.fen, to: &json)
        appendInteger(row.potDeposits.fen, to: &json)
        appendInteger(row.potReturned.fen, to: &json)
        appendInteger(row.frozen.fen, to: &json)
        json.append(UInt8(ascii: "]"))
    }

    /// `,` and the integer.
    private static func appendInteger(_ value: Int64, to json: inout [UInt8]) {
        json.append(UInt8(ascii: ","))
        if value == 0 { return json.append(UInt8(ascii: "0")) }  // most earmark columns
        if value < 0 { json.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, most significant last
        let count = withUnsafeMutableBytes(of: &digits) { raw -> Int in
            var count = 0
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            return count
        }
        withUnsafeBytes(of: &digits) { raw in
            for index in stride(from: count - 1, through: 0, by: -1) { json.append(raw[index]) }
        }
    }

    /// The accounts of one block in the JSON form of stores v2 to v6 (read
    /// when a store is migrated to v7): nil unless `json` is exactly that
    /// form, with valid IDs and region codes and each closing balance equal
    /// to opening + credits − own spending − shared out (− transferred out −
    /// pot deposits + pot returned, since v4; an array of a store before v4
    /// has the first seven numbers, and the last four read as 0).
    static func decodeJSON(_ json: UnsafeBufferPointer<UInt8>) -> [AccountMonth]? {
        var reader = Reader(bytes: json)
        var rows: [AccountMonth] = []
        guard reader.take(UInt8(ascii: "[")) else { return nil }
        if reader.take(UInt8(ascii: "]")) { return reader.atEnd ? rows : nil }
        repeat {
            guard reader.take(UInt8(ascii: "[")), let id = reader.string(count: 18), let region = reader.string(count: 6),
                  let person = try? ResidentID(bytes: id.span), let code = RegionCode(bytes: region.span) else { return nil }
            var amounts: [Int64] = []
            while amounts.count < 9, reader.take(UInt8(ascii: ",")) {
                guard let value = reader.integer() else { return nil }
                amounts.append(value)
            }
            guard amounts.count == 5 || amounts.count == 9 else { return nil }
            if amounts.count == 5 { amounts += [0, 0, 0, 0] }
            let row = AccountMonth(person: person, region: code, opening: Money(fen: amounts[0]), credits: Money(fen: amounts[1]),
                                   ownSpending: Money(fen: amounts[2]), sharedOut: Money(fen: amounts[3]),
                                   transferredOut: Money(fen: amounts[5]), potDeposits: Money(fen: amounts[6]),
                                   potReturned: Money(fen: amounts[7]), frozen: Money(fen: amounts[8]))
            guard reader.take(UInt8(ascii: "]")), row.closing.fen == amounts[4] else { return nil }
            rows.append(row)
        } while reader.take(UInt8(ascii: ","))
        return reader.take(UInt8(ascii: "]")) && reader.atEnd ? rows : nil
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        var atEnd: Bool { at == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        /// `"…"` of exactly `count` bytes (after a `,` unless it opens an account).
        mutating func string(count: Int) -> UnsafeBufferPointer<UInt8>? {
            if at > 0, bytes[at - 1] != UInt8(ascii: "[") { guard take(UInt8(ascii: ",")) else { return nil } }
            guard take(UInt8(ascii: "\"")), at + count < bytes.count, bytes[at + count] == UInt8(ascii: "\"") else { return nil }
            defer { at += count + 1 }
            return UnsafeBufferPointer(rebasing: bytes[at..<at + count])
        }

        mutating func integer() -> Int64? {
            let negative = take(UInt8(ascii: "-"))
            var value: Int64 = 0
            var digits = 0
            while at < bytes.count, case let digit = bytes[at] &- UInt8(ascii: "0"), digit < 10 {
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow, digits < 19 else { return nil }
                value = times + Int64(digit)
                digits += 1
                at += 1
            }
            return digits == 0 ? nil : (negative ? -value : value)
        }
    }
}

// MARK: In SQL

extension BalanceBlocks {
    /// `gongji_balances(balances)`: a block as the JSON text the view
    /// `month_balance` spells out with `json_each` (`json`). Registered on
    /// every connection gongji opens (`Store`); the `sqlite3` shell does not
    /// know it (docs/store.md, "Size"). A block still in the JSON form is
    /// given back as it is.
    static let sqlFunction = DatabaseFunction("gongji_balances", argumentCount: 1, pure: true) { values -> String? in
        switch values[0].storage {
        case .null:
            return nil
        case let .string(text):
            return text
        case let .blob(data):
            let rows = data.withUnsafeBytes { decode($0.bindMemory(to: UInt8.self)) }
            guard let rows else { throw StoreError("month_balance_block: a block not in the form gongji writes") }
            return String(decoding: json(rows[...]), as: UTF8.self)
        default:
            throw StoreError("month_balance_block: a block not in the form gongji writes")
        }
    }

    /// `gongji_lean_balances(balances)`: a JSON block of stores v2 to v6 in
    /// the lean form, for the migration to v7; a lean block stays as it is.
    static let migrationFunction = DatabaseFunction("gongji_lean_balances", argumentCount: 1, pure: true) { values -> Data? in
        let rows: [AccountMonth]?
        switch values[0].storage {
        case .null:
            return nil
        case let .string(text):
            var text = text
            rows = text.withUTF8 { decodeJSON($0) }
        case let .blob(data):
            if data.first == leanMark, data.withUnsafeBytes({ decode($0.bindMemory(to: UInt8.self)) }) != nil { return data }
            rows = data.withUnsafeBytes { decodeJSON($0.bindMemory(to: UInt8.self)) }
        default:
            rows = nil
        }
        // A block gongji cannot read stops the migration, and the store stays as it was.
        guard let rows else { throw StoreError("month_balance_block: a block not in the form gongji wrote: not migrated") }
        var buffer: [UInt8] = []
        let count = lean(rows[...], into: &buffer)
        return Data(buffer[0..<count])
    }
}
