/// The one masking of personal data (docs/formats.md, "Masking"): every
/// text gongji writes about a person (report cells, every column of
/// rejects.csv, console and error messages, workbook cells, page text)
/// goes through these functions unless `--reveal-ids` was given. They fail
/// closed: what might be an ID or a name is masked.

/// `张*`: the first character and a star for each of the rest.
public func maskedName(_ name: String) -> String {
    guard let first = name.first else { return name }
    return String(first) + String(repeating: "*", count: max(1, name.count - 1))
}

/// A star for every character: a value that may be a name, in a row that
/// did not split into its columns (no first character shown: the pieces of
/// a name split by a comma would show it all).
public func starred(_ text: String) -> String {
    String(repeating: "*", count: max(1, text.count))
}

/// `text` with every ID number in it masked, however it is written or broken.
///
/// ID characters are digits (ASCII or full-width) and an `X` right after a
/// digit. Runs of them joined by a single ASCII character (a separator, a
/// quote, a comma, a NUL, a byte that replaced a digit), a U+FFFD (a byte
/// that was not UTF-8) or a doubled quote are one chain; a date or time
/// (`2022-06-30`, `2022-06-30 10:00:00`, `2022-06`, `2022/6/30`, `2022年6月`)
/// stands alone. In a chain:
///
/// - runs joined by single `-`, `.`, spaces or `/` with 15 or more ID
///   characters are an ID written whole: its first 6 and last 4 characters
///   stay (`440301********123X`, `110105-19520117-4070` the same);
/// - any other stretch with 15 or more ID characters, or with 12 to 14
///   that could be part of an ID (a birth date where an ID has it), is an
///   ID broken or cut: the characters between its first 6 and its last 4
///   become stars, the characters that broke it stay (`110105***,*****4070`).
///
/// What is not an ID is left as it was (a claim ID `C20220600000001`, two
/// region codes `131000；130100`).
public func maskedIDs(_ text: String) -> String {
    IDMasking(text)?.masked ?? text
}

/// A report cell that holds values gongji accepted (a claim ID, a refusal
/// naming a binding), masked: every ID, written whole or with separators
/// (15 or more ID characters in a chain). The 12-14 "piece of an ID" rule of
/// `maskedIDs`, for broken input, is left out here: an accepted claim ID
/// such as `C20220100112939` (a month and a sequence number) would
/// otherwise lose its middle digits whenever they happen to read as a birth
/// date, and could no longer be looked up (docs/formats.md, "Masking").
public func maskedIDsInReport(_ text: String) -> String {
    IDMasking(text, pieces: false)?.masked ?? text
}

/// A rejected row's raw text and reason, masked together: the row's
/// personal values (`names`, shown `张*`; `hidden`, values that may be
/// personal, every character a star), then every ID in either; a piece of
/// an ID hidden in the raw row is hidden in the reason too (a reason
/// quotes one value, which may be half of a broken ID).
public func maskedRow(raw: String, reason: String, names: [String], hidden: [String] = []) -> (raw: String, reason: String) {
    var raw = raw
    var reason = reason
    let values = Set(names).map { ($0, maskedName($0)) } + Set(hidden).subtracting(names).map { ($0, starred($0)) }
    for (value, masked) in values.sorted(by: { ($0.0.count, $0.0) > ($1.0.count, $1.0) }) where !value.isEmpty {
        raw = raw.replacing(value, with: masked)
        reason = reason.replacing(value, with: masked)
    }
    guard let rawMasking = IDMasking(raw) else { return (raw, maskedIDs(reason)) }
    let hidden = rawMasking.hidden
    guard let reasonMasking = IDMasking(reason, hiding: hidden) else { return (rawMasking.masked, reason) }
    return (rawMasking.masked, reasonMasking.masked)
}

/// The work of `maskedIDs` on one text.
struct IDMasking {
    /// The text with its IDs masked.
    let masked: String
    /// The runs of ID characters that were masked (whole or in part), as they stood.
    let hidden: Set<String>

    /// A run of ID characters: `scalars[start..<end]`.
    private struct Run {
        var start: Int
        var end: Int
        var count: Int { end - start }
    }

    /// Nil when `text` holds no ID (the common case: no String is made).
    /// `hiding`: runs to star wherever they stand alone, besides the IDs found.
    /// `pieces`: whether 12 to 14 ID characters that could be part of an ID are masked too.
    init?(_ text: String, hiding extra: Set<String> = [], pieces: Bool = true) {
        if extra.isEmpty, IDMasking.holdsNoID(text.utf8, pieces: pieces) { return nil }
        let s = Array(text.unicodeScalars)
        let runs = IDMasking.runs(s)
        if runs.isEmpty { return nil }
        let dated = IDMasking.dates(s, runs)
        // What happens to each scalar: nil keeps it; otherwise its replacement.
        var replaced = [String?](repeating: nil, count: s.count)
        var changed = false
        var hidden: Set<String> = []
        func original(_ run: Run) -> String {
            var out = String.UnicodeScalarView()
            out.append(contentsOf: s[run.start..<run.end])
            return String(out)
        }
        func idCharacters(_ group: ArraySlice<Run>) -> [Int] { group.flatMap { Array($0.start..<$0.end) } }

        var k = 0
        while k < runs.count {
            // The chain from run k: runs joined by one character (or a doubled quote).
            var last = k
            while last + 1 < runs.count, !dated[last], !dated[last + 1], IDMasking.joins(s, runs[last].end, runs[last + 1].start) {
                last += 1
            }
            if dated[k] {
                k = last + 1
                continue
            }
            // Whole IDs: stretches joined by -, ., space or / with 15 or more ID characters.
            var whole = [Bool](repeating: false, count: last - k + 1)
            // The characters each whole ID keeps: its first 6, by its first run; its last 4, by its last run.
            var headKept: [Int: [Unicode.Scalar]] = [:], tailKept: [Int: [Unicode.Scalar]] = [:]
            var stretches: [(u: Int, v: Int)] = []
            var u = k
            while u <= last {
                var v = u
                while v < last, IDMasking.separates(s, runs[v].end, runs[v + 1].start) { v += 1 }
                if idCharacters(runs[u...v]).count >= 15 {
                    stretches.append((u, v))
                    for w in u...v { whole[w - k] = true }
                }
                u = v + 1
            }
            // Each keeps its first 6 and last 4, unless the other runs of the chain joined to that end
            // (`1310021960(0327…`) would show, with them, 12 of an ID's characters in a row; a whole
            // ID beside it shows its own 4 or 6. (A fuzz finding of Scripts/fuzz.sh's masking oracle.)
            for (u, v) in stretches {
                let positions = idCharacters(runs[u...v])
                var before = 0
                var w = u - 1
                while w >= k { if whole[w - k] { before += 4; break }; before += runs[w].count; w -= 1 }
                var after = 0
                w = v + 1
                while w <= last { if whole[w - k] { after += 6; break }; after += runs[w].count; w += 1 }
                // A stretch of an ID's own length (18, or 15 for a legacy one) is an ID: what stands beside it is not
                // part of it. One of another length holds part of an ID that may go on beside it.
                let complete = positions.count == 18 || positions.count == 15
                let head = !complete && before + 6 >= 12 ? ["******"] : positions.prefix(6).map { IDMasking.plain(s[$0]) }
                let tail = !complete && after + 4 >= 12 ? ["****"] : positions.suffix(4).map { IDMasking.plain(s[$0]) }
                replaced[runs[u].start] = (head + ["********"] + tail).joined()
                headKept[u] = head == ["******"] ? [] : positions.prefix(6).map { s[$0] }
                tailKept[v] = tail == ["****"] ? [] : positions.suffix(4).map { s[$0] }
                for index in runs[u].start + 1..<runs[v].end { replaced[index] = "" }
                for w in u...v { hidden.insert(original(runs[w])) }
                changed = true
            }
            // Broken IDs: the other stretches of the chain with 12 or more ID characters.
            u = k
            while u <= last {
                if whole[u - k] { u += 1; continue }
                var v = u
                while v < last, !whole[v + 1 - k] { v += 1 }
                let next = v + 1
                func qualifies(_ first: Int, _ last: Int) -> Bool {
                    let positions = idCharacters(runs[first...last])
                    return positions.count >= 15
                        || (pieces && positions.count >= 12 && IDMasking.couldBePartOfID(positions.map { s[$0] }))
                }
                // Short runs at either end (the 1 of `C-1,`) stay when the rest has an ID's length without them.
                while u < v, runs[u].count < 4, idCharacters(runs[(u + 1)...v]).count >= 15 { u += 1 }
                while u < v, runs[v].count < 4, idCharacters(runs[u...(v - 1)]).count >= 15 { v -= 1 }
                let positions = idCharacters(runs[u...v])
                // The ends that whole IDs joined to this stretch keep (the last 4 of one before, the first 6 of one after).
                let before = u > k ? tailKept[u - 1] ?? [] : [], after = v < last ? headKept[v + 1] ?? [] : []
                let combined = before + positions.map { s[$0] } + after
                if !qualifies(u, v), combined.count > positions.count, positions.count >= 2, combined.count >= 12,
                   (0...(combined.count - 12)).contains(where: { IDMasking.fitsInID(combined[$0..<$0 + 12], withDay: true) }) {
                    // With them it would show 12 ID characters in a row (`…1392,4403051990,110105…`, a masking-oracle
                    // finding): every character of the stretch becomes a star, as its own 6 and 4 would be all of it.
                    for index in positions { replaced[index] = "*" }
                    for w in u...v { hidden.insert(original(runs[w])) }
                    changed = true
                } else if qualifies(u, v) {
                    for (ordinal, index) in positions.enumerated() {
                        replaced[index] = ordinal < 6 || ordinal >= positions.count - 4 ? IDMasking.plain(s[index]) : "*"
                    }
                    for w in u...v { hidden.insert(original(runs[w])) }
                    changed = true
                } else if !extra.isEmpty {
                    for w in u...v where extra.contains(original(runs[w])) {
                        for index in runs[w].start..<runs[w].end { replaced[index] = "*" }
                        changed = true
                    }
                }
                u = next
            }
            k = last + 1
        }
        guard changed else { return nil }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for (index, scalar) in s.enumerated() {
            if let replacement = replaced[index] { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
        masked = out
        self.hidden = hidden
    }

    /// The value of a digit, ASCII or full-width.
    static func digit(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0xFF10...0xFF19: return c.value - 0xFF10
        default: return nil
        }
    }

    static func isX(_ c: Unicode.Scalar) -> Bool { [0x58, 0x78, 0xFF38, 0xFF58].contains(c.value) }

    /// An ID character as a masked ID shows it: an ASCII digit or `X`.
    static func plain(_ c: Unicode.Scalar) -> String {
        if let d = digit(c) { return String(d) }
        return "X"
    }

    /// The runs of ID characters: each starts with a digit; an X counts right after a digit.
    private static func runs(_ s: [Unicode.Scalar]) -> [Run] {
        var runs: [Run] = []
        var i = 0
        while i < s.count {
            guard digit(s[i]) != nil else { i += 1; continue }
            let start = i
            i += 1
            while i < s.count, digit(s[i]) != nil || (isX(s[i]) && digit(s[i - 1]) != nil) { i += 1 }
            runs.append(Run(start: start, end: i))
        }
        return runs
    }

    /// Whether the characters between two runs join them into one chain:
    /// one ASCII character or U+FFFD, or a doubled quote, with any number of
    /// control characters besides (`junk`: a run of record separators
    /// between two halves of an ID hid it; a masking-oracle finding of
    /// Scripts/fuzz.sh 300, `1101051` + 100 × `\x1E` + `99809033899`).
    private static func joins(_ s: [Unicode.Scalar], _ end: Int, _ start: Int) -> Bool {
        // The characters between but the junk: at most two matter (no array made: this runs per pair of runs).
        var count = 0
        var first: Unicode.Scalar = " ", second: Unicode.Scalar = " "
        for c in s[end..<start] where !junk(c.value) {
            count += 1
            if count == 1 { first = c } else if count == 2 { second = c } else { return false }
        }
        return count == 0 || (count == 1 && (first.isASCII || first == "\u{FFFD}"))
            || (count == 2 && first == "\"" && second == "\"")
    }

    /// A control character a reader does not see (rejects.csv writes it as
    /// `\x1E`): C0 controls but tab and line breaks, and DEL. NUL is one; it
    /// joins like any single ASCII character, and so do runs of them.
    static func junk(_ value: UInt32) -> Bool {
        (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || value == 0x7F
    }

    /// The common case, at every key cell of a report: text in which no
    /// chain of digits reaches 12, or whose one long run (a claim ID
    /// `C20220600000001`) could not be part of an ID. No memory is taken.
    /// A character beyond ASCII never joins two runs (`joins`), so it only
    /// breaks a chain, unless it is itself an ID character or U+FFFD
    /// (full-width digits and X, EF BC 90-99, EF BC B8, EF BD 98; U+FFFD,
    /// EF BF BD): then the full masking decides. (Measured: a Chinese
    /// refusal on every cash claim of a city's month cost 0.3 s when any
    /// text beyond ASCII took the full masking.)
    static func holdsNoID(_ bytes: String.UTF8View, pieces: Bool = true) -> Bool {
        var chain = 0, run = 0, longest = 0, runs = 0
        var gap = 0  // bytes since the last digit
        var previous: UInt8 = 0
        var joined = false
        var lead: (first: UInt8, second: UInt8?)?  // the bytes of an EF sequence seen so far
        for byte in bytes {
            if byte >= 0x80 {
                // Beyond ASCII: a gap that breaks the chain, unless an ID character or U+FFFD.
                if byte == 0xEF {
                    lead = (byte, nil)
                } else if let seen = lead {
                    if let second = seen.second {
                        let idLike = (second == 0xBC && (0x90...0x99).contains(byte)) || (second == 0xBC && byte == 0xB8)
                            || (second == 0xBD && byte == 0x98) || (second == 0xBF && byte == 0xBD)
                        if idLike { return false }
                        lead = nil
                    } else {
                        lead = (seen.first, byte)
                    }
                }
                if run > 0 { run = 0 }
                gap = 3
                chain = 0
                previous = byte
                continue
            }
            lead = nil
            if byte &- UInt8(ascii: "0") < 10 || ((byte | 0x20) == UInt8(ascii: "x") && run > 0) {
                if run == 0 {
                    let join = gap <= 1 || (gap == 2 && previous == UInt8(ascii: "\""))  // 0: only control characters between
                    if chain > 0 && join { joined = true } else { chain = 0 }
                    runs += 1
                }
                run += 1
                chain += 1
                longest = max(longest, chain)
                gap = 0
            } else if junk(UInt32(byte)) {
                // Unseen control characters keep the gap as it was (`joins`).
                if run > 0 { run = 0 }
                continue
            } else {
                if run > 0 { run = 0 }
                gap += 1
                if gap > 2 { chain = 0 }
            }
            previous = byte
        }
        if longest < (pieces ? 12 : 15) { return true }
        // One run of 12 to 14 and nothing joined to it: is it part of an ID?
        guard longest < 15, runs == 1, !joined else { return false }
        var digits: [Unicode.Scalar] = []
        for byte in bytes where byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) == UInt8(ascii: "x") {
            digits.append(Unicode.Scalar(byte))
        }
        return digits.count == longest && !couldBePartOfID(digits)
    }

    /// Whether 12 to 14 ID characters could be a stretch of an 18-character
    /// ID: at some place in it, the birth year and month they hold are
    /// plausible (year 1900 to 2099, month 01-12), and an X stands only at
    /// the ID's last place. (A stretch of a legacy 15-digit
    /// ID, whose year has two digits, is not told from other numbers.)
    ///
    /// 13 or 14 characters count when any 12 in a row among them could: an
    /// ID's tail with a digit run on after it (`2196508151193` + `1` of a
    /// broken row, a masking-oracle finding) is not itself a stretch of one.
    static func couldBePartOfID(_ characters: [Unicode.Scalar]) -> Bool {
        if fitsInID(characters[...]) { return true }
        guard characters.count > 12, characters.count <= 18 else { return false }
        return (0...(characters.count - 12)).contains { fitsInID(characters[$0..<$0 + 12]) }
    }

    /// Whether these characters, as they stand, could be a stretch of an ID (`couldBePartOfID`).
    /// `withDay`: a day the characters hold whole must be one (01-31): for
    /// characters beside a whole ID's kept end, which are not a cut ID's.
    static func fitsInID(_ characters: ArraySlice<Unicode.Scalar>, withDay: Bool = false) -> Bool {
        let values = characters.map { digit($0).map(Int.init) ?? 10 }
        let count = values.count
        guard count <= 18 else { return true }
        func number(_ at: Int, _ length: Int) -> Int? {
            guard at >= 0, at + length <= count else { return nil }
            var value = 0
            for index in at..<at + length {
                guard values[index] < 10 else { return -1 }
                value = value * 10 + values[index]
            }
            return value
        }
        let xAt = values.indices.filter { values[$0] == 10 }
        for offset in 0...(18 - count) where xAt.allSatisfy({ $0 + offset == 17 }) {
            // The birth date is the ID's characters 6 to 13: here from 6 - offset.
            guard let year = number(6 - offset, 4), (1900...2099).contains(year) else { continue }
            let month = number(10 - offset, 2)
            // The year and month only: every 12 characters in a row of an ID hold them, while the day may be
            // where the ID was cut or corrupted (`44030519941088`, a masking-oracle finding).
            let day = withDay ? number(12 - offset, 2) : nil
            if month.map({ (1...12).contains($0) }) ?? true, day.map({ (1...31).contains($0) }) ?? true { return true }
        }
        return false
    }

    /// Whether two runs are joined by a separator an ID is written with: one `-`, `.`, space or `/`.
    private static func separates(_ s: [Unicode.Scalar], _ end: Int, _ start: Int) -> Bool {
        start - end == 1 && "-. /".unicodeScalars.contains(s[end])
    }

    /// Which runs belong to a date or time: a year of 4 ASCII digits, a
    /// month of 1 or 2 (after `-`, `/`, `.` or 年), optionally a day (and
    /// 日), a time `H:MM[:SS[.f]]` after a space or `T`, and an offset (`Z`,
    /// `+08:00`), each part in its range; not followed by another ID
    /// character or separator and digit.
    private static func dates(_ s: [Unicode.Scalar], _ runs: [Run]) -> [Bool] {
        var dated = [Bool](repeating: false, count: runs.count)
        func ascii(_ run: Run) -> Bool { s[run.start..<run.end].allSatisfy { $0.isASCII } }
        /// The run right after `position` (which is one character before it), of a length in `lengths`.
        func next(_ k: Int, after position: Int, _ lengths: ClosedRange<Int>) -> Bool {
            k < runs.count && runs[k].start == position + 1 && lengths.contains(runs[k].count) && ascii(runs[k])
        }
        /// Whether run `k` is 4 ASCII digits followed by a date's separator and 1 or 2 digits (the next field's date).
        func startsDate(_ k: Int) -> Bool {
            let run = runs[k]
            return run.count == 4 && ascii(run) && run.end < s.count && "-/.年".unicodeScalars.contains(s[run.end])
                && next(k + 1, after: run.end, 1...2)
        }
        var k = 0
        while k < runs.count {
            let year = runs[k]
            guard year.count == 4, ascii(year), year.end < s.count,
                  !(year.start >= 2 && "-/.".unicodeScalars.contains(s[year.start - 1]) && digit(s[year.start - 2]) != nil)
            else { k += 1; continue }
            let separator = s[year.end]
            guard "-/.年".unicodeScalars.contains(separator), next(k + 1, after: year.end, 1...2) else { k += 1; continue }
            var last = k + 1
            var end = runs[last].end
            let daySeparator: Unicode.Scalar = separator == "年" ? "月" : separator
            if end < s.count, s[end] == daySeparator, next(last + 1, after: end, 1...2) {
                last += 1
                end = runs[last].end
                if separator == "年", end < s.count, s[end] == "日" { end += 1 }
                // A time after the day.
                if end < s.count, s[end] == " " || s[end] == "T", next(last + 1, after: end, 1...2),
                   runs[last + 1].end < s.count, s[runs[last + 1].end] == ":", next(last + 2, after: runs[last + 1].end, 2...2) {
                    last += 2
                    end = runs[last].end
                    if end < s.count, s[end] == ":", next(last + 1, after: end, 2...2) {
                        last += 1
                        end = runs[last].end
                        if end < s.count, s[end] == ".", next(last + 1, after: end, 1...9) {
                            last += 1
                            end = runs[last].end
                        }
                    }
                    if end < s.count, s[end] == "Z" {
                        end += 1
                    } else if end < s.count, s[end] == "+" || s[end] == "-", next(last + 1, after: end, 2...2),
                              runs[last + 1].end < s.count, s[runs[last + 1].end] == ":",
                              next(last + 2, after: runs[last + 1].end, 2...2) {
                        last += 2
                        end = runs[last].end
                    }
                }
            } else if separator == "年", end < s.count, s[end] == "月" {
                end += 1
            }
            // Not a date when it goes on as a number would, or when a part
            // is out of its range (an ID cut to look like a date: 4403-05-19 87:07:01).
            let goesOn = end < s.count && (digit(s[end]) != nil || isX(s[end])
                || ("-/.:".unicodeScalars.contains(s[end]) && end + 1 < s.count && digit(s[end + 1]) != nil))
            func value(_ index: Int) -> Int { s[runs[index].start..<runs[index].end].reduce(0) { $0 * 10 + Int(digit($1) ?? 0) } }
            let limits = [12, 31, 23, 59, 59]  // month, day, hour, minute, second
            var plausible = true
            for index in k + 1...last where index - k - 1 < limits.count {
                let part = value(index), limit = limits[index - k - 1]
                if part > limit || (index - k <= 2 && part == 0) { plausible = false }
            }
            // Nor when its last part and the runs joined after it hold 12 ID characters that could be part of
            // an ID (`2022-04-01,97409198871`: the 1 and the 11 after it; a masking-oracle finding).
            var after: [Unicode.Scalar] = end == runs[last].end ? Array(s[runs[last].start..<runs[last].end]) : []
            var j = last
            while !after.isEmpty, j + 1 < runs.count, IDMasking.joins(s, runs[j].end, runs[j + 1].start),
                  !startsDate(j + 1) {
                j += 1
                after += s[runs[j].start..<runs[j].end]
            }
            let partOfID = j > last && after.count >= 12 && (after.count > 18 || couldBePartOfID(after))
            if goesOn || !plausible || partOfID { k += 1; continue }
            for index in k...last { dated[index] = true }
            k = last + 1
        }
        return dated
    }
}
