import Foundation
import GongjiDomain
import Testing

/// persons.csv goes into the person table in batches: a repeated person is
/// still rejected at its own line, with its raw text and masked name, in
/// whichever batch the first one was.
@Suite struct PersonsEndToEndTests {
    static func id(_ n: Int) -> String {
        let body = "440305" + "1980" + String(format: "%02d%02d", n / 28 % 12 + 1, n % 28 + 1) + String(format: "%03d", n / 336)
        return ResidentID(digits: UInt64(body)!)!.text
    }

    @Test func repeatedPersonsAreRejectedAtTheirLineAcrossBatches() throws {
        let data = try Gongji.temporaryFolder()
        let out = try Gongji.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: out)
        }
        let sample = Gongji.packageRoot.appendingPathComponent("SampleData")
        try FileManager.default.copyItem(at: sample.appendingPathComponent("policy.yaml"), to: data.appendingPathComponent("policy.yaml"))
        try FileManager.default.copyItem(at: sample.appendingPathComponent("bulletins"), to: data.appendingPathComponent("bulletins"))
        // 9000 persons (three batches of 4096 and a rest); line n + 2 holds person n.
        var lines = ["person_id,name,region_code,scheme,tier"]
        for n in 0..<9000 { lines.append("\(Self.id(n)),张三丰,440300,employee,1") }
        lines.insert("\(Self.id(5)),李四,440300,employee,1", at: 11)    // line 12: person 5 again, same batch
        lines.insert("\(Self.id(7)),王五,440300,retired,1", at: 6001)  // line 6002: a bad scheme, never a person
        lines.insert("\(Self.id(1)),赵六,440300,employee,1", at: 8500) // line 8501: person 1 again, two batches later
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: data.appendingPathComponent("persons.csv"))

        let result = try Gongji.run(["validate", "--lang", "en", "--data", data.path, "--out", out.path])
        #expect(result.stdout.contains("persons.csv: read 9003, accepted 9000, rejected 3\n"))
        let masked = { (id: String) in id.prefix(6) + "********" + id.suffix(4) }
        #expect(try Gongji.text(out.appendingPathComponent("rejects.csv")) == """
            file,line,column,error,raw
            persons.csv,12,person_id,person_id appears on an earlier row,"\(masked(Self.id(5))),李*,440300,employee,1"
            persons.csv,6002,scheme,"'retired' is not one of: employee, resident","\(masked(Self.id(7))),王*,440300,retired,1"
            persons.csv,8501,person_id,person_id appears on an earlier row,"\(masked(Self.id(1))),赵*,440300,employee,1"

            """)
    }
}
