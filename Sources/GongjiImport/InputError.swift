import GongjiDomain

/// A problem in an input that stops the run: a bad policy file, a broken or
/// hostile bulletin. It names the file and line, never personal data.
/// The message is a `Phrase`, said in the language of `--lang` where it is
/// shown; `description` is its English.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as the user would name it (relative to the data folder).
    public var file: String
    public var line: Int?
    public var message: Phrase

    public init(file: String, line: Int?, message: Phrase) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `bulletins/440300.xml:12: message`, the message in either language
    /// (made one line where it is shown).
    public var phrase: Phrase {
        if let line { return "\(InputError.oneLine(file)):\(line): \(message)" }
        return "\(InputError.oneLine(file)): \(message)"
    }

    /// In English, always one line.
    public var description: String { InputError.oneLine(phrase.english) }

    /// `text` on one line: line breaks, tabs and other control characters
    /// (a parser's echo of the source, libxml2's own lines) become single
    /// spaces, and the ends are trimmed.
    public static func oneLine(_ text: String) -> String {
        var out = ""
        var space = false
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == " " {
                space = !out.isEmpty
            } else {
                if space { out.append(" ") }
                space = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out.count > 300 ? String(out.prefix(300)) + "…" : out
    }
}
