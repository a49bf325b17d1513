import Foundation
import GRDB
import Keccak
import Logging
import ServiceLifecycle
@_spi(Benchmarks) @testable import SignedFollow
import Testing
import WalletCrypto

/// The group-commit writer: acknowledgement only after commit, shared transactions,
/// draining on graceful shutdown, failures reported to every submitter.
@Suite("Group commit writer")
final class GroupCommitWriterTests: Sendable {
    let path = temporaryStorePath()
    let store: FollowStore

    init() throws { store = try FollowStore(path: path, logger: storeTestLogger) }

    deinit {
        try? store.close()
        removeStoreFiles(path)
    }

    @Test("a write acknowledged by submit is in the file after closing and reopening it")
    func acknowledgedWriteIsDurable() async throws {
        let follow = StoreFixture.follow("user:a", "user:b", at: 10)
        try await withRunningWriter(store) { writer in
            let registered = try await writer.submit(batch: [
                .register(StoreFixture.registration("user:a")), .register(StoreFixture.registration("user:b")),
            ])
            #expect(registered == [.applied(following: nil), .applied(following: nil)])
            #expect(try await writer.submit(.follow(follow)) == .applied(following: true))
        }
        try store.close()

        let reopened = try FollowStore(path: path, logger: storeTestLogger)
        #expect(try reopened.isRegistered("user:a") && reopened.isRegistered("user:b"))
        #expect(try reopened.pairState(userid: "user:a", targetUserid: "user:b")?.following == true)
        #expect(try reopened.isNonceApplied(follow.nonce, signedTimestamp: follow.timestamp, userid: follow.userid))
        #expect(try reopened.counts().auditEntries == 3)
    }

    @Test("once its queue is empty, the writer writes committed pair states to follow_pairs")
    func writerMaterializesWhenIdle() async throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        try await withRunningWriter(store) { writer in
            #expect(try await writer.submit(.follow("user:a", "user:b", at: 10)) == .applied(following: true))
            try await eventually { store.pendingPairCount == 0 }
            let rows = try await store.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM follow_pairs WHERE following = 1")!
            }
            #expect(rows == 1)
        }
    }

    @Test("pending pairs wait while submissions keep coming, and are written once the writer is idle")
    func writerMaterializesOnlyWhenIdleForTheDelay() async throws {
        let targets = (1...20).map { "user:\($0)" }
        try StoreFixture.registerUsers(["user:0"] + targets, in: store)
        // A delay far longer than the test: the queue empties after every commit, but the
        // pairs stay pending (before, each empty moment wrote them out).
        let patient = GroupCommitWriter(
            store: store, maxBatchSize: 256, idleMaterializeDelay: .seconds(3600), logger: storeTestLogger)
        try await withRunningWriter(patient) { writer in
            for target in targets {
                #expect(try await writer.submit(.follow("user:0", target, at: 10)) == .applied(following: true))
            }
            try await Task.sleep(for: .milliseconds(100))
            #expect(store.pendingPairCount == targets.count)
        }
        // Shutdown writes them; a short delay writes them while running.
        #expect(store.pendingPairCount == 0)
        let prompt = GroupCommitWriter(
            store: store, maxBatchSize: 256, idleMaterializeDelay: .milliseconds(10), logger: storeTestLogger)
        try await withRunningWriter(prompt) { writer in
            #expect(try await writer.submit(.follow("user:1", "user:0", at: 10)) == .applied(following: true))
            try await eventually { store.pendingPairCount == 0 }
        }
    }

    @Test("an idle writer writes pending pairs a chunk at a time, one after another, and commits a submission between two")
    func idleFlushInChunks() async throws {
        let followers = (1...20).map { "user:\($0)" }
        try StoreFixture.registerUsers(["user:0"] + followers, in: store)
        for (offset, follower) in followers.enumerated() {
            #expect(try store.apply(.follow(follower, "user:0", at: 10 + Int64(offset))) == .applied(following: true))
        }
        #expect(store.pendingPairCount == 20)
        // The first chunk goes through, the second waits at the gate.
        let gate = TransactionGate()
        await gate.release()
        let writer = GroupCommitWriter(
            store: store, maxBatchSize: 256, idleMaterializeDelay: .milliseconds(10), idleMaterializeChunk: 3,
            logger: storeTestLogger, beforeTransaction: nil, beforeMaterialization: { await gate.arrive(0) })
        try await withRunningWriter(writer) { writer in
            // Idle from the start: a flush of twenty users, three or more a chunk.
            try await eventually { await gate.arrivals == 2 }
            let pendingAfterOneChunk = store.pendingPairCount
            #expect((1...17).contains(pendingAfterOneChunk))
            async let submitted = writer.submit(.follow("user:0", "user:1", at: 100))
            try await eventually { writer.queuedWriteCount == 1 }
            await gate.release()
            #expect(try await submitted == .applied(following: true))
            // Committed before the flush ended: pairs still wait (the follow's among them).
            #expect(store.pendingPairCount > 0)
            await gate.open()
            try await eventually { store.pendingPairCount == 0 }
            #expect(await gate.arrivals >= 3)
            let list = try #require(try store.followList(.followers, of: "user:0", page: 1, size: 100))
            #expect(list.entries.map(\.user.userid) == followers.reversed())
            let rows = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM follow_pairs")! }
            #expect(rows == 21)
        }
    }

    @Test("under load the writer writes pending pairs a chunk at a time, and lists stay exact")
    func writerMaterializesInChunks() async throws {
        let followers = (1...10).map { "user:\($0)" }
        let targets = (11...14).map { "user:\($0)" }
        try StoreFixture.registerUsers(["user:0"] + followers + targets, in: store)  // seq 1 to 15
        // Never idle for the test's length: only the threshold writes pairs.
        let writer = GroupCommitWriter(
            store: store, maxBatchSize: 256, materializeThreshold: 8, materializeChunk: 3,
            idleMaterializeDelay: .seconds(3600), logger: storeTestLogger)
        try await withRunningWriter(writer) { writer in
            var timestamp: Int64 = 10
            for target in targets {
                for follower in followers {
                    timestamp += 1
                    let outcome = try await writer.submit(.follow(follower, target, at: timestamp))
                    #expect(outcome == .applied(following: true))
                    // A commit that leaves 8 pending owes a chunk of 3 or more, written
                    // before the next commit: the count never passes 8.
                    #expect(store.pendingPairCount <= 8)
                }
            }
            try await eventually { store.pendingPairCount < 8 }
            let (rows, progress) = try await store.pool.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM follow_pairs")!,
                    try Int64.fetchOne(db, sql: "SELECT seq FROM follow_pairs_progress")!
                )
            }
            #expect(rows + store.pendingPairCount == 40)
            // The sweep passed the ten followers more than once: the mark moved past the
            // registrations, and never past the log.
            #expect(progress > 15 && progress <= 55)
            let list = try #require(try store.followList(.followers, of: "user:14", page: 1, size: 100))
            #expect(list.totalCount == 10)
            #expect(list.entries.map(\.user.userid) == followers.reversed())
        }
    }

    @Test("200 concurrent submits get their own outcomes and share two transactions")
    func concurrentSubmitsShareTransactions() async throws {
        let targets = (1...100).map { "user:\($0)" }
        try StoreFixture.registerUsers(["user:0"] + targets, in: store)
        // Each follow twice: one submission applies it, the other finds its nonce applied.
        let follows = targets.map { StoreFixture.follow("user:0", $0, at: 10) }
        let gate = TransactionGate()
        try await withRunningWriter(store, gate: gate) { writer in
            let outcomes = try await withThrowingTaskGroup(of: (Int, WriteOutcome).self) { group in
                // The first submission opens a transaction, held until the 199 others
                // are queued behind it.
                group.addTask { (0, try await writer.submit(.follow(follows[0]))) }
                try await eventually { await gate.arrivals == 1 }
                for index in 1..<200 {
                    group.addTask { (index % 100, try await writer.submit(.follow(follows[index % 100]))) }
                }
                try await eventually { writer.queuedWriteCount == 199 }
                await gate.open()
                var outcomes = [Int: [WriteOutcome]]()
                for try await (index, outcome) in group { outcomes[index, default: []].append(outcome) }
                return outcomes
            }
            #expect(outcomes.count == 100)
            for (_, pair) in outcomes {
                #expect(pair.count == 2)
                #expect(pair.contains(.applied(following: true)) && pair.contains(.alreadyApplied))
            }
            #expect(writer.transactionCount == 2)
            #expect(await gate.sizes.reduce(0, +) == 200)
        }
        #expect(try store.counts().followingEdges == 100)
        #expect(try store.counts().auditEntries == 101 + 100)
    }

    @Test("a transaction carries at most maxBatchSize writes, but a larger submitted batch stays whole")
    func maxBatchSize() async throws {
        try StoreFixture.registerUsers((0...30).map { "user:\($0)" }, in: store)
        let gate = TransactionGate()
        try await withRunningWriter(store, maxBatchSize: 4, gate: gate) { writer in
            try await withThrowingTaskGroup(of: WriteOutcome.self) { group in
                for index in 1...20 {
                    group.addTask { try await writer.submit(.follow("user:0", "user:\(index)", at: 10)) }
                }
                try await eventually { await gate.arrivals == 1 }
                let first = await gate.sizes[0]
                try await eventually { writer.queuedWriteCount == 20 - first }
                await gate.open()
                for try await outcome in group { #expect(outcome == .applied(following: true)) }
            }
            let sizes = await gate.sizes
            #expect(sizes.allSatisfy { $0 <= 4 } && sizes.reduce(0, +) == 20)
            #expect(writer.transactionCount == sizes.count)

            let big = (21...30).map { VerifiedWrite.follow("user:0", "user:\($0)", at: 10) }
            let outcomes = try await writer.submit(batch: big)
            #expect(outcomes == Array(repeating: .applied(following: true), count: 10))
            #expect(await gate.sizes.last == 10)
        }
    }

    @Test("graceful shutdown commits every earlier submission, and later submissions are unavailable")
    func gracefulShutdownDrains() async throws {
        try StoreFixture.registerUsers((0...50).map { "user:\($0)" }, in: store)
        let gate = TransactionGate()
        let writer = GroupCommitWriter(
            store: store, maxBatchSize: 256, logger: storeTestLogger, beforeTransaction: { await gate.arrive($0) })
        let group = ServiceGroup(services: [writer], logger: storeTestLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually { writer.isAccepting }
            var submissions: [Task<WriteOutcome, any Error>] = []
            for index in 1...50 {
                submissions.append(Task { try await writer.submit(.follow("user:0", "user:\(index)", at: 10)) })
            }
            try await eventually { await gate.arrivals == 1 }
            let first = await gate.sizes[0]
            try await eventually { writer.queuedWriteCount == 50 - first }

            await group.triggerGracefulShutdown()
            try await eventually { !writer.isAccepting }
            await #expect(throws: WriterError.unavailable) {
                try await writer.submit(.cancel("user:0", "user:1", at: 20))
            }
            await gate.open()
            for submission in submissions { #expect(try await submission.value == .applied(following: true)) }
            try await tasks.waitForAll()  // run() returned, so the group finished
        }
        #expect(try store.counts().followingEdges == 50)
    }

    @Test("submissions before run() starts and after it returns are unavailable")
    func unavailableWhenNotRunning() async throws {
        let writer = GroupCommitWriter(store: store, logger: storeTestLogger)
        let write = VerifiedWrite.register(StoreFixture.registration("user:a"))
        await #expect(throws: WriterError.unavailable) { try await writer.submit(write) }
        try await withRunningWriter(writer) { _ in }
        await #expect(throws: WriterError.unavailable) { try await writer.submit(write) }
        #expect(try store.counts().users == 0)
        #expect(WriterError.unavailable.code == .unavailable && WriterError.commitFailed.code == .internalError)
    }

    @Test("a failed transaction fails every submitter in it and writes nothing; the writer goes on")
    func failedCommitFailsEverySubmitter() async throws {
        try StoreFixture.registerUsers((0...20).map { "user:\($0)" }, in: store)
        let gate = TransactionGate()
        try await withRunningWriter(store, gate: gate) { writer in
            // A first transaction of one write, held while 19 more queue up behind it.
            let opener = Task { try await writer.submit(.follow("user:0", "user:1", at: 10)) }
            try await eventually { await gate.arrivals == 1 }
            let submissions = (2...20).map { index in
                Task { try await writer.submit(.follow("user:0", "user:\(index)", at: 10)) }
            }
            try await eventually { writer.queuedWriteCount == 19 }
            await gate.release()
            #expect(try await opener.value == .applied(following: true))
            try await eventually { await gate.arrivals == 2 }
            let before = try store.counts()
            store.failNextTransactions(1)
            await gate.open()
            for submission in submissions {
                await #expect(throws: WriterError.commitFailed) { try await submission.value }
            }
            #expect(try store.counts() == before)
            let retry = StoreFixture.follow("user:0", "user:2", at: 10)
            #expect(try await writer.submit(.follow(retry)) == .applied(following: true))
        }
    }

    @Test("cancelling run() answers every queued submission")
    func cancellationAnswersEverySubmitter() async throws {
        try StoreFixture.registerUsers((0...10).map { "user:\($0)" }, in: store)
        let gate = TransactionGate()
        let writer = GroupCommitWriter(
            store: store, maxBatchSize: 256, logger: storeTestLogger, beforeTransaction: { await gate.arrive($0) })
        let run = Task { try await writer.run() }
        try await eventually { writer.isAccepting }
        let submissions = (1...10).map { index in
            Task { try await writer.submit(.follow("user:0", "user:\(index)", at: 10)) }
        }
        try await eventually { await gate.arrivals == 1 }
        let first = await gate.sizes[0]
        try await eventually { writer.queuedWriteCount == 10 - first }
        run.cancel()
        await gate.open()
        // The transaction under way when the task was cancelled may commit or roll back;
        // the writes never taken into a transaction are refused.
        var unavailable = 0
        for submission in submissions {
            switch await submission.result {
            case .success(let outcome): #expect(outcome == .applied(following: true))
            case .failure(WriterError.unavailable): unavailable += 1
            case .failure(let error): #expect(error as? WriterError == .commitFailed)
            }
        }
        #expect(unavailable == 10 - first)
        try await run.value
    }
}

// MARK: Helpers

/// Holds each transaction before it starts until the test lets it through, and records
/// the number of writes each one carries.
private actor TransactionGate {
    private(set) var sizes: [Int] = []
    private var isOpen = false
    private var permits = 0
    private var held: CheckedContinuation<Void, Never>?

    var arrivals: Int { sizes.count }

    /// The writer's `beforeTransaction` hook.
    func arrive(_ size: Int) async {
        sizes.append(size)
        guard !isOpen else { return }
        if permits > 0 {
            permits -= 1
            return
        }
        await withCheckedContinuation { held = $0 }
    }

    /// Lets one transaction through.
    func release() {
        if let held {
            self.held = nil
            held.resume()
        } else {
            permits += 1
        }
    }

    /// Lets every transaction through from now on.
    func open() {
        isOpen = true
        release()
    }
}

/// Runs a writer for `store` while `body` runs, then shuts it down and waits for `run()`.
private func withRunningWriter(
    _ store: FollowStore, maxBatchSize: Int = 256, gate: TransactionGate? = nil,
    _ body: (GroupCommitWriter) async throws -> Void
) async throws {
    var hook: (@Sendable (Int) async -> Void)?
    if let gate { hook = { size in await gate.arrive(size) } }
    let writer = GroupCommitWriter(
        store: store, maxBatchSize: maxBatchSize, logger: storeTestLogger, beforeTransaction: hook)
    try await withRunningWriter(writer) { writer in
        do {
            try await body(writer)
        } catch {
            await gate?.open()
            throw error
        }
    }
}

/// Runs `writer` while `body` runs, then shuts it down and waits for `run()`.
private func withRunningWriter(
    _ writer: GroupCommitWriter, _ body: (GroupCommitWriter) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await writer.run() }
        try await eventually { writer.isAccepting }
        try await body(writer)
        writer.beginShutdown()
        try await group.waitForAll()
    }
}

/// Waits until `condition` holds, polling every millisecond; fails the test after 10 s.
private func eventually(
    _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    // A hang detector, not a timing check: with every suite in parallel on two cores beside
    // a compile, a task once waited over 10 s to be scheduled.
    let deadline = ContinuousClock.now + .seconds(30)
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within 30 s", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

// MARK: Fixtures shared with FollowStoreTests

let storeTestLogger = Logger(label: "signed-follow.tests.store") { _ in SwiftLogNoOpLogHandler() }

/// A fresh path for a database file under the temporary directory.
func temporaryStorePath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("signed-follow-\(UUID().uuidString).sqlite").path
}

/// Removes a database file and its WAL companions.
func removeStoreFiles(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// Verified requests as the verifier would hand them to the store.
enum StoreFixture {
    /// A fresh ed25519 public key, 64 lowercase hex digits.
    static func key() -> String { Ed25519KeyPair.generate().publicKey.description }

    /// A lowercase eth address derived from `seed`.
    static func did(_ seed: String) -> String { "0x" + sha3_256(seed).hexString.prefix(40) }

    static func audit(_ kind: String, body: String = "{}") -> AuditRecord {
        AuditRecord(kind: kind, receivedAt: 1_700_000_000_000, body: Array(body.utf8))
    }

    static func registration(_ userid: String, did: String? = nil, timestamp: Int64 = 1_000) -> Registration {
        let did = did ?? Self.did(userid)
        let key = key()
        return Registration(
            userid: userid, didType: "eth", didValue: did, mainPubkey: key, timestamp: timestamp,
            nonce: sha3_224(userid + "ed25519" + key + "eth" + did + String(timestamp)),
            audit: audit("register", body: #"{"userid":"\#(userid)"}"#))
    }

    static func login(
        _ userid: String, mainPubkey: String, session: String, expiresAt: Int64 = 2_000_000_000_000
    ) -> SessionBinding {
        SessionBinding(
            userid: userid, mainPubkey: mainPubkey, sessionPubkey: session, expiresAt: expiresAt,
            timestamp: 1_700_000_000_000, audit: audit("login"))
    }

    /// A follow by a user registered by ``registration(_:did:timestamp:)`` at `registeredAt`.
    static func follow(
        _ userid: String, _ target: String, follow: Bool = true, at timestamp: Int64, registeredAt: Int64 = 1_000
    ) -> FollowChange {
        let action = follow ? "follow" : "cancel"
        return FollowChange(
            userid: userid, targetUserid: target, follow: follow, timestamp: timestamp,
            nonce: sha3_224(userid + action + target + String(timestamp)),
            audit: audit(action, body: #"{"target_userid":"\#(target)","timestamp":\#(timestamp)}"#), keyEpoch: registeredAt)
    }

    static func registerUsers(_ userids: [String], in store: FollowStore) throws {
        let outcomes = try store.apply(userids.map { .register(registration($0)) })
        #expect(outcomes.allSatisfy { $0 == .applied(following: nil) })
    }
}
