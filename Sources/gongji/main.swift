import ArgumentParser
import Foundation
import GongjiPipeline
#if os(Linux)
import CMalloc

// Blocks of a MiB or more (a city month's columns, sorted copies, a
// workbook's buffers) are mapped on their own and given back to the system
// when freed. glibc otherwise raises that threshold after the first such
// block is freed, and the later ones stay in its heap: a city's year
// (Benchmarks' city-1000000x12, `run --no-workbook`) peaked at 412 MiB with
// glibc's default and at 366 MiB with this, in the same time
// (docs/architecture.md, "Memory").
_ = mallopt(gongji_mmap_threshold, 1 << 20)
#endif

// The exit-code contract of docs/formats.md: 0 done, 1 the run could not be done,
// 2 wrong usage. ArgumentParser's own code for usage errors is 64, so the
// parse is done here rather than through `Gongji.main()`.
do {
    var command = try Gongji.parseAsRoot()
    do {
        try command.run()
    } catch let error as RunError {
        // Masked like every message, unless the command was given --reveal-ids.
        let reveal = (command as? any RevealsIDs)?.revealIDs ?? false
        // In the command's language (`--lang`, default zh).
        let language = (command as? any Speaks)?.language ?? .zh
        let prefix = language == .zh ? "gongji：错误：" : "gongji: error: "
        FileHandle.standardError.write(Data("\(prefix)\(error.text(reveal: reveal, language: language))\n".utf8))
        exit(1)
    }
} catch {
    let code = Gongji.exitCode(for: error)
    if code == .success || code == .failure {
        Gongji.exit(withError: error)
    }
    FileHandle.standardError.write(Data((Gongji.fullMessage(for: error) + "\n").utf8))
    exit(2)
}
