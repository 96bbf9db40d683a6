import GongjiDomain

/// A month's account balances as the store keeps them: blocks of up to
/// `size` accounts in person-ID order, each one row of `month_balance_block`
/// whose `balances` column is a JSON array with one array per account:
///
///     [["440301198001010012","440300",123456,12345,0,0,135801], ...]
///
/// person_id, region_code, opening_fen, credits_fen, own_spending_fen,
/// shared_out_fen, closing_fen. The view `month_balance` spells the blocks
/// out as one row per account, so SQL sees the same table as before.
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
        let at = json.count
        json.append(contentsOf: repeatElement(0, count: 18))
        json.withUnsafeMutableBufferPointer { all in row.person.write(into: UnsafeMutableBufferPointer(rebasing: all[at..<at + 18])) }
        json.append(UInt8(ascii: "\""))
        json.append(UInt8(ascii: ","))
        json.append(UInt8(ascii: "\""))
        var divisor: UInt32 = 100_000  // a region code is six digits
        while divisor > 0 {
            json.append(UInt8(ascii: "0") + UInt8(row.region.value / divisor % 10))
            divisor /= 10
        }
        json.append(UInt8(ascii: "\""))
        appendInteger(row.opening.fen, to: &json)
        appendInteger(row.credits.fen, to: &json)
        appendInteger(row.ownSpending.fen, to: &json)
        appendInteger(row.sharedOut.fen, to: &json)
        appendInteger(row.closing.fen, to: &json)
        json.append(UInt8(ascii: "]"))
    }

    /// `,` and the integer.
    private static func appendInteger(_ value: Int64, to json: inout [UInt8]) {
        json.append(UInt8(ascii: ","))
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
}
