import Logging
import ServiceLifecycle
import Synchronization

// Invariants this file relies on: docs/store.md S6, S11, S16.

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
    private let flushPolicy: PairFlushPolicy
    private let logger: Logger
    /// Test hook, awaited before each transaction with its number of writes.
    private let beforeTransaction: (@Sendable (Int) async -> Void)?
    /// Test hook, awaited before each write of pending pairs.
    private let beforeMaterialization: (@Sendable () async -> Void)?
    /// Told of every transaction once it ended (for metrics).
    private let observer: TransactionObserver?
    private let state: Mutex<WriteQueue<Waiter, UnsafeContinuation<Bool, Never>>>
    /// The transactions attempted so far (read by tests and metrics).
    private let transactions = Atomic<Int>(0)

    /// A writer for `store` whose transactions carry at most `maxBatchSize` writes (a
    /// single `submit(batch:)` larger than that still commits whole, alone), and which
    /// writes pending pairs to `follow_pairs`: when a commit leaves `materializeThreshold`
    /// pairs or more pending, enough of them (whole users, in order of number) to bring the
    /// count `materializeChunk` under the threshold, in a transaction of their own just
    /// before the next commit, on the same trip to the writer queue; and all of
    /// them when no submission has come for `idleMaterializeDelay`, `idleMaterializeChunk`
    /// or more at a time, committing whatever was submitted meanwhile between two chunks.
    /// `observer`, when given, is told of every transaction once it committed or failed.
    ///
    /// The chunks keep each of those writes short, so that a commit never waits long
    /// behind one (BENCHMARKS.md, "Pending pairs in chunks"): 16,384 pairs written at once
    /// took 42 to 64 ms, and a follow that came during an idle flush of that size waited
    /// for all of it.
    ///
    /// The idle delay matters under load: right after a commit the queue is often empty
    /// for a moment (every waiting request was in that transaction, and the next ones are
    /// still being verified), and writing the few pairs of each transaction then would
    /// cost a random-page write per pair and hold the next commit back. Reads see pending
    /// pairs anyway, so waiting changes no answer.
    public convenience init(
        store: FollowStore, maxBatchSize: Int = 1024, materializeThreshold: Int = 16384, materializeChunk: Int = 256,
        idleMaterializeDelay: Duration = .milliseconds(50), idleMaterializeChunk: Int = 2048, logger: Logger,
        observer: TransactionObserver? = nil
    ) {
        self.init(
            store: store, maxBatchSize: maxBatchSize, materializeThreshold: materializeThreshold,
            materializeChunk: materializeChunk, idleMaterializeDelay: idleMaterializeDelay,
            idleMaterializeChunk: idleMaterializeChunk, logger: logger, beforeTransaction: nil, observer: observer)
    }

    init(
        store: FollowStore, maxBatchSize: Int, materializeThreshold: Int = 16384, materializeChunk: Int = 256,
        idleMaterializeDelay: Duration = .milliseconds(50), idleMaterializeChunk: Int = 2048, logger: Logger,
        beforeTransaction: (@Sendable (Int) async -> Void)?,
        beforeMaterialization: (@Sendable () async -> Void)? = nil, observer: TransactionObserver? = nil
    ) {
        precondition(materializeChunk >= 1, "materializeChunk must be at least 1")
        precondition(idleMaterializeChunk >= 1, "idleMaterializeChunk must be at least 1")
        self.store = store
        state = Mutex(WriteQueue(maxBatchSize: maxBatchSize))
        flushPolicy = PairFlushPolicy(
            threshold: materializeThreshold, chunk: materializeChunk, idleDelay: idleMaterializeDelay,
            idleChunk: idleMaterializeChunk)
        self.logger = logger
        self.beforeTransaction = beforeTransaction
        self.beforeMaterialization = beforeMaterialization
        self.observer = observer
    }

    /// The number of transactions attempted so far, committed or failed.
    @_spi(Benchmarks)
    public var transactionCount: Int { transactions.load(ordering: .relaxed) }

    /// Commits `write` and returns its outcome, once the transaction that carries it has
    /// committed. Cancelling the calling task does not withdraw a submitted write.
    ///
    /// - Throws: ``WriterError/unavailable`` when the writer is not running or is shutting
    ///   down, ``WriterError/commitFailed`` when the transaction failed.
    public func submit(_ write: VerifiedWrite) async throws -> WriteOutcome {
        // The common case has its own path: no array in, no array out.
        try await withUnsafeThrowingContinuation { continuation in
            switch state.withLock({ $0.enqueue(write, .one(continuation)) }) {
            case .rejected: continuation.resume(throwing: WriterError.unavailable)
            case .queued(let wakeLoop): wakeLoop?.resume(returning: false)
            }
        }
    }

    /// Commits `batch` in order within one transaction and returns its outcomes in the same
    /// order, once that transaction has committed.
    ///
    /// - Throws: as ``submit(_:)``; a failure applies to the whole batch.
    public func submit(batch: [VerifiedWrite]) async throws -> [WriteOutcome] {
        guard !batch.isEmpty else { return [] }
        return try await withUnsafeThrowingContinuation { continuation in
            let waiter = Waiter.batch(continuation, count: batch.count)
            switch state.withLock({ $0.enqueue(batch, waiter) }) {
            case .rejected: continuation.resume(throwing: WriterError.unavailable)
            case .queued(let wakeLoop): wakeLoop?.resume(returning: false)
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
        logger.debug("writer started", metadata: ["max_batch_size": "\(state.withLock { $0.maxBatchSize })"])
        await withTaskCancellationOrGracefulShutdownHandler {
            // Between the chunks of an idle flush, the next one follows at once unless a
            // submission came.
            var flushing = false
            // A chunk owed by the last commit, written just before the next one.
            var owedChunk: Int?
            while let work = await nextWork(flushing: flushing) {
                switch work {
                case .batch(let batch):
                    flushing = false
                    await commit(batch, materializingFirst: owedChunk)
                    owedChunk = flushPolicy.chunkOwed(afterCommitLeaving: store.pendingPairCount)
                case .idle:
                    owedChunk = nil
                    let written = await materializePairs(atLeast: flushPolicy.idleChunk)
                    flushing = flushPolicy.continuesFlush(chunkWritten: written, pendingLeft: store.pendingPairCount)
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
        state.withLock { $0.beginShutdown() }?.resume(returning: false)
    }

    /// True from the start of ``run()`` until shutdown begins: the span in which
    /// submissions are taken.
    var isAccepting: Bool { state.withLock { $0.phase == .running } }

    /// The number of submitted writes not yet taken into a transaction.
    var queuedWriteCount: Int { state.withLock { $0.queuedWrites } }

    // MARK: The loop

    /// What the loop does next.
    private enum Work {
        /// Commit this batch.
        case batch(WriteQueue<Waiter, UnsafeContinuation<Bool, Never>>.Batch)
        /// No submission came for `idleMaterializeDelay`: write the pending pairs.
        case idle
    }

    /// The next batch to commit, suspending while there is none; `.idle` when pending
    /// pairs wait and no submission came for `idleMaterializeDelay`, or at once when
    /// `flushing` and none came since the last chunk; nil once shut down and drained.
    private func nextWork(flushing: Bool) async -> Work? {
        while true {
            switch state.withLock({ $0.take() }) {
            case .batch(let batch): return .batch(batch)
            case .finished: return nil
            case .empty:
                let pairsWait = store.pendingPairCount > 0
                if flushing && pairsWait && !Task.isCancelled { return .idle }
                let timedOut = await withUnsafeContinuation { (wake: UnsafeContinuation<Bool, Never>) in
                    guard let parking = state.withLock({ $0.park(wake) }) else { return wake.resume(returning: false) }
                    guard pairsWait else { return }
                    Task {
                        try? await Task.sleep(for: self.flushPolicy.idleDelay)
                        self.state.withLock { $0.wakeIfStillParked(parking) }?.resume(returning: true)
                    }
                }
                if timedOut { return .idle }
            }
        }
    }

    /// Writes at least `count` pending pair states (all by default) to `follow_pairs`, and
    /// tells whether that worked: chunks when the writer has been idle for
    /// `idleMaterializeDelay`, so that lists catch up while there is time, and under load a
    /// chunk when `materializeThreshold` pairs are pending, so that each page is written
    /// once for several changes; all of them at shutdown. It runs after the answers of the
    /// transaction before it went out.
    @discardableResult
    private func materializePairs(atLeast count: Int = .max) async -> Bool {
        // Cancelled: the pairs stay pending; the next open rebuilds them from the audit log.
        guard !Task.isCancelled else { return false }
        await beforeMaterialization?()
        do {
            try await store.materializePairs(atLeast: count)
            return true
        } catch {
            logger.error(
                "writing pending pairs failed; they stay pending", metadata: ["error": "\(String(reflecting: error))"])
            return false
        }
    }

    /// One transaction for all of `batch`, after a chunk of pending pairs when one is owed;
    /// every waiter is resumed exactly once.
    private func commit(_ batch: WriteQueue<Waiter, UnsafeContinuation<Bool, Never>>.Batch, materializingFirst chunk: Int?) async
    {
        if Task.isCancelled {
            for waiter in batch.waiters { waiter.fail(WriterError.unavailable) }
            return
        }
        let writes = batch.writes
        await beforeTransaction?(writes.count)
        transactions.add(1, ordering: .relaxed)
        let outcomes: [WriteOutcome]
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let applied = try await store.applySuspending(writes, materializingFirst: chunk)
            outcomes = applied.outcomes
            observer?(
                TransactionReport(
                    writes: writes.count, duration: clock.now - start - applied.chunkDuration, committed: true))
        } catch {
            observer?(TransactionReport(writes: writes.count, duration: clock.now - start, committed: false))
            logger.error(
                "transaction failed; every write in it fails",
                metadata: ["writes": "\(writes.count)", "error": "\(String(reflecting: error))"])
            for waiter in batch.waiters { waiter.fail(WriterError.commitFailed) }
            return
        }
        logger.trace("transaction committed", metadata: ["writes": "\(writes.count)"])
        if batch.waiters.count == 1 {
            batch.waiters[0].answer(outcomes)
            return
        }
        var offset = 0
        for waiter in batch.waiters {
            waiter.answer(outcomes, from: offset)
            offset += waiter.writeCount
        }
    }
}

/// What a ``GroupCommitWriter`` tells its observer of one transaction.
public struct TransactionReport: Sendable, Equatable {
    /// The number of writes it carried.
    public var writes: Int
    /// From the start of the transaction to its commit (or failure), disk sync and the trip
    /// to the writer queue included, a chunk of pending pairs written before it not.
    public var duration: Duration
    /// False when it failed and rolled back.
    public var committed: Bool
}

/// Called by the writer after each transaction, on the writer's task: keep it short.
public typealias TransactionObserver = @Sendable (TransactionReport) -> Void

/// One `submit` call waiting for its answer. Its writes are queued, in order, in the
/// writes of the batch that holds the waiter. Each waiter is resumed exactly once (an
/// unsafe continuation: the writer's bookkeeping, not a runtime check, guarantees it).
private enum Waiter: Sendable {
    /// `submit(_:)`: one write, one outcome.
    case one(UnsafeContinuation<WriteOutcome, any Error>)
    /// `submit(batch:)`: `count` writes, their outcomes as an array.
    case batch(UnsafeContinuation<[WriteOutcome], any Error>, count: Int)

    /// The number of writes the call submitted.
    var writeCount: Int {
        switch self {
        case .one: 1
        case .batch(_, let count): count
        }
    }

    /// Answers with the outcomes of this waiter's writes, which start at `offset` in
    /// `outcomes`, the outcomes of its transaction.
    func answer(_ outcomes: [WriteOutcome], from offset: Int) {
        switch self {
        case .one(let continuation): continuation.resume(returning: outcomes[offset])
        case .batch(let continuation, let count): continuation.resume(returning: Array(outcomes[offset..<offset + count]))
        }
    }

    /// Answers with all of `outcomes`: the waiter's writes were the whole transaction.
    func answer(_ outcomes: [WriteOutcome]) {
        switch self {
        case .one(let continuation): continuation.resume(returning: outcomes[0])
        case .batch(let continuation, _): continuation.resume(returning: outcomes)
        }
    }

    /// Fails the call with `error`.
    func fail(_ error: WriterError) {
        switch self {
        case .one(let continuation): continuation.resume(throwing: error)
        case .batch(let continuation, _): continuation.resume(throwing: error)
        }
    }
}
