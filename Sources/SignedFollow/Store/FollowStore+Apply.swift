import Foundation
import GRDB
import Keccak
import Synchronization

// The write path: the ordering, replay and binding rules of PROTOCOL.md sections 2 to 4,
// checked inside the transaction that applies them, and the audit chain of section 10.

extension FollowStore {
    /// Applies `writes` in order in ONE transaction and returns one outcome per write.
    ///
    /// Each write is checked against the state that includes the writes before it in
    /// the array. A write whose outcome is not `applied` writes nothing; an applied write
    /// appends exactly one audit entry. When anything throws, the whole transaction rolls
    /// back, nothing is written, and the error is rethrown: every write of the call failed.
    public func apply(_ writes: [PendingWrite]) throws -> [WriteOutcome] {
        let outcomes = try pool.write { db in try self.applyInTransaction(writes, db) }
        registry.record(writes, outcomes)  // committed: now visible to verification
        return outcomes
    }

    /// ``apply(_:)`` on GRDB's writer queue, suspending instead of blocking a thread of
    /// the cooperative pool while SQLite syncs the file. Returns once committed.
    func applySuspending(_ writes: [PendingWrite]) async throws -> [WriteOutcome] {
        let outcomes = try await pool.write { db in try self.applyInTransaction(writes, db) }
        registry.record(writes, outcomes)  // committed: now visible to verification
        return outcomes
    }

    /// Makes the next `count` transactions throw after applying their writes, so that
    /// tests can watch a rollback.
    func failNextTransactions(_ count: Int) {
        injectedFailures.withLock { $0 = count }
    }

    private func applyInTransaction(_ writes: [PendingWrite], _ db: Database) throws -> [WriteOutcome] {
        var chain = try AuditAppender(db)
        var outcomes: [WriteOutcome] = []
        outcomes.reserveCapacity(writes.count)
        for write in writes {
            let outcome = switch write {
            case .register(let registration): try Self.applyRegistration(registration, db)
            case .login(let binding): try Self.applyLogin(binding, db)
            case .follow(let change): try Self.applyFollow(change, db)
            }
            if case .applied = outcome {
                try chain.append(write.audit, db)
            }
            outcomes.append(outcome)
        }
        let fail = injectedFailures.withLock { remaining in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fail { throw InjectedTransactionFailure() }
        return outcomes
    }

    // MARK: Rules

    /// PROTOCOL.md section 2: a did and a userid bind once; a newer registration by the
    /// same pair rotates the main key and revokes the sessions signed by the old one.
    private static func applyRegistration(_ registration: Registration, _ db: Database) throws -> WriteOutcome {
        if try nonceExists(registration.nonce, db) { return .alreadyApplied }
        let didOwner = try String.fetchOne(
            db.cachedStatement(sql: "SELECT userid FROM users WHERE did_type = ? AND did_value = ?"),
            arguments: [registration.didType, registration.didValue])
        if let didOwner, didOwner != registration.userid { return .conflict }

        if let existing = try fetchUser(registration.userid, db) {
            guard existing.didType == registration.didType, existing.didValue == registration.didValue else {
                return .conflict
            }
            guard registration.timestamp > existing.registeredTimestamp else { return .stale }
            try db.cachedStatement(sql: "UPDATE users SET main_pubkey = ?, registered_timestamp = ? WHERE userid = ?")
                .execute(arguments: [registration.mainPubkey, registration.timestamp, registration.userid])
            try db.cachedStatement(sql: "DELETE FROM session_keys WHERE userid = ?")
                .execute(arguments: [registration.userid])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO users (userid, did_type, did_value, main_pubkey, registered_timestamp)
                VALUES (?, ?, ?, ?, ?)
                """)
                .execute(arguments: [
                    registration.userid, registration.didType, registration.didValue, registration.mainPubkey,
                    registration.timestamp,
                ])
        }
        try recordNonce(registration.nonce, kind: registration.audit.kind, db)
        return .applied(following: nil)
    }

    /// PROTOCOL.md section 3: the login must be signed by the user's current main key,
    /// which a rotation between verification and commit may have replaced. Binding the
    /// same key again only moves its expiry, so a login needs no nonce.
    private static func applyLogin(_ binding: SessionBinding, _ db: Database) throws -> WriteOutcome {
        guard let user = try fetchUser(binding.userid, db) else { return .userNotRegistered }
        guard user.mainPubkey == binding.mainPubkey else { return .keyNotBound }
        try db.cachedStatement(sql: """
            INSERT INTO session_keys (userid, pubkey, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (userid, pubkey) DO UPDATE SET expires_at = excluded.expires_at
            """)
            .execute(arguments: [binding.userid, binding.sessionPubkey, binding.expiresAt])
        return .applied(following: nil)
    }

    /// PROTOCOL.md section 4 step 11: a replayed nonce first; then the newest signed
    /// timestamp wins, and on equal timestamps a cancel beats a follow.
    private static func applyFollow(_ change: FollowChange, _ db: Database) throws -> WriteOutcome {
        if try nonceExists(change.nonce, db) { return .alreadyApplied }
        guard try userExists(change.userid, db) else { return .userNotRegistered }
        guard try userExists(change.targetUserid, db) else { return .targetNotRegistered }

        let pair = try fetchPair(change.userid, change.targetUserid, db)
        if let pair {
            if change.timestamp < pair.latestTimestamp { return .stale }
            if change.timestamp == pair.latestTimestamp, pair.latestIsCancel, change.follow { return .stale }
        }
        let followedAt: Int64?
        if !change.follow {
            followedAt = nil
        } else if let pair, pair.following {
            followedAt = pair.followedAt  // following again keeps the date it started
        } else {
            followedAt = change.timestamp
        }
        try db.cachedStatement(sql: """
            INSERT INTO follow_pairs (userid, target_userid, following, latest_timestamp, latest_is_cancel, followed_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (userid, target_userid) DO UPDATE SET
                following = excluded.following, latest_timestamp = excluded.latest_timestamp,
                latest_is_cancel = excluded.latest_is_cancel, followed_at = excluded.followed_at
            """)
            .execute(arguments: [
                change.userid, change.targetUserid, change.follow, change.timestamp, !change.follow, followedAt,
            ])
        try recordNonce(change.nonce, kind: change.audit.kind, db)
        return .applied(following: change.follow)
    }

    private static func recordNonce(_ nonce: String, kind: String, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO applied_nonces (nonce, kind) VALUES (?, ?)")
            .execute(arguments: [nonce, kind])
    }
}

/// Appends audit entries within one transaction, carrying the chain's head from entry
/// to entry so that the head is read once per transaction.
private struct AuditAppender {
    private var seq: Int64
    private var hash: [UInt8]

    init(_ db: Database) throws {
        (seq, hash) = try FollowStore.fetchAuditHead(db) ?? (0, AuditChain.genesisHash)
    }

    mutating func append(_ record: AuditRecord, _ db: Database) throws {
        let next = seq + 1
        let digest = AuditChain.hash(prevHash: hash, seq: next, record: record).bytes
        // GRDB binds empty Data as NULL; coalesce keeps an empty body an empty blob.
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, kind, received_at, request_pubkey, didkey, body, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, coalesce(?, x''), ?, ?)
            """)
            .execute(arguments: [
                next, record.kind, record.receivedAt, record.requestPubkey, record.didkey, Data(record.body),
                Data(hash), Data(digest),
            ])
        (seq, hash) = (next, digest)
    }
}

/// The failure ``FollowStore/failNextTransactions(_:)`` injects.
struct InjectedTransactionFailure: Error {}
