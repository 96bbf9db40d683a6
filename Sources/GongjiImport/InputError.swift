/// A problem in an input that stops the run: a bad policy file, a broken or
/// hostile bulletin. It names the file and line, never personal data.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as the user would name it (relative to the data folder).
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `bulletins/440300.xml:12: message`.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
