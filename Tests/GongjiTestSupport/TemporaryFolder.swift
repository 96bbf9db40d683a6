import Foundation

/// A fresh folder under the system's temporary folder, for one test; removed
/// by `remove()`. Every test target makes its folders this way.
public struct TemporaryFolder: Sendable {
    public let url: URL

    public init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gongji-\(label)-\(Self.uniqueName())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` to `name` (sub-folders created) and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }

    /// A unique name of letters only: messages mask any long run of digits
    /// as a possible ID (docs/formats.md, "Masking"), and a UUID's digits
    /// would make the paths tests compare come out masked now and then.
    public static func uniqueName() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return String((0..<24).map { _ in letters.randomElement()! })
    }
}
