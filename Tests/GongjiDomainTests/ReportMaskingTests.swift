import GongjiDomain
import Testing

/// Report cells hold accepted values: an ID in them is masked, a claim ID
/// whose digits happen to read as a birth date is not (docs/formats.md, "Masking").
@Suite struct ReportMaskingTests {
    @Test func aClaimIDWithADateLikeMiddleStaysWhole() {
        // 20220100112939: "2010-01-12" could be a birth date inside an ID.
        #expect(maskedIDsInReport("C20220100112939") == "C20220100112939")
        #expect(maskedIDs("C20220100112939") == "C202201****2939")  // broken input keeps failing closed
        #expect(maskedIDsInReport("C-440305198707011392") == "C-440305********1392")
        #expect(maskedIDsInReport("绑定 B0008 已于 2022-09-15 因授权人死亡终止") == "绑定 B0008 已于 2022-09-15 因授权人死亡终止")
        #expect(maskedIDsInReport("授权人 440305198707011392 无账户") == "授权人 440305********1392 无账户")
    }

    /// A fuzz finding (Scripts/fuzz.sh, masking oracle): an ID split by a
    /// `(` into 10 and 20 characters; the 20 were masked as an ID, but their
    /// first 6 beside the 10 showed 12 of the real ID in a row.
    @Test func aWholeIDBesideTheRestOfABrokenOneShowsNoEnd() {
        let row = "B0037,131002197812037971,1310021960(0327315196512079032,spouse,2021-09-01,,app,"
        let masked = maskedIDs(row)
        #expect(masked == "B0037,131002********7971,1310021960(**************9032,spouse,2021-09-01,,app,")
        // What the oracle checks: no 12 characters of 131002196003273151 in a row, single separators taken out.
        let joined = masked.replacing("(", with: "")
        #expect(!joined.contains("131002196003"))
    }

    /// A fuzz finding: an ID cut to 14 characters whose "day" is not a day
    /// still shows 12 of the real ID: the year and month decide.
    @Test func aCutIDWithNoDayIsMaskedInBrokenInput() {
        #expect(maskedIDs("44030519941088,刘**,440300") == "440305****1088,刘**,440300")
        #expect(maskedIDsInReport("44030519941088") == "44030519941088")
    }

    /// A fuzz finding: an ID's last 13 characters with a digit of the next
    /// field run on after them (`…2196508151193,1!…`) are 14 characters that
    /// as a whole fit nowhere in an ID; 12 of them in a row do, so they are masked.
    @Test func anIDsTailWithADigitAfterItIsMasked() {
        let nuls = String(repeating: "\u{0}", count: 16)  // NULs: the row as the fuzzer wrote it
        let raw = "H001,13100\(nuls)2196508151193,1!3010219641005906X,spouse,2022-05-01,,app,2"
        let masked = maskedIDs(raw).replacing(nuls, with: "~")
        // The 16 NULs between `13100` and the rest join them (any number of control characters joins, as one does):
        // the ID broken by them is masked as one, the NULs kept where they were.
        #expect(masked == "H001,13100~2********1193,1!**************906X,spouse,2022-05-01,,app,2")
        #expect(maskedIDs("2196508151193,1") == "219650****193,1")
    }

    /// A fuzz finding: 10 characters of an ID between two whole IDs, whose
    /// kept ends would make 12 in a row with them, are starred through.
    @Test func aPieceBetweenTwoWholeIDsIsStarredThrough() {
        #expect(maskedIDs("B0001,440305198707011392,4403051990,110105199001014782,child")
            == "B0001,440305********1392,**********,110105********4782,child")
        // Amounts beside a whole ID stay: too short to make 12 with its kept end.
        #expect(maskedIDs("B0001,440305198707011392,100,child") == "B0001,440305********1392,100,child")
    }

    /// A fuzz finding: a date's last digit and the 11 ID characters joined
    /// after it are 12 of an ID in a row: the date is taken as part of it.
    @Test func aDateRunningIntoAPieceOfAnIDIsMasked() {
        #expect(maskedIDs("parent,2022-04-01,97409198871,child") == "parent,2022-04-**,*******8871,child")
        #expect(maskedIDs("2022-04-01,440300") == "2022-04-01,440300")
        // The next field's date is not joined to it: a quota's row stays as it was.
        #expect(maskedIDs("WQ900,parent,2026-01-12,100.00,2026-01-12") == "WQ900,parent,2026-01-12,100.00,2026-01-12")
        #expect(maskedIDs("2022-06-30 10:00:00,440300") == "2022-06-30 10:00:00,440300")
    }
}
