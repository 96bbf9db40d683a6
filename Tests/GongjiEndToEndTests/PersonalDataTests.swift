import Foundation
import Testing

/// No personal data without --reveal-ids, anywhere (issue 25): the cases a
/// hostile trial found, each rebuilt on a copy of SampleData.
@Suite struct PersonalDataTests {
    typealias Copy = RobustnessTests.Copy

    /// Every ID of SampleData's persons and every name.
    static let persons: [(id: String, name: String)] = {
        let text = (try? Gongji.text(Gongji.packageRoot.appendingPathComponent("SampleData/persons.csv"))) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count > 1 ? (String(fields[0]), String(fields[1])) : nil
        }
    }()

    /// What in `text` shows a known ID (12 of its characters in a row, once
    /// single characters between digits are taken out) or a known name.
    static func exposed(_ text: String) -> [String] {
        var found: [String] = []
        let digits = joined(text)
        for (id, name) in persons {
            let characters = Array(id)
            for start in 0...(characters.count - 12) where digits.contains(String(characters[start..<start + 12])) {
                found.append(id)
                break
            }
            if name.count > 1, text.contains(name) { found.append(name) }
        }
        return found
    }

    /// The ID characters of `text` with every single ASCII character or U+FFFD between two of them taken out.
    static func joined(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        func isID(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) || c == "X" || c == "x" }
        for (index, scalar) in scalars.enumerated() {
            if isID(scalar) {
                out.append(scalar)
            } else if scalar.isASCII || scalar == "\u{FFFD}", index > 0, index + 1 < scalars.count, isID(scalars[index - 1]),
                      isID(scalars[index + 1]) {
                continue
            } else {
                out.append(" ")
            }
        }
        return String(out)
    }

    /// Every file under `folder` and the command's output, as text.
    static func everything(_ folder: URL, _ result: Gongji.Result) -> String {
        var all = result.stdout + result.stderr
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            if let data = try? Data(contentsOf: url) { all += "\n" + String(decoding: data, as: UTF8.self) }
        }
        return all
    }

    /// An ID in a claim's amount, region_code, occurred_at or category, in a
    /// binding's relation or priority, and a name swapped with the scheme:
    /// rejects.csv's `error` column masks the value it quotes, like `raw`.
    @Test func theErrorColumnMasksWhatItQuotes() throws {
        let copy = try Copy()
        defer { copy.remove() }
        let id = "440305198707011392"
        try copy.append("usage/2022-06.csv", """
            C-A1,\(id),2022-06-30 10:00:00,440300,outpatient,\(id)
            C-A2,\(id),2022-06-30 10:00:00,\(id),outpatient,10.00
            C-A3,\(id),\(id),440300,outpatient,10.00
            C-A4,\(id),2022-06-30 10:00:00,440300,\(id),10.00

            """)
        try copy.append("bindings.csv", "B9901,\(id),44030519900427983X,\(id),2022-01-01,,app,\nB9902,\(id),44030519900427983X,spouse,2022-01-01,,app,\(id)\n")
        try copy.append("persons.csv", "11010519491231002X,employee,110000,赵钱孙,\n")
        let (result, rejects) = try copy.rejects(["--lang", "en"])
        #expect(result.status == 0)
        #expect(rejects.contains("usage/2022-06.csv,122,amount,'440305********1392' is not an amount in yuan with at most 2 decimals,"
                                 + "\"C-A1,440305********1392,2022-06-30 10:00:00,440300,outpatient,440305********1392\"\n"))
        #expect(rejects.contains("usage/2022-06.csv,123,region_code,'440305********1392' is not a 6-digit region code,"))
        #expect(rejects.contains("usage/2022-06.csv,124,occurred_at,'440305********1392' is not a time YYYY-MM-DD HH:MM[:SS],"))
        #expect(rejects.contains("usage/2022-06.csv,125,category,\"'440305********1392' is not one of: outpatient,"))
        #expect(rejects.contains("bindings.csv,57,relation,\"'440305********1392' is not one of: spouse,"))
        #expect(rejects.contains("bindings.csv,58,priority,'440305********1392' is not a whole number from 1 to 999999999,"))
        #expect(rejects.contains("persons.csv,347,scheme,\"'***' is not one of: employee, resident\",\"110105********002X,employee,110000,***,\"\n"))
        #expect(Self.exposed(rejects).isEmpty)
        #expect(!rejects.contains("赵钱孙"))
        // In Chinese (the default) the error quotes the same values, masked the same.
        let (_, chinese) = try copy.rejects()
        #expect(chinese.contains("usage/2022-06.csv,122,amount,“440305********1392”不是以元为单位、至多 2 位小数的金额,"
                                 + "\"C-A1,440305********1392,2022-06-30 10:00:00,440300,outpatient,440305********1392\"\n"))
        #expect(chinese.contains("persons.csv,347,scheme,\"“***”不在可选值之列：employee, resident\",\"110105********002X,employee,110000,***,\"\n"))
        #expect(Self.exposed(chinese).isEmpty)
        #expect(!chinese.contains("赵钱孙"))
    }

    /// IDs and names in rows that are broken: a quote inside an ID, an ID
    /// split by a comma, a NUL inside (written `\x00`, never raw), one byte
    /// corrupted, and the name of a row rejected for its field count or
    /// for invalid UTF-8.
    @Test func brokenRowsAreMaskedToo() throws {
        let copy = try Copy()
        defer { copy.remove() }
        try copy.append("usage/2022-06.csv", "C-B1,440305198\"707011392,2022-06-30 10:00:00,440300,outpatient,10.00\n"
                        + "C-B2,440305198,707011392,2022-06-30 10:00:00,440300,outpatient,10.00\n"
                        + "C-B3,440305198\u{0}707011392,2022-06-30 10:00:00,440300,outpatient,10.00\n"
                        + "C-B4,4403051987070@1392,2022-06-30 10:00:00,440300,outpatient,10.00\n")
        let persons = copy.data.appendingPathComponent("persons.csv")
        var bytes = try Data(contentsOf: persons)
        bytes += Data("11010519491231002X,赵钱孙,110000,employee,1,extra\n".utf8)
        bytes += Data("110105194912310046,周吴".utf8) + Data([0xFF]) + Data(",110000,employee,1\n".utf8)
        bytes += Data("110105194912310054,郑,王冯,110000,employee\n".utf8)
        try bytes.write(to: persons)
        // A name put in a file without a name column.
        try copy.append("bindings.csv", "B9903,440305198707011392,44030519900427983X,胡强强,2022-01-01,,app,\n")
        let (result, rejects) = try copy.rejects(["--lang", "en"])
        #expect(result.status == 0)
        #expect(rejects.contains("\"C-B1,440305***\"\"*****1392,2022-06-30 10:00:00,440300,outpatient,10.00\"\n"))
        #expect(rejects.contains(",\"C-B2,440305***,*****1392,2022-06-30 10:00:00,440300,outpatient,10.00\"\n"))
        #expect(rejects.contains(",\"C-B3,440305***\\x00*****1392,2022-06-30 10:00:00,440300,outpatient,10.00\"\n"))
        #expect(!rejects.contains("\u{0}"))
        #expect(rejects.contains(",\"C-B4,440305*******@1392,2022-06-30 10:00:00,440300,outpatient,10.00\"\n"))
        #expect(rejects.contains("persons.csv,347,,the row has 6 fields; the header has 5,\"110105********002X,***,110000,employee,1,extra\"\n"))
        #expect(rejects.contains("persons.csv,348,,\"the text is not valid UTF-8 (for a GB18030 file, pass --encoding gb18030)\",\"110105********0046,***,110000,employee,1\"\n"))
        #expect(rejects.contains("persons.csv,349,region_code,'**' is not a 6-digit region code,\"110105********0054,郑*,**,110000,employee\"\n"))
        #expect(Self.exposed(rejects).isEmpty)
        #expect(rejects.contains("bindings.csv,57,relation,\"'***' is not one of: spouse, parent, child, sibling, grandparent, grandchild\","
                                 + "\"B9903,440305********1392,440305********983X,***,2022-01-01,,app,\"\n"))
        for name in ["赵钱孙", "周吴", "王冯", "胡强强"] { #expect(!rejects.contains(name)) }
        // In Chinese (the default) as well: the error's quoted piece of an ID is hidden as in `raw`.
        let (_, chinese) = try copy.rejects()
        #expect(chinese.contains("persons.csv,349,region_code,“**”不是六位统筹区代码,\"110105********0054,郑*,**,110000,employee\"\n"))
        #expect(Self.exposed(chinese).isEmpty)
        for name in ["赵钱孙", "周吴", "王冯", "胡强强"] { #expect(!chinese.contains(name)) }
        // With --reveal-ids nothing is masked; the NUL is still not written raw.
        let revealed = copy.root.appendingPathComponent("revealed")
        #expect(try Gongji.run(["run", "--lang", "en", "--quiet", "--data", copy.data.path, "--out", revealed.path, "--reveal-ids"]).status == 0)
        let full = try Gongji.text(revealed.appendingPathComponent("rejects.csv"))
        #expect(full.contains(",\"C-B3,440305198\\x00707011392,2022-06-30 10:00:00,440300,outpatient,10.00\"\n"))
        #expect(full.contains("11010519491231002X,赵钱孙,110000,employee,1,extra"))
    }

    /// wallet-quotas.csv with CR-only line ends is one long header line: the
    /// error says so, and neither it nor any message shows an ID.
    @Test func aConsoleMessageShowsNoID() throws {
        let copy = try Copy()
        defer { copy.remove() }
        let quotas = copy.data.appendingPathComponent("wallet-quotas.csv")
        let text = try Gongji.text(quotas).replacingOccurrences(of: "\n", with: "\r")
        try Data(text.utf8).write(to: quotas)
        let out = copy.root.appendingPathComponent("out")
        let result = try Gongji.run(["run", "--lang", "en", "--quiet", "--data", copy.data.path, "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr == "gongji: error: wallet-quotas.csv:1: the header holds a line break that is a CR alone: the file's lines "
                + "end in CR (an old Mac format); save it with LF or CRLF line ends\n")
        // A header that repeats an ID: the message masks it.
        try Data("quota_id,sharer_id,beneficiary_id,relation,set_on,amount,320505196812287731,320505196812287731\n".utf8).write(to: quotas)
        let twice = try Gongji.run(["run", "--lang", "en", "--quiet", "--data", copy.data.path, "--out", out.path])
        #expect(twice.stderr == "gongji: error: wallet-quotas.csv:1: column '320505********7731' appears twice in the header\n")
        // A header that is a data row: its names are counted, not quoted; its IDs masked.
        try Data("quota_id,sharer_id,beneficiary_id,relation,set_on,amount,赵钱孙,320505196812287731\n".utf8).write(to: quotas)
        let names = try Gongji.run(["validate", "--lang", "en", "--data", copy.data.path, "--out", out.path])
        #expect(names.stderr.contains("warning: wallet-quotas.csv: ignoring unknown columns 320505********7731, 1 more that does not look like column names\n"))
        #expect(Self.exposed(names.stderr + names.stdout).isEmpty)
        #expect(!names.stderr.contains("赵钱孙"))
    }
}
