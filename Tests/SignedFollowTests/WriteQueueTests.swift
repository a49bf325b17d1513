@_spi(Benchmarks) @testable import SignedFollow
import Testing

/// The group-commit writer's decisions as values (``WriteQueue`` and ``PairFlushPolicy``):
/// no SQLite, no tasks. Waiters are numbers, the loop's wake handle a string.
@Suite("Write queue and pair flush policy")
struct WriteQueueTests {
    typealias Queue = WriteQueue<Int, String>

    static func write(_ index: Int) -> VerifiedWrite { .follow(StoreFixture.follow("user:0", "user:\(index)", at: Int64(index))) }

    static func running(maxBatchSize: Int) -> Queue {
        var queue = Queue(maxBatchSize: maxBatchSize)
        let started = queue.start()
        #expect(started)
        return queue
    }

    /// The waiters of each batch `queue` hands out, until it is empty.
    static func drain(_ queue: inout Queue) -> [[Int]] {
        var batches: [[Int]] = []
        while case .batch(let batch) = queue.take() { batches.append(batch.waiters) }
        return batches
    }

    @Test("submissions share a transaction up to maxBatchSize, in order; a larger submission commits whole and alone")
    func batching() {
        var queue = Self.running(maxBatchSize: 3)
        for waiter in 0..<4 { _ = queue.enqueue(Self.write(waiter), waiter) }
        _ = queue.enqueue((10..<15).map(Self.write), 10)  // 5 writes > 3: alone
        _ = queue.enqueue(Self.write(20), 20)
        _ = queue.enqueue([Self.write(21), Self.write(22)], 21)  // fits with 20
        #expect(queue.queuedWrites == 12)
        #expect(Self.drain(&queue) == [[0, 1, 2], [3], [10], [20, 21]])
        #expect(queue.queuedWrites == 0)
        guard case .empty = queue.take() else { Issue.record("an emptied queue is empty"); return }
    }

    @Test("a batch's writes are its submissions' writes, in order")
    func writesInOrder() {
        var queue = Self.running(maxBatchSize: 8)
        _ = queue.enqueue(Self.write(1), 1)
        _ = queue.enqueue([Self.write(2), Self.write(3)], 2)
        guard case .batch(let batch) = queue.take() else { Issue.record("no batch"); return }
        #expect(batch.writes == [Self.write(1), Self.write(2), Self.write(3)])
    }

    @Test("before start and after shutdown begins, submissions are rejected; what was queued is still taken, then finished")
    func phases() {
        var idle = Queue(maxBatchSize: 4)
        guard case .rejected = idle.enqueue(Self.write(0), 0) else { Issue.record("an idle queue took a write"); return }
        var queue = Self.running(maxBatchSize: 4)
        let startedAgain = queue.start()
        #expect(!startedAgain)
        _ = queue.enqueue(Self.write(1), 1)
        #expect(queue.beginShutdown() == nil)
        #expect(queue.phase == .draining)
        guard case .rejected = queue.enqueue(Self.write(2), 2) else { Issue.record("a draining queue took a write"); return }
        guard case .batch(let batch) = queue.take() else { Issue.record("the queued write was dropped"); return }
        #expect(batch.waiters == [1])
        guard case .finished = queue.take() else { Issue.record("a drained queue is finished"); return }
        #expect(queue.phase == .finished)
        var never = Queue(maxBatchSize: 4)
        _ = never.beginShutdown()
        #expect(never.phase == .finished)
    }

    @Test("the parked loop is handed out once: by the next submission, by shutdown, or by its own idle timer only")
    func parking() {
        var queue = Self.running(maxBatchSize: 4)
        let first = queue.park("first")
        #expect(first == 1)
        guard case .queued(let wake) = queue.enqueue(Self.write(1), 1) else { Issue.record("rejected"); return }
        #expect(wake == "first")
        #expect(queue.wakeIfStillParked(1) == nil)  // the submission took it
        #expect(queue.park("busy") == nil)  // work is queued: not parked
        _ = Self.drain(&queue)
        let second = queue.park("second")
        #expect(second == 2)
        #expect(queue.wakeIfStillParked(1) == nil)  // an old timer wakes nothing
        #expect(queue.wakeIfStillParked(2) == "second")
        #expect(queue.wakeIfStillParked(2) == nil)
        _ = queue.park("third")
        #expect(queue.beginShutdown() == "third")
        #expect(queue.park("after shutdown") == nil)
    }

    @Test(
        "a chunk is owed from the threshold on, enough to go chunk under it; an idle flush goes on while chunks are written and pairs are left"
    )
    func flushPolicy() {
        let policy = PairFlushPolicy(threshold: 100, chunk: 10, idleDelay: .milliseconds(50), idleChunk: 20)
        #expect(policy.chunkOwed(afterCommitLeaving: 0) == nil)
        #expect(policy.chunkOwed(afterCommitLeaving: 99) == nil)
        #expect(policy.chunkOwed(afterCommitLeaving: 100) == 10)
        #expect(policy.chunkOwed(afterCommitLeaving: 150) == 60)
        #expect(policy.continuesFlush(chunkWritten: true, pendingLeft: 5))
        #expect(!policy.continuesFlush(chunkWritten: true, pendingLeft: 0))
        #expect(!policy.continuesFlush(chunkWritten: false, pendingLeft: 5))
    }
}
