import Foundation

/// Where a job tells the user what it did. The jobs never touch the
/// terminal themselves; the command line passes a console that writes to
/// stdout and stderr, tests pass one that records.
public struct Console: Sendable {
    public var info: @Sendable (String) -> Void
    public var warning: @Sendable (String) -> Void

    public init(info: @escaping @Sendable (String) -> Void, warning: @escaping @Sendable (String) -> Void) {
        self.info = info
        self.warning = warning
    }

    /// Standard output for information (silenced by `quiet`), standard error
    /// for warnings.
    public static func standard(quiet: Bool) -> Console {
        Console(
            info: { line in if !quiet { FileHandle.standardOutput.write(Data((line + "\n").utf8)) } },
            warning: { line in FileHandle.standardError.write(Data(("warning: " + line + "\n").utf8)) }
        )
    }

    public static let silent = Console(info: { _ in }, warning: { _ in })
}
