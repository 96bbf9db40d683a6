import GongjiDomain
import GongjiImport
import GongjiReports

/// Why a job could not be done (exit code 1). Its description is one line
/// naming the file and, where there is one, the line.
public struct RunError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = InputError.oneLine(description) }
    init(_ error: InputError) { description = error.description }
    init(_ error: AtomicFile.WriteError) { description = error.description }

    /// The message as a person reads it: IDs and names masked (docs/formats.md,
    /// "Masking") unless the command was given `--reveal-ids`.
    public func text(reveal: Bool) -> String { reveal ? description : maskedIDs(description) }
}
