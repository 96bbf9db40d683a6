import Foundation
import GongjiDomain
import GongjiImport

/// Fuzz targets for the readers of untrusted input (Scripts/fuzz.sh): each
/// takes one input's bytes and must answer with values or an error naming
/// the file, never crash, hang or lose a row. A broken promise is a crash,
/// which the fuzzer keeps as a finding.
enum FuzzTarget: String, CaseIterable {
    case csv, bulletin, policy

    /// The scratch file an input is written to (the readers read files).
    static let scratch = FileManager.default.temporaryDirectory
        .appendingPathComponent("gongji-fuzz-\(getpid())", isDirectory: true)

    static let sampleRules = Policy(regions: [RegionPolicy(code: RegionCode("440300")!, name: "深圳市")])

    func run(_ data: Data) {
        try? FileManager.default.createDirectory(at: Self.scratch, withIntermediateDirectories: true)
        let file = Self.scratch.appendingPathComponent("input")
        guard (try? data.write(to: file)) != nil else { return }
        switch self {
        case .csv:
            // persons.csv's reader over the bytes: every row accepted or
            // rejected, each rejected one with its line, in line order.
            guard let table = try? CSVTableReader(path: file.path, name: "persons.csv", required: PersonsRows.columns.required,
                                                  optional: PersonsRows.columns.optional) else { return }
            var rows = PersonsRows(table: table, policy: Self.sampleRules, expected: 16)
            guard let read = try? rows.read(table) else { return }
            let lines = read.rejected.map(\.line)
            if read.accepted < 0 || read.accepted != rows.persons.count || lines != lines.sorted() || lines.contains(where: { $0 < 2 }) {
                finding("persons.csv: read \(read.read), accepted \(read.accepted), persons \(rows.persons.count), lines \(lines)")
            }
        case .bulletin:
            do {
                _ = try BulletinReader.read(path: file.path, name: "bulletins/x.xml")
            } catch {
                if error.description.contains("\n") { finding("a message of more than one line: \(error)") }
            }
        case .policy:
            do {
                _ = try PolicyReader.parse(String(decoding: data, as: UTF8.self), name: "policy.yaml")
            } catch {
                if error.description.contains("\n") { finding("a message of more than one line: \(error)") }
            }
        }
    }
}

/// A broken promise: said on standard error, then the process aborts, which
/// is how libFuzzer learns of a finding and keeps its input. (Only this
/// fuzzing tool stops so; gongji itself reports every bad input.)
func finding(_ message: String) -> Never {
    FileHandle.standardError.write(Data("finding: \(message)\n".utf8))
    abort()
}

#if FUZZING
/// libFuzzer's driver (libclang_rt.fuzzer): it parses the fuzzer's options
/// and calls `fuzzOne` with each input.
@_silgen_name("LLVMFuzzerRunDriver")
func fuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// One input; the target is named by GONGJI_FUZZ_TARGET. (libFuzzer's own
/// `main`, when the linker takes it, calls this by its C name.)
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let target = ProcessInfo.processInfo.environment["GONGJI_FUZZ_TARGET"].flatMap(FuzzTarget.init) ?? .csv
    target.run(start.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

/// The program's entry (SwiftPM names an executable's entry `<Target>_main`).
@_cdecl("GongjiFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return fuzzerRunDriver(&count, &arguments) { start, length in fuzzOne(start, length) }
}
#else
/// Without the fuzzer: replays saved inputs, `gongji-fuzz TARGET FILE...`
/// (a finding the fuzzer wrote, to see its message under a debugger).
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let first = arguments.first, let target = FuzzTarget(rawValue: first) else {
            FileHandle.standardError.write(Data("usage: gongji-fuzz csv|bulletin|policy FILE...\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            target.run(data)
            print("\(path): no finding")
        }
    }
}
#endif
