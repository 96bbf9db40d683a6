import GongjiDomain
import Yams

/// A node of policy.yaml with the key path that leads to it, so that every
/// error can name the key and the line (`regions.440300.threshold[0].rate`).
struct YAMLField {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }

    func fail(_ message: Phrase) -> InputError {
        InputError(file: file, line: line, message: path.isEmpty ? message : "\(path): \(message)")
    }

    /// The mapping's values by key; unknown keys and missing required keys
    /// are errors naming the key.
    func mapping(required: [String], optional: [String]) throws(InputError) -> [String: YAMLField] {
        guard let mapping = node.mapping else { throw fail("expected a mapping of keys") }
        let allowed = Set(required + optional)
        var fields: [String: YAMLField] = [:]
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            let child = YAMLField(node: value, path: path.isEmpty ? name : "\(path).\(name)", file: file)
            guard allowed.contains(name) else {
                let expected = (required + optional).joined(separator: ", ")
                throw InputError(file: file, line: key.mark?.line,
                                 message: "\(child.path): unknown key '\(name)' (expected one of: \(expected))")
            }
            fields[name] = child
        }
        for name in required where fields[name] == nil {
            throw fail("missing key '\(name)'")
        }
        return fields
    }

    /// The mapping's entries in file order, for maps keyed by data (region codes).
    func entries() throws(InputError) -> [(key: String, keyLine: Int?, value: YAMLField)] {
        guard let mapping = node.mapping else { throw fail("expected a mapping") }
        return mapping.map { key, value in
            let name = key.scalar?.string ?? ""
            return (name, key.mark?.line, YAMLField(node: value, path: path.isEmpty ? name : "\(path).\(name)", file: file))
        }
    }

    func list() throws(InputError) -> [YAMLField] {
        guard let sequence = node.sequence else { throw fail("expected a list") }
        return sequence.enumerated().map { YAMLField(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    /// A scalar, or the `value` of `{value: ..., source: ..., confidence: ...}`:
    /// any value may carry its own source and confidence.
    func scalar() throws(InputError) -> String {
        if let scalar = node.scalar { return scalar.string }
        if node.mapping != nil {
            let fields = try mapping(required: ["value"], optional: ["source", "confidence"])
            if let value = fields["value"] { return try value.scalar() }
        }
        throw fail("expected a single value")
    }

    /// A non-empty text of at most `limit` characters (names: 64; a source: 2000).
    func string(limit: Int = 64) throws(InputError) -> String {
        let text = try scalar()
        guard !text.isEmpty else { throw fail("expected a non-empty value") }
        guard text.count <= limit else { throw fail("a value of \(text.count) characters (at most \(limit))") }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw fail("a value with a control character")
        }
        return text
    }

    /// The dates a rule may carry: 1949-10-01 .. 2099-12-31.
    static let dates = Day(year: 1949, month: 10, day: 1)!...Day(year: 2099, month: 12, day: 31)!

    func day() throws(InputError) -> Day {
        let text = try scalar()
        guard let day = Day(text: text) else { throw fail("'\(text)' is not a date YYYY-MM-DD") }
        guard Self.dates.contains(day) else {
            throw fail("\(day) is not a plausible date for a rule (\(Self.dates.lowerBound) .. \(Self.dates.upperBound))")
        }
        return day
    }

    /// A rate from 0 to `max` (100% unless a key allows more, as a base cap does).
    func rate(max: Rate = Rate(text: "100%")!) throws(InputError) -> Rate {
        let text = try scalar()
        guard let rate = Rate(text: text) else {
            throw fail("'\(text)' is not a rate (write a decimal such as 0.008 or a percentage such as 5%)")
        }
        guard rate <= max else { throw fail("\(rate.percentText) is above \(max.percentText)") }
        return rate
    }

    /// An amount in yuan, from 0 to one million.
    func money() throws(InputError) -> Money {
        let text = try scalar()
        guard let money = Money(yuanText: text), money.fen >= 0 else {
            throw fail("'\(text)' is not an amount in yuan with at most 2 decimals")
        }
        guard money.fen <= 100_000_000 else { throw fail("\(money.yuanText) yuan is above 1000000.00") }
        return money
    }

    /// One of an enum's values, by its raw text.
    func choice<Value: RawRepresentable & CaseIterable>(_ type: Value.Type) throws(InputError) -> Value
        where Value.RawValue == String {
        let text = try scalar()
        guard let value = Value(rawValue: text) else {
            throw fail("'\(text)' is not one of: \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func integer(in range: ClosedRange<Int>) throws(InputError) -> Int {
        let text = try scalar()
        guard let value = Int(text), range.contains(value) else {
            throw fail("'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
