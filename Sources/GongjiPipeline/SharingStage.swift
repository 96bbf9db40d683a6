import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// What the family-sharing inputs hold once read.
public struct SharingInputs: Sendable {
    init() throws(RunError) { claims = try ClaimSpool() }

    public var bindings: [Binding] = []
    public var events: [LifeEvent] = []
    /// The accepted claims, by the month they occurred in (on disk until read).
    var claims: ClaimSpool
    public var inputs: [Manifest.Input] = []
    public var rejects: [Reject] = []
}

/// bindings.csv, events.csv and usage/*.csv → bindings, events and claims,
/// with the same reader and the same rejects as the credit stage.
enum SharingStage {
    static let bindingColumns = (["binding_id", "authorizer_id", "beneficiary_id", "relation", "bound_on"],
                                 ["unbound_on", "channel", "priority"])
    static let eventColumns = (["person_id", "date", "event"], [String]())
    static let usageColumns = (["claim_id", "person_id", "occurred_at", "region_code", "category", "amount"], [String]())

    static func run(_ folder: DataFolder, policy: Policy, persons: PersonTable, encoding: TextEncoding,
                    console: Console) throws(RunError) -> SharingInputs {
        var result = try SharingInputs()
        func record(_ read: (Manifest.Input, [Reject])) {
            result.inputs.append(read.0)
            result.rejects += read.1
        }
        let bindingsURL = folder.bindings
        if FileManager.default.fileExists(atPath: bindingsURL.path) {
            var seen = Set<String>()
            record(try CSVInput.read(bindingsURL, folder, bindingColumns, encoding, console, columns: {
                (id: $0.column("binding_id"), authorizer: $0.column("authorizer_id"), beneficiary: $0.column("beneficiary_id"),
                 relation: $0.column("relation"), boundOn: $0.column("bound_on"), unboundOn: $0.column("unbound_on"),
                 channel: $0.column("channel"), priority: $0.column("priority"))
            }) { row, c throws(RowError) in
                let id = try Field.string(row, c.id)
                let authorizer = try Field.id(row, c.authorizer)
                let beneficiary = try Field.id(row, c.beneficiary)
                guard authorizer != beneficiary else {
                    throw RowError(column: "beneficiary_id", "a person cannot authorize themselves")
                }
                let relation = try Field.choice(row, c.relation, Relation.self, Relation.allCases)
                let boundOn = try Field.day(row, c.boundOn)
                var unboundOn: Day?
                if !Field.isEmpty(row, c.unboundOn) {
                    let day = try Field.day(row, c.unboundOn)
                    guard boundOn < day else { throw RowError(column: "unbound_on", "unbound_on must be after bound_on") }
                    unboundOn = day
                }
                let priority = Field.isEmpty(row, c.priority) ? nil : try Field.positiveInteger(row, c.priority)
                guard seen.insert(id).inserted else {
                    throw RowError(column: "binding_id", "binding_id appears on an earlier row")
                }
                result.bindings.append(Binding(id: id, authorizer: authorizer, beneficiary: beneficiary, relation: relation,
                                               boundOn: boundOn, unboundOn: unboundOn, channel: Field.optional(row, c.channel),
                                               priority: priority))
            })
        }
        let eventsURL = folder.events
        if FileManager.default.fileExists(atPath: eventsURL.path) {
            record(try CSVInput.read(eventsURL, folder, eventColumns, encoding, console, columns: {
                (person: $0.column("person_id"), date: $0.column("date"), event: $0.column("event"))
            }) { row, c throws(RowError) in
                let person = try Field.id(row, c.person)
                let date = try Field.day(row, c.date)
                let kind = try Field.choice(row, c.event, LifeEventKind.self, LifeEventKind.allCases)
                result.events.append(LifeEvent(person: person, date: date, kind: kind))
            })
        }
        var claimIDs = Set<String>()
        var spoolFailure: RunError?  // the claims could not be kept: the run stops
        for url in folder.usage() {
            record(try CSVInput.read(url, folder, usageColumns, encoding, console, columns: {
                (id: $0.column("claim_id"), person: $0.column("person_id"), occurredAt: $0.column("occurred_at"),
                 region: $0.column("region_code"), category: $0.column("category"), amount: $0.column("amount"))
            }) { row, c throws(RowError) in
                let id = try Field.string(row, c.id)
                let person = try Field.id(row, c.person)
                let bytes = try Field.required(row, c.occurredAt)
                guard let occurredAt = Timestamp(bytes: bytes) else {
                    let text = Field.text(bytes)
                    if text.count > 19, Timestamp(text: text.prefix(19)) != nil {
                        throw RowError(column: "occurred_at", "'\(text)': the time must be local (China Standard Time), "
                                       + "written without an offset or with +08:00")
                    }
                    throw RowError(column: "occurred_at", "'\(text)' is not a time YYYY-MM-DD HH:MM[:SS]")
                }
                let region = try Field.region(row, c.region)
                let category = try Field.choice(row, c.category, UsageCategory.self, UsageCategory.allCases)
                let amount = try Field.amount(row, c.amount)
                guard amount.fen >= 0 else { throw RowError(column: "amount", "an amount cannot be negative") }
                guard policy.regions[region] != nil else {
                    throw RowError(column: "region_code", "region \(region) is not in policy.yaml")
                }
                guard persons.index(of: person.key) != nil else {
                    throw RowError(column: "person_id", "person is not in persons.csv")
                }
                guard claimIDs.insert(id).inserted else {
                    throw RowError(column: "claim_id", "claim_id appears on an earlier row")
                }
                do throws(RunError) {
                    try result.claims.append(Claim(id: id, person: person, occurredAt: occurredAt, region: region,
                                                   category: category, amount: amount))
                } catch {
                    spoolFailure = error
                    throw RowError(column: "", error.description)
                }
            })
            if let spoolFailure { throw spoolFailure }
        }
        try result.claims.finish()
        return result
    }
}
