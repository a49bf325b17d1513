// Invariants this file relies on: docs/store.md S6, S11.

/// The group-commit writer's decisions, as plain values with no SQLite and no tasks, so
/// that they are unit-tested as swift-nio tests its state machines (docs/store.md S11):
/// which submissions share a transaction, when the loop parks and is woken, how shutdown
/// drains. ``GroupCommitWriter`` keeps one under a mutex and does what it says.
///
/// The queue is cut into transactions as submissions arrive: a submission joins the last
/// batch when the batch's writes and its own fit in `maxBatchSize`, and starts a new batch
/// otherwise (so a batch always holds at least one submission, and a larger submission
/// commits whole, alone). The loop takes the first batch as it is, without copying its
/// writes. `Waiter` is what answers a submission, `Wake` what resumes the parked loop; the
/// queue only hands them out, to be resumed outside the lock.
struct WriteQueue<Waiter, Wake> {
    enum Phase { case idle, running, draining, finished }
    enum Enqueued { case rejected, queued(wakeLoop: Wake?) }
    enum Taken { case batch(Batch), empty, finished }

    /// The writes of one future transaction, in submission order, and the submissions'
    /// waiters, in the same order.
    struct Batch {
        var writes: [VerifiedWrite] = []
        var waiters: [Waiter] = []
    }

    /// The most writes a transaction carries, unless one submission alone has more.
    let maxBatchSize: Int
    private(set) var phase = Phase.idle
    /// The queued submissions, cut into batches; the last one may still grow.
    private var batches: [Batch] = []
    /// The writes queued and not yet taken into a transaction.
    private(set) var queuedWrites = 0
    /// The loop, while it waits for work.
    private var parkedLoop: Wake?
    /// Counts the loop's parkings, so that an idle timer wakes only the parking it was
    /// started for.
    private var parkings = 0

    /// An idle queue (not yet taking submissions).
    init(maxBatchSize: Int) {
        precondition(maxBatchSize >= 1, "maxBatchSize must be at least 1")
        self.maxBatchSize = maxBatchSize
    }

    /// Starts taking submissions; false when it already has (or has finished).
    mutating func start() -> Bool {
        guard phase == .idle else { return false }
        phase = .running
        return true
    }

    /// Queues `write` for `waiter`, or rejects it (then the caller fails `waiter`); hands
    /// out the parked loop, to be woken.
    mutating func enqueue(_ write: VerifiedWrite, _ waiter: Waiter) -> Enqueued {
        guard phase == .running else { return .rejected }
        if let last = batches.indices.last, batches[last].writes.count < maxBatchSize {
            batches[last].writes.append(write)
            batches[last].waiters.append(waiter)
        } else {
            batches.append(Batch(writes: [write], waiters: [waiter]))
        }
        queuedWrites += 1
        defer { parkedLoop = nil }
        return .queued(wakeLoop: parkedLoop)
    }

    /// Queues the writes of one `submit(batch:)` for `waiter`, as ``enqueue(_:_:)``: they
    /// stay together in one transaction.
    mutating func enqueue(_ writes: [VerifiedWrite], _ waiter: Waiter) -> Enqueued {
        guard phase == .running else { return .rejected }
        if let last = batches.indices.last, batches[last].writes.count + writes.count <= maxBatchSize {
            batches[last].writes.append(contentsOf: writes)
            batches[last].waiters.append(waiter)
        } else {
            batches.append(Batch(writes: writes, waiters: [waiter]))
        }
        queuedWrites += writes.count
        defer { parkedLoop = nil }
        return .queued(wakeLoop: parkedLoop)
    }

    /// The oldest batch, or why there is none: `.finished` once shutdown has begun and
    /// everything queued before it was taken.
    mutating func take() -> Taken {
        guard !batches.isEmpty else {
            if phase == .draining {
                phase = .finished
                return .finished
            }
            return .empty
        }
        let batch = batches.removeFirst()
        queuedWrites -= batch.writes.count
        return .batch(batch)
    }

    /// Parks the loop until work or shutdown arrives and returns the parking's number;
    /// nil when either already has (then the caller resumes `wake` itself).
    mutating func park(_ wake: Wake) -> Int? {
        guard batches.isEmpty, phase == .running else { return nil }
        parkedLoop = wake
        parkings += 1
        return parkings
    }

    /// The parked loop, when it is still parked in parking `number` (nothing came since).
    mutating func wakeIfStillParked(_ number: Int) -> Wake? {
        guard parkings == number, let loop = parkedLoop else { return nil }
        parkedLoop = nil
        return loop
    }

    /// Stops taking submissions: what is queued is still taken, then ``take()`` says
    /// `.finished`. Hands out the parked loop, to be woken.
    mutating func beginShutdown() -> Wake? {
        switch phase {
        case .idle: phase = .finished
        case .running: phase = .draining
        case .draining, .finished: break
        }
        defer { parkedLoop = nil }
        return parkedLoop
    }
}

extension WriteQueue.Batch: Sendable where Waiter: Sendable {}

/// When the writer writes pending pair states to `follow_pairs` (docs/store.md S5): a
/// chunk before the next commit once a commit leaves `threshold` pairs pending, enough to
/// bring them `chunk` under it; and, when no submission has come for `idleDelay`, all of
/// them, `idleChunk` or more at a time, one chunk after another while nothing is submitted.
struct PairFlushPolicy: Sendable, Equatable {
    /// Pending pairs at which a commit owes a chunk.
    var threshold: Int
    /// How far under the threshold a chunk brings the pending pairs.
    var chunk: Int
    /// How long the writer waits without a submission before flushing.
    var idleDelay: Duration
    /// The least an idle flush writes at a time.
    var idleChunk: Int

    /// The chunk owed after a commit that leaves `pending` pairs pending, nil below the
    /// threshold.
    func chunkOwed(afterCommitLeaving pending: Int) -> Int? {
        pending >= threshold ? pending - threshold + chunk : nil
    }

    /// Whether an idle flush goes on at once after a chunk: it was written (a failed one
    /// ends the flush: the pairs wait for the next idle spell) and pairs are left.
    func continuesFlush(chunkWritten: Bool, pendingLeft: Int) -> Bool {
        chunkWritten && pendingLeft > 0
    }
}
