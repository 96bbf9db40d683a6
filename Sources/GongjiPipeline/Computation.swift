import Foundation
import GongjiDomain
import GongjiImport
import GongjiReports

/// A job's three stages: read the inputs (`ReadInputs`), settle month after
/// month (`Settlement`, in the domain), and hand each month's values to the
/// job's sinks (Sinks.swift). `run`, `recompute` and `what-if` share it;
/// only their sinks differ.
struct Computation {
    var loaded: LoadedThresholds
    var inputs: Inputs
    var months: [YearMonth]

    /// Every input's provenance, for manifest.json and the run log: policy,
    /// override, bulletins, then the CSV files (`inputs.files`, which the
    /// month pages' import summary counts).
    var allInputs: [InputRecord] { loaded.inputs + inputs.files }
    /// Every rejected row, for rejects.csv.
    var rejects: [RejectedRow] { inputs.rejects }
    /// `--province`: the provinces settled, stored and reported; nil: every province.
    var selection: ProvinceSelection? { inputs.selection }

    /// `selection` (`--province`): only those provinces' rows are read, and
    /// only their regions settled and reported; provinces tied to them that
    /// it leaves out stop the job (docs/policy.md, "Units of work").
    /// `noteGaps`: say which months between the first and last have no
    /// input; a job that adds months of its own (the audit's) says it later.
    static func load(_ folder: DataFolder, _ loaded: LoadedThresholds, encoding: TextEncoding,
                     console: Console, noteGaps: Bool = true, selection: ProvinceSelection? = nil) throws(RunError) -> Computation {
        let inputs = try ReadInputs.run(folder, loaded, encoding: encoding, console: console, selection: selection)
        try checkTies(inputs)
        let loaded = loaded.restricted(to: selection)
        let months = inputs.months
        // Thresholds up to the last month settled, however far past the newest bulletin (rule R1).
        let computation = Computation(loaded: loaded.through(months.last?.lastDay), inputs: inputs, months: months)
        if noteGaps { computation.noteGaps(console) }
        return computation
    }

    /// The months between the first and the last that are not settled.
    func noteGaps(_ console: Console) {
        for gap in Inputs.gaps(in: months) {
            let span = gap.lowerBound == gap.upperBound ? "\(gap.lowerBound)" : "\(gap.lowerBound) .. \(gap.upperBound)"
            console.info("no inputs for \(span): not settled, no reports for it (accounts carry over unchanged)")
        }
    }

    /// A job given `--province` that leaves out a province its rows are tied to stops, naming it.
    static func checkTies(_ inputs: Inputs) throws(RunError) {
        if let selection = inputs.selection, let message = ProvinceTie.leftOut(by: selection, inputs.ties) {
            throw RunError(message)
        }
    }

    /// The inputs settlement needs, with the thresholds up to the last month.
    var settlementInputs: SettlementInputs {
        SettlementInputs(policy: loaded.policy, periods: loaded.periods, persons: inputs.persons, openings: inputs.openings,
                         credits: inputs.credits, bindings: inputs.bindings, events: inputs.events, earmarks: inputs.earmarks,
                         others: inputs.filter?.others ?? PersonTable(capacity: 0))
    }

    /// Settles month after month (`Settlement`, in the domain) and hands
    /// each month's values to the job's sinks, in their order; then
    /// finishes them. The credits and opening balances go to the settlement,
    /// which lets each month's credits go once it is settled, and each
    /// day's openings once applied: the computation keeps neither.
    mutating func settle(into sinks: [any MonthSink], console: Console = .silent) throws {
        // The months after the first wait on disk until they settle (CreditSpool.swift).
        if months.count > 1 {
            let spool = try CreditSpool(in: inputs.claims.folder)
            try console.time("stash the credits of later months") { try inputs.credits.stash(into: spool, keeping: 1) }
        }
        let spoolPath = CreditSpool.url(in: inputs.claims.folder)
        let prepared = console.time("prepare settlement") { Settlement(settlementInputs, claims: inputs.claims) }
        inputs.credits = inputs.credits.emptied()
        inputs.openings = [:]
        do {
            var settlement = consume prepared
            for month in months {
                for sink in sinks { try sink.ready() }
                let result: MonthResult
                do {
                    result = try console.time("settle \(month)") { try settlement.settle(month) }
                } catch let damaged as DamagedCredits {
                    throw RunError("\(spoolPath.path): the credits of \(damaged.month.text) came back damaged")
                }
                for sink in sinks { try sink.take(result) }
            }
            for sink in sinks { try sink.finish() }
        } catch {
            // Nothing goes on writing into the staging folder the job is about to remove.
            for sink in sinks { sink.stop() }
            throw error
        }
    }
}
