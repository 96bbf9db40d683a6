/// Raw deflate data (RFC 1951), written here rather than by zlib (issue 21;
/// docs/architecture.md, "The workbook's deflate"). zlib's level 1 was the
/// largest single cost of a city's year: 18% of the processor time of the
/// year without claims, 26% of the year with them. libdeflate deflates the
/// same sheets in less than half zlib's time, but only a whole buffer into a
/// whole stream, with no flush that lets the next piece follow; ISA-L's
/// igzip once gave other bytes for the same input. This encoder does what
/// the workbook needs and no more, the way those two fast ones do:
///
/// - Matches of 4 bytes or more found greedily through a hash table of the
///   next 5 bytes, one position a slot (the last seen), within the input
///   given at once (a sheet's 1 MiB chunk): a match never reaches back into
///   an earlier one.
/// - A block's Huffman code built from its symbols' counts (a tree of two
///   queues over the counts in order), no code longer than 15 bits (miniz's
///   way of shortening), and the block written as the smallest of dynamic
///   codes, the fixed codes and stored bytes.
/// - `syncFlush` ends a piece as zlib's `Z_SYNC_FLUSH` does (an empty stored
///   block, byte-aligned, no final block), so pieces deflated apart join
///   into one entry's data; `finish` ends the stream with an empty final
///   block of fixed codes.
///
/// The same bytes in always give the same bytes out: only integer
/// arithmetic, no choice by processor, ties broken by symbol.
final class DeflateEncoder {
    /// Symbols a block holds before its codes are built and it is written.
    static let blockSymbols = 1 << 15
    /// Positions hashed by their next 5 bytes: 2^15 slots of the last position seen.
    static let hashBits = 15
    /// The most one `compress` call deflates with one hash table (positions fit an Int32).
    static let slice = 1 << 24

    /// The deflated bytes so far: `count` whole bytes, `bitCount` (< 8) bits in `bits`.
    private var output: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var bits: UInt64 = 0
    private var bitCount = 0

    private let table: UnsafeMutablePointer<Int32>
    /// A block's symbols: a literal byte, or 1 << 31 | (length - 3) << 16 | (distance - 1).
    private let symbols: UnsafeMutablePointer<UInt32>
    private let literalCounts: UnsafeMutablePointer<UInt32>  // 286 literal/length symbols
    private let distanceCounts: UnsafeMutablePointer<UInt32>  // 30 distance symbols
    /// `Tables.lengthCode` and `Tables.distanceCodes` in memory of its own:
    /// the hot loops read them without a global's lazy start or bounds checks.
    private let lookup: UnsafeMutablePointer<UInt8>
    /// The block's codes as written (`packCodes`): a literal's or length's bits
    /// with its extra bits' room, and its width in the top byte; a distance
    /// symbol's bits, length, extra bits and base.
    private let literalWords: UnsafeMutablePointer<UInt32>  // 288
    private let lengthWords: UnsafeMutablePointer<UInt32>  // 256, by length less 3: the code and the extra bits' value
    private let distanceWords: UnsafeMutablePointer<UInt64>  // 30

    init() {
        capacity = 1 << 16
        output = .allocate(capacity: capacity)
        table = .allocate(capacity: 1 << Self.hashBits)
        symbols = .allocate(capacity: Self.blockSymbols)
        literalCounts = .allocate(capacity: 286)
        distanceCounts = .allocate(capacity: 30)
        lookup = .allocate(capacity: 768)
        lookup.initialize(from: Tables.lengthCode + Tables.distanceCodes, count: 768)
        literalWords = .allocate(capacity: 288)
        lengthWords = .allocate(capacity: 256)
        distanceWords = .allocate(capacity: 30)
    }

    deinit {
        output.deallocate()
        table.deallocate()
        symbols.deallocate()
        literalCounts.deallocate()
        distanceCounts.deallocate()
        lookup.deallocate()
        literalWords.deallocate()
        lengthWords.deallocate()
        distanceWords.deallocate()
    }

    /// The whole bytes written so far; `removeOutput` forgets them (the bits of a byte not yet whole stay).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: output, count: count) }

    func removeOutput() {
        count = 0
    }

    /// Deflates `input` into whole blocks, none final.
    func compress(_ input: UnsafeRawBufferPointer) {
        guard let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var start = 0
        while start < input.count {
            let end = min(input.count, start + Self.slice)
            compress(base + start, end - start)
            start = end
        }
    }

    /// Ends the data so far as zlib's sync flush does: an empty stored block, the bytes whole.
    func syncFlush() {
        reserve(16)
        put(0, 3)  // not final, stored
        alignToByte()
        put(0xFFFF_0000, 32)  // LEN 0, NLEN 0xFFFF
        drain()
    }

    /// Ends the stream: an empty final block of fixed codes, the bytes whole.
    func finish() {
        reserve(16)
        put(3, 3)  // final, fixed codes
        put(0, 7)  // end of block: symbol 256, the fixed code 0000000
        alignToByte()
        drain()
    }

    // MARK: Finding matches

    @inline(__always)
    private static func load32(_ pointer: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt32.self))
    }

    @inline(__always)
    private static func load64(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// How many bytes at `at` repeat those at `earlier` (4 known to), up to `most`: 8 at a time, then byte by byte.
    @inline(__always)
    private static func matchLength(_ at: UnsafePointer<UInt8>, _ earlier: UnsafePointer<UInt8>, most: Int) -> Int {
        var length = 4
        while length + 8 <= most {
            let difference = load64(at + length) ^ load64(earlier + length)
            if difference != 0 { return length + difference.trailingZeroBitCount >> 3 }
            length += 8
        }
        while length < most && at[length] == earlier[length] { length += 1 }
        return length
    }

    private func compress(_ base: UnsafePointer<UInt8>, _ n: Int) {
        table.initialize(repeating: 0, count: 1 << Self.hashBits)  // a slot holds position + 1; 0: none
        var symbolCount = 0
        var blockStart = 0
        var p = 0
        clearCounts()
        let shift = UInt64(64 - Self.hashBits)
        while p < n {
            // A match is looked for while 8 bytes are left (the hash reads a word); the last bytes are literals.
            var length = 0, distance = 0
            if p + 8 <= n {
                // The slot of the next 5 bytes (the word's low 5, moved to the top): hashing 4 found more
                // short matches that cost more than their literals (the authorizers' sheet 9% larger).
                let slot = Int(truncatingIfNeeded: (Self.load64(base + p) << 24 &* 0x9E37_79B1_85EB_CA87) >> shift)
                let candidate = Int(table[slot]) - 1
                table[slot] = Int32(truncatingIfNeeded: p + 1)
                if candidate >= 0, p - candidate <= 32768, Self.load32(base + candidate) == Self.load32(base + p) {
                    length = Self.matchLength(base + p, base + candidate, most: min(258, n - p))
                    distance = p - candidate
                }
            }
            if length > 0 {
                symbols[symbolCount] = 1 << 31 | UInt32(length - 3) << 16 | UInt32(distance - 1)
                literalCounts[257 + Int(lookup[length - 3])] += 1
                distanceCounts[Int(distanceCode(distance - 1))] += 1
                p += length
            } else {
                symbols[symbolCount] = UInt32(base[p])
                literalCounts[Int(base[p])] += 1
                p += 1
            }
            symbolCount += 1
            if symbolCount == Self.blockSymbols {
                writeBlock(base + blockStart, p - blockStart, symbolCount)
                blockStart = p
                symbolCount = 0
                clearCounts()
            }
        }
        if symbolCount > 0 { writeBlock(base + blockStart, p - blockStart, symbolCount) }
    }

    /// The distance symbol of a distance less 1 (`Tables.distanceCodes`).
    @inline(__always)
    private func distanceCode(_ value: Int) -> UInt8 {
        value < 256 ? lookup[256 + value] : lookup[512 + value >> 7]
    }

    private func clearCounts() {
        literalCounts.initialize(repeating: 0, count: 286)
        distanceCounts.initialize(repeating: 0, count: 30)
    }

    // MARK: Writing a block

    /// Writes the block of `symbolCount` symbols standing for `length` input bytes at `raw`.
    private func writeBlock(_ raw: UnsafePointer<UInt8>, _ length: Int, _ symbolCount: Int) {
        literalCounts[256] += 1  // the end of block
        let literalLengths = Huffman.lengths(UnsafeBufferPointer(start: literalCounts, count: 286), limit: 15)
        let distanceLengths = Huffman.lengths(UnsafeBufferPointer(start: distanceCounts, count: 30), limit: 15)
        let header = DynamicHeader(literalLengths, distanceLengths)

        var extra = 0  // the length and distance extra bits, the same in either code
        var dynamicBits = 3 + header.bits, fixedBits = 3
        for symbol in 0..<286 {
            let count = Int(literalCounts[symbol])
            guard count > 0 else { continue }
            dynamicBits += count * Int(literalLengths[symbol])
            fixedBits += count * Tables.fixedLiteralLength(symbol)
            if symbol > 256 { extra += count * Int(Tables.lengthExtra[symbol - 257]) }
        }
        for symbol in 0..<30 {
            let count = Int(distanceCounts[symbol])
            guard count > 0 else { continue }
            dynamicBits += count * Int(distanceLengths[symbol])
            fixedBits += count * 5
            extra += count * Int(Tables.distanceExtra[symbol])
        }
        dynamicBits += extra
        fixedBits += extra
        let storedBlocks = max(1, (length + 65534) / 65535)
        let storedBits = storedBlocks * (3 + 7 + 32) + 8 * length

        if storedBits < min(dynamicBits, fixedBits) {
            reserve(length + storedBlocks * 6 + 16)  // a block's header and length at most 6 bytes with the bits before it
            writeStored(raw, length)
        } else if fixedBits <= dynamicBits {
            reserve(fixedBits / 8 + 16)
            put(2, 3)  // not final, fixed codes
            writeSymbols(symbolCount, Tables.fixed.literals, Tables.fixed.distances)
        } else {
            reserve(dynamicBits / 8 + 16)
            put(4, 3)  // not final, dynamic codes
            header.write(self)
            writeSymbols(symbolCount, Huffman.codes(literalLengths), Huffman.codes(distanceLengths))
        }
    }

    private func writeStored(_ raw: UnsafePointer<UInt8>, _ length: Int) {
        var at = 0
        repeat {
            let size = min(65535, length - at)
            put(0, 3)  // not final, stored
            alignToByte()
            put(UInt64(size) | UInt64(~UInt16(size)) << 16, 32)
            drain()
            (output + count).update(from: raw + at, count: size)
            count += size
            at += size
        } while at < length
    }

    /// The block's codes as `writeSymbols` reads them, one word each.
    private func packCodes(_ literals: [Huffman.Code], _ distances: [Huffman.Code]) {
        for symbol in 0..<min(288, literals.count) {
            literalWords[symbol] = UInt32(literals[symbol].bits) | UInt32(literals[symbol].length) << 24
        }
        for index in 0..<256 {
            let symbol = Int(lookup[index])
            let code = literals[257 + symbol]
            let extra = UInt32(index + 3 - Int(Tables.lengthBase[symbol]))
            lengthWords[index] = (UInt32(code.bits) | extra << UInt32(code.length))
                | (UInt32(code.length) + UInt32(Tables.lengthExtra[symbol])) << 24
        }
        for symbol in 0..<30 {
            let code = distances[symbol]
            distanceWords[symbol] = UInt64(code.bits) | UInt64(code.length) << 16
                | UInt64(Tables.distanceExtra[symbol]) << 24 | UInt64(Tables.distanceBase[symbol]) << 32
        }
    }

    private func writeSymbols(_ symbolCount: Int, _ literals: [Huffman.Code], _ distances: [Huffman.Code]) {
        packCodes(literals, distances)
        for index in 0..<symbolCount {
            let symbol = symbols[index]
            if symbol < 256 {
                let word = literalWords[Int(symbol)]
                put(UInt64(word & 0xFF_FFFF), Int(word >> 24))
                continue
            }
            let lengthWord = lengthWords[Int(symbol >> 16 & 0xFF)]
            let distanceIndex = Int(symbol & 0xFFFF)
            let distanceWord = distanceWords[Int(distanceCode(distanceIndex))]
            let width = Int(lengthWord >> 24), codeLength = Int(distanceWord >> 16 & 0xFF)
            let value = UInt64(lengthWord & 0xFF_FFFF)
                | (distanceWord & 0xFFFF) << UInt64(width)
                | UInt64(distanceIndex + 1 - Int(distanceWord >> 32)) << UInt64(width + codeLength)
            put(value, width + codeLength + Int(distanceWord >> 24 & 0xFF))  // at most 15 + 5 + 15 + 13 = 48 bits
        }
        let end = literalWords[256]
        put(UInt64(end & 0xFF_FFFF), Int(end >> 24))
    }

    // MARK: Bits

    /// Room for `bytes` more whole bytes and the 8 that `put` stores at once.
    private func reserve(_ bytes: Int) {
        let needed = count + bytes + 16
        guard needed > capacity else { return }
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        grown.update(from: output, count: count)
        output.deallocate()
        output = grown
        capacity = larger
    }

    /// Appends the low `width` bits of `value` (at most 56), least significant first, and
    /// moves the whole bytes out: `bitCount` is below 8 between calls.
    @inline(__always)
    fileprivate func put(_ value: UInt64, _ width: Int) {
        bits |= value &<< UInt64(bitCount)
        bitCount += width
        UnsafeMutableRawPointer(output + count).storeBytes(of: bits.littleEndian, as: UInt64.self)
        let whole = bitCount >> 3
        count += whole
        bits = bits &>> UInt64(whole << 3)
        bitCount &= 7
    }

    private func alignToByte() {
        if bitCount > 0 { put(0, 8 - bitCount) }
    }

    /// After `alignToByte`, nothing is left in `bits`.
    private func drain() {
        precondition(bitCount == 0, "deflate: bits left over a byte boundary")
        bits = 0
    }
}

/// A dynamic block's header: how many codes of each alphabet, and their lengths, run-length coded.
private struct DynamicHeader {
    static let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    let literals: Int, distances: Int, codeLengthCount: Int
    /// The run-length symbols (0-18) with their extra bits' value in the high byte.
    var items: [UInt16] = []
    let codeLengthLengths: [UInt8]
    let bits: Int

    init(_ literalLengths: [UInt8], _ distanceLengths: [UInt8]) {
        var literals = 286, distances = 30
        while literals > 257 && literalLengths[literals - 1] == 0 { literals -= 1 }
        while distances > 1 && distanceLengths[distances - 1] == 0 { distances -= 1 }
        self.literals = literals
        self.distances = distances
        let all = Array(literalLengths[0..<literals]) + Array(distanceLengths[0..<distances])
        var counts = [UInt32](repeating: 0, count: 19)
        var items: [UInt16] = []
        func add(_ symbol: Int, _ extra: Int = 0) {
            items.append(UInt16(symbol) | UInt16(extra) << 8)
            counts[symbol] += 1
        }
        var index = 0
        while index < all.count {
            let length = all[index]
            var run = 1
            while index + run < all.count && all[index + run] == length { run += 1 }
            index += run
            if length == 0 {
                while run >= 11 {
                    let taken = min(run, 138)
                    add(18, taken - 11)
                    run -= taken
                }
                if run >= 3 {
                    add(17, run - 3)
                    run = 0
                }
                for _ in 0..<run { add(0) }
            } else {
                add(Int(length))
                run -= 1
                while run >= 3 {
                    let taken = min(run, 6)
                    add(16, taken - 3)
                    run -= taken
                }
                for _ in 0..<run { add(Int(length)) }
            }
        }
        self.items = items
        codeLengthLengths = counts.withUnsafeBufferPointer { Huffman.lengths($0, limit: 7) }
        var codeLengthCount = 19
        while codeLengthCount > 4 && codeLengthLengths[Self.order[codeLengthCount - 1]] == 0 { codeLengthCount -= 1 }
        self.codeLengthCount = codeLengthCount
        var bits = 5 + 5 + 4 + 3 * codeLengthCount
        for symbol in 0..<19 { bits += Int(counts[symbol]) * Int(codeLengthLengths[symbol]) }
        bits += Int(counts[16]) * 2 + Int(counts[17]) * 3 + Int(counts[18]) * 7
        self.bits = bits
    }

    func write(_ encoder: DeflateEncoder) {
        encoder.put(UInt64(literals - 257) | UInt64(distances - 1) << 5 | UInt64(codeLengthCount - 4) << 10, 14)
        for position in 0..<codeLengthCount { encoder.put(UInt64(codeLengthLengths[Self.order[position]]), 3) }
        let codes = Huffman.codes(codeLengthLengths)
        for item in items {
            let symbol = Int(item & 0xFF), extra = UInt64(item >> 8)
            let code = codes[symbol]
            let extraWidth = symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0
            encoder.put(UInt64(code.bits) | extra << UInt64(code.length), Int(code.length) + extraWidth)
        }
    }
}

/// Huffman code lengths and canonical codes (RFC 1951, 3.2.2).
enum Huffman {
    /// A code as written: its bits reversed (deflate sends a code's first bit first, in the low bit).
    struct Code {
        var bits: UInt16
        var length: UInt8
    }

    /// The lengths of a Huffman code for `counts`, none longer than `limit`.
    /// Symbols with no count get none (0); with fewer than two counted, two
    /// symbols get length 1, a complete code every reader accepts.
    static func lengths(_ counts: UnsafeBufferPointer<UInt32>, limit: Int) -> [UInt8] {
        var lengths = [UInt8](repeating: 0, count: counts.count)
        // The counted symbols, by count, then by symbol: ties are broken the same way every time.
        var used: [(count: UInt32, symbol: Int)] = []
        for symbol in counts.indices where counts[symbol] > 0 { used.append((counts[symbol], symbol)) }
        if used.count < 2 {
            let first = used.first?.symbol ?? 0
            lengths[first] = 1
            lengths[first == 0 ? 1 : 0] = 1
            return lengths
        }
        used.sort { $0.count != $1.count ? $0.count < $1.count : $0.symbol < $1.symbol }
        // The tree by two queues: the leaves in order, and the inner nodes, made in order of weight.
        let leaves = used.count
        var weight = [UInt64](repeating: 0, count: 2 * leaves - 1)
        var parent = [Int](repeating: 0, count: 2 * leaves - 1)
        for index in 0..<leaves { weight[index] = UInt64(used[index].count) }
        var nextLeaf = 0, nextInner = leaves
        for node in leaves..<(2 * leaves - 1) {
            var children = (0, 0)
            for pick in 0..<2 {
                let child: Int
                if nextLeaf < leaves && (nextInner >= node || weight[nextLeaf] <= weight[nextInner]) {
                    child = nextLeaf
                    nextLeaf += 1
                } else {
                    child = nextInner
                    nextInner += 1
                }
                if pick == 0 { children.0 = child } else { children.1 = child }
            }
            weight[node] = weight[children.0] + weight[children.1]
            parent[children.0] = node
            parent[children.1] = node
        }
        var depth = [Int](repeating: 0, count: 2 * leaves - 1)
        for node in stride(from: 2 * leaves - 3, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
        // How many codes of each length, the longest folded into `limit` and the
        // sum of 2^-length brought back to 1 (miniz's `tdefl_huffman_enforce_max_code_size`).
        var perLength = [Int](repeating: 0, count: limit + 1)
        for leaf in 0..<leaves { perLength[min(depth[leaf], limit)] += 1 }
        var total = 0
        for length in 1...limit { total += perLength[length] << (limit - length) }
        while total > 1 << limit {
            perLength[limit] -= 1
            for length in stride(from: limit - 1, through: 1, by: -1) where perLength[length] > 0 {
                perLength[length] -= 1
                perLength[length + 1] += 2
                break
            }
            total -= 1
        }
        // The shortest codes to the most frequent symbols.
        var next = leaves
        for length in 1...limit {
            for _ in 0..<perLength[length] {
                next -= 1
                lengths[used[next].symbol] = UInt8(length)
            }
        }
        return lengths
    }

    /// The canonical codes of `lengths`, bits reversed for writing.
    static func codes(_ lengths: [UInt8]) -> [Code] {
        var perLength = [UInt16](repeating: 0, count: 16)
        for length in lengths where length > 0 { perLength[Int(length)] += 1 }
        var next = [UInt16](repeating: 0, count: 16)
        var code: UInt16 = 0
        for length in 1..<16 {
            code = (code + perLength[length - 1]) << 1
            next[length] = code
        }
        return lengths.map { length in
            guard length > 0 else { return Code(bits: 0, length: 0) }
            let value = next[Int(length)]
            next[Int(length)] += 1
            var reversed: UInt16 = 0
            for bit in 0..<Int(length) where value & (1 << bit) != 0 { reversed |= 1 << (Int(length) - 1 - bit) }
            return Code(bits: reversed, length: length)
        }
    }
}

/// Deflate's fixed tables (RFC 1951, 3.2.5 and 3.2.6).
private enum Tables {
    static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                       67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [UInt16] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                                         1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
                                         11, 11, 12, 12, 13, 13]

    /// The length symbol (less 257) of each match length less 3.
    static let lengthCode: [UInt8] = {
        var codes = [UInt8](repeating: 0, count: 256)
        for symbol in 0..<29 {
            let base = Int(lengthBase[symbol])
            for length in base..<min(259, base + (1 << Int(lengthExtra[symbol]))) { codes[length - 3] = UInt8(symbol) }
        }
        return codes
    }()

    /// The distance symbol of each distance less 1: below 256 by the value,
    /// else by the value's bits above the seventh (zlib's `_dist_code`).
    static let distanceCodes: [UInt8] = {
        var codes = [UInt8](repeating: 0, count: 512)
        for symbol in 0..<30 {
            let base = Int(distanceBase[symbol]) - 1
            for value in base..<(base + (1 << Int(distanceExtra[symbol]))) {
                if value < 256 { codes[value] = UInt8(symbol) } else { codes[256 + value >> 7] = UInt8(symbol) }
            }
        }
        return codes
    }()

    static func fixedLiteralLength(_ symbol: Int) -> Int {
        switch symbol {
        case 0..<144: 8
        case 144..<256: 9
        case 256..<280: 7
        default: 8
        }
    }

    static let fixed: (literals: [Huffman.Code], distances: [Huffman.Code]) = (
        Huffman.codes((0..<288).map { UInt8(fixedLiteralLength($0)) }),
        Huffman.codes([UInt8](repeating: 5, count: 30))
    )
}
