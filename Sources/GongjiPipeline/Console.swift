import Foundation
import GongjiDomain
import GongjiReports

/// Where a job tells the user what it did. The jobs never touch the
/// terminal themselves; the command line passes a console that writes to
/// stdout and stderr, tests pass one that records. Lines are `Phrase`s,
/// said in the language of `--lang` where they are written (`standard`).
public struct Console: Sendable {
    public var info: @Sendable (Phrase) -> Void
    public var warning: @Sendable (Phrase) -> Void
    /// Stage timings (`--timings`), for the benchmark; nil: not measured.
    public var timing: (@Sendable (String) -> Void)?
    /// Progress of long stages on a terminal; nil in a pipe or with `--quiet`.
    public var progress: (any ProgressDisplay)?
    /// The language the lines are said in (`--lang`), for what a job words
    /// itself from its inputs (a what-if's title).
    public var language = Language.zh

    public init(info: @escaping @Sendable (Phrase) -> Void, warning: @escaping @Sendable (Phrase) -> Void,
                timing: (@Sendable (String) -> Void)? = nil, progress: (any ProgressDisplay)? = nil) {
        self.info = info
        self.warning = warning
        self.timing = timing
        self.progress = progress
    }

    /// Standard output for information (silenced by `quiet`), standard error
    /// for warnings, timings and progress.
    /// Info on standard output, warnings and timings on standard error, and
    /// a progress line on a terminal: not with `quiet`, nor with `timings`,
    /// whose lines it would run into.
    /// Every line said in `language` (`--lang`: `Words.say`), then masked
    /// (`maskedIDs`) unless `reveal` (`--reveal-ids`).
    public static func standard(quiet: Bool, timings: Bool = false, reveal: Bool = false,
                                language: Language = .zh) -> Console {
        let interactive = !quiet && !timings && isatty(STDERR_FILENO) == 1
        let words = Words(language)
        let shown: @Sendable (Phrase) -> String = { reveal ? words.say($0) : maskedIDs(words.say($0)) }
        let info: @Sendable (Phrase) -> Void = { line in
            if !quiet { FileHandle.standardOutput.write(Data((shown(line) + "\n").utf8)) }
        }
        let warning: @Sendable (Phrase) -> Void = { line in
            FileHandle.standardError.write(Data((shown("warning: \(line)") + "\n").utf8))
        }
        var timing: (@Sendable (String) -> Void)?
        if timings {
            timing = { line in FileHandle.standardError.write(Data(("timing: " + (reveal ? line : maskedIDs(line)) + "\n").utf8)) }
        }
        var console = Console(info: info, warning: warning, timing: timing, progress: interactive ? Progress() : nil)
        console.language = language
        return console
    }

    public static let silent = Console(info: { _ in }, warning: { _ in })

    /// Runs `body` and reports how long it took, and the process's resident
    /// memory after it, as `timing: LABEL 1.234 s (rss 210 MiB)`.
    func time<T, E: Error>(_ label: String, _ body: () throws(E) -> T) throws(E) -> T {
        guard let timing else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        timing("\(label) \(String(format: "%.3f", seconds)) s" + (Console.residentMiB().map { " (rss \($0) MiB)" } ?? ""))
        return result
    }

    /// Resident memory in MiB, where /proc tells it (Linux).
    static func residentMiB() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
    }
}

/// What reading a file tells as it goes: the rows and bytes read so far.
public protocol ProgressDisplay: AnyObject, Sendable {
    /// Starts a stage over `totalBytes` bytes of input.
    func begin(_ label: String, totalBytes: Int64)
    /// Reports `rows` read so far and `bytes` of the input consumed.
    func update(rows: Int, bytes: Int64)
    func end()
}

/// A one-line progress display on standard error: rows, rows per second and,
/// when the size is known, the time left. Redrawn at most 5 times a second.
///
/// `@unchecked Sendable` because a `Console` (which is Sendable) holds it,
/// yet its state is unguarded: only one thread uses a `Progress`, the
/// job's, whose stages run one after another. What both cores read at once
/// is shown through `SharedProgress`, whose lanes take the lock instead.
public final class Progress: ProgressDisplay, @unchecked Sendable {
    private var label = ""
    private var total: Int64 = 0
    private var start: UInt64 = 0
    private var lastDraw: UInt64 = 0
    private var shown = false

    public init() {}

    /// Starts a stage over `total` bytes of input.
    public func begin(_ label: String, totalBytes: Int64) {
        self.label = label
        total = totalBytes
        start = DispatchTime.now().uptimeNanoseconds
        lastDraw = start
    }

    /// Reports `rows` read so far and `bytes` of the input consumed.
    public func update(rows: Int, bytes: Int64) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 200_000_000 else { return }
        lastDraw = now
        let seconds = Double(now - start) / 1e9
        let rate = seconds > 0 ? Double(rows) / seconds : 0
        var line = "\(label): \(rows) rows, \(Int(rate)) rows/s"
        if total > 0, bytes > 0 {
            let bytes = min(bytes, total)  // an estimate of the total (the workbook's rows) may fall short
            let left = seconds * Double(total - bytes) / Double(bytes)
            line += ", \(Int((Double(bytes) * 100 / Double(total)).rounded()))%, about \(Int(left.rounded(.up))) s left"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        shown = true
    }

    /// Clears the line.
    public func end() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}

/// Files read on both cores at once, shown as one progress line: each lane
/// reports its own file, and the line shows the rows and bytes of all of
/// them together.
final class SharedProgress: @unchecked Sendable {  // every access under the lock
    private let lock = NSLock()
    private let display: any ProgressDisplay
    /// Rows and bytes of the files done, and of each lane's current file.
    private var done: (rows: Int, bytes: Int64) = (0, 0)
    private var current: [ObjectIdentifier: (rows: Int, bytes: Int64)] = [:]

    init(_ display: any ProgressDisplay, label: String, totalBytes: Int64) {
        self.display = display
        display.begin(label, totalBytes: totalBytes)
    }

    /// The display one lane reads its files with.
    func lane() -> any ProgressDisplay { Lane(self) }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        display.end()
    }

    private func set(_ lane: Lane, rows: Int, bytes: Int64, finished: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if finished {
            current[ObjectIdentifier(lane)] = nil
            done.rows += rows
            done.bytes += bytes
        } else {
            current[ObjectIdentifier(lane)] = (rows, bytes)
        }
        let rows = current.values.reduce(done.rows) { $0 + $1.rows }
        let bytes = current.values.reduce(done.bytes) { $0 + $1.bytes }
        display.update(rows: rows, bytes: bytes)
    }

    private final class Lane: ProgressDisplay, @unchecked Sendable {  // used by one lane at a time
        let shared: SharedProgress
        var last: (rows: Int, bytes: Int64) = (0, 0)
        init(_ shared: SharedProgress) { self.shared = shared }
        func begin(_ label: String, totalBytes: Int64) { last = (0, 0) }
        func update(rows: Int, bytes: Int64) {
            last = (rows, bytes)
            shared.set(self, rows: rows, bytes: bytes, finished: false)
        }
        func end() { shared.set(self, rows: last.rows, bytes: last.bytes, finished: true) }
    }
}
