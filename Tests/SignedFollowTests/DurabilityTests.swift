import Foundation
import Keccak
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// What the service promises about time and failure: ordering against old requests,
/// session expiry, acknowledged writes surviving a restart, concurrent writers, and
/// an honest 50301 when the writer is not running.
@Suite("Durability and ordering")
struct DurabilityTests {
    static let alice = TestIdentity(seed: "alice")
    static let bob = TestIdentity(seed: "bob")

    @Test("an older cancel after a newer follow is stale; a replay of an old follow after a cancel is already applied")
    func olderRequests() async throws {
        try await TestService.run { service in
            try await service.register(Self.alice)
            try await service.register(Self.bob)
            let key = Self.alice.mainKey, bob = Self.bob.userid, t = service.clock.now
            let oldFollow = Self.alice.follow(target: bob, timestamp: t - 20, requestKey: key)
            #expect(try await service.send(Routes.follow, oldFollow).code == 0)
            #expect(
                try await service.send(
                    Routes.follow, Self.alice.follow(target: bob, action: "cancel", timestamp: t - 10, requestKey: key)
                ).code == 0)
            #expect(
                try await service.send(Routes.follow, Self.alice.follow(target: bob, timestamp: t, requestKey: key)).code == 0)
            let before = try service.store.counts()
            let olderCancel = try await service.send(
                Routes.follow, Self.alice.follow(target: bob, action: "cancel", timestamp: t - 5, requestKey: key))
            #expect(olderCancel.code == 40901, "\(olderCancel)")
            let replay = try await service.send(Routes.follow, oldFollow)
            #expect(replay.code == 0 && replay.msg == "already applied", "\(replay)")
            #expect(try service.store.counts() == before)
            #expect(try service.store.pairState(userid: Self.alice.userid, targetUserid: bob)?.following == true)
        }
    }

    @Test("a session key works until its expiry and answers 40302 after it")
    func sessionExpiry() async throws {
        try await TestService.run { service in
            try await service.register(Self.alice)
            try await service.register(Self.bob)
            let session = Ed25519KeyPair.generate()
            let expiry = service.clock.now + 60_000
            #expect(
                try await service.send(
                    Routes.login, Self.alice.login(sessionKey: session, expiresAt: expiry, timestamp: service.clock.now)
                ).code == 0)
            #expect(
                try await service.send(
                    Routes.follow, Self.alice.follow(target: Self.bob.userid, timestamp: service.clock.now, requestKey: session)
                ).code == 0)
            service.clock.set(expiry + 1)
            let before = try service.store.counts()
            let expired = try await service.send(
                Routes.follow,
                Self.alice.follow(
                    target: Self.bob.userid, action: "cancel", timestamp: service.clock.now, requestKey: session))
            #expect(expired.code == 40302 && expired.status == 403, "\(expired)")
            #expect(try service.store.counts() == before)
        }
    }

    @Test("every acknowledged write is found after the service restarts on the same database")
    func restart() async throws {
        let path = temporaryStorePath()
        defer { removeStoreFiles(path) }
        let users = (0..<6).map { TestIdentity(seed: "restart-\($0)") }
        let acknowledged = try await Self.acknowledgedFollows(users: users, databasePath: path)
        #expect(acknowledged.count == 30)
        try await TestService.run(databasePath: path) { service in
            for (follower, target) in acknowledged {
                #expect(try service.store.pairState(userid: follower, targetUserid: target)?.following == true)
            }
            #expect(try service.store.counts().followingEdges == acknowledged.count)
            #expect(try service.store.counts().auditEntries == users.count + acknowledged.count)
            try verifyAuditChain(service.store)
        }
    }

    @Test("users, session keys and rotations committed before a restart are honoured after it")
    func registryAfterRestart() async throws {
        let path = temporaryStorePath()
        defer { removeStoreFiles(path) }
        let session = Ed25519KeyPair.generate()
        let revoked = Ed25519KeyPair.generate()
        let rotatedBob = TestIdentity(wallet: Self.bob.wallet, mainKey: Ed25519KeyPair.generate())
        try await TestService.run(databasePath: path) { (service: TestService) async throws in
            #expect(try await service.register(Self.alice).code == 0)
            #expect(try await service.register(Self.bob).code == 0)
            let expiry = service.clock.now + 3_600_000
            #expect(
                try await service.send(
                    Routes.login, Self.alice.login(sessionKey: session, expiresAt: expiry, timestamp: service.clock.now)
                ).code == 0)
            #expect(
                try await service.send(
                    Routes.login, Self.bob.login(sessionKey: revoked, expiresAt: expiry, timestamp: service.clock.now)
                ).code == 0)
            service.clock.advance(by: 1000)
            #expect(try await service.register(rotatedBob).code == 0)  // revokes bob's session
        }
        try await TestService.run(databasePath: path) { (service: TestService) async throws in
            let withSession = try await service.send(
                Routes.follow,
                Self.alice.follow(
                    target: Self.bob.userid, timestamp: service.clock.now, requestKey: session))
            #expect(withSession.code == 0, "\(withSession)")
            let withRevoked = try await service.send(
                Routes.follow,
                Self.bob.follow(
                    target: Self.alice.userid, timestamp: service.clock.now, requestKey: revoked))
            #expect(withRevoked.code == 40302, "\(withRevoked)")
            let withRotated = try await service.send(
                Routes.follow,
                rotatedBob.follow(
                    target: Self.alice.userid, timestamp: service.clock.now, requestKey: rotatedBob.mainKey))
            #expect(withRotated.code == 0, "\(withRotated)")
            let conflict = try await service.send(
                Routes.register,
                TestIdentity(
                    wallet: Self.alice.wallet, mainKey: .generate(), userid: "user:alice-again"
                ).registration(timestamp: service.clock.now))
            #expect(conflict.code == 40902, "\(conflict)")
        }
    }

    /// Registers `users` and has each follow every other, concurrently; returns the pairs
    /// answered with code 0.
    private static func acknowledgedFollows(users: [TestIdentity], databasePath: String) async throws -> [(String, String)] {
        let result = ResultBox()
        try await TestService.run(databasePath: databasePath) { service in
            for user in users { #expect(try await service.register(user).code == 0) }
            try await withThrowingTaskGroup(of: (String, String)?.self) { group in
                for follower in users {
                    for target in users where target.userid != follower.userid {
                        group.addTask {
                            let answer = try await service.send(
                                Routes.follow,
                                follower.follow(
                                    target: target.userid, timestamp: service.clock.now, requestKey: follower.mainKey))
                            guard answer.code == 0 else { return nil }
                            // Acknowledged means committed: a fresh read already sees it.
                            #expect(
                                try service.store.pairState(userid: follower.userid, targetUserid: target.userid)?.following
                                    == true)
                            return (follower.userid, target.userid)
                        }
                    }
                }
                for try await pair in group { if let pair { result.append(pair) } }
            }
        }
        return result.pairs
    }

    @Test("many simultaneous follows from many users all commit, in fewer transactions than requests")
    func concurrency() async throws {
        try await TestService.run { service in
            let users = (0..<12).map { TestIdentity(seed: "crowd-\($0)") }
            for user in users { #expect(try await service.register(user).code == 0) }
            let transactionsBefore = service.service.writer.transactionCount
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                for follower in users {
                    for target in users where target.userid != follower.userid {
                        group.addTask {
                            try await service.send(
                                Routes.follow,
                                follower.follow(
                                    target: target.userid, timestamp: service.clock.now, requestKey: follower.mainKey)
                            ).code
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(codes.count == 132 && codes.allSatisfy { $0 == 0 })
            #expect(try service.store.counts().followingEdges == 132)
            let transactions = service.service.writer.transactionCount - transactionsBefore
            #expect(transactions >= 1 && transactions < codes.count, "\(transactions) transactions for \(codes.count) follows")
            try verifyAuditChain(service.store)
        }
    }

    @Test("with the writer stopped, a verified write answers 50301 and changes nothing")
    func writerStopped() async throws {
        let path = temporaryStorePath()
        defer { removeStoreFiles(path) }
        try await TestService.run(databasePath: path) { service in
            try await service.register(Self.alice)
            try await service.register(Self.bob)
        }
        // A second service on the same file whose writer is never started.
        let stopped = try await StoppedWriterService.answer(databasePath: path) { now in
            Self.alice.follow(target: Self.bob.userid, timestamp: now, requestKey: Self.alice.mainKey)
        }
        #expect(stopped.answer.code == 50301 && stopped.answer.status == 503, "\(stopped.answer)")
        #expect(stopped.before == stopped.after)
    }
}

/// Collects results from concurrent tasks.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(String, String)] = []
    func append(_ pair: (String, String)) { lock.withLock { stored.append(pair) } }
    var pairs: [(String, String)] { lock.withLock { stored } }
}

/// Recomputes every audit entry's hash from its stored fields (docs/protocol.md section 10)
/// and checks the chain links and the sequence.
func verifyAuditChain(_ store: FollowStore) throws {
    var previous = [UInt8](repeating: 0, count: 32)
    var expectedSeq: Int64 = 1
    for entry in try store.auditEntries(afterSeq: 0, limit: 1_000_000) {
        #expect(entry.seq == expectedSeq)
        #expect(entry.prevHash == previous)
        var hasher = SHA3_256()
        hasher.update(previous)
        hasher.update("\(entry.seq)\n\(entry.kind)\n\(entry.receivedAt)\n\(entry.requestPubkey)\n\(entry.didkey)\n")
        hasher.update(entry.body)
        #expect(hasher.finalize().bytes == entry.hash, "seq \(entry.seq)")
        previous = entry.hash
        expectedSeq += 1
    }
}
