import Foundation
import GongjiDomain

/// The encoding a bulletin's XML declaration names, checked against its
/// bytes before libxml2 sees them: libxml2 would convert UTF-8 bytes under
/// a wrong declaration (GB18030, EBCDIC) into an error of its own about a
/// comment not terminated. Here the cause is said, in one line.
enum DeclaredEncoding {
    /// What to hand libxml2: the file as it is (UTF-8, or no encoding
    /// declared), or its text converted to UTF-8 from the declared encoding.
    enum Text {
        case asIs
        case converted(Data)
    }

    /// Why the declaration and the bytes disagree, with the line.
    struct Mismatch: Error {
        var line: Int
        var message: Phrase
    }

    /// The bytes of the file at `path` (read with POSIX calls: Foundation's
    /// `Data(contentsOf:)` leaked a buffer on an empty file, which the
    /// fuzzer's leak check caught).
    static func contents(of path: String) -> Data? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return Data(bytes)
    }

    /// Checks the declaration at the start of `data`.
    static func check(_ data: Data) throws(Mismatch) -> Text {
        guard let declared = name(in: data) else { return .asIs }
        let upper = declared.uppercased()
        if upper == "UTF-8" || upper == "UTF8" { return .asIs }
        // UTF-8 text with characters beyond ASCII under another name: the
        // declaration is wrong (a GB18030 or EBCDIC file is not valid UTF-8
        // beyond its ASCII).
        if data.contains(where: { $0 >= 0x80 }), String(data: data, encoding: .utf8) != nil {
            throw Mismatch(line: 1, message: "declared \(declared) but the bytes are not: they are UTF-8 "
                           + "(write encoding=\"UTF-8\" in the XML declaration)")
        }
        let converter = iconv_open("UTF-8", declared)
        if converter == iconv_t(bitPattern: -1) {
            throw Mismatch(line: 1, message: "declared \(declared), an encoding gongji cannot read: save the file as UTF-8")
        }
        defer { iconv_close(converter) }
        var output = Data(count: data.count * 4 + 16)
        var failedAt: Int?
        var produced = 0
        data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                var inPointer = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
                var inLeft = input.count
                var outPointer = out.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = out.count
                if iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 { failedAt = input.count - inLeft }
                produced = out.count - outLeft
            }
        }
        if let failedAt {
            let line = data.prefix(failedAt).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw Mismatch(line: line, message: "declared \(declared) but the bytes are not (the byte at offset \(failedAt) is not \(declared))")
        }
        output.count = produced
        // An encoding that is not ASCII's beyond its first 128 (EBCDIC, UTF-16) would not show the declaration itself.
        guard output.starts(with: Data("<?xml".utf8)) else {
            throw Mismatch(line: 1, message: "declared \(declared) but the bytes are not: the declaration itself is not written in it")
        }
        return .converted(output)
    }

    /// The `encoding` of the XML declaration `<?xml ... encoding="..." ?>`
    /// at the start of `data` (after a UTF-8 BOM), if there is one.
    static func name(in data: Data) -> String? {
        var head = data.prefix(1024)
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head = head.dropFirst(3) }
        guard head.starts(with: Data("<?xml".utf8)), let end = head.range(of: Data("?>".utf8)) else { return nil }
        let declaration = String(decoding: head[head.startIndex..<end.lowerBound], as: UTF8.self)
        guard let key = declaration.range(of: "encoding") else { return nil }
        var rest = declaration[key.upperBound...].drop(while: { $0 == " " || $0 == "=" || $0 == "\t" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: quote) else { return nil }
        let name = String(rest[..<close])
        return name.isEmpty ? nil : name
    }
}
