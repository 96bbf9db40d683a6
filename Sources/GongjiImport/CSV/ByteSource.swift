import Foundation

/// The text encodings gongji reads CSV in (docs/formats.md).
public enum TextEncoding: String, Sendable, CaseIterable {
    /// UTF-8 unless the first 64 KiB are not valid UTF-8; then GB18030.
    case auto
    case utf8 = "utf-8"
    case gb18030
}

/// A file's bytes, chunk by chunk, as UTF-8: GB18030 input is converted with
/// glibc's iconv as it streams, so the CSV parser sees only UTF-8.
final class ByteSource {
    private let handle: FileHandle
    private var converter: iconv_t?
    /// Bytes read but not yet converted (an incomplete GB18030 sequence).
    private var pending: [UInt8] = []
    private var first: [UInt8]?
    private(set) var encoding: TextEncoding = .utf8
    static let chunkSize = 1 << 20

    init(path: String, encoding requested: TextEncoding) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        self.handle = handle
        var head = [UInt8](try handle.read(upToCount: ByteSource.chunkSize) ?? Data())
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { head.removeFirst(3) }
        switch requested {
        case .utf8: encoding = .utf8
        case .gb18030: encoding = .gb18030
        case .auto: encoding = ByteSource.looksLikeUTF8(head.prefix(65_536)) ? .utf8 : .gb18030
        }
        if encoding == .gb18030 {
            let cd = iconv_open("UTF-8", "GB18030")
            guard cd != iconv_t(bitPattern: -1) else { throw CocoaError(.fileReadUnknownStringEncoding) }
            converter = cd
        }
        first = head
    }

    deinit {
        if let converter { iconv_close(converter) }
        try? handle.close()
    }

    /// Whether a sample is UTF-8: every sequence valid (one cut off at the
    /// end of the sample is fine), or mostly valid: more valid multi-byte
    /// characters than invalid bytes. A mostly-UTF-8 file is read as UTF-8
    /// and its bad lines rejected, rather than re-read whole as GB18030 (one
    /// stray byte used to garble every name of a persons.csv).
    static func looksLikeUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        var characters = 0
        var invalid = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length > 0, index + length > bytes.endIndex { break }
            if length == 0 || (1..<max(length, 1)).contains(where: { bytes[index + $0] & 0xC0 != 0x80 }) {
                invalid += 1
                index += 1
                continue
            }
            if length > 1 { characters += 1 }
            index += length
        }
        return invalid == 0 || characters > invalid
    }

    /// The next chunk of UTF-8 bytes; nil at the end of the file.
    func next() throws -> [UInt8]? {
        let raw: [UInt8]
        if let head = first {
            first = nil
            raw = head
        } else {
            let data = try handle.read(upToCount: ByteSource.chunkSize) ?? Data()
            raw = [UInt8](data)
        }
        guard let converter else { return raw.isEmpty ? nil : raw }
        if raw.isEmpty && pending.isEmpty { return nil }
        return convert(pending + raw, converter: converter, final: raw.isEmpty)
    }

    /// Converts as much as possible; keeps an incomplete tail for the next
    /// chunk; turns an invalid byte into U+FFFD so the row is rejected, not lost.
    private func convert(_ input: [UInt8], converter: iconv_t, final: Bool) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var inputCopy = input
        var produced = 0
        var consumed = 0
        inputCopy.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
                while consumed < input.count {
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = input.count - consumed
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase + produced)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count - produced
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    consumed = input.count - inLeft
                    produced = outBuffer.count - outLeft
                    if result != -1 { break }
                    if errno == EINVAL && !final { break }  // incomplete sequence: wait for more bytes
                    // Invalid (or incomplete at the end): emit U+FFFD and skip one byte.
                    guard outBuffer.count - produced >= 3 else { break }
                    outBuffer[produced] = 0xEF
                    outBuffer[produced + 1] = 0xBF
                    outBuffer[produced + 2] = 0xBD
                    produced += 3
                    consumed += 1
                }
            }
        }
        pending = Array(input[consumed...])
        return Array(output[0..<produced])
    }
}
