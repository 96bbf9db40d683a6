/// A message a person reads (a rejected row's reason, a console line, an
/// error), kept as its English wording and the values in it, so that it can
/// be said in either language where it is shown (docs/architecture.md,
/// "Messages"). Written as English text with interpolations:
///
///     RowError(column: "region_code", "region \(region) is not in policy.yaml")
///
/// is the message with key `region {} is not in policy.yaml` and one value,
/// `440300`. Its English is that text; its Chinese is made by
/// GongjiReports' `Words.say`, from the one table of messages
/// (`Messages.swift`), the values put in place. The domain and the readers
/// hold no Chinese words, only these keys and values.
///
/// A value is shown as it is (a code, a column name, a file, a number), or
/// is itself a phrase (`'x' is not \(form)`, the form said in the same
/// language). Two phrases are equal when their English is: a test compares
/// one with the text it expects.
public struct Phrase: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// A value in a phrase.
    public indirect enum Value: Sendable, Hashable {
        /// Shown as it is, in either language.
        case text(String)
        /// Said in the language of the whole.
        case phrase(Phrase)
    }

    /// The literal pieces, one more than `values`: pieces[0] values[0] pieces[1] ...
    public private(set) var pieces: [String]
    public private(set) var values: [Value]

    public init(stringLiteral value: String) {
        pieces = [value]
        values = []
    }

    public init(stringInterpolation: StringInterpolation) {
        pieces = stringInterpolation.pieces
        values = stringInterpolation.values
    }

    /// A text said the same in every language: a library's own message
    /// (libxml2's, Yams'), an operating system's error.
    public init(verbatim text: String) {
        pieces = ["", ""]
        values = [.text(text)]
    }

    /// The message's key in the table of words: its English with `{}` where each value goes.
    public var key: String { pieces.joined(separator: "{}") }

    /// The message in English: the text as the code writes it.
    public var english: String { said { $0.english } }

    public var description: String { english }

    /// The pieces with each value put in place, a phrase said by `say`.
    public func said(_ say: (Phrase) -> String) -> String {
        var out = pieces[0]
        for (index, value) in values.enumerated() {
            switch value {
            case let .text(text): out += text
            case let .phrase(phrase): out += say(phrase)
            }
            out += pieces[index + 1]
        }
        return out
    }

    /// Two phrases one after the other (a message written over two source lines).
    public static func + (lhs: Phrase, rhs: Phrase) -> Phrase {
        var joined = lhs
        joined.pieces[joined.pieces.count - 1] += rhs.pieces[0]
        joined.pieces += rhs.pieces.dropFirst()
        joined.values += rhs.values
        return joined
    }

    /// `a`, `a and b`, `a, b and c`: each joint a phrase of its own (`{}, {}`, `{} and {}`).
    public static func list(_ items: [Phrase]) -> Phrase {
        guard var out = items.first else { return "" }
        for (index, item) in items.enumerated().dropFirst() {
            out = index == items.count - 1 ? "\(out) and \(item)" : "\(out), \(item)"
        }
        return out
    }

    /// `a, b, c`: each joint a phrase of its own (`{}, {}`).
    public static func commas(_ items: [Phrase]) -> Phrase {
        guard var out = items.first else { return "" }
        for item in items.dropFirst() { out = "\(out), \(item)" }
        return out
    }

    public static func == (lhs: Phrase, rhs: Phrase) -> Bool { lhs.english == rhs.english }

    public func hash(into hasher: inout Hasher) { hasher.combine(english) }

    public struct StringInterpolation: StringInterpolationProtocol {
        var pieces = [""]
        var values: [Value] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            values.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { pieces[pieces.count - 1] += literal }

        /// A phrase inside a phrase: said in the same language.
        public mutating func appendInterpolation(_ phrase: Phrase) {
            values.append(.phrase(phrase))
            pieces.append("")
        }

        /// Any other value: shown as it is.
        public mutating func appendInterpolation<T>(_ value: T) {
            values.append(.text(String(describing: value)))
            pieces.append("")
        }
    }
}
