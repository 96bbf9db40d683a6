import Foundation
import GongjiTestSupport
import Testing

/// The README's examples print what the README says (issue 24). Two forms
/// are examples:
///
/// - a plain fenced block whose first line starts with `$ `: each `$ `
///   line is a command, the lines after it (up to the next `$ `) what it
///   prints on standard output and error together;
/// - a `sh` block followed at once by a plain block: the plain block is
///   what the `sh` block's last command prints on standard output.
///
/// A line `...` in what is printed stands for any number of lines. Each
/// example runs in a folder of its own holding a link to SampleData, with
/// `swift run gongji` replaced by the built binary and `/tmp/` by a folder
/// of the test's, so the checkout is never written.
@Suite struct ReadmeExamplesTests {
    struct Example: CustomStringConvertible {
        var line: Int
        var commands: [(command: String, expected: [String]?)]
        /// Whether the expected output is standard output alone (a `sh` block's).
        var stdoutOnly: Bool
        var description: String { "README.md:\(line)" }
    }

    static func examples() throws -> [Example] {
        let lines = try Gongji.text(Gongji.packageRoot.appendingPathComponent("README.md"))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Fenced blocks: (line of the opening fence, language, body), fences indented or not.
        var blocks: [(line: Int, language: String, body: [String], end: Int)] = []
        var index = 0
        while index < lines.count {
            let opening = lines[index].trimmingCharacters(in: .whitespaces)
            guard opening.hasPrefix("```") else { index += 1; continue }
            let indent = lines[index].prefix { $0 == " " }.count
            var body: [String] = []
            var end = index + 1
            while end < lines.count, lines[end].trimmingCharacters(in: .whitespaces) != "```" {
                body.append(String(lines[end].dropFirst(min(indent, lines[end].prefix { $0 == " " }.count))))
                end += 1
            }
            blocks.append((index + 1, String(opening.dropFirst(3)), body, end))
            index = end + 1
        }
        var examples: [Example] = []
        for (position, block) in blocks.enumerated() {
            if block.language.isEmpty, block.body.first?.hasPrefix("$ ") == true {
                var commands: [(String, [String]?)] = []
                for text in block.body {
                    if text.hasPrefix("$ ") {
                        commands.append((String(text.dropFirst(2)), []))
                    } else {
                        commands[commands.count - 1].1?.append(text)
                    }
                }
                examples.append(Example(line: block.line, commands: commands, stdoutOnly: false))
            } else if block.language == "sh", position + 1 < blocks.count, blocks[position + 1].language.isEmpty,
                      blocks[position + 1].line == block.end + 2 {
                let commands = block.body.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                examples.append(Example(line: block.line,
                                        commands: commands.dropLast().map { ($0, nil) } + [(commands.last!, blocks[position + 1].body)],
                                        stdoutOnly: true))
            }
        }
        return examples
    }

    /// Whether `output` is `expected`, each `...` standing for any lines.
    static func matches(_ output: [String], _ expected: [String]) -> Bool {
        let segments = expected.split(separator: "...", omittingEmptySubsequences: false).map(Array.init)
        var at = 0
        for (number, segment) in segments.enumerated() {
            if number == 0 {
                guard output.starts(with: segment) else { return false }
                at = segment.count
                continue
            }
            if number == segments.count - 1 {
                return output.count - segment.count >= at && Array(output.suffix(segment.count)) == segment
            }
            guard let found = (at...max(at, output.count - segment.count)).first(where: {
                $0 + segment.count <= output.count && Array(output[$0..<$0 + segment.count]) == segment
            }) else { return false }
            at = found + segment.count
        }
        return at == output.count
    }

    @Test func theMatcherTakesDotsForAnyLines() {
        #expect(Self.matches(["a", "b", "c"], ["a", "...", "c"]))
        #expect(Self.matches(["a", "b", "c"], ["a", "..."]))
        #expect(Self.matches(["a", "b", "c"], ["...", "b", "..."]))
        #expect(!Self.matches(["a", "b", "c"], ["a", "c"]))
        #expect(!Self.matches(["a", "b"], ["a", "b", "c"]))
    }

    @Test func theREADMEHasItsExamples() throws {
        // The clearing and money-set-aside outputs, the thresholds, validate and audit transcripts.
        #expect(try Self.examples().count >= 5)
    }

    @Test(arguments: try examples()) func anExamplePrintsWhatTheREADMESays(_ example: Example) throws {
        let folder = try Gongji.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["SampleData", "Schemas"] {
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(name),
                                                       withDestinationURL: Gongji.packageRoot.appendingPathComponent(name))
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        for (command, expected) in example.commands {
            // /tmp/ first: the binary's own path may be under /tmp (a clone there).
            let line = command.replacingOccurrences(of: "/tmp/", with: folder.appendingPathComponent("tmp").path + "/")
                .replacingOccurrences(of: "swift run gongji", with: "'\(Gongji.binary.path)'")
            let result = try Gongji.shell(["sh", "-c", "cd '\(folder.path)' && " + line + (example.stdoutOnly ? "" : " 2>&1")])
            #expect(result.status == 0, "\(example): \(command): \(result.stderr)")
            guard let expected else { continue }
            let printed = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let output = printed.last == "" ? Array(printed.dropLast()) : printed
            #expect(Self.matches(output, expected), "\(example): \(command) printed:\n\(result.stdout)")
        }
    }
}
