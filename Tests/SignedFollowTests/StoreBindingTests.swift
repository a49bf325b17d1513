import Foundation
import GRDB
import Keccak
@_spi(Benchmarks) @testable import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// What the store re-checks in the transaction that applies a follow (docs/store.md): a
/// nonce is one user's, so two users' nonces that happen to be equal do not collide; and
/// a request key revoked by a re-registration after the follow was verified is refused.
@Suite("Store: nonces per user, keys at commit")
final class StoreBindingTests: Sendable {
    let path = temporaryStorePath()
    let store: FollowStore

    init() throws { store = try FollowStore(path: path, logger: storeTestLogger) }

    deinit {
        try? store.close()
        removeStoreFiles(path)
    }

    @Test("two users' follows with the same nonce and timestamp are both applied, in one transaction, and each replay is found")
    func sharedNonce() throws {
        // sha3_224("u" + "follow" + "followv" + T) == sha3_224("ufollow" + "follow" + "v" + T).
        try StoreFixture.registerUsers(["u", "followv", "ufollow", "v"], in: store)
        let first = StoreFixture.follow("u", "followv", at: 10)
        let second = StoreFixture.follow("ufollow", "v", at: 10)
        #expect(first.nonce == second.nonce)
        let other = StoreFixture.follow("v", "u", at: 10)
        #expect(
            try store.apply([.follow(first), .follow(second), .follow(other)])
                == [.applied(following: true), .applied(following: true), .applied(following: true)])
        #expect(try store.apply([.follow(first), .follow(second)]) == [.alreadyApplied, .alreadyApplied])
        #expect(try store.isNonceApplied(first.nonce, signedTimestamp: 10, userid: "u"))
        #expect(try store.isNonceApplied(first.nonce, signedTimestamp: 10, userid: "ufollow"))
        #expect(try !store.isNonceApplied(first.nonce, signedTimestamp: 10, userid: "v"))
        #expect(try store.counts().followingEdges == 3)
    }

    @Test("over HTTP too: the second of two users' follows with one nonce answers 0, not 50001")
    func sharedNonceOverHTTP() async throws {
        let identities = ["u", "followv", "ufollow", "v"].map { (userid: String) in
            TestIdentity(wallet: TestIdentity(seed: "shared nonce \(userid)").wallet, mainKey: .generate(), userid: userid)
        }
        try await TestService.run { service in
            for identity in identities { #expect(try await service.register(identity).code == 0) }
            let now = service.clock.now
            let first = identities[0].follow(target: "followv", timestamp: now, requestKey: identities[0].mainKey)
            let second = identities[2].follow(target: "v", timestamp: now, requestKey: identities[2].mainKey)
            #expect(
                first.text("sign_content").contains(
                    SignedDigests.followNonce(userid: "ufollow", action: "follow", targetUserid: "v", timestamp: now).hexString))
            #expect(try await service.send(Routes.follow, first).code == 0)
            let answer = try await service.send(Routes.follow, second)
            #expect(answer.code == 0 && answer.msg == "ok", "\(answer)")
            #expect(try service.store.counts().followingEdges == 2)
        }
    }

    @Test("a follow verified under a main key that a re-registration rotated since is refused (40302) and writes nothing")
    func rotatedKey() throws {
        try StoreFixture.registerUsers(["user:alice", "user:bob"], in: store)
        let alice = try #require(try store.user("user:alice"))
        let rotation = StoreFixture.registration("user:alice", did: alice.didValue, timestamp: 2_000)
        // Earlier in the same transaction.
        let verifiedBefore = StoreFixture.follow("user:alice", "user:bob", at: 10, registeredAt: 1_000)
        #expect(try store.apply([.register(rotation), .follow(verifiedBefore)]) == [.applied(following: nil), .keyNotBound])
        // Committed before.
        let before = try store.counts()
        #expect(
            try store.apply([.follow(StoreFixture.follow("user:alice", "user:bob", at: 11, registeredAt: 1_000))]) == [
                .keyNotBound
            ])
        #expect(try store.counts() == before)
        #expect(try store.pair("user:alice", "user:bob") == nil)
        // Verified under the new key: applied.
        #expect(
            try store.apply(.follow(StoreFixture.follow("user:alice", "user:bob", at: 12, registeredAt: 2_000)))
                == .applied(following: true))
    }

    @Test("a file of the layout before v3 keeps its nonces and takes the per-user index")
    func migratesV2() throws {
        let old = temporaryStorePath()
        defer { removeStoreFiles(old) }
        let queue = try DatabaseQueue(path: old)
        try StoreSchema.migrator.migrate(queue, upTo: "v2")
        try queue.close()
        let upgraded = try FollowStore(path: old, logger: storeTestLogger)
        defer { try? upgraded.close() }
        let sql = try upgraded.pool.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'audit_log_by_nonce'")
        }
        #expect(sql?.contains("(signed_timestamp, nonce, user_no)") == true)
    }
}
