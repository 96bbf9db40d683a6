import Foundation

/// One store transaction run on a thread of its own and fed with work from
/// the job's thread, so that SQLite's share of a run (a million rows of
/// persons, roster, balances) overlaps the computation on the second core.
///
/// Work runs in the order given. `commit` waits for it all and commits;
/// `rollback`, or any failure, leaves the store as it was. A failure is
/// reported by the next `enqueue`, `sync` or `commit`.
public final class BackgroundTransaction: @unchecked Sendable {
    public typealias Work = (any StoreWriting) throws -> Void
    private struct Stop: Error {}

    private let condition = NSCondition()
    private var pending: [(work: Work, weight: Int)] = []
    private var queuedWeight = 0
    private var closed = false
    private var aborted = false
    private var finished = false
    private var failure: (any Error)?
    /// At most this many rows of work wait (a batch or a month's results
    /// counts its rows); the job's thread waits beyond it, so memory stays
    /// bounded when SQLite is the slower side.
    private let limit = 400_000

    /// `scope`: the provinces whose rows the transaction replaces (docs/store.md).
    public init(store: any ResultStore, scope: ProvinceScope = .all) {
        let thread = Thread { [self] in
            do {
                try store.writing(scope: scope) { writer in
                    while let work = take() { try work(writer) }
                    if isAborted { throw Stop() }
                }
            } catch is Stop {
            } catch {
                condition.lock()
                failure = error
                condition.unlock()
            }
            condition.lock()
            finished = true
            pending.removeAll()
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private var isAborted: Bool {
        condition.lock()
        defer { condition.unlock() }
        return aborted
    }

    private func take() -> Work? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !closed && !aborted { condition.wait() }
        if aborted || pending.isEmpty { return nil }
        let (work, weight) = pending.removeFirst()
        queuedWeight -= weight
        condition.broadcast()
        return work
    }

    /// Waits until no work waits (what runs may go on); throws the failure
    /// of earlier work, if any. A job calls it before it makes the next
    /// large piece of work, so that at most one waits while one runs.
    public func waitForRoom() throws {
        condition.lock()
        defer { condition.unlock() }
        while !pending.isEmpty && !finished && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// Queues `work` of `weight` rows; throws the failure of earlier work, if any.
    public func enqueue(weight: Int = 1, _ work: @escaping Work) throws {
        condition.lock()
        defer { condition.unlock() }
        while !pending.isEmpty && queuedWeight + weight > limit && !finished && failure == nil { condition.wait() }
        if let failure { throw failure }
        guard !finished && !closed else { throw StoreError("the store transaction has ended") }
        pending.append((work, weight))
        queuedWeight += weight
        condition.broadcast()
    }

    /// Runs `work` in turn and waits for its result.
    public func sync<T>(_ work: @escaping (any StoreWriting) throws -> T) throws -> T {
        let box = ResultBox<T>()
        try enqueue { [condition] writer in
            let result = Result { try work(writer) }
            condition.lock()
            box.result = result
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        while box.result == nil && !finished && failure == nil { condition.wait() }
        let error = failure
        condition.unlock()
        if let error { throw error }
        guard let result = box.result else { throw StoreError("the store transaction has ended") }
        return try result.get()
    }

    /// Waits for every piece of work and commits.
    public func commit() throws {
        condition.lock()
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        let error = failure
        condition.unlock()
        if let error { throw error }
    }

    /// Drops the queued work and rolls the transaction back.
    public func rollback() {
        condition.lock()
        aborted = true
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private final class ResultBox<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
