import Foundation

/// Runs a list of tasks on the machine's two cores: each lane takes the next
/// task in order, until all are taken or one has failed (then the rest are
/// not started). Each task's result is kept in its place; a task not started
/// has none.
enum TwoLanes {
    static func run<T: Sendable>(_ count: Int, _ task: @Sendable (_ index: Int, _ lane: Int) throws(RunError) -> T) -> [Result<T, RunError>?] {
        let state = State<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            while let index = state.next() {
                do throws(RunError) {
                    state.set(index, .success(try task(index, lane)))
                } catch {
                    state.set(index, .failure(error))
                }
            }
        }
        return state.results
    }

    /// The next task's number and the results, under one lock.
    private final class State<T>: @unchecked Sendable {  // every access under the lock
        private let lock = NSLock()
        private var taken = 0
        private let count: Int
        private var values: [Result<T, RunError>?]

        init(count: Int) {
            self.count = count
            values = Array(repeating: nil, count: count)
        }

        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard taken < count else { return nil }
            taken += 1
            return taken - 1
        }

        func set(_ index: Int, _ value: Result<T, RunError>) {
            lock.lock()
            defer { lock.unlock() }
            values[index] = value
            if case .failure = value { taken = count }
        }

        var results: [Result<T, RunError>?] {
            lock.lock()
            defer { lock.unlock() }
            return values
        }
    }
}
