import ArgumentParser
import Foundation
import GongjiPipeline

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
