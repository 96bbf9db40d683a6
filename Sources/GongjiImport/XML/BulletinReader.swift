import Foundation
import GongjiDomain

/// Reads the wage-bulletin XML format of docs/formats.md with libxml2's streaming
/// reader. The document must be in the `urn:gongji:wage-bulletin:1`
/// namespace; a DOCTYPE is refused outright, so no entity can be declared,
/// expanded or fetched.
public enum BulletinReader {
    public static let namespace = "urn:gongji:wage-bulletin:1"

    /// All bulletins in the file at `path`; `name` is how messages call it.
    public static func read(path: String, name: String) throws(InputError) -> [WageBulletin] {
        let text: DeclaredEncoding.Text
        do {
            guard let data = DeclaredEncoding.contents(of: path) else { throw CocoaError(.fileReadUnknown) }
            text = try DeclaredEncoding.check(data)
        } catch let mismatch as DeclaredEncoding.Mismatch {
            throw InputError(file: name, line: mismatch.line, message: mismatch.message)
        } catch {
            throw InputError(file: name, line: nil, message: "cannot read the file")
        }
        do {
            var utf8: Data?
            if case let .converted(data) = text { utf8 = data }
            let reader = try XMLStreamReader(path: path, utf8: utf8)
            var parser = Parser(file: name, path: path)
            while try reader.read() {
                try parser.consume(reader)
            }
            return try parser.finish()
        } catch let failure as XMLStreamReader.ParseFailure {
            throw InputError(file: name, line: failure.line,
                             message: failure.message.english.isEmpty ? "malformed XML" : "malformed XML: \(failure.message)")
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: name, line: nil, message: Phrase(verbatim: "\(error)"))
        }
    }

    /// The state of one document being read.
    private struct Parser {
        let file: String
        let path: String
        var sawRoot = false
        var bulletins: [WageBulletin] = []
        var current: Draft?
        /// The element whose text is being collected (`regionName`, `source`).
        var textElement: String?
        var text = ""

        struct Draft {
            var bulletin: WageBulletin
            var line: Int?
        }

        init(file: String, path: String) {
            self.file = file
            self.path = path
        }

        /// libxml2 keeps no line for a DOCTYPE and its parser has read ahead:
        /// find the declaration in the file's first 64 KiB (only on this error path).
        func doctypeLine() -> Int? {
            guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
            defer { try? handle.close() }
            let prefix = handle.readData(ofLength: 65_536)
            guard let range = prefix.range(of: Data("<!DOCTYPE".utf8)) else { return nil }
            return prefix[prefix.startIndex..<range.lowerBound].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }

        func fail(_ line: Int?, _ message: Phrase) -> InputError {
            InputError(file: file, line: line, message: message)
        }

        mutating func consume(_ reader: XMLStreamReader) throws(InputError) {
            let line = reader.currentLine
            switch reader.nodeType {
            case .documentType?:
                throw fail(doctypeLine() ?? line, "a DOCTYPE is not allowed in a wage bulletin (no DTDs, no entities)")
            case .entityReference?, .entity?:
                throw fail(line, "entity references are not allowed in a wage bulletin")
            case .element?:
                try startElement(reader, line: line)
                if reader.isEmptyElement { try endElement(reader.localName, depth: reader.depth, line: line) }
            case .endElement?:
                try endElement(reader.localName, depth: reader.depth, line: line)
            case .text?, .cdata?:
                if textElement != nil {
                    text += reader.value
                } else if !reader.value.allSatisfy(\.isWhitespace) {
                    throw fail(line, "unexpected text '\(reader.value.prefix(40))'")
                }
            default:
                break  // comments, processing instructions, whitespace
            }
        }

        mutating func startElement(_ reader: XMLStreamReader, line: Int?) throws(InputError) {
            let name = reader.localName
            guard let uri = reader.namespaceURI else {
                throw fail(line, "element <\(name)> has no namespace; expected xmlns=\"\(BulletinReader.namespace)\"")
            }
            guard uri == BulletinReader.namespace else {
                throw fail(line, "unknown namespace '\(uri)' on <\(name)>; expected '\(BulletinReader.namespace)'")
            }
            if textElement != nil { throw fail(line, "unexpected element <\(name)> inside <\(textElement ?? "")>") }
            let attributes = try attributeMap(reader, element: name, line: line)
            switch (reader.depth, name) {
            case (0, "wageBulletins"):
                sawRoot = true
                try allow(attributes, [], element: name, line: line)
            case (1, "bulletin"):
                current = Draft(bulletin: try bulletin(attributes, line: line), line: line)
            case (2, "regionName"), (2, "source"):
                if name == "source" {
                    try allow(attributes, ["href"], element: name, line: line)
                    current?.bulletin.sourceHref = attributes["href"]
                } else {
                    try allow(attributes, [], element: name, line: line)
                }
                textElement = name
                text = ""
            case (2, "averageWage"):
                try addFigure(attributes, line: line)
            default:
                throw fail(line, "unexpected element <\(name)>")
            }
        }

        mutating func endElement(_ name: String, depth: Int, line: Int?) throws(InputError) {
            if let element = textElement, element == name {
                let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if element == "regionName" { current?.bulletin.regionName = value } else { current?.bulletin.source = value }
                textElement = nil
                return
            }
            guard depth == 1, name == "bulletin", let draft = current else { return }
            guard !draft.bulletin.figures.isEmpty else {
                throw fail(draft.line, "bulletin \(draft.bulletin.region) \(draft.bulletin.statYear) has no <averageWage>")
            }
            bulletins.append(draft.bulletin)
            current = nil
        }

        func finish() throws(InputError) -> [WageBulletin] {
            guard sawRoot else { throw fail(nil, "no <wageBulletins> element") }
            return bulletins
        }

        func attributeMap(_ reader: XMLStreamReader, element: String, line: Int?) throws(InputError) -> [String: String] {
            var map: [String: String] = [:]
            for attribute in reader.attributes() {
                if let uri = attribute.namespaceURI {
                    throw fail(line, "unknown namespace '\(uri)' on attribute '\(attribute.localName)' of <\(element)>")
                }
                map[attribute.localName] = attribute.value
            }
            return map
        }

        func allow(_ attributes: [String: String], _ allowed: Set<String>, element: String, line: Int?) throws(InputError) {
            if let unknown = attributes.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw fail(line, "unknown attribute '\(unknown)' on <\(element)>")
            }
        }

        func required(_ attributes: [String: String], _ key: String, element: String, line: Int?) throws(InputError) -> String {
            guard let value = attributes[key] else { throw fail(line, "<\(element)> is missing the attribute '\(key)'") }
            return value
        }

        func bulletin(_ attributes: [String: String], line: Int?) throws(InputError) -> WageBulletin {
            try allow(attributes, ["region", "statYear", "issued", "revision"], element: "bulletin", line: line)
            let regionText = try required(attributes, "region", element: "bulletin", line: line)
            guard let region = RegionCode(regionText) else {
                throw fail(line, "region '\(regionText)' is not a 6-digit region code")
            }
            let yearText = try required(attributes, "statYear", element: "bulletin", line: line)
            guard yearText.utf8.count == 4, let year = Int(yearText), year >= 1900 else {
                throw fail(line, "statYear '\(yearText)' is not a 4-digit year")
            }
            let issuedText = try required(attributes, "issued", element: "bulletin", line: line)
            guard let issued = Day(text: issuedText) else {
                throw fail(line, "issued '\(issuedText)' is not a date YYYY-MM-DD")
            }
            let revisionText = try required(attributes, "revision", element: "bulletin", line: line)
            guard let revision = Int(revisionText), revision >= 1, revision <= 9999 else {
                throw fail(line, "revision '\(revisionText)' is not a whole number from 1")
            }
            return WageBulletin(region: region, statYear: year, issued: issued, revision: revision,
                                figures: [], origin: line.map { "\(file):\($0)" } ?? file)
        }

        mutating func addFigure(_ attributes: [String: String], line: Int?) throws(InputError) {
            guard current != nil else { throw fail(line, "<averageWage> outside a <bulletin>") }
            try allow(attributes, ["series", "monthly", "annual"], element: "averageWage", line: line)
            let series = try required(attributes, "series", element: "averageWage", line: line)
            guard !series.isEmpty else { throw fail(line, "<averageWage> has an empty series") }
            func amount(_ key: String) throws(InputError) -> Money? {
                guard let text = attributes[key] else { return nil }
                guard let money = Money(yuanText: text), money.fen > 0 else {
                    throw fail(line, "\(key) wage '\(text)' is not a positive amount in yuan with at most 2 decimals")
                }
                return money
            }
            let monthly = try amount("monthly")
            let annual = try amount("annual")
            guard monthly != nil || annual != nil else {
                throw fail(line, "<averageWage series=\"\(series)\"> needs a monthly or an annual figure")
            }
            if current?.bulletin.figures.contains(where: { $0.series == series }) == true {
                throw fail(line, "series '\(series)' appears twice in one bulletin")
            }
            current?.bulletin.figures.append(WageFigure(series: series, monthly: monthly, annual: annual))
        }
    }
}
