/// The earmark actions in time order: the agenda made from the inputs, and
/// the acceptances and returns that transfers sent have scheduled.
struct EarmarkTimeline: Sendable {
    /// An action of the timeline. At one time: endings, then returns and
    /// acceptances, then new quotas, deposits and transfers; then by the
    /// input's ID.
    struct Action: Comparable, Sendable {
        enum Kind: Int, Sendable {
            case quotaEnd = 0, potDissolve, transferReturn, transferAccept, quotaStart, deposit, transferSend
        }
        var time: Timestamp
        var kind: Kind
        /// Index into the input list of its kind.
        var index: Int32
        var id: String

        static func < (lhs: Action, rhs: Action) -> Bool {
            (lhs.time, lhs.kind.rawValue, lhs.id) < (rhs.time, rhs.kind.rawValue, rhs.id)
        }
    }

    private let agenda: [Action]
    private var next = 0
    /// Acceptances and returns of transfers sent, in time order (few at a time).
    private var pending: [Action] = []

    /// The inputs' actions, in any order.
    init(_ actions: [Action]) {
        agenda = actions.sorted()
    }

    /// Takes the next action due at or before `time` off the timeline; nil
    /// when none is due.
    mutating func next(dueBy time: Timestamp) -> Action? {
        let fromAgenda = next < agenda.count && agenda[next].time <= time
        let fromPending = !pending.isEmpty && pending[0].time <= time
        guard fromAgenda || fromPending else { return nil }
        if fromAgenda && (!fromPending || agenda[next] < pending[0]) {
            next += 1
            return agenda[next - 1]
        }
        return pending.removeFirst()
    }

    /// Adds an acceptance or a return of a transfer sent.
    mutating func schedule(_ action: Action) {
        let at = pending.firstIndex { action < $0 } ?? pending.count
        pending.insert(action, at: at)
    }
}
