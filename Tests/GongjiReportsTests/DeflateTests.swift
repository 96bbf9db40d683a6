@testable import GongjiReports
import Testing

/// The workbook's own deflate (`DeflateEncoder`): what it writes, read back
/// by zlib's inflate, is the input byte for byte, whatever the input and
/// however it is cut into pieces.
@Suite struct DeflateTests {
    /// Deflates `pieces` one after another, each ended by a sync flush but the
    /// last, which ends the stream, as a sheet's head, rows and tail are.
    static func deflate(_ pieces: [[[UInt8]]]) -> [UInt8] {
        var out: [UInt8] = []
        for (number, piece) in pieces.enumerated() {
            let encoder = DeflateEncoder()
            for chunk in piece {
                chunk.withUnsafeBytes { encoder.compress($0) }
                out += encoder.bytes
                encoder.removeOutput()
            }
            if number == pieces.count - 1 { encoder.finish() } else { encoder.syncFlush() }
            out += encoder.bytes
        }
        return out
    }

    /// Whether `deflated` inflates to `input` (a Bool, so that a failure does not print both).
    static func roundTrips(_ deflated: [UInt8], _ input: [UInt8]) -> Bool {
        DeflateRoundTrip.inflate(deflated, expecting: input.count) == input
    }

    /// A sheet's rows, as the workbook writes them: long repeats and short numbers.
    static func sheetRows(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = seed
        var text = ""
        for row in 1...count {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            let amount = random >> 40 % 1_000_000
            text += #"<row r="\#(row)"><c r="A\#(row)" t="inlineStr"><is><t>110105********\#(random % 10000)</t></is></c>"#
                + #"<c r="B\#(row)" s="3"><v>\#(amount / 100).\#(amount % 100)</v></c></row>"#
        }
        return Array(text.utf8)
    }

    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = seed
        return (0..<count).map { _ in
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: random >> 33)
        }
    }

    /// The inputs, each as pieces of chunks (`deflate`).
    static let inputs: [String: [[[UInt8]]]] = [
        "nothing": [[[]]],
        "one byte": [[[0x41]]],
        "three bytes": [[[1, 2, 3]]],
        "a run of one byte": [[[UInt8](repeating: 0x30, count: 100_000)]],
        "noise: stored blocks": [[noise(200_000, seed: 1)]],
        "rows in three pieces": [[Array("<sheetData>".utf8)], [sheetRows(5_000, seed: 2), sheetRows(5_000, seed: 3)],
                                 [Array("</sheetData>".utf8)]],
        "noise and rows, empty pieces between": [[noise(70_000, seed: 4)], [], [sheetRows(3_000, seed: 5), []], [[7]]],
    ]

    @Test(arguments: inputs.keys.sorted())
    func inflatesToTheInput(name: String) throws {
        let pieces = try #require(Self.inputs[name])
        let input = pieces.flatMap { $0.flatMap { $0 } }
        let deflated = Self.deflate(pieces)
        #expect(Self.roundTrips(deflated, input))
    }

    /// Random inputs of noise, repeats near and far (up to the 32 KiB window
    /// and past it) and runs, cut into random pieces and chunks: each
    /// inflates to itself.
    @Test func randomInputsInflateToThemselves() {
        var random: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int(random >> 33) % bound
        }
        for _ in 0..<40 {
            var input: [UInt8] = []
            for _ in 0..<next(40) {
                switch next(4) {
                case 0: input += Self.noise(next(3_000), seed: UInt64(next(1 << 30)))
                case 1 where !input.isEmpty:  // a repeat of earlier bytes
                    let from = next(input.count), length = min(next(600), input.count - from)
                    input += input[from..<(from + length)]
                case 2: input += [UInt8](repeating: UInt8(next(256)), count: next(1_000))
                default: input += Self.sheetRows(next(200) + 1, seed: UInt64(next(1 << 30)))
                }
            }
            var pieces: [[[UInt8]]] = []
            var at = 0
            repeat {
                var piece: [[UInt8]] = []
                for _ in 0...next(3) {
                    let length = min(next(40_000), input.count - at)
                    piece.append(Array(input[at..<(at + length)]))
                    at += length
                }
                pieces.append(piece)
            } while at < input.count
            #expect(Self.roundTrips(Self.deflate(pieces), input))
        }
    }

    /// The fuzz target's check (`DeflateRoundTrip`, Scripts/fuzz.sh) holds for
    /// the inputs here, cut its own way.
    @Test func theFuzzTargetsCheckHolds() {
        #expect(DeflateRoundTrip.holds([]))
        #expect(DeflateRoundTrip.holds(Self.noise(100_000, seed: 11)))
        #expect(DeflateRoundTrip.holds(Self.sheetRows(2_000, seed: 12)))
        #expect(DeflateRoundTrip.holds([UInt8](repeating: 0, count: 70_000)))
    }

    /// An empty stream and an empty sync-flushed piece: the bytes zlib writes for them.
    @Test func emptyPiecesAreZlibsBytes() {
        #expect(Self.deflate([[]]) == [0x03, 0x00])
        let encoder = DeflateEncoder()
        encoder.syncFlush()
        #expect(Array(encoder.bytes) == [0x00, 0x00, 0x00, 0xFF, 0xFF])
    }

    /// The same input gives the same bytes, and rows compress as a sheet's do (to under a sixth).
    @Test func theSameInputIsTheSameBytes() {
        let rows = Self.sheetRows(10_000, seed: 9)
        let first = Self.deflate([[rows]]), second = Self.deflate([[rows]])
        #expect(first.elementsEqual(second))
        #expect(first.count * 6 < rows.count)
    }

    /// Counts that would give codes longer than deflate allows (Fibonacci
    /// numbers make the deepest tree): no length above the limit, and the
    /// code complete (the lengths' 2^-length sum to 1).
    @Test(arguments: [15, 7])
    func codeLengthsStayWithinTheLimit(limit: Int) {
        var counts: [UInt32] = [1, 1]
        while counts.count < 30 { counts.append(counts[counts.count - 1] + counts[counts.count - 2]) }
        let lengths = counts.withUnsafeBufferPointer { Huffman.lengths($0, limit: limit) }
        #expect(lengths.allSatisfy { $0 >= 1 && Int($0) <= limit })
        #expect(lengths.reduce(0) { $0 + (1 << (limit - Int($1))) } == 1 << limit)
        // The more frequent symbol never gets the longer code.
        #expect(zip(lengths, lengths.dropFirst()).allSatisfy { $0 >= $1 })
    }
}
