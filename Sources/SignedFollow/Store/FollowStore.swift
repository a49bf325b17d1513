import Foundation
import GRDB
import Logging
import Keccak
import Synchronization
import WalletCrypto

// Invariants this file relies on: docs/store.md S1, S4, S7, S9, S14, S15.

/// The service's durable state in one SQLite file: users, session keys, follow pairs and
/// the audit log, whose rows also keep each request's nonce (docs/protocol.md sections 2 to 4
/// and 10).
///
/// The file is opened in WAL mode with `synchronous = FULL`, so a committed transaction
/// survives a power cut. Reads run on a pool of reader connections and never wait for
/// the writer; writes go through ``apply(_:)``, one transaction per call, normally from
/// a ``GroupCommitWriter``. A follow's commit appends its audit row; its pair's state
/// reaches `follow_pairs` later (``materializePairs()``), and every read of a pair's state
/// sees it at once.
public final class FollowStore: Sendable {
    /// The server's own ed25519 key, created on the first start and kept in the database,
    /// which signs the audit head. Never logged.
    public let serverKey: Ed25519KeyPair

    let pool: DatabasePool
    let logger: Logger
    /// Users, dids and session keys in memory, for verification lookups.
    let registry: Registry
    /// The connections of the hot reads (``statementRead(_:)``, ``snapshotRead(_:)``).
    let readers: ReaderConnections
    /// Pair states committed in audit rows and not yet in `follow_pairs`.
    let pending = Mutex(PendingPairs())
    /// False while the writer's connection may be at `synchronous = NORMAL`: from the start
    /// of a materialisation until its restore to FULL succeeded. Only the writer queue
    /// touches it; a commit sets FULL again first when it is false (docs/store.md S7).
    let writerSynchronousIsFull = Mutex(true)
    /// Copies the WAL into the database file beside the writer.
    private let checkpointer: WALCheckpointer
    /// The most users one user may follow: a follow that would add an edge beyond it is
    /// refused (42902).
    public let followingLimit: Int
    /// Test hook: the number of upcoming transactions that fail after applying their writes.
    let injectedFailures = Mutex(0)
    /// Test hook: run once, by the next list or stats read, between its snapshot of the
    /// pending pairs and its read transaction.
    let afterNextPairSnapshot = Mutex<(@Sendable () -> Void)?>(nil)

    /// The default of ``followingLimit``.
    public static let defaultFollowingLimit = 10_000

    /// Opens the database file at `path`, creating it when missing, and brings its
    /// layout up to date.
    public init(path: String, followingLimit: Int = FollowStore.defaultFollowingLimit, logger: Logger) throws {
        precondition(followingLimit >= 0, "followingLimit must not be negative")
        self.followingLimit = followingLimit
        var configuration = Configuration()
        configuration.label = "signed-follow"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Per connection: a commit returns only once the WAL is on disk.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB switches the writer to NORMAL when it sets up WAL, after prepareDatabase.
        // The writer never checkpoints (a WALCheckpointer does, beside it) and gets a 32 MiB
        // page cache (SQLite's default is 2 MiB), so that the pages of follow_pairs and its
        // indexes stay in memory between materialisations.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 0")
        }
        try StoreSchema.migrator.migrate(pool)
        checkpointer = try WALCheckpointer(path: path, logger: logger)
        readers = ReaderConnections(path: path, configuration: configuration, fallback: pool)
        serverKey = try pool.write(StoreSchema.loadOrCreateServerKey)
        registry = try pool.read { db in try Registry(db) }
        self.logger = logger
        try pool.writeWithoutTransaction { db in try self.recoverPendingPairs(db) }
        logger.info("store opened", metadata: ["path": "\(path)", "server_pubkey": "\(serverKey.publicKey)"])
    }

    /// Closes every connection. Later calls throw.
    public func close() throws {
        checkpointer.stop()
        try readers.close()
        try pool.close()
    }

    // MARK: Reads

    /// The user registered as `userid`, if any.
    public func user(_ userid: String) throws -> StoredUser? {
        registry.user(userid)
    }

    /// The userid bound to the did, if any.
    public func userid(forDidType didType: String, didValue: String) throws -> String? {
        registry.owner(didType: didType, didValue: didValue)
    }

    /// When the session key `pubkey` of `userid` expires (milliseconds), or nil when it was
    /// never bound or was revoked by a key rotation.
    public func sessionKeyExpiry(userid: String, pubkey: String) throws -> Int64? {
        registry.sessionKeyExpiry(userid: userid, pubkey: pubkey)
    }

    /// True when `userid` is registered.
    public func isRegistered(_ userid: String) throws -> Bool {
        registry.user(userid) != nil
    }

    /// The state of the pair, or nil when no follow or cancel for it was ever applied.
    public func pairState(userid: String, targetUserid: String) throws -> PairState? {
        let (userNo, targetNo) = registry.numbers(userid, targetUserid)
        guard let userNo, let targetNo else { return nil }
        let key = PairKey(userNo: userNo, targetNo: targetNo)
        // Pending first: a state leaves the pending pairs only after `follow_pairs` has it.
        if let state = pending.withLock({ $0.states[key] }) { return state }
        return try statementRead { db in try Self.fetchPair(key, db) }
    }

    /// True when a registration or follow of `userid` with this nonce and this signed
    /// timestamp was applied.
    @_spi(Benchmarks)
    public func isNonceApplied(_ nonce: Digest224, signedTimestamp: Int64, userid: String) throws -> Bool {
        guard let userNo = registry.number(userid) else { return false }
        return try pool.read { db in try Self.nonceExists(nonce.bytes, signedTimestamp: signedTimestamp, userNo: userNo, db) }
    }

    /// The row count of every table, from one snapshot, after materialising the pending
    /// pairs (so that two counts around a write compare committed states).
    @_spi(Benchmarks)
    public func counts() throws -> StoreCounts {
        try materializePairs()
        return try pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM session_keys),
                           (SELECT count(*) FROM follow_pairs), (SELECT count(*) FROM follow_pairs WHERE following = 1),
                           (SELECT count(nonce) FROM audit_log), (SELECT count(*) FROM audit_log)
                    """)!
            return StoreCounts(
                users: row[0], sessionKeys: row[1], followPairs: row[2], followingEdges: row[3],
                appliedNonces: row[4], auditEntries: row[5])
        }
    }

    /// Up to `limit` audit entries with `seq` greater than `afterSeq`, in order.
    public func auditEntries(afterSeq: Int64, limit: Int) throws -> [AuditEntry] {
        try pool.read { db in try Self.fetchAuditEntries(afterSeq: afterSeq, limit: limit, db) }
    }

    /// ``auditEntries(afterSeq:limit:)`` on `db`.
    static func fetchAuditEntries(afterSeq: Int64, limit: Int, _ db: Database) throws -> [AuditEntry] {
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT seq, kind, received_at, request_pubkey, didkey, body, prev_hash, hash
                    FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?
                    """),
            arguments: [afterSeq, limit])
        var entries: [AuditEntry] = []
        while let row = try rows.next() {
            entries.append(
                AuditEntry(
                    seq: row[0], kind: row[1], receivedAt: row[2], requestPubkey: row[3], didkey: row[4],
                    body: bytes(row[5]), prevHash: bytes(row[6]), hash: bytes(row[7])))
        }
        return entries
    }

    /// The last audit entry's `seq` and hash, or nil while the log is empty.
    public func auditHead() throws -> (seq: Int64, hash: [UInt8])? {
        try pool.read { db in try Self.fetchAuditHead(db) }
    }

    // MARK: Queries shared by reads and writes

    /// The user registered as `userid` with its number (`users.user_no`), if any.
    static func fetchNumberedUser(_ userid: String, _ db: Database) throws -> (Int64, StoredUser)? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT user_no, did_type, did_value, main_pubkey, registered_timestamp, did_pubkey FROM users WHERE userid = ?
                """)
        guard let row = try Row.fetchOne(statement, arguments: [userid]) else { return nil }
        let user = StoredUser(
            userid: userid, didType: row[1], didValue: row[2], mainPubkey: row[3], registeredTimestamp: row[4],
            didPubkey: row[5])
        return (row[0], user)
    }

    /// The pair's state as `follow_pairs` has it (without the pending pairs).
    static func fetchPair(_ key: PairKey, _ db: Database) throws -> PairState? {
        try WriteStatements.pair(key, RawStatement(db, sql: WriteStatements.pairLookupSQL), db)
    }

    /// The states of both pairs as `follow_pairs` has them, from one SELECT (so from one
    /// snapshot even outside a transaction).
    static func fetchPairs(_ first: PairKey, _ second: PairKey, _ db: Database) throws -> (PairState?, PairState?) {
        let lookup = try RawStatement(
            db,
            sql: """
                SELECT user_no, target_no, following, latest_timestamp, latest_is_cancel, followed_at FROM follow_pairs
                WHERE (user_no = ?1 AND target_no = ?2) OR (user_no = ?3 AND target_no = ?4)
                """)
        lookup.bind(1, first.userNo)
        lookup.bind(2, first.targetNo)
        lookup.bind(3, second.userNo)
        lookup.bind(4, second.targetNo)
        var states: (PairState?, PairState?) = (nil, nil)
        try lookup.forEach(db) { row in
            let key = PairKey(userNo: row.int64(0), targetNo: row.int64(1))
            let state = PairState(
                following: row.int64(2) != 0, latestTimestamp: row.int64(3), latestIsCancel: row.int64(4) != 0,
                followedAt: row.optionalInt64(5))
            if key == first { states.0 = state }
            if key == second { states.1 = state }
            return true
        }
        return states
    }

    /// True when an audit entry of user `userNo` carries this nonce with this signed timestamp.
    static func nonceExists(_ nonce: [UInt8], signedTimestamp: Int64, userNo: Int64, _ db: Database) throws -> Bool {
        try WriteStatements.nonceExists(
            nonce, signedTimestamp: signedTimestamp, userNo: userNo, RawStatement(db, sql: WriteStatements.nonceLookupSQL), db)
    }

    static func fetchAuditHead(_ db: Database) throws -> (seq: Int64, hash: [UInt8])? {
        let statement = try db.cachedStatement(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        guard let row = try Row.fetchOne(statement) else { return nil }
        return (row[0], bytes(row[1]))
    }

    static func bytes(_ data: Data) -> [UInt8] { [UInt8](data) }
}
