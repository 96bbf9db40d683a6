import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// Fuzz targets for the readers of untrusted input (Scripts/fuzz.sh): each
/// takes one input's bytes and must answer with values or an error naming
/// the file, never crash, hang or lose a row. A broken promise is a crash,
/// which the fuzzer keeps as a finding.
enum FuzzTarget: String, CaseIterable {
    case csv, bulletin, policy
    /// The workbooks' own deflate (`DeflateEncoder`): any bytes, cut into
    /// pieces and chunks, inflate back to themselves with zlib.
    case deflate
    /// No personal data without --reveal-ids (issue 25): an input file
    /// (its name on the first line, `persons.csv` or `bindings.csv`, then
    /// its bytes) read, and rejects.csv and the messages made of it as gongji
    /// writes them; none may show a known ID (12 of its characters in a row)
    /// or a known name (`Oracle`).
    case masking

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
            let lines = read.rejects.map(\.line)
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
        case .deflate:
            if !DeflateRoundTrip.holds(Array(data)) { finding("deflate: \(data.count) bytes do not inflate back to themselves") }
        case .masking:
            let split = data.firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let name = String(decoding: data[data.startIndex..<split], as: UTF8.self) == "bindings.csv" ? "bindings.csv" : "persons.csv"
            guard (try? data[min(split + 1, data.endIndex)...].write(to: file)) != nil else { return }
            var said: [String] = []
            var rejects: [RejectedRow] = []
            do throws(InputError) {
                if name == "bindings.csv" {
                    let table = try CSVTableReader(path: file.path, name: name, required: BindingsRows.columns.required,
                                                   optional: BindingsRows.columns.optional)
                    said += table.unknownColumns.filter(CSVTableReader.looksLikeColumnName)
                    var rows = BindingsRows(table: table, window: Self.window)
                    rejects = try rows.read(table).rejects
                } else {
                    let table = try CSVTableReader(path: file.path, name: name, required: PersonsRows.columns.required,
                                                   optional: PersonsRows.columns.optional)
                    said += table.unknownColumns.filter(CSVTableReader.looksLikeColumnName)
                    var rows = PersonsRows(table: table, policy: Self.sampleRules, expected: 16)
                    rejects = try rows.read(table).rejects
                }
            } catch {
                said.append(error.description)
            }
            // As gongji writes them: rejects.csv, and each message masked (main.swift, Console.standard).
            let output = RejectsReport(rejects: rejects).csv + said.map(maskedIDs).joined(separator: "\n")
            if let shown = Oracle.exposed(output) { finding("\(name): \(shown) shows in: \(output.prefix(2000))") }
        }
    }

    static let window = DateWindow(first: Day(year: 2000, month: 1, day: 1)!, last: Day(year: 2030, month: 12, day: 31)!)
}

/// What the masking target's outputs must never show: the IDs and names of
/// SampleData/persons.csv (the seeds' persons; read from the folder the
/// fuzzer runs in, or GONGJI_FUZZ_PERSONS).
enum Oracle {
    static let persons: [(id: [UInt8], name: String)] = {
        let path = ProcessInfo.processInfo.environment["GONGJI_FUZZ_PERSONS"] ?? "SampleData/persons.csv"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > 1, fields[0].utf8.count == 18 else { return nil }
            return (Array(fields[0].uppercased().utf8), String(fields[1]))
        }
    }()

    /// Every 12 characters in a row of a known ID, packed 4 bits a character (X as 10).
    static let windows: Set<UInt64> = {
        var windows = Set<UInt64>()
        for (id, _) in persons {
            for start in 0...(id.count - 12) { windows.insert(pack(id[start..<start + 12])) }
        }
        return windows
    }()

    static let names: Set<String> = Set(persons.map(\.name).filter { $0.count > 1 })
    static let nameLengths: ClosedRange<Int> = (names.map(\.count).min() ?? 2)...(names.map(\.count).max() ?? 2)

    static func pack(_ characters: ArraySlice<UInt8>) -> UInt64 {
        characters.reduce(0) { $0 << 4 | UInt64($1 == UInt8(ascii: "X") || $1 == UInt8(ascii: "x") ? 10 : $1 &- UInt8(ascii: "0")) }
    }

    /// A known ID (12 of its 18 characters in a row, once a single ASCII
    /// character or U+FFFD between two ID characters is taken out: a quote,
    /// a comma, a NUL, a corrupted byte) or a known name (2 characters or
    /// more) that `text` shows; nil when none.
    static func exposed(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        func isID(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) || c == "X" || c == "x" }
        var joined = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if isID(scalar) {
                joined.append(scalar)
            } else if (scalar.isASCII || scalar == "\u{FFFD}"), index > 0, index + 1 < scalars.count, isID(scalars[index - 1]),
                      isID(scalars[index + 1]) {
                continue
            } else {
                joined.append(" ")
            }
        }
        let digits = Array(String(joined).utf8)
        if digits.count >= 12 {
            for start in 0...(digits.count - 12) {
                let window = digits[start..<start + 12]
                if !window.contains(UInt8(ascii: " ")), windows.contains(pack(window)) { return String(decoding: window, as: UTF8.self) }
            }
        }
        let characters = Array(text)
        for length in nameLengths where characters.count >= length {
            for start in 0...(characters.count - length) where names.contains(String(characters[start..<start + length])) {
                return String(characters[start..<start + length])
            }
        }
        return nil
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
            FileHandle.standardError.write(Data("usage: gongji-fuzz csv|bulletin|policy|masking FILE...\n".utf8))
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
