import Testing
@testable import GongjiDomain

/// An 18-character ID is parsed eight digits at a time (`ResidentID.init(buffer:)`).
/// These tests hold it to the rule written out one digit at a time: every byte
/// of every position, and IDs with every check character.
@Suite struct ResidentIDParsingTests {
    /// GB 11643 one digit at a time: 17 ASCII digits, then a digit, `X` or `x`
    /// that the ISO 7064 MOD 11-2 sum calls for; the birth date a real day.
    static func reference(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 18 else { return nil }
        let weights: [UInt64] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var digits: UInt64 = 0, sum: UInt64 = 0
        for index in 0..<17 {
            guard (0x30...0x39).contains(bytes[index]) else { return nil }
            let digit = UInt64(bytes[index] - 0x30)
            digits = digits * 10 + digit
            sum += digit * weights[index]
        }
        let check: UInt64
        switch bytes[17] {
        case 0x30...0x39: check = UInt64(bytes[17] - 0x30)
        case UInt8(ascii: "X"), UInt8(ascii: "x"): check = 10
        default: return nil
        }
        guard check == (12 - sum % 11) % 11 else { return nil }
        let ymd = Int(digits / 1000 % 100_000_000)
        guard Day(year: ymd / 10000, month: ymd / 100 % 100, day: ymd % 100) != nil else { return nil }
        return digits * 11 + check
    }

    static func parsed(_ bytes: [UInt8]) -> UInt64? {
        bytes.withUnsafeBufferPointer { try? ResidentID(buffer: $0).key }
    }

    @Test func everyByteAtEveryPosition() {
        let valid = Array("11010519491231002X".utf8)
        #expect(Self.parsed(valid) == Self.reference(valid))
        #expect(Self.parsed(valid) != nil)
        var accepted = 0
        for position in 0..<18 {
            for byte in UInt8.min...UInt8.max {
                var bytes = valid
                bytes[position] = byte
                let expected = Self.reference(bytes)
                #expect(Self.parsed(bytes) == expected, "byte \(byte) at \(position)")
                if expected != nil { accepted += 1 }
            }
        }
        #expect(accepted > 18)  // some replacements make other valid IDs
    }

    @Test func manyIDsAndTheirNeighbours() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF0
        var valid = 0
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // A birth date that is mostly real (day 29-31 not always), every check character in turn.
            let year = 1900 + (state >> 20) % 125, month = 1 + (state >> 30) % 12, day = 1 + (state >> 40) % 31
            let digits = (110_105 * 100_000_000 + year * 10_000 + month * 100 + day) * 1000 + (state >> 50) % 1000
            let text = String(digits).utf8.map { $0 }
            for check in Array("0123456789Xx".utf8) {
                let bytes = text + [check]
                let expected = Self.reference(bytes)
                #expect(Self.parsed(bytes) == expected, "\(String(decoding: bytes, as: UTF8.self))")
                if expected != nil { valid += 1 }
            }
        }
        #expect(valid > 5_000)
    }

    /// `uncheckedKey`: the 17 digits and the check character, as the reference
    /// packs them whatever the check character and the birth date; nil unless
    /// 17 digits and a digit or X. So it is a valid ID's key only for that ID.
    @Test func anUncheckedKeyIsTheKeyOfTheSameCharacters() {
        func unchecked(_ bytes: [UInt8]) -> UInt64? { bytes.withUnsafeBufferPointer { ResidentID.uncheckedKey($0.span) } }
        func packed(_ bytes: [UInt8]) -> UInt64? {
            guard bytes.count == 18, bytes[..<17].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            let digits = bytes[..<17].reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) }
            switch bytes[17] {
            case 0x30...0x39: return digits * 11 + UInt64(bytes[17] - 0x30)
            case UInt8(ascii: "X"), UInt8(ascii: "x"): return digits * 11 + 10
            default: return nil
            }
        }
        let valid = Array("11010519491231002X".utf8)
        var agreed = 0
        for position in 0..<18 {
            for byte in UInt8.min...UInt8.max {
                var bytes = valid
                bytes[position] = byte
                #expect(unchecked(bytes) == packed(bytes), "byte \(byte) at \(position)")
                // Where the characters are a valid ID, the unchecked key is its key.
                if let key = Self.reference(bytes) {
                    #expect(unchecked(bytes) == key)
                    agreed += 1
                }
            }
        }
        #expect(agreed > 18)
        #expect(unchecked(Array("11010519491231002".utf8)) == nil)
        #expect(unchecked(Array("110105194912310021".utf8)) == 11_010_519_491_231_002 * 11 + 1)  // a wrong check character: another key
    }
}
