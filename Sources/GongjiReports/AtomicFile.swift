import Foundation
import GongjiDomain

/// Writes a file so that readers see either the old file or the whole new
/// one, never a half-written report: write a temporary file in the same
/// folder, flush it to disk, then rename it over the target.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        /// Why, in either language (`Phrase`).
        public var reason: Phrase
        public var phrase: Phrase { "\(path): cannot write: \(reason)" }
        public var description: String { phrase.english }
    }

    public static func write(_ data: Data, to url: URL) throws(WriteError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: folder.path, reason: "cannot create the folder")
        }
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw WriteError(path: url.path, reason: Phrase(verbatim: String(cString: strerror(errno)))) }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: Phrase(verbatim: failure))
        }
    }

    public static func write(_ text: String, to url: URL) throws(WriteError) {
        try write(Data(text.utf8), to: url)
    }

    /// Puts a file another writer made and flushed beside its target (a
    /// workbook, XLSXWriter) in place at once; on failure the file is removed.
    public static func place(_ partial: URL, at url: URL) throws(WriteError) {
        guard rename(partial.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial.path)
            throw WriteError(path: url.path, reason: "cannot put the file in place (\(reason))")
        }
    }

    /// A file written in pieces, atomically: nothing is visible at `url`
    /// until `commit`, and then the whole file is.
    public final class Stream {
        private let url: URL
        private let temporary: URL
        private var descriptor: Int32

        public init(to url: URL) throws(WriteError) {
            self.url = url
            let folder = url.deletingLastPathComponent()
            temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw WriteError(path: folder.path, reason: "cannot create the folder")
            }
            descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { throw WriteError(path: url.path, reason: Phrase(verbatim: String(cString: strerror(errno)))) }
        }

        deinit {
            if descriptor >= 0 {
                close(descriptor)
                unlink(temporary.path)
            }
        }

        /// Appends `bytes` to the temporary file.
        public func write(_ bytes: Span<UInt8>) throws(WriteError) {
            let failure = bytes.withUnsafeBytes { buffer -> WriteError? in
                var offset = 0
                while offset < buffer.count, let base = buffer.baseAddress {
                    let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return WriteError(path: url.path, reason: Phrase(verbatim: String(cString: strerror(errno))))
                    }
                    offset += written
                }
                return nil
            }
            if let failure { throw failure }
        }

        /// Flushes to disk and renames over the target.
        public func commit() throws(WriteError) {
            var failure: String?
            if fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
            close(descriptor)
            descriptor = -1
            if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
            if let failure {
                unlink(temporary.path)
                throw WriteError(path: url.path, reason: Phrase(verbatim: failure))
            }
        }
    }
}
