import Foundation
import GRDB
import Keccak
import Logging
@_spi(Benchmarks) @testable import SignedFollow
import Synchronization
import Testing
import WalletCrypto

/// The durable store: layout, the rules of docs/protocol.md sections 2 to 4 step 11, and the
/// audit chain of section 10.
@Suite("Follow store")
final class FollowStoreTests: Sendable {
    let path = temporaryStorePath()
    let store: FollowStore

    init() throws { store = try FollowStore(path: path, logger: storeTestLogger) }

    deinit {
        try? store.close()
        removeStoreFiles(path)
    }

    // MARK: Layout

    @Test("a fresh file gets every migration step (v1 to v3), WAL, synchronous FULL and foreign keys on every connection")
    func freshFileMigrates() throws {
        #expect(try store.pool.read { db in try StoreSchema.migrator.appliedIdentifiers(db) } == ["v1", "v2", "v3"])
        let tables = try store.pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name
                    """)
        }
        #expect(tables == ["audit_log", "follow_pairs", "follow_pairs_progress", "server_key", "session_keys", "users"])
        let indexes = try store.pool.read { db in try db.indexes(on: "follow_pairs").map(\.name) }
        #expect(Set(indexes).isSuperset(of: ["follow_pairs_by_target", "follow_pairs_by_user"]))
        let pragmas = "SELECT * FROM pragma_journal_mode, pragma_synchronous, pragma_foreign_keys"
        let writer = try store.pool.write { db in try Row.fetchOne(db, sql: pragmas)! }
        let reader = try store.pool.read { db in try Row.fetchOne(db, sql: pragmas)! }
        for row in [writer, reader] {
            #expect(row[0] as String == "wal")
            #expect(row[1] as Int == 2)  // FULL
            #expect(row[2] as Int == 1)
        }
        #expect(
            try store.counts()
                == StoreCounts(
                    users: 0, sessionKeys: 0, followPairs: 0, followingEdges: 0, appliedNonces: 0, auditEntries: 0))
        #expect(try store.auditHead() == nil)
    }

    @Test("writing pending pairs (with synchronous NORMAL) leaves the writer's connection at synchronous FULL")
    func materialisationRestoresFullSync() throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        #expect(try store.apply(.follow("user:a", "user:b", at: 10)) == .applied(following: true))
        #expect(store.pendingPairCount == 1)
        try store.materializePairs()
        #expect(store.pendingPairCount == 0)
        #expect(try store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)  // FULL
    }

    @Test("a commit after a materialisation whose restore to FULL did not happen sets FULL first")
    func commitRestoresFullSync() throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        // As a materialisation leaves the connection when its restore fails.
        try store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        store.writerSynchronousIsFull.withLock { $0 = false }
        #expect(try store.apply(.follow("user:a", "user:b", at: 10)) == .applied(following: true))
        #expect(try store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)  // FULL
        #expect(store.writerSynchronousIsFull.withLock { $0 })
    }

    @Test("reopening a file keeps its data, its migrations and the server key")
    func reopenKeepsDataAndServerKey() throws {
        let alice = StoreFixture.registration("user:alice")
        #expect(try store.apply(.register(alice)) == .applied(following: nil))
        let counts = try store.counts()
        try store.close()

        let reopened = try FollowStore(path: path, logger: storeTestLogger)
        #expect(reopened.serverKey.publicKey == store.serverKey.publicKey)
        #expect(reopened.serverKey.seed == store.serverKey.seed)
        #expect(try reopened.pool.read { db in try StoreSchema.migrator.appliedIdentifiers(db) } == ["v1", "v2", "v3"])
        #expect(try reopened.counts() == counts)
        #expect(try reopened.user("user:alice")?.mainPubkey == alice.mainPubkey)
    }

    @Test("two fresh files get different server keys")
    func serverKeysDiffer() throws {
        let otherPath = temporaryStorePath()
        defer { removeStoreFiles(otherPath) }
        let other = try FollowStore(path: otherPath, logger: storeTestLogger)
        #expect(other.serverKey.publicKey != store.serverKey.publicKey)
    }

    // MARK: Register

    @Test("a new user is registered, bound to its did, and its nonce recorded")
    func registerNewUser() throws {
        let alice = StoreFixture.registration("user:alice", timestamp: 1_000)
        #expect(try store.apply(.register(alice)) == .applied(following: nil))
        #expect(
            try store.user("user:alice")
                == StoredUser(
                    userid: "user:alice", didType: "eth", didValue: alice.didValue, mainPubkey: alice.mainPubkey,
                    registeredTimestamp: 1_000))
        #expect(try store.userid(forDidType: "eth", didValue: alice.didValue) == "user:alice")
        #expect(try store.isRegistered("user:alice"))
        #expect(try !store.isRegistered("user:bob"))
        #expect(try store.isNonceApplied(alice.nonce, signedTimestamp: alice.timestamp, userid: alice.userid))
        #expect(try store.auditEntries(afterSeq: 0, limit: 10).map(\.kind) == ["register"])
    }

    @Test("a replayed registration nonce is already applied and writes nothing")
    func registerReplay() throws {
        let alice = StoreFixture.registration("user:alice")
        _ = try store.apply([.register(alice)])
        let before = try store.counts()
        #expect(try store.apply(.register(alice)) == .alreadyApplied)
        #expect(try store.counts() == before)
    }

    @Test("a did bound to another userid, or a userid bound to another did, is a conflict that writes nothing")
    func registerConflicts() throws {
        let alice = StoreFixture.registration("user:alice", timestamp: 1_000)
        _ = try store.apply([.register(alice)])
        let before = try store.counts()
        let sameDidOtherUser = StoreFixture.registration("user:mallory", did: alice.didValue, timestamp: 2_000)
        let sameUserOtherDid = StoreFixture.registration("user:alice", did: "0x" + String(repeating: "7", count: 40))
        #expect(try store.apply(.register(sameDidOtherUser)) == .conflict)
        #expect(try store.apply(.register(sameUserOtherDid)) == .conflict)
        #expect(try store.counts() == before)
        #expect(try store.user("user:alice")?.mainPubkey == alice.mainPubkey)
    }

    @Test("a newer registration by the same did rotates the main key and revokes every session key")
    func registerRotatesKey() throws {
        let alice = StoreFixture.registration("user:alice", timestamp: 1_000)
        _ = try store.apply([.register(alice)])
        _ = try store.apply([
            .login(StoreFixture.login("user:alice", mainPubkey: alice.mainPubkey, session: StoreFixture.key())),
            .login(StoreFixture.login("user:alice", mainPubkey: alice.mainPubkey, session: StoreFixture.key())),
        ])
        #expect(try store.counts().sessionKeys == 2)
        let rotated = StoreFixture.registration("user:alice", did: alice.didValue, timestamp: 2_000)
        #expect(try store.apply(.register(rotated)) == .applied(following: nil))
        #expect(try store.user("user:alice")?.mainPubkey == rotated.mainPubkey)
        #expect(try store.user("user:alice")?.registeredTimestamp == 2_000)
        #expect(try store.counts().sessionKeys == 0)
        #expect(try store.counts().users == 1)
    }

    @Test("a registration not newer than the stored one is a conflict (40902) and writes nothing")
    func registerStale() throws {
        let alice = StoreFixture.registration("user:alice", timestamp: 2_000)
        _ = try store.apply([.register(alice)])
        let before = try store.counts()
        let sameTime = StoreFixture.registration("user:alice", did: alice.didValue, timestamp: 2_000)
        let older = StoreFixture.registration("user:alice", did: alice.didValue, timestamp: 1_000)
        #expect(try store.apply([.register(sameTime), .register(older)]) == [.conflict, .conflict])
        #expect(try store.counts() == before)
        #expect(try store.user("user:alice")?.mainPubkey == alice.mainPubkey)
    }

    // MARK: Login

    @Test("a login binds the session key, and binding it again only moves its expiry")
    func loginBindsSessionKey() throws {
        let alice = StoreFixture.registration("user:alice")
        _ = try store.apply([.register(alice)])
        let session = StoreFixture.key()
        let first = StoreFixture.login("user:alice", mainPubkey: alice.mainPubkey, session: session, expiresAt: 5)
        let again = StoreFixture.login("user:alice", mainPubkey: alice.mainPubkey, session: session, expiresAt: 9)
        #expect(try store.apply(.login(first)) == .applied(following: nil))
        #expect(try store.sessionKeyExpiry(userid: "user:alice", pubkey: session) == 5)
        #expect(try store.apply(.login(again)) == .applied(following: nil))
        #expect(try store.sessionKeyExpiry(userid: "user:alice", pubkey: session) == 9)
        #expect(try store.sessionKeyExpiry(userid: "user:alice", pubkey: StoreFixture.key()) == nil)
        let counts = try store.counts()
        #expect(counts.sessionKeys == 1)
        #expect(counts.auditEntries == 3)
        #expect(counts.appliedNonces == 1)  // logins carry no nonce
    }

    @Test("a login for an unregistered user writes nothing")
    func loginUnknownUser() throws {
        let before = try store.counts()
        let login = StoreFixture.login("user:ghost", mainPubkey: StoreFixture.key(), session: StoreFixture.key())
        #expect(try store.apply(.login(login)) == .userNotRegistered)
        #expect(try store.counts() == before)
    }

    @Test("a login signed by a main key the user no longer has is not bound and writes nothing")
    func loginWithReplacedMainKey() throws {
        let alice = StoreFixture.registration("user:alice", timestamp: 1_000)
        let rotated = StoreFixture.registration("user:alice", did: alice.didValue, timestamp: 2_000)
        _ = try store.apply([.register(alice), .register(rotated)])
        let before = try store.counts()
        let login = StoreFixture.login("user:alice", mainPubkey: alice.mainPubkey, session: StoreFixture.key())
        #expect(try store.apply(.login(login)) == .keyNotBound)
        #expect(try store.counts() == before)
    }

    // MARK: Follow

    @Test("a follow then a newer cancel set and clear the edge")
    func followThenCancel() throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        #expect(try store.apply(.follow("user:a", "user:b", at: 10)) == .applied(following: true))
        #expect(
            try store.pair("user:a", "user:b")
                == PairState(following: true, latestTimestamp: 10, latestIsCancel: false, followedAt: 10))
        #expect(try store.apply(.cancel("user:a", "user:b", at: 20)) == .applied(following: false))
        #expect(
            try store.pair("user:a", "user:b")
                == PairState(following: false, latestTimestamp: 20, latestIsCancel: true, followedAt: nil))
        #expect(try store.pair("user:b", "user:a") == nil)
        #expect(try store.auditEntries(afterSeq: 2, limit: 10).map(\.kind) == ["follow", "cancel"])
    }

    @Test("a replayed follow nonce is already applied, even after a newer change, and writes nothing")
    func followReplay() throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        let follow = StoreFixture.follow("user:a", "user:b", at: 10)
        _ = try store.apply([.follow(follow)])
        _ = try store.apply([.cancel("user:a", "user:b", at: 20)])
        let before = try store.counts()
        let pair = try store.pair("user:a", "user:b")
        #expect(try store.apply(.follow(follow)) == .alreadyApplied)
        #expect(try store.counts() == before)
        #expect(try store.pair("user:a", "user:b") == pair)
    }

    @Test("an older change is stale and writes nothing")
    func olderChangeIsStale() throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        _ = try store.apply([.follow("user:a", "user:b", at: 20)])
        let before = try store.counts()
        let pair = try store.pair("user:a", "user:b")
        let olderCancel = StoreFixture.follow("user:a", "user:b", follow: false, at: 10)
        let olderFollow = StoreFixture.follow("user:a", "user:b", at: 19)
        #expect(try store.apply([.follow(olderCancel), .follow(olderFollow)]) == [.stale, .stale])
        #expect(try store.counts() == before)
        #expect(try store.pair("user:a", "user:b") == pair)
        #expect(try !store.isNonceApplied(olderCancel.nonce, signedTimestamp: olderCancel.timestamp, userid: olderCancel.userid))
    }

    @Test("on equal timestamps a cancel beats a follow, whichever arrives first")
    func equalTimestampCancelBeatsFollow() throws {
        try StoreFixture.registerUsers(["user:a", "user:b", "user:c"], in: store)
        // The cancel first: the follow at the same time is stale.
        _ = try store.apply([.cancel("user:a", "user:b", at: 10)])
        let before = try store.counts()
        #expect(try store.apply(.follow("user:a", "user:b", at: 10)) == .stale)
        #expect(try store.counts() == before)
        // The follow first: the cancel at the same time wins.
        _ = try store.apply([.follow("user:a", "user:c", at: 10)])
        #expect(try store.apply(.cancel("user:a", "user:c", at: 10)) == .applied(following: false))
        #expect(try store.pair("user:a", "user:c")?.following == false)
    }

    @Test("following again keeps the first followed_at and changes only the latest timestamp")
    func followAgain() throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        _ = try store.apply([.follow("user:a", "user:b", at: 10)])
        let before = try store.counts()
        #expect(try store.apply(.follow("user:a", "user:b", at: 30)) == .applied(following: true))
        #expect(
            try store.pair("user:a", "user:b")
                == PairState(following: true, latestTimestamp: 30, latestIsCancel: false, followedAt: 10))
        let after = try store.counts()
        #expect(after.followPairs == before.followPairs && after.followingEdges == before.followingEdges)
        #expect(after.appliedNonces == before.appliedNonces + 1 && after.auditEntries == before.auditEntries + 1)
    }

    @Test("cancelling what is not followed records the pair's latest timestamp, so an older follow is stale")
    func cancelOfNothing() throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        #expect(try store.apply(.cancel("user:a", "user:b", at: 10)) == .applied(following: false))
        #expect(
            try store.pair("user:a", "user:b")
                == PairState(following: false, latestTimestamp: 10, latestIsCancel: true, followedAt: nil))
        #expect(try store.counts().followingEdges == 0)
        #expect(try store.apply(.follow("user:a", "user:b", at: 5)) == .stale)
        #expect(try store.apply(.follow("user:a", "user:b", at: 11)) == .applied(following: true))
        #expect(try store.pair("user:a", "user:b")?.followedAt == 11)
    }

    @Test("a follow by or of an unregistered user writes nothing")
    func followUnregistered() throws {
        try StoreFixture.registerUsers(["user:a"], in: store)
        let before = try store.counts()
        #expect(
            try store.apply([
                .follow("user:ghost", "user:a", at: 10),
                .follow("user:a", "user:ghost", at: 10),
            ]) == [.userNotRegistered, .targetNotRegistered])
        #expect(try store.counts() == before)
    }

    // MARK: Batches and the audit chain

    @Test("one apply checks each item against the items before it and audits only the applied ones")
    func mixedBatch() throws {
        let a = StoreFixture.registration("user:a")
        let b = StoreFixture.registration("user:b")
        let follow = StoreFixture.follow("user:a", "user:b", at: 20)
        let outcomes = try store.apply([
            .register(a),
            .register(b),
            .follow(follow),
            .follow(follow),  // the nonce applied two items earlier
            .cancel("user:a", "user:b", at: 10),
            .login(StoreFixture.login("user:ghost", mainPubkey: a.mainPubkey, session: StoreFixture.key())),
            .register(StoreFixture.registration("user:c", did: a.didValue)),
            .login(StoreFixture.login("user:a", mainPubkey: b.mainPubkey, session: StoreFixture.key())),
            .cancel("user:a", "user:b", at: 30),
        ])
        #expect(
            outcomes == [
                .applied(following: nil), .applied(following: nil), .applied(following: true), .alreadyApplied, .stale,
                .userNotRegistered, .conflict, .keyNotBound, .applied(following: false),
            ])
        let kinds = try store.auditEntries(afterSeq: 0, limit: 100).map(\.kind)
        #expect(kinds == ["register", "register", "follow", "cancel"])
        #expect(
            try store.counts()
                == StoreCounts(
                    users: 2, sessionKeys: 0, followPairs: 1, followingEdges: 0, appliedNonces: 4, auditEntries: 4))
    }

    @Test("every audit entry's hash is sha3_256 over the previous hash and its fields, with seq from 1 and no gaps")
    func hashChain() throws {
        let records = [
            AuditRecord(kind: "register", receivedAt: 1_700_000_000_001, body: Array(#"{"userid":"user:a"}"#.utf8)),
            AuditRecord(kind: "register", receivedAt: 1_700_000_000_002, body: []),
            AuditRecord(kind: "login", receivedAt: 1_700_000_000_003, body: Array("é\n\u{0}".utf8)),
            AuditRecord(
                kind: "follow", receivedAt: 1_700_000_000_004, requestPubkey: StoreFixture.key(), didkey: "eth:0xab",
                body: [0xff, 0x00, 0x0a]),
            AuditRecord(
                kind: "cancel", receivedAt: 1_700_000_000_005, requestPubkey: StoreFixture.key(), didkey: "eth:0xab",
                body: Array("{}".utf8)),
        ]
        var a = StoreFixture.registration("user:a")
        a.audit = records[0]
        var b = StoreFixture.registration("user:b")
        b.audit = records[1]
        var login = StoreFixture.login("user:a", mainPubkey: a.mainPubkey, session: StoreFixture.key())
        login.audit = records[2]
        var follow = StoreFixture.follow("user:a", "user:b", at: 10)
        follow.audit = records[3]
        var cancel = StoreFixture.follow("user:a", "user:b", follow: false, at: 11)
        cancel.audit = records[4]
        // Three transactions, so the chain crosses transaction boundaries.
        _ = try store.apply([.register(a), .register(b)])
        _ = try store.apply([.login(login)])
        _ = try store.apply([.follow(follow), .follow(cancel)])

        let entries = try store.auditEntries(afterSeq: 0, limit: 100)
        #expect(entries.map(\.seq) == [1, 2, 3, 4, 5])
        var previous = [UInt8](repeating: 0, count: 32)
        for (entry, record) in zip(entries, records) {
            #expect(entry.kind == record.kind && entry.receivedAt == record.receivedAt)
            #expect(entry.requestPubkey == record.requestPubkey && entry.didkey == record.didkey)
            #expect(entry.body == record.body)
            #expect(entry.prevHash == previous)
            let fields = [String(entry.seq), entry.kind, String(entry.receivedAt), entry.requestPubkey, entry.didkey]
            let preimage = entry.prevHash + Array(fields.map { $0 + "\n" }.joined().utf8) + entry.body
            #expect(entry.hash == sha3_256(preimage).bytes)
            previous = entry.hash
        }
        let head = try #require(try store.auditHead())
        #expect(head.seq == 5 && head.hash == previous)
        #expect(try store.auditEntries(afterSeq: 2, limit: 2).map(\.seq) == [3, 4])
    }

    @Test("a transaction that throws rolls back every write in it")
    func failedTransactionRollsBack() throws {
        try StoreFixture.registerUsers(["user:a", "user:b"], in: store)
        let before = try store.counts()
        let head = try store.auditHead()
        let writes: [VerifiedWrite] = [
            .register(StoreFixture.registration("user:c")),
            .follow("user:a", "user:b", at: 10),
        ]
        store.failNextTransactions(1)
        #expect(throws: InjectedTransactionFailure.self) { try store.apply(writes) }
        #expect(try store.counts() == before)
        #expect(try store.auditHead()?.hash == head?.hash)
        #expect(try store.apply(writes) == [.applied(following: nil), .applied(following: true)])
    }
}

// MARK: Pairs materialised from the audit log

extension FollowStoreTests {
    /// `follow_pairs` and its progress mark, read directly (without the pending pairs).
    func materialized(_ store: FollowStore) throws -> (rows: Int, following: Int, progress: Int64) {
        try store.pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM follow_pairs), (SELECT count(*) FROM follow_pairs WHERE following = 1),
                           (SELECT seq FROM follow_pairs_progress)
                    """)!
            return (row[0], row[1], row[2])
        }
    }

    @Test("a committed follow is seen by pair reads and rules before follow_pairs has it, and after")
    func pendingPairsAreVisible() throws {
        try StoreFixture.registerUsers(["user:a", "user:b", "user:c"], in: store)
        #expect(
            try store.apply([.follow("user:a", "user:b", at: 10), .follow("user:a", "user:c", at: 10)])
                == [.applied(following: true), .applied(following: true)])
        #expect(store.pendingPairCount == 2)
        #expect(try materialized(store).rows == 0)
        #expect(
            try store.pair("user:a", "user:b")
                == PairState(
                    following: true, latestTimestamp: 10, latestIsCancel: false, followedAt: 10))
        // The rules see the pending state: an older cancel is stale, a replay already applied.
        #expect(try store.apply(.cancel("user:a", "user:b", at: 9)) == .stale)
        #expect(try store.apply(.follow("user:a", "user:b", at: 10)) == .alreadyApplied)

        try store.materializePairs()
        #expect(store.pendingPairCount == 0)
        #expect(try materialized(store) == (2, 2, 5))  // 3 registrations, 2 follows
        #expect(try store.pair("user:a", "user:b")?.followedAt == 10)
        #expect(try store.apply(.cancel("user:a", "user:b", at: 9)) == .stale)
        #expect(try store.apply(.follow("user:a", "user:b", at: 10)) == .alreadyApplied)
        // A change of a materialised pair goes pending again and wins over the table.
        #expect(try store.apply(.cancel("user:a", "user:b", at: 11)) == .applied(following: false))
        #expect(try store.pair("user:a", "user:b")?.following == false)
        #expect(try materialized(store).following == 2)
        #expect(try store.counts().followingEdges == 1)
        #expect(try materialized(store) == (2, 1, 6))
    }

    @Test("pairs committed but not materialised when the process stopped are rebuilt from the audit log on open")
    func openRecoversPendingPairs() throws {
        try StoreFixture.registerUsers(["user:a", "user:b", "user:c"], in: store)
        _ = try store.apply([.follow("user:a", "user:b", at: 10), .follow("user:b", "user:a", at: 10)])
        try store.materializePairs()
        // Not materialised: a newer follow and cancel of a materialised pair, a new pair
        // followed twice (followed_at must stay the first date), and a follow then cancel.
        _ = try store.apply([
            .cancel("user:a", "user:b", at: 20), .follow("user:a", "user:c", at: 21),
            .follow("user:a", "user:c", at: 22), .follow("user:c", "user:b", at: 23),
        ])
        _ = try store.apply(.cancel("user:c", "user:b", at: 24))
        let expected = try [("user:a", "user:b"), ("user:b", "user:a"), ("user:a", "user:c"), ("user:c", "user:b")]
            .map { try store.pair($0.0, $0.1) }
        #expect(expected[2] == PairState(following: true, latestTimestamp: 22, latestIsCancel: false, followedAt: 21))
        #expect(try materialized(store) == (2, 2, 5))
        try store.close()  // as a crash would: the pending pairs are lost with the process

        let reopened = try FollowStore(path: path, logger: storeTestLogger)
        defer { try? reopened.close() }
        #expect(reopened.pendingPairCount == 0)
        #expect(try materialized(reopened) == (4, 2, 10))
        let recovered = try [("user:a", "user:b"), ("user:b", "user:a"), ("user:a", "user:c"), ("user:c", "user:b")]
            .map { try reopened.pair($0.0, $0.1) }
        #expect(recovered == expected)
        #expect(try reopened.apply(.follow("user:a", "user:c", at: 22)) == .alreadyApplied)
        #expect(try reopened.apply(.follow("user:c", "user:b", at: 23)) == .alreadyApplied)
        #expect(try reopened.apply(.follow("user:c", "user:b", at: 22)) == .stale)
    }
}

// MARK: Shorthands (the shared fixtures are at the end of GroupCommitWriterTests.swift)

extension VerifiedWrite {
    /// A verified follow of `target` by `userid`.
    static func follow(_ userid: String, _ target: String, at timestamp: Int64) -> VerifiedWrite {
        .follow(StoreFixture.follow(userid, target, at: timestamp))
    }

    /// A verified cancel of `userid`'s follow of `target`.
    static func cancel(_ userid: String, _ target: String, at timestamp: Int64) -> VerifiedWrite {
        .follow(StoreFixture.follow(userid, target, follow: false, at: timestamp))
    }
}

extension FollowStore {
    /// Applies one write in a transaction of its own.
    func apply(_ write: VerifiedWrite) throws -> WriteOutcome { try apply([write])[0] }

    /// The state of the pair (`userid`, `target`).
    func pair(_ userid: String, _ target: String) throws -> PairState? {
        try pairState(userid: userid, targetUserid: target)
    }
}
