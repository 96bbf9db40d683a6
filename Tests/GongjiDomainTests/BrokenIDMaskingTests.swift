import GongjiDomain
import Testing

/// The one masking of IDs (issue 25): an ID however it is broken, and
/// nothing that is not one.
@Suite struct BrokenIDMaskingTests {
    @Test(arguments: [
        // Written whole, with separators, in full-width digits, lower-case x.
        ("110105195201174070", "110105********4070"),
        ("110105-19520117-4070", "110105********4070"),
        ("１１０１０５１９５２０１１７４０７０", "110105********4070"),
        ("44030519900427983x", "440305********983X"),
        ("C-1,110105195201174070,2022-06-30 10:00:00,110000,outpatient,10.00",
         "C-1,110105********4070,2022-06-30 10:00:00,110000,outpatient,10.00"),
        // Broken: a quote, a doubled quote, a comma (two fields), a NUL, a corrupted byte, a byte not UTF-8.
        ("C-1,110105196\"106058746,2022-06-30 10:00:00", "C-1,110105***\"*****8746,2022-06-30 10:00:00"),
        ("\"110105196\"\"106058746\"", "\"110105***\"\"*****8746\""),
        ("C-1,110105195,201174070,2022-06-30", "C-1,110105***,*****4070,2022-06-30"),
        ("110105195\u{0}201174070", "110105***\u{0}*****4070"),
        ("1101051952011a4070", "110105*******a4070"),
        ("1101051952011\u{FFFD}4070", "110105*******\u{FFFD}4070"),
        ("1101,0519520117a4070", "1101,05********a4070"),
        // Control characters a reader does not see, any number of them, between two halves (a masking-oracle finding).
        ("B0028,1101051" + String(repeating: "\u{1E}", count: 100) + "99809033899,spouse",
         "B0028,11*****" + String(repeating: "\u{1E}", count: 100) + "*******3899,spouse"),
        ("1101051\u{1E}\u{7F},\u{1}99809033899", "110105*\u{1E}\u{7F},\u{1}*******3899"),
        // A month out of range beside a region code is no ID; an ID cut to look like a date is.
        ("440305198707011392,2022-13,440300,in_service,8000,E0001", "440305********1392,2022-13,440300,in_service,8000,E0001"),
        ("B1,4403-05-19 87:07:01,,app", "B1,4403-0*-** **:07:01,,app"),
        // Cut short: 14 characters with a birth date where an ID has it.
        ("C-11010519520117", "C-110105****0117"),
        // Any 12 in a row that could be part of an ID: fail closed, even for a claim ID with a date in it
        // (in broken input only; report cells keep it whole, `maskedIDsInReport`).
        ("C20220600000001", "C202206****0001"),
        ("an ID has 18 characters (or 15 digits), not 13: '1101051952011'", "an ID has 18 characters (or 15 digits), not 13: '110105***2011'"),
    ]) func idsAreMaskedHoweverBroken(text: String, masked: String) {
        #expect(maskedIDs(text) == masked)
    }

    @Test(arguments: [
        "C202206-0001", "H202206-0008",
        "2022-06-30 10:00:00,440300", "2022/06/30 10:00,440300", "2022年6月30日,440300", "2022-06,440300",
        "'2022-06-30T10:00:00Z': the time must be local", "2823-01-08 10:00:00,440300",
        "授权人参保于 130100，被授权人参保于 131000；130100 仅在本统筹区内共济",
        "2006-04-01 .. 2027-12-31", "40,035,184.22 元（4,003.52 万元）",
    ]) func whatIsNoIDStaysAsItWas(text: String) {
        #expect(maskedIDs(text) == text)
    }

    /// A name in the row, and a piece of a broken ID that the reason quotes.
    @Test func aRowAndItsReasonAreMaskedTogether() {
        let named = maskedRow(raw: "440305198707011392,胡强强,440300,employee,1", reason: "'胡强强' is wrong",
                              names: ["胡强强"])
        #expect(named.raw == "440305********1392,胡**,440300,employee,1")
        #expect(named.reason == "'胡**' is wrong")
        let unsplit = maskedRow(raw: "440305198707011392,胡,强强,440300,employee,1", reason: "the row has 6 fields",
                                names: [], hidden: ["胡", "强强"])
        #expect(unsplit.raw == "440305********1392,*,**,440300,employee,1")
        let piece = maskedRow(raw: "C-1,110105195,201174070,2022-06-30 10:00:00,110000,outpatient",
                              reason: "'201174070' is not a time YYYY-MM-DD HH:MM[:SS]", names: [])
        #expect(piece.raw == "C-1,110105***,*****4070,2022-06-30 10:00:00,110000,outpatient")
        #expect(piece.reason == "'*********' is not a time YYYY-MM-DD HH:MM[:SS]")
    }
}
