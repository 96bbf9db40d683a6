import GongjiDomain

/// A month's account balances as the store keeps them: blocks of up to
/// `size` accounts in person-ID order, each one row of `month_balance_block`
/// whose `balances` column is a JSON array with one array per account:
///
///     [["440301198001010012","440300",123456,12345,0,0,135801,0,0,0,0], ...]
///
/// person_id, region_code, opening_fen, credits_fen, own_spending_fen,
/// shared_out_fen, closing_fen, transferred_out_fen, pot_deposits_fen,
/// pot_returned_fen, frozen_fen (the last four since store v4; an array
/// without them, from an older gongji, reads them as 0). The view `month_balance` spells the blocks
/// out as one row per account, so SQL sees the same table as before; gongji
/// itself reads the blocks with `decode`, which takes exactly this form and
/// nothing else (a million accounts in a fraction of a second, where the
/// view's rows took seconds).
///
/// Why blocks: a city's month is a million accounts, and a million INSERTs
/// took about 1 s of the store's time on this machine (with the month index,
/// 2 s), half of a monthly run's budget; a block of 65 536 accounts is one
/// INSERT of 4 MB of text, and the whole month about 0.2 s.
enum BalanceBlocks {
    static let size = 65_536

    /// Writes `balances` (in person-ID order) as blocks through `body(block, first, last, count, json)`.
    static func encode(_ balances: [AccountMonth],
                       _ body: (Int, ResidentID, ResidentID, Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var json: [UInt8] = []
        json.reserveCapacity(min(balances.count, size) * 64 + 2)
        var block = 0
        var start = 0
        while start < balances.count {
            let end = min(start + size, balances.count)
            json.removeAll(keepingCapacity: true)
            json.append(UInt8(ascii: "["))
            for index in start..<end {
                if index > start { json.append(UInt8(ascii: ",")) }
                append(balances[index], to: &json)
            }
            json.append(UInt8(ascii: "]"))
            try json.withUnsafeBufferPointer { bytes in
                try body(block, balances[start].person, balances[end - 1].person, end - start, bytes)
            }
            block += 1
            start = end
        }
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

    /// The accounts of one block, in its order. Nil unless `json` is exactly
    /// the form `encode` writes, with valid IDs and region codes and each
    /// closing balance equal to opening + credits − own spending − shared out.
    static func decode(_ json: UnsafeBufferPointer<UInt8>) -> [AccountMonth]? {
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
