import Foundation
import GongjiDomain
@testable import GongjiReports
import Testing

/// The messages a person reads (docs/architecture.md, "Messages"): English
/// as the code writes it, Chinese from the one table, every message in it.
@Suite struct MessagesTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func aPhraseIsSaidInEitherLanguageWithItsValuesInPlace() {
        let region = "999999"
        let phrase: Phrase = "region \(region) is not in policy.yaml"
        #expect(phrase.key == "region {} is not in policy.yaml")
        #expect(Words(.en).say(phrase) == "region 999999 is not in policy.yaml")
        #expect(Words(.zh).say(phrase) == "统筹区 999999 不在 policy.yaml 中")
        // A phrase inside a phrase is said in the same language; values may change places.
        let form: Phrase = "a month YYYY-MM"
        let nested: Phrase = "'\("2022-13")' is not \(form)"
        #expect(Words(.en).say(nested) == "'2022-13' is not a month YYYY-MM")
        #expect(Words(.zh).say(nested) == "“2022-13”不是月份（YYYY-MM 格式）")
        let place: Phrase = "line \(12) of \("usage/2022-06.csv")"
        #expect(Words(.zh).say(place) == "usage/2022-06.csv 第 12 行")
        // What the table lacks is said in English, its values in the language.
        #expect(Words(.zh).say("no such message \(form)") == "no such message 月份（YYYY-MM 格式）")
        #expect(Words(.zh).say(Phrase(verbatim: "libxml2 says so")) == "libxml2 says so")
        #expect(Words(.zh).say(Phrase.list(["\("13")", "\("32")", "\("35")"])) == "13、32 和 35")
    }

    @Test func everyTemplateUsesOnlyItsOwnValues() {
        for (key, template) in Words.chinese {
            let count = key.components(separatedBy: "{}").count - 1
            let used = template.matches(of: /\{(\d+)\}/).map { Int($0.1)! }
            #expect(used.allSatisfy { $0 < count }, "\(key)")
        }
    }

    /// Every message the code writes has its Chinese, and every Chinese
    /// message is one the code still writes: the message literals of the
    /// readers, jobs and commands (`RowError`, `InputError`, `RunError`,
    /// console lines, `fail`, a CSV record's `problem`, a domain `Phrase`)
    /// are found in the sources and looked up.
    @Test func theTableAndTheCodeHoldTheSameMessages() throws {
        var found: [String: String] = [:]
        let folders = ["GongjiImport", "GongjiPipeline", "gongji", "GongjiDomain/Values", "GongjiDomain/Credits", "GongjiDomain/Wages"]
        for folder in folders {
            let root = Self.sources.appendingPathComponent(folder)
            for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            where url.pathExtension == "swift" {
                let text = try String(contentsOf: url, encoding: .utf8)
                for key in Self.messages(in: text) { found[key] = url.lastPathComponent }
            }
        }
        #expect(found.count > 150)
        for (key, file) in found.sorted(by: { $0.key < $1.key }) {
            #expect(Words.chinese[key] != nil, "no Chinese for \"\(key)\" (\(file))")
        }
        let all = try Self.allSources()
        for key in Words.chinese.keys {
            let pieces = key.components(separatedBy: "{}").filter { !$0.isEmpty }
            #expect(pieces.allSatisfy { all.contains($0) }, "\"\(key)\" is in the table but not in the code")
        }
    }

    /// The sources joined, string literals split over `+` joined back.
    static func allSources() throws -> String {
        var out = ""
        for case let url as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        where url.pathExtension == "swift" {
            out += try String(contentsOf: url, encoding: .utf8)
        }
        return out.replacing(/"\s*\+\s*"/, with: "").replacing(/\\\([^()]*(\([^()]*\)[^()]*)*\)/, with: "{}")
            .replacingOccurrences(of: "\\\"", with: "\"")
    }

    /// The keys of the message literals in `text`: a literal after one of
    /// the places a message is written, and a literal joined to it by `+`,
    /// or chosen with it by `? :`.
    static func messages(in text: String) -> [String] {
        let openings = ["RowError(column: ", "message: ", "RunError(", ".info(", ".warning(", "fail(", "problem = ",
                        "Phrase = ", "-> Phrase {", "-> Phrase? {", "ProvinceError(", "return "]
        let s = Array(text.unicodeScalars)
        var keys: [String] = []
        var i = 0
        func at(_ word: String, _ k: Int) -> Bool {
            let w = Array(word.unicodeScalars)
            return k + w.count <= s.count && Array(s[k..<k + w.count]) == w
        }
        /// The literal at `k` (which is `"`): its key and the index after it.
        func literal(_ k: Int) -> (String, Int) {
            var key = "", j = k + 1
            while j < s.count, s[j] != "\"" {
                if s[j] == "\\", j + 1 < s.count, s[j + 1] == "(" {
                    var depth = 1
                    j += 2
                    while j < s.count, depth > 0 {
                        if s[j] == "\"" {  // a literal inside the interpolation
                            j += 1
                            while j < s.count, s[j] != "\"" { j += s[j] == "\\" ? 2 : 1 }
                        } else if s[j] == "(" { depth += 1 } else if s[j] == ")" { depth -= 1 }
                        j += 1
                    }
                    key += "{}"
                    continue
                }
                if s[j] == "\\", j + 1 < s.count {
                    key.unicodeScalars.append(s[j + 1] == "n" ? "\n" : s[j + 1])
                    j += 2
                    continue
                }
                key.unicodeScalars.append(s[j])
                j += 1
            }
            return (key, j + 1)
        }
        func skipSpace(_ k: Int) -> Int {
            var k = k
            while k < s.count, s[k] == " " || s[k] == "\n" { k += 1 }
            return k
        }
        while i < s.count {
            guard let opening = openings.first(where: { at($0, i) }) else { i += 1; continue }
            var k = skipSpace(i + opening.unicodeScalars.count)
            if opening.hasPrefix("RowError") {  // the column's name comes first
                while k < s.count, s[k] != ",", s[k] != "\n" { k += 1 }
                k = skipSpace(k + 1)
            }
            // A message starts with a literal, or is chosen: `cond ? "a" : "b"` (the condition on the same line).
            if k < s.count, s[k] != "\"" {
                var q = k
                while q < s.count, s[q] != "\n", s[q] != "?", s[q] != ")" { q += 1 }
                guard q < s.count, s[q] == "?", !at("??", q) else { i = k; continue }
                k = skipSpace(q + 1)
                guard k < s.count, s[k] == "\"" else { i = k; continue }
            }
            var key = ""
            while k < s.count, s[k] == "\"", !at("\"\"\"", k) {
                let (piece, next) = literal(k)
                key += piece
                var after = skipSpace(next)
                if after < s.count, s[after] == "+" {
                    after = skipSpace(after + 1)
                    if after < s.count, s[after] == "\"" { k = after; continue }
                }
                if !key.isEmpty, key.contains(where: \.isLetter), !key.hasPrefix("gongji ") { keys.append(key) }
                key = ""
                // `: "other"` of a choice.
                if after < s.count, s[after] == ":" {
                    let other = skipSpace(after + 1)
                    if other < s.count, s[other] == "\"" { k = other; continue }
                }
                k = after
                break
            }
            i = max(k, i + 1)
        }
        return keys
    }
}
