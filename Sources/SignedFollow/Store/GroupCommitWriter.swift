import Logging
import ServiceLifecycle
import Synchronization

/// Why a submitted write has no outcome.
public enum WriterError: Error, Sendable, Equatable {
    /// The writer is not running, or is shutting down: nothing was written.
    case unavailable
    /// The transaction that carried the write failed and rolled back: nothing was written.
    case commitFailed

    /// The response code: 50301 and 50001.
    public var code: ErrorCode {
        switch self {
        case .unavailable: .unavailable
        case .commitFailed: .internalError
        }
    }
}

/// The single writer of a ``FollowStore``, with group commit: every write submitted while
/// a transaction is committing joins the next transaction, so many requests share one
/// disk sync.
///
/// Run it as a service of the application's `ServiceGroup`, listed before the HTTP
/// server: the group shuts services down in reverse order, so the server stops taking
/// requests before the writer drains. Submissions are accepted from the moment ``run()``
/// starts until graceful shutdown (or cancellation) begins; then ``run()`` commits what
/// was already submitted and returns.
public final class GroupCommitWriter: Service, Sendable {
    private let store: FollowStore
    private let maxBatchSize: Int
    private let materializeThreshold: Int
    private let logger: Logger
    /// Test hook, awaited before each transaction with its number of writes.
    private let beforeTransaction: (@Sendable (Int) async -> Void)?
    /// Told of every transaction once it ended (for metrics).
    private let observer: TransactionObserver?
    private let state = Mutex(State())

    /// A writer for `store` whose transactions carry at most `maxBatchSize` writes (a
    /// single `submit(batch:)` larger than that still commits whole, alone), and which
    /// writes pending pairs to `follow_pairs` whenever its queue is empty or
    /// `materializeThreshold` pairs are pending. `observer`, when given, is told of every
    /// transaction once it committed or failed.
    public convenience init(
        store: FollowStore, maxBatchSize: Int = 1024, materializeThreshold: Int = 16384, logger: Logger,
        observer: TransactionObserver? = nil
    ) {
        self.init(
            store: store, maxBatchSize: maxBatchSize, materializeThreshold: materializeThreshold, logger: logger,
            beforeTransaction: nil, observer: observer)
    }

    init(
        store: FollowStore, maxBatchSize: Int, materializeThreshold: Int = 16384, logger: Logger,
        beforeTransaction: (@Sendable (Int) async -> Void)?, observer: TransactionObserver? = nil
    ) {
        precondition(maxBatchSize >= 1, "maxBatchSize must be at least 1")
        self.store = store
        self.maxBatchSize = maxBatchSize
        self.materializeThreshold = materializeThreshold
        self.logger = logger
        self.beforeTransaction = beforeTransaction
        self.observer = observer
    }

    /// The number of transactions attempted so far, committed or failed.
    public var transactionCount: Int { state.withLock { $0.transactionCount } }

    /// Commits `write` and returns its outcome, once the transaction that carries it has
    /// committed. Cancelling the calling task does not withdraw a submitted write.
    ///
    /// - Throws: ``WriterError/unavailable`` when the writer is not running or is shutting
    ///   down, ``WriterError/commitFailed`` when the transaction failed.
    public func submit(_ write: PendingWrite) async throws -> WriteOutcome {
        try await submit(batch: [write])[0]
    }

    /// Commits `batch` in order within one transaction and returns its outcomes in the same
    /// order, once that transaction has committed.
    ///
    /// - Throws: as ``submit(_:)``; a failure applies to the whole batch.
    public func submit(batch: [PendingWrite]) async throws -> [WriteOutcome] {
        guard !batch.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let job = Job(writes: batch, continuation: continuation)
            switch state.withLock({ $0.enqueue(job) }) {
            case .rejected:
                continuation.resume(throwing: WriterError.unavailable)
            case .queued(let wakeLoop):
                wakeLoop?.resume()
            }
        }
    }

    /// Takes submissions and commits them until graceful shutdown, then drains what was
    /// submitted before it and returns. On cancellation it returns promptly: submissions
    /// not yet in a transaction fail with ``WriterError/unavailable``, and the transaction
    /// under way either commits or rolls back (``WriterError/commitFailed``).
    public func run() async throws {
        let started = state.withLock { $0.start() }
        precondition(started, "GroupCommitWriter.run() called more than once")
        logger.debug("writer started", metadata: ["max_batch_size": "\(maxBatchSize)"])
        await withTaskCancellationOrGracefulShutdownHandler {
            while let jobs = await nextJobs() {
                await commit(jobs)
                if queuedWriteCount == 0 || store.pendingPairCount >= materializeThreshold {
                    await materializePairs()
                }
            }
            await materializePairs()
        } onCancelOrGracefulShutdown: {
            self.beginShutdown()
        }
        logger.debug("writer stopped", metadata: ["transactions": "\(transactionCount)"])
    }

    /// Stops taking submissions; ``run()`` returns once it has drained the queue.
    func beginShutdown() {
        state.withLock { $0.beginShutdown() }?.resume()
    }

    /// True from the start of ``run()`` until shutdown begins: the span in which
    /// submissions are taken.
    var isAccepting: Bool { state.withLock { $0.phase == .running } }

    /// The number of submitted writes not yet taken into a transaction.
    var queuedWriteCount: Int { state.withLock { $0.queuedWrites } }

    // MARK: The loop

    /// The next jobs to commit, suspending while there are none; nil once shut down and
    /// drained.
    private func nextJobs() async -> [Job]? {
        while true {
            switch state.withLock({ $0.take(maxWrites: maxBatchSize) }) {
            case .jobs(let jobs): return jobs
            case .finished: return nil
            case .empty:
                await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
                    if state.withLock({ $0.park(wake) }) == false { wake.resume() }
                }
            }
        }
    }

    /// Writes the pending pair states to `follow_pairs`: when the queue is empty, so that
    /// lists catch up at once while there is time, and under load when
    /// `materializeThreshold` pairs are pending, so that each page is written once for
    /// many changes. It runs after the answers of the transaction before it went out.
    private func materializePairs() async {
        // Cancelled: the pairs stay pending; the next open rebuilds them from the audit log.
        guard !Task.isCancelled else { return }
        do {
            try await store.materializePairsSuspending()
        } catch {
            logger.error(
                "writing pending pairs failed; they stay pending", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// One transaction for all of `jobs`; every job's continuation is resumed exactly once.
    private func commit(_ jobs: [Job]) async {
        if Task.isCancelled {
            for job in jobs { job.continuation.resume(throwing: WriterError.unavailable) }
            return
        }
        let writes = jobs.flatMap(\.writes)
        await beforeTransaction?(writes.count)
        state.withLock { $0.transactionCount += 1 }
        let outcomes: [WriteOutcome]
        let clock = ContinuousClock()
        let start = clock.now
        do {
            outcomes = try await store.applySuspending(writes)
            observer?(TransactionReport(writes: writes.count, duration: clock.now - start, committed: true))
        } catch {
            observer?(TransactionReport(writes: writes.count, duration: clock.now - start, committed: false))
            logger.error(
                "transaction failed; every write in it fails",
                metadata: ["writes": "\(writes.count)", "error": "\(String(reflecting: error))"])
            for job in jobs { job.continuation.resume(throwing: WriterError.commitFailed) }
            return
        }
        logger.trace("transaction committed", metadata: ["writes": "\(writes.count)"])
        var offset = 0
        for job in jobs {
            job.continuation.resume(returning: Array(outcomes[offset..<offset + job.writes.count]))
            offset += job.writes.count
        }
    }
}

/// What a ``GroupCommitWriter`` tells its observer of one transaction.
public struct TransactionReport: Sendable, Equatable {
    /// The number of writes it carried.
    public var writes: Int
    /// From the start of the transaction to its commit (or failure), disk sync included.
    public var duration: Duration
    /// False when it failed and rolled back.
    public var committed: Bool
}

/// Called by the writer after each transaction, on the writer's task: keep it short.
public typealias TransactionObserver = @Sendable (TransactionReport) -> Void

/// One `submit` call: its writes stay together in one transaction.
private struct Job: Sendable {
    let writes: [PendingWrite]
    let continuation: CheckedContinuation<[WriteOutcome], any Error>
}

/// The writer's shared state, only ever touched under its mutex. Continuations are
/// handed out of the lock to be resumed, never resumed inside it.
private struct State {
    enum Phase { case idle, running, draining, finished }
    enum Enqueued { case rejected, queued(wakeLoop: CheckedContinuation<Void, Never>?) }
    enum Taken { case jobs([Job]), empty, finished }

    var phase = Phase.idle
    var queue: [Job] = []
    var queuedWrites = 0
    var transactionCount = 0
    /// The loop, while it waits for work.
    var parkedLoop: CheckedContinuation<Void, Never>?

    mutating func start() -> Bool {
        guard phase == .idle else { return false }
        phase = .running
        return true
    }

    mutating func enqueue(_ job: Job) -> Enqueued {
        guard phase == .running else { return .rejected }
        queue.append(job)
        queuedWrites += job.writes.count
        defer { parkedLoop = nil }
        return .queued(wakeLoop: parkedLoop)
    }

    /// Jobs in submission order up to `maxWrites` writes, and always at least one job.
    mutating func take(maxWrites: Int) -> Taken {
        guard !queue.isEmpty else {
            if phase == .draining {
                phase = .finished
                return .finished
            }
            return .empty
        }
        var count = 0
        var taken = 0
        while taken < queue.count, taken == 0 || count + queue[taken].writes.count <= maxWrites {
            count += queue[taken].writes.count
            taken += 1
        }
        let jobs = Array(queue[..<taken])
        queue.removeFirst(taken)
        queuedWrites -= count
        return .jobs(jobs)
    }

    /// Parks the loop until work or shutdown arrives; false when either already has.
    mutating func park(_ wake: CheckedContinuation<Void, Never>) -> Bool {
        guard queue.isEmpty, phase == .running else { return false }
        parkedLoop = wake
        return true
    }

    mutating func beginShutdown() -> CheckedContinuation<Void, Never>? {
        switch phase {
        case .idle: phase = .finished
        case .running: phase = .draining
        case .draining, .finished: break
        }
        defer { parkedLoop = nil }
        return parkedLoop
    }
}
