import Foundation
import GongjiDomain
import Yams

/// Reads policy.yaml (format documented in docs/policy.md) into dated
/// per-region rules. Every wrong or missing key is an `InputError` naming
/// the key path and the line.
public enum PolicyReader {
    public static func read(path: String, name: String) throws(InputError) -> Policy {
        let text = try readText(path, name: name)
        return try parse(text, name: name)
    }

    public static func parse(_ text: String, name: String) throws(InputError) -> Policy {
        let root = try compose(text, name: name)
        let top = try YAMLField(node: root, path: "", file: name).mapping(required: ["regions"], optional: ["format", "med_types"])
        if let format = top["format"], try format.integer(in: 1...1000) != 1 {
            throw format.fail("this gongji reads policy format 1")
        }
        var medTypes: [String: UsageCategory] = [:]
        if let field = top["med_types"] {
            for (key, keyLine, value) in try field.entries() {
                guard !key.isEmpty, key.count <= 12, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw InputError(file: name, line: keyLine, message: "med_types.\(key): a med_type code is 1-12 letters or digits")
                }
                medTypes[key] = try value.choice(UsageCategory.self)
            }
        }
        guard let regionsField = top["regions"] else { return Policy(regions: [], medTypes: medTypes) }
        var regions: [RegionPolicy] = []
        for (key, keyLine, field) in try regionsField.entries() {
            guard let code = RegionCode(key) else {
                throw InputError(file: name, line: keyLine,
                                 message: "regions.\(key): a region key must be a 6-digit region code")
            }
            regions.append(try region(code, field))
        }
        guard !regions.isEmpty else { throw regionsField.fail("no regions") }
        return Policy(regions: regions, medTypes: medTypes)
    }

    /// The title of a what-if override in each language: `title: text` (the
    /// same in both) or `title: {zh: 中文, en: English}` (docs/policy.md,
    /// "What-if overrides").
    public struct Title: Sendable, Hashable {
        public var zh: String
        public var en: String
        public init(zh: String, en: String) {
            self.zh = zh
            self.en = en
        }
    }

    /// Reads a what-if override (docs/policy.md): `title`, and per region
    /// any of `threshold`, `credit`, `family`, each replacing that region's
    /// list in `base`. Returns the title and the changed policy.
    public static func override(path: String, name: String, base: Policy) throws(InputError) -> (title: Title, policy: Policy) {
        let text = try readText(path, name: name)
        let root = try compose(text, name: name)
        let top = try YAMLField(node: root, path: "", file: name).mapping(required: ["title", "regions"], optional: ["format"])
        if let format = top["format"], try format.integer(in: 1...1000) != 1 {
            throw format.fail("this gongji reads policy format 1")
        }
        guard let titleField = top["title"], let regionsField = top["regions"] else { return (Title(zh: "", en: ""), base) }
        let title: Title
        if titleField.node.mapping != nil {
            let both = try titleField.mapping(required: ["zh", "en"], optional: [])
            title = Title(zh: try both["zh"]!.string(limit: 200), en: try both["en"]!.string(limit: 200))
        } else {
            let text = try titleField.string(limit: 200)
            title = Title(zh: text, en: text)
        }
        var regions = base.regions
        for (key, keyLine, field) in try regionsField.entries() {
            guard let code = RegionCode(key), let region = base.regions[code] else {
                throw InputError(file: name, line: keyLine, message: "regions.\(key): not a region of policy.yaml")
            }
            regions[code] = try self.region(code, field, base: region)
        }
        return (title, Policy(regions: regions.values.sorted { $0.code < $1.code }, medTypes: base.medTypes))
    }

    static func readText(_ path: String, name: String) throws(InputError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: name, line: nil, message: "cannot read the file")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            // The line of the first byte that is not UTF-8.
            var parser = Unicode.UTF8.ForwardParser()
            var bytes = data.makeIterator()
            var line = 1
            scan: while true {
                switch parser.parseScalar(from: &bytes) {
                case let .valid(encoded): if encoded.count == 1, encoded.first == 10 { line += 1 }
                case .error, .emptyInput: break scan
                }
            }
            throw InputError(file: name, line: line, message: "not UTF-8 text (save policy.yaml as UTF-8)")
        }
        return text
    }

    /// The YAML node tree; syntax errors name the line.
    static func compose(_ text: String, name: String) throws(InputError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(file: name, line: nil, message: "the file is empty")
            }
            return node
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, name: name)
        } catch {
            throw InputError(file: name, line: nil, message: "not valid YAML")
        }
    }

    static func syntaxError(_ error: YamlError, name: String) -> InputError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return InputError(file: name, line: mark.line, message: "YAML syntax: \(problem)")
        case let .reader(problem, offset, _, yaml):
            // `offset` counts characters from the start: the line is one more than the line breaks before it.
            let line = offset.map { yaml.prefix($0).reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
            return InputError(file: name, line: line, message: "YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return InputError(file: name, line: context.mark.line,
                              message: "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return InputError(file: name, line: nil, message: "YAML syntax: \(error)")
        }
    }

    /// A region's entry. With a `base` (a what-if override), every key is
    /// optional and each rule list given replaces the base's list whole.
    static func region(_ code: RegionCode, _ field: YAMLField, base: RegionPolicy? = nil) throws(InputError) -> RegionPolicy {
        let rules = ["threshold", "credit", "family", "wallet", "pot"]
        let keys = base == nil ? try field.mapping(required: ["name"], optional: ["province"] + rules)
            : try field.mapping(required: [], optional: rules)
        var region: RegionPolicy
        if let base {
            region = base
        } else {
            region = RegionPolicy(code: code, name: try keys["name"].map { f throws(InputError) in try f.string() } ?? "")
            region.province = try keys["province"].map { f throws(InputError) in try f.string() }
        }
        if let list = keys["threshold"] { region.threshold = try dated(list, keys: thresholdKeys, thresholdRule) }
        if let list = keys["credit"] { region.credit = try dated(list, keys: creditKeys, creditRule) }
        if let list = keys["family"] { region.family = try dated(list, keys: familyKeys, familyRule) }
        if let list = keys["wallet"] { region.wallet = try dated(list, keys: walletKeys, walletRule) }
        if let list = keys["pot"] { region.pot = try dated(list, keys: potKeys, potRule) }
        return region
    }

    typealias RuleKeys = (required: [String], optional: [String])
    static let datedKeys = ["from"]
    static let datedOptional = ["until", "source", "confidence"]

    /// A list of dated entries, each read by `read`, with distinct starts.
    static func dated<Rule>(_ field: YAMLField, keys: RuleKeys,
                            _ read: ([String: YAMLField], YAMLField) throws(InputError) -> Rule) throws(InputError) -> DatedRules<Rule> {
        var entries: [Dated<Rule>] = []
        for item in try field.list() {
            let map = try item.mapping(required: datedKeys + keys.required, optional: datedOptional + keys.optional)
            guard let fromField = map["from"] else { throw item.fail("missing key 'from'") }
            let from = try fromField.day()
            let until = try map["until"].map { f throws(InputError) in try f.day() }
            if let until, until < from { throw item.fail("'until' \(until) is before 'from' \(from)") }
            if entries.contains(where: { $0.from == from }) { throw fromField.fail("two entries start on \(from)") }
            let provenance = Provenance(source: try map["source"].map { f throws(InputError) in try f.string(limit: 2000) },
                                        confidence: try map["confidence"].map { f throws(InputError) in try f.string() })
            entries.append(Dated(from: from, until: until, rule: try read(map, item), provenance: provenance))
        }
        return DatedRules(entries)
    }

    static let thresholdKeys: RuleKeys = (["rate"], ["wage_basis", "wage_series", "policy_year_start", "stat_year_lag"])

    static func thresholdRule(_ map: [String: YAMLField], _ item: YAMLField) throws(InputError) -> ThresholdRule {
        guard let rateField = map["rate"] else { throw item.fail("missing key 'rate'") }
        if try rateField.scalar() == "none" {
            if let extra = ["wage_basis", "wage_series", "policy_year_start", "stat_year_lag"].first(where: { map[$0] != nil }) {
                throw item.fail("'\(extra)' has no meaning with rate: none")
            }
            return .none
        }
        var rule = ShareOfAnnualWage(rate: try rateField.rate())
        if let basis = map["wage_basis"] { rule.wageBasis = try basis.choice(WageBasis.self) }
        if let series = map["wage_series"] { rule.wageSeries = try series.string() }
        if let start = map["policy_year_start"] {
            let text = try start.scalar()
            guard let monthDay = MonthDay(text: text) else { throw start.fail("'\(text)' is not a day MM-DD") }
            rule.policyYearStart = monthDay
        }
        if let lag = map["stat_year_lag"] { rule.statYearLag = try lag.integer(in: 0...5) }
        return .shareOfAnnualWage(rule)
    }

    static let creditKeys: RuleKeys = (["personal_rate"],
                                       ["employer_share", "retiree_monthly", "base_floor", "base_cap", "wage_series"])

    static func creditRule(_ map: [String: YAMLField], _ item: YAMLField) throws(InputError) -> CreditRule {
        guard let personal = map["personal_rate"] else { throw item.fail("missing key 'personal_rate'") }
        let employer = try map["employer_share"].map { f throws(InputError) in
            try ageBands(f, valueKey: "rate") { v throws(InputError) in try v.rate() }
        } ?? AgeBands([])
        let retiree = try map["retiree_monthly"].map { f throws(InputError) in
            try ageBands(f, valueKey: "amount") { v throws(InputError) in try v.money() }
        } ?? AgeBands([])
        var rule = CreditRule(personalRate: try personal.rate(), employerShare: employer, retireeMonthly: retiree)
        rule.baseFloor = try map["base_floor"].map { f throws(InputError) in try f.rate(max: Rate(text: "1000%")!) }
        rule.baseCap = try map["base_cap"].map { f throws(InputError) in try f.rate(max: Rate(text: "1000%")!) }
        if let floor = rule.baseFloor, let cap = rule.baseCap, floor > cap {
            throw item.fail("base_floor is above base_cap")
        }
        if let series = map["wage_series"] { rule.wageSeries = try series.string() }
        return rule
    }

    /// `[{from_age: 0, rate: 0.8%}, {from_age: 35, rate: 1%}]`: starts at 0, ascending.
    static func ageBands<Value>(_ field: YAMLField, valueKey: String,
                                _ read: (YAMLField) throws(InputError) -> Value) throws(InputError) -> AgeBands<Value> {
        var bands: [AgeBands<Value>.Band] = []
        for item in try field.list() {
            let map = try item.mapping(required: ["from_age", valueKey], optional: ["source", "confidence"])
            guard let ageField = map["from_age"], let valueField = map[valueKey] else { throw item.fail("incomplete band") }
            let age = try ageField.integer(in: 0...150)
            if bands.isEmpty, age != 0 { throw ageField.fail("the first band must start at from_age 0") }
            if let last = bands.last, age <= last.fromAge {
                throw ageField.fail("bands must be in ascending from_age (\(age) after \(last.fromAge))")
            }
            bands.append(.init(fromAge: age, value: try read(valueField)))
        }
        return AgeBands(bands)
    }

    static let walletKeys: RuleKeys = (["model"], ["transfer_max", "transfers_per_day", "quiet_hours", "return_at"])

    /// `model: transfer|quota`; the transfer limits default to the national
    /// app's (2000 yuan, 3 a day, quiet 22:00-06:00, return at 06:00).
    static func walletRule(_ map: [String: YAMLField], _ item: YAMLField) throws(InputError) -> WalletRule {
        guard let modelField = map["model"] else { throw item.fail("missing key 'model'") }
        var rule = WalletRule(model: try modelField.choice(WalletModel.self))
        if let field = map["transfer_max"] {
            rule.transferMax = try field.money()
            guard rule.transferMax.fen > 0 else { throw field.fail("transfer_max must be above 0") }
        }
        if let field = map["transfers_per_day"] { rule.transfersPerDay = try field.integer(in: 1...1000) }
        if let field = map["quiet_hours"] {
            let text = try field.scalar()
            if text == "none" {
                rule.quietHours = nil
            } else {
                guard let hours = QuietHours(text: text), hours.start != hours.end else {
                    throw field.fail("'\(text)' is not a span of the day HH:MM-HH:MM (or none)")
                }
                rule.quietHours = hours
            }
        }
        if let field = map["return_at"] {
            let text = try field.scalar()
            guard let time = TimeOfDay(text: text) else { throw field.fail("'\(text)' is not a time of day HH:MM") }
            rule.returnAt = time
        }
        return rule
    }

    static let potKeys: RuleKeys = (["floor", "deposits_per_month"], ["dissolve_on"])

    static func potRule(_ map: [String: YAMLField], _ item: YAMLField) throws(InputError) -> PotRule {
        guard let floor = map["floor"], let count = map["deposits_per_month"] else {
            throw item.fail("missing key 'floor' or 'deposits_per_month'")
        }
        var rule = PotRule(floor: try floor.money(), depositsPerMonth: try count.integer(in: 1...1000))
        if let events = map["dissolve_on"] { rule.dissolveOn = try set(events, "event") }
        return rule
    }

    /// A list of an enum's values (`[spouse, parent]`): each known, none twice.
    static func set<Value: RawRepresentable & CaseIterable & Hashable>(_ field: YAMLField, _ noun: String)
        throws(InputError) -> Set<Value> where Value.RawValue == String {
        var values: Set<Value> = []
        for entry in try field.list() {
            let text = try entry.scalar()
            guard let value = Value(rawValue: text) else {
                throw entry.fail("unknown \(noun) '\(text)' (expected one of: \(Value.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard values.insert(value).inserted else { throw entry.fail("'\(text)' is listed twice") }
        }
        return values
    }

    static let familyKeys: RuleKeys = (["relations", "categories"], ["scope", "order"])

    static func familyRule(_ map: [String: YAMLField], _ item: YAMLField) throws(InputError) -> FamilyRule {
        guard let relationsField = map["relations"], let categoriesField = map["categories"] else {
            throw item.fail("missing key 'relations' or 'categories'")
        }
        let relations: Set<Relation> = try set(relationsField, "relation")
        let categories: Set<UsageCategory> = try set(categoriesField, "category")
        var rule = FamilyRule(relations: relations, categories: categories)
        if let scope = map["scope"] { rule.scope = try scope.choice(FamilyScope.self) }
        if let order = map["order"] { rule.order = try order.choice(AuthorizerOrder.self) }
        return rule
    }
}
