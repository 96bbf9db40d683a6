import Foundation
import GongjiDomain
@testable import GongjiPipeline
import Testing

/// Claims wait on disk by month; what comes back is what went in.
@Suite struct ClaimSpoolTests {
    static let person = ResidentID("44030519500101001X")!

    static func claim(_ id: String, _ day: String, _ second: Int, fen: Int64, _ category: UsageCategory) -> Claim {
        Claim(id: id, person: person, occurredAt: Timestamp(day: Day(text: day)!, second: second),
              region: RegionCode("440300")!, category: category, amount: Money(fen: fen))
    }

    @Test func givesBackEachMonthInSettlementOrderAndCleansUp() throws {
        let claims = [
            Self.claim("C-2", "2022-03-31", 86_399, fen: 1, .inpatient),
            Self.claim("理赔-长编号-0001-" + String(repeating: "9", count: 40), "2022-04-01", 0, fen: 123_456_789, .pharmacyRx),
            Self.claim("C-1", "2022-03-31", 86_399, fen: 0, .residentPremium),
            Self.claim("C-0", "2022-03-01", 60, fen: 99, .outpatient),
        ]
        var folder: URL?
        do {
            let spool = try ClaimSpool()
            for claim in claims { try spool.append(claim) }
            try spool.finish()
            #expect(spool.months == [YearMonth(year: 2022, month: 3)!, YearMonth(year: 2022, month: 4)!])
            #expect(try spool.claims(in: YearMonth(year: 2022, month: 3)!) == [claims[3], claims[2], claims[0]])
            #expect(try spool.claims(in: YearMonth(year: 2022, month: 4)!) == [claims[1]])
            #expect(try spool.claims(in: YearMonth(year: 2022, month: 5)!) == [])
            folder = spool.folder
            let permissions = try FileManager.default.attributesOfItem(atPath: spool.folder.path)[.posixPermissions]
            #expect((permissions as? NSNumber)?.intValue == 0o700)
            // The files have no names: nothing to find, or leave behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool.folder.path).isEmpty)
            #expect(try spool.claims(in: YearMonth(year: 2022, month: 4)!) == [claims[1]])  // and read again
        }
        #expect(folder.map { !FileManager.default.fileExists(atPath: $0.path) } == true)
    }

    @Test func manyClaimsCrossTheFlushSize() throws {
        let spool = try ClaimSpool()
        let claims = (0..<50_000).map { Self.claim(String(format: "C%06d", $0), "2022-05-01", $0 % 86_400, fen: Int64($0), .outpatient) }
        for claim in claims.reversed() { try spool.append(claim) }
        try spool.finish()
        #expect(try spool.claims(in: YearMonth(year: 2022, month: 5)!) == claims.sorted(by: Claim.settlementOrder))
    }
}

/// The later months' credits wait in a file without a name (CreditSpool.swift).
@Suite struct CreditSpoolTests {
    @Test func givesBackEachMonthsBytesOnceAndLeavesNoFile() throws {
        let claims = try ClaimSpool()
        let spool = try CreditSpool(in: claims.folder)
        let march = YearMonth(year: 2022, month: 3)!, april = YearMonth(year: 2022, month: 4)!
        let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try spool.keep([1, 2, 3], for: march)
        try spool.keep(big, for: april)
        #expect(try FileManager.default.contentsOfDirectory(atPath: claims.folder.path).isEmpty)
        #expect(try spool.take(april) == big)
        #expect(try spool.take(march) == [1, 2, 3])
        #expect(throws: RunError.self) { try spool.take(march) }
    }
}

/// The claims' order is `Claim.settlementOrder`, however they are sorted.
@Suite struct ClaimOrderTests {
    @Test func sortedAsSettlementOrderSortsThem() {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        // Many claims in few seconds: the IDs decide most of the order.
        let claims = (0..<20_000).map { n in
            ClaimSpoolTests.claim("C\(next(1_000_000))-\(n)", next(2) == 0 ? "2022-03-01" : "2022-03-31", next(50),
                                  fen: Int64(n), .outpatient)
        }
        #expect(ClaimSpool.inSettlementOrder(claims) == claims.sorted(by: Claim.settlementOrder))
    }
}
