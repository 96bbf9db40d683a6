import GongjiDomain
import GongjiImport
import GongjiReports

/// Why a job could not be done (exit code 1): one line naming the file and,
/// where there is one, the line. The message is a `Phrase`, said in the
/// language of `--lang` where it is shown (`text`); `description` is its English.
public struct RunError: Error, CustomStringConvertible, Sendable {
    public var phrase: Phrase

    public init(_ phrase: Phrase) { self.phrase = phrase }
    init(_ error: InputError) { phrase = error.phrase }
    init(_ error: AtomicFile.WriteError) { phrase = error.phrase }

    public var description: String { InputError.oneLine(phrase.english) }

    /// The message as a person reads it: in `language`, on one line, IDs and
    /// names masked (docs/formats.md, "Masking") unless the command was
    /// given `--reveal-ids`.
    public func text(reveal: Bool, language: Language = .zh) -> String {
        let said = InputError.oneLine(Words(language).say(phrase))
        return reveal ? said : maskedIDs(said)
    }
}
