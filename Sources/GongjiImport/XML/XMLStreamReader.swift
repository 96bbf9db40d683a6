import Foundation
import CLibXML2
import GongjiDomain

/// The one owner of libxml2's streaming reader (xmlTextReader): every C
/// pointer it gets is freed here, every C return code is checked here.
///
/// Safe options only: no network (`XML_PARSE_NONET`), no entity substitution
/// and no DTD loading (we never pass `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD`
/// or `XML_PARSE_HUGE`, so libxml2's entity-amplification limits stay on),
/// and an external-entity loader that refuses everything.
final class XMLStreamReader {
    enum NodeType: Int32 {
        case element = 1, attribute = 2, text = 3, cdata = 4, entityReference = 5, entity = 6
        case processingInstruction = 7, comment = 8, document = 9, documentType = 10
        case documentFragment = 11, notation = 12, whitespace = 13, significantWhitespace = 14
        case endElement = 15, endEntity = 16, xmlDeclaration = 17
    }

    struct Attribute {
        var localName: String
        var namespaceURI: String?
        var value: String
    }

    /// The first error libxml2 reported, with its line.
    struct ParseFailure: Error {
        var line: Int?
        /// libxml2's own words (verbatim), or ours.
        var message: Phrase
    }

    private let reader: xmlTextReaderPtr
    private let errors: ErrorSink
    /// The converted text libxml2 reads from memory (a file declared in
    /// another encoding than UTF-8), owned here.
    private let memory: UnsafeMutableRawBufferPointer?

    /// Collects libxml2's structured errors for this reader only.
    private final class ErrorSink {
        var first: ParseFailure?
    }

    /// Reads the file at `path`; or, when `utf8` is given, that text (the
    /// file converted to UTF-8), whatever its declaration names.
    init(path: String, utf8: Data? = nil) throws(ParseFailure) {
        XMLStreamReader.installRefusingEntityLoader()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let errors = ErrorSink()
        let context = Unmanaged.passUnretained(errors).toOpaque()
        // libxml2 reports some errors (the encoding layer's, the I/O layer's)
        // without a parser at hand, through its global handlers, which would
        // print them on standard error: the global structured handler takes
        // them, for this parse, into the same sink.
        xmlSetStructuredErrorFunc(context, XMLStreamReader.collect)
        var memory: UnsafeMutableRawBufferPointer?
        let made: xmlTextReaderPtr?
        if let utf8 {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, utf8.count), alignment: 1)
            buffer.copyBytes(from: utf8)
            memory = buffer
            // XML_PARSE_IGNORE_ENC: the declaration's encoding is the one converted from.
            made = xmlReaderForMemory(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(utf8.count), path, "UTF-8",
                                      options | Int32(XML_PARSE_IGNORE_ENC.rawValue))
        } else {
            made = xmlReaderForFile(path, nil, options)
        }
        guard let reader = made else {
            memory?.deallocate()
            XMLStreamReader.silence()
            throw ParseFailure(line: nil, message: "cannot open the file")
        }
        self.reader = reader
        self.errors = errors
        self.memory = memory
        xmlTextReaderSetStructuredErrorHandler(reader, XMLStreamReader.collect, context)
    }

    deinit {
        xmlFreeTextReader(reader)
        memory?.deallocate()
        XMLStreamReader.silence()
    }

    /// Keeps libxml2's first error, with its line, in the sink `context`.
    private static let collect: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let sink = Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue()
        guard sink.first == nil else { return }
        let message = error.pointee.message.map { String(cString: $0) } ?? ""
        let line = Int(error.pointee.line)
        sink.first = ParseFailure(line: line > 0 ? line : nil, message: Phrase(verbatim: message.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// After a parse, libxml2's global errors go nowhere (never to standard error).
    private static func silence() {
        xmlSetStructuredErrorFunc(nil, { _, _ in })
    }

    /// Refuse every external entity or DTD, whatever the document asks for.
    private static let refusingLoader: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    private static func installRefusingEntityLoader() { _ = refusingLoader }

    /// Advances to the next node; false at the end of the document.
    func read() throws(ParseFailure) -> Bool {
        let status = xmlTextReaderRead(reader)
        if status == 1 { return true }
        if status == 0, errors.first == nil { return false }
        throw errors.first ?? ParseFailure(line: currentLine, message: Phrase(verbatim: ""))
    }

    var nodeType: NodeType? { NodeType(rawValue: xmlTextReaderNodeType(reader)) }
    var depth: Int { Int(xmlTextReaderDepth(reader)) }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }
    var localName: String { XMLStreamReader.string(xmlTextReaderConstLocalName(reader)) ?? "" }
    var namespaceURI: String? { XMLStreamReader.string(xmlTextReaderConstNamespaceUri(reader)) }
    var value: String { XMLStreamReader.string(xmlTextReaderConstValue(reader)) ?? "" }

    /// The line of the current node in the file.
    var currentLine: Int? {
        if let node = xmlTextReaderCurrentNode(reader) {
            let line = Int(xmlGetLineNo(node))
            if line > 0 { return line }
        }
        // Some nodes (the DOCTYPE) carry no line: use where the parser is.
        let line = Int(xmlTextReaderGetParserLineNumber(reader))
        return line > 0 ? line : nil
    }

    /// The current element's attributes, namespace declarations left out.
    func attributes() -> [Attribute] {
        var result: [Attribute] = []
        guard xmlTextReaderHasAttributes(reader) == 1 else { return result }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            let uri = namespaceURI
            if uri == "http://www.w3.org/2000/xmlns/" { continue }
            result.append(Attribute(localName: localName, namespaceURI: uri, value: value))
        }
        xmlTextReaderMoveToElement(reader)
        return result
    }

    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
