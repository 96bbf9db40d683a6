import GongjiTestSupport
import Foundation
import GongjiDomain
@testable import GongjiImport
import Testing

@Suite struct BulletinReaderTests {
    static let header = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
    static let open = #"<wageBulletins xmlns="urn:gongji:wage-bulletin:1">"# + "\n"

    /// Reads `xml` from a file named `b.xml`; the error's text or nil.
    func read(_ xml: String) throws -> Result<[WageBulletin], InputError> {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("b.xml", xml)
        do {
            return .success(try BulletinReader.read(path: path, name: "bulletins/b.xml"))
        } catch {
            return .failure(error)
        }
    }

    func error(_ xml: String) throws -> String? {
        if case let .failure(error) = try read(xml) { return error.description }
        return nil
    }

    /// A bulletin really in GB18030, as its declaration says, is read (issue 25).
    @Test func aBulletinInTheEncodingItDeclaresIsRead() throws {
        let head = #"<?xml version="1.0" encoding="GB18030"?>"# + "\n" + Self.open + """
          <bulletin region="440300" statYear="2018" issued="2019-06-28" revision="1">
            <regionName>
        """
        let tail = """
        </regionName>
            <averageWage series="on-post-non-private" monthly="9309"/>
          </bulletin>
        </wageBulletins>
        """
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("b.xml", "")
        // 深圳市 in GB18030.
        try (Data(head.utf8) + Data([0xC9, 0xEE, 0xDB, 0xDA, 0xCA, 0xD0]) + Data(tail.utf8)).write(to: URL(fileURLWithPath: path))
        let bulletins = try BulletinReader.read(path: path, name: "bulletins/b.xml")
        #expect(bulletins.first?.regionName == "深圳市")
    }

    @Test func readsEveryField() throws {
        let xml = Self.header + Self.open + """
          <bulletin region="440300" statYear="2018" issued="2019-06-28" revision="2">
            <regionName>深圳市</regionName>
            <averageWage series="on-post-non-private" monthly="9309" annual="111709"/>
            <averageWage series="all" annual="100000.5"/>
            <source href="https://example.org/x">深圳市统计局 &amp; more</source>
          </bulletin>
        </wageBulletins>
        """
        let bulletins = try read(xml).get()
        #expect(bulletins.count == 1)
        let bulletin = try #require(bulletins.first)
        #expect(bulletin.region == RegionCode("440300"))
        #expect(bulletin.statYear == 2018)
        #expect(bulletin.issued == Day(text: "2019-06-28"))
        #expect(bulletin.revision == 2)
        #expect(bulletin.regionName == "深圳市")
        #expect(bulletin.source == "深圳市统计局 & more")
        #expect(bulletin.sourceHref == "https://example.org/x")
        #expect(bulletin.origin == "bulletins/b.xml:3")
        #expect(bulletin.figures == [
            WageFigure(series: "on-post-non-private", monthly: Money(fen: 930_900), annual: Money(fen: 11_170_900)),
            WageFigure(series: "all", monthly: nil, annual: Money(fen: 10_000_050)),
        ])
    }

    @Test func malformedXML() throws {
        let xml = Self.header + Self.open + "  <bulletin region=\"440300\" statYear=\"2018\" issued=\"2019-06-28\" revision=\"1\">\n</wageBulletins>\n"
        let message = try #require(try error(xml))
        #expect(message.hasPrefix("bulletins/b.xml:4: malformed XML: "))
        #expect(message.contains("mismatch"))
    }

    @Test func missingAttribute() throws {
        let xml = Self.header + Self.open + """
          <bulletin region="440300" issued="2019-06-28" revision="1">
            <averageWage series="on-post-non-private" monthly="9309"/>
          </bulletin>
        </wageBulletins>
        """
        #expect(try error(xml) == "bulletins/b.xml:3: <bulletin> is missing the attribute 'statYear'")
    }

    @Test func unknownNamespace() throws {
        let xml = Self.header + #"<wageBulletins xmlns="urn:example:other">"# + "\n</wageBulletins>\n"
        #expect(try error(xml) == "bulletins/b.xml:2: unknown namespace 'urn:example:other' on <wageBulletins>; expected 'urn:gongji:wage-bulletin:1'")
    }

    @Test func noNamespace() throws {
        let xml = Self.header + "<wageBulletins>\n</wageBulletins>\n"
        #expect(try error(xml) == "bulletins/b.xml:2: element <wageBulletins> has no namespace; expected xmlns=\"urn:gongji:wage-bulletin:1\"")
    }

    @Test(arguments: [
        ("9,309", "monthly wage '9,309' is not a positive amount in yuan with at most 2 decimals"),
        ("abc", "monthly wage 'abc' is not a positive amount in yuan with at most 2 decimals"),
        ("9309.001", "monthly wage '9309.001' is not a positive amount in yuan with at most 2 decimals"),
        ("0", "monthly wage '0' is not a positive amount in yuan with at most 2 decimals"),
    ])
    func nonNumericWage(value: String, message: String) throws {
        let xml = Self.header + Self.open + """
          <bulletin region="440300" statYear="2018" issued="2019-06-28" revision="1">
            <averageWage series="on-post-non-private" monthly="\(value)"/>
          </bulletin>
        </wageBulletins>
        """
        #expect(try error(xml) == "bulletins/b.xml:4: \(message)")
    }

    @Test func externalEntityIsNeverRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let secret = try folder.write("secret.txt", "TOP-SECRET-MARKER")
        let xml = Self.header + """
        <!DOCTYPE wageBulletins [ <!ENTITY leak SYSTEM "file://\(secret)"> ]>
        <wageBulletins xmlns="urn:gongji:wage-bulletin:1">
          <bulletin region="440300" statYear="2018" issued="2019-06-28" revision="1">
            <regionName>&leak;</regionName>
            <averageWage series="on-post-non-private" monthly="9309"/>
          </bulletin>
        </wageBulletins>
        """
        let result = try read(xml)
        guard case let .failure(error) = result else {
            Issue.record("a document with an external entity was accepted: \(result)")
            return
        }
        #expect(error.description == "bulletins/b.xml:2: a DOCTYPE is not allowed in a wage bulletin (no DTDs, no entities)")
        #expect(!error.description.contains("TOP-SECRET"))
    }

    @Test(.timeLimit(.minutes(1)))
    func entityExpansionBombFailsFast() throws {
        var xml = Self.header + "<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            xml += " <!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
        }
        xml += "]>\n<wageBulletins xmlns=\"urn:gongji:wage-bulletin:1\"><bulletin region=\"&lol9;\"/></wageBulletins>\n"
        let started = ContinuousClock.now
        let message = try #require(try error(xml))
        // libxml2's amplification guard or our DOCTYPE refusal, whichever
        // comes first; either way a one-line error naming the file and line.
        #expect(message == "bulletins/b.xml:14: malformed XML: Detected an entity reference loop"
            || message == "bulletins/b.xml:2: a DOCTYPE is not allowed in a wage bulletin (no DTDs, no entities)")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func unknownElementAndAttribute() throws {
        let element = Self.header + Self.open + """
          <bulletin region="440300" statYear="2018" issued="2019-06-28" revision="1">
            <median series="x" monthly="1"/>
          </bulletin>
        </wageBulletins>
        """
        #expect(try error(element) == "bulletins/b.xml:4: unexpected element <median>")
        let attribute = Self.header + Self.open + """
          <bulletin region="440300" statYear="2018" issued="2019-06-28" revision="1" approved="yes">
          </bulletin>
        </wageBulletins>
        """
        #expect(try error(attribute) == "bulletins/b.xml:3: unknown attribute 'approved' on <bulletin>")
    }

    @Test func bulletinWithoutWage() throws {
        let xml = Self.header + Self.open + """
          <bulletin region="440300" statYear="2018" issued="2019-06-28" revision="1"/>
        </wageBulletins>
        """
        #expect(try error(xml) == "bulletins/b.xml:3: bulletin 440300 2018 has no <averageWage>")
    }

    @Test func badDateAndRegion() throws {
        let date = Self.header + Self.open + #"  <bulletin region="440300" statYear="2018" issued="2019-02-29" revision="1"/>"# + "\n</wageBulletins>\n"
        #expect(try error(date) == "bulletins/b.xml:3: issued '2019-02-29' is not a date YYYY-MM-DD")
        let region = Self.header + Self.open + #"  <bulletin region="4403" statYear="2018" issued="2019-02-28" revision="1"/>"# + "\n</wageBulletins>\n"
        #expect(try error(region) == "bulletins/b.xml:3: region '4403' is not a 6-digit region code")
    }

    @Test func missingFile() {
        #expect(throws: InputError.self) { try BulletinReader.read(path: "/nonexistent/b.xml", name: "bulletins/b.xml") }
    }
}
