import Foundation
import GRDB
import Keccak
import Logging
import Synchronization

// Invariants this file relies on: docs/store.md S1, S4, S6, S7, S9, S12, S13.

// The write path: the ordering, replay and binding rules of docs/protocol.md sections 2 to 4,
// checked inside the transaction that applies them, and the audit chain of section 10.
//
// A follow's transaction appends its audit row, which carries the follow's nonce, signed
// timestamp and the two users' numbers: that row is the committed record of the edge. The
// pair's new state goes to the pending pairs, and from there to `follow_pairs` in a later,
// larger transaction (FollowStore+Materialize.swift).

extension FollowStore {
    /// Applies `writes` in order in ONE transaction and returns one outcome per write.
    ///
    /// Each write is checked against the state that includes the writes before it in
    /// the array. A write whose outcome is not `applied` writes nothing; an applied write
    /// appends exactly one audit entry. When anything throws, the whole transaction rolls
    /// back, nothing is written, and the error is rethrown: every write of the call failed.
    @_spi(Benchmarks)
    public func apply(_ writes: [VerifiedWrite]) throws -> [WriteOutcome] {
        try pool.writeWithoutTransaction { db in try self.commit(writes, db) }
    }

    /// ``apply(_:)`` on GRDB's writer queue, suspending instead of blocking a thread of
    /// the cooperative pool while SQLite syncs the file; returns once committed. When
    /// `chunk` is given, at least that many pending pairs are first written to
    /// `follow_pairs` in a transaction of their own: one trip to the writer queue for
    /// both, so the writer's loop is not resumed once more in between behind the
    /// verifications (BENCHMARKS.md, "Where a follow's time goes"). A failed chunk is
    /// logged and leaves its pairs pending; the writes go on. Returns the outcomes and how
    /// long the chunk took.
    func applySuspending(
        _ writes: [VerifiedWrite], materializingFirst chunk: Int?
    ) async throws -> (outcomes: [WriteOutcome], chunkDuration: Duration) {
        try await pool.writeWithoutTransaction { db in
            let clock = ContinuousClock()
            let start = clock.now
            if let chunk {
                do {
                    try self.writePendingPairs(atLeast: chunk, db)
                } catch {
                    self.logger.error(
                        "writing pending pairs failed; they stay pending", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
            let chunkDuration = clock.now - start
            return (try self.commit(writes, db), chunkDuration)
        }
    }

    /// Makes the next `count` transactions throw after applying their writes, so that
    /// tests can watch a rollback.
    func failNextTransactions(_ count: Int) {
        injectedFailures.withLock { $0 = count }
    }

    /// One transaction; once it has committed, and still on the writer's queue (so before
    /// the next transaction and before any answer), its effects become visible to
    /// verification (the registry) and to later rules (the pending pairs).
    private func commit(_ writes: [VerifiedWrite], _ db: Database) throws -> [WriteOutcome] {
        // The writes must not commit without their sync: when FULL cannot be set, they fail.
        try restoreSynchronousFull(db)
        var effects = BatchEffects()
        var outcomes: [WriteOutcome] = []
        try db.inTransaction(.immediate) {
            outcomes = try applyInTransaction(writes, &effects, db)
            return .commit
        }
        registry.record(writes, outcomes, newNumbers: effects.newNumbers)
        pending.withLock { $0.publish(effects.pairs, throughSeq: effects.lastSeq, totalsChange: effects.totals) }
        return outcomes
    }

    private func applyInTransaction(
        _ writes: [VerifiedWrite], _ effects: inout BatchEffects, _ db: Database
    ) throws -> [WriteOutcome] {
        let statements = try WriteStatements(db)
        var chain = try AuditAppender(db, statements.auditInsert)
        var outcomes: [WriteOutcome] = []
        outcomes.reserveCapacity(writes.count)
        effects.pairs.reserveCapacity(writes.count)
        for write in writes {
            // Each case audits its own payload, so the write is not copied again.
            let outcome: WriteOutcome
            switch write {
            case .register(let registration):
                let columns: AuditColumns
                (outcome, columns) = try applyRegistration(registration, &effects, statements, db)
                if case .applied = outcome { try chain.append(registration.audit, columns, db) }
            case .login(let binding):
                let columns: AuditColumns
                (outcome, columns) = try applyLogin(binding, db)
                if case .applied = outcome { try chain.append(binding.audit, columns, db) }
            case .follow(let change):
                let columns: AuditColumns
                (outcome, columns) = try applyFollow(change, &effects, statements, db)
                if case .applied = outcome { try chain.append(change.audit, columns, db) }
            }
            outcomes.append(outcome)
        }
        effects.lastSeq = chain.seq
        let fail = injectedFailures.withLock { remaining in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fail { throw InjectedTransactionFailure() }
        return outcomes
    }

    // MARK: Rules

    /// docs/protocol.md section 2: a did and a userid bind once; a newer registration by the
    /// same pair rotates the main key and revokes the sessions signed by the old one; one
    /// that is not newer (and not a replay) is a conflict, 40902.
    private func applyRegistration(
        _ registration: Registration, _ effects: inout BatchEffects, _ statements: WriteStatements, _ db: Database
    ) throws -> (WriteOutcome, AuditColumns) {
        let nonce = registration.nonce.bytes
        // A replay is of a registration that was applied, so its user exists.
        let existingUser = try Self.fetchNumberedUser(registration.userid, db)
        if let (existingNumber, _) = existingUser,
            try statements.nonceExists(nonce, signedTimestamp: registration.timestamp, userNo: existingNumber, db)
        {
            return (.alreadyApplied, AuditColumns())
        }
        let didOwner = try String.fetchOne(
            db.cachedStatement(sql: "SELECT userid FROM users WHERE did_type = ? AND did_value = ?"),
            arguments: [registration.didType, registration.didValue])
        if let didOwner, didOwner != registration.userid { return (.conflict, AuditColumns()) }

        let number: Int64
        if let (existingNumber, existing) = existingUser {
            guard existing.didType == registration.didType, existing.didValue == registration.didValue else {
                return (.conflict, AuditColumns())
            }
            // Section 7: the first registration binds a StarkNet did's key for good.
            guard existing.didPubkey == registration.didPubkey else { return (.didKeyNotBound, AuditColumns()) }
            // docs/protocol.md section 2: only a newer registration rotates the key; "otherwise 40902".
            guard registration.timestamp > existing.registeredTimestamp else { return (.conflict, AuditColumns()) }
            try db.cachedStatement(sql: "UPDATE users SET main_pubkey = ?, registered_timestamp = ? WHERE user_no = ?")
                .execute(arguments: [registration.mainPubkey, registration.timestamp, existingNumber])
            try db.cachedStatement(sql: "DELETE FROM session_keys WHERE userid = ?")
                .execute(arguments: [registration.userid])
            number = existingNumber
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO users (userid, did_type, did_value, main_pubkey, registered_timestamp, did_pubkey)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """
            )
            .execute(arguments: [
                registration.userid, registration.didType, registration.didValue, registration.mainPubkey,
                registration.timestamp, registration.didPubkey,
            ])
            number = db.lastInsertedRowID
            effects.newNumbers[registration.userid] = number
        }
        effects.keyEpochs[registration.userid] = registration.timestamp
        return (.applied(following: nil), AuditColumns(nonce: nonce, signedTimestamp: registration.timestamp, userNo: number))
    }

    /// docs/protocol.md section 3: the login must be signed by the user's current main key,
    /// which a rotation between verification and commit may have replaced. Binding the
    /// same key again only moves its expiry, so a login needs no nonce.
    private func applyLogin(_ binding: SessionBinding, _ db: Database) throws -> (WriteOutcome, AuditColumns) {
        guard let (number, user) = try Self.fetchNumberedUser(binding.userid, db) else {
            return (.userNotRegistered, AuditColumns())
        }
        guard user.mainPubkey == binding.mainPubkey else { return (.keyNotBound, AuditColumns()) }
        try db.cachedStatement(
            sql: """
                INSERT INTO session_keys (userid, pubkey, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (userid, pubkey) DO UPDATE SET expires_at = excluded.expires_at
                """
        )
        .execute(arguments: [binding.userid, binding.sessionPubkey, binding.expiresAt])
        return (.applied(following: nil), AuditColumns(userNo: number))
    }

    /// docs/protocol.md section 4 step 11: a replayed nonce first; then the newest signed
    /// timestamp wins, and on equal timestamps a cancel beats a follow. Then the following
    /// limit (step 10), which refuses only a follow that would add an edge: a replay is
    /// still "already applied", a stale request still 40901, and a cancel always passes.
    ///
    /// An applied change never has a timestamp newer than its pair's latest, so the nonce
    /// index is only consulted for a change that is not newer: for the usual fresh follow,
    /// the rules cost a few dictionary lookups and at most one read of `follow_pairs`.
    private func applyFollow(
        _ change: FollowChange, _ effects: inout BatchEffects, _ statements: WriteStatements, _ db: Database
    ) throws -> (WriteOutcome, AuditColumns) {
        let (committedUser, committedTarget, committedKeyEpoch) = registry.followParties(change.userid, change.targetUserid)
        guard let userNo = committedUser ?? effects.newNumbers[change.userid] else {
            return (.userNotRegistered, AuditColumns())
        }
        guard let targetNo = committedTarget ?? effects.newNumbers[change.targetUserid] else {
            return (.targetNotRegistered, AuditColumns())
        }
        // The request key was bound under the registration the verifier saw; a rotation
        // since (committed, or earlier in this transaction) revoked it (docs/store.md).
        let keyEpoch = effects.keyEpochs[change.userid] ?? committedKeyEpoch
        guard keyEpoch == change.keyEpoch else { return (.keyNotBound, AuditColumns()) }
        let key = PairKey(userNo: userNo, targetNo: targetNo)
        let pair = try effects.pairs[key] ?? pending.withLock({ $0.states[key] }) ?? statements.pair(key, db)
        let nonce = change.nonce.bytes
        if let pair, change.timestamp <= pair.latestTimestamp {
            if try statements.nonceExists(nonce, signedTimestamp: change.timestamp, userNo: userNo, db) {
                return (.alreadyApplied, AuditColumns())
            }
            if change.timestamp < pair.latestTimestamp { return (.stale, AuditColumns()) }
            if pair.latestIsCancel, change.follow { return (.stale, AuditColumns()) }
        }
        let wasFollowing = pair?.following ?? false
        if change.follow, !wasFollowing {
            let following = pending.withLock { $0.totals.following(userNo) } + effects.totals.following(userNo)
            if following >= followingLimit { return (.followingLimitReached, AuditColumns()) }
        }
        if wasFollowing != change.follow { effects.totals.record(key, delta: change.follow ? 1 : -1) }
        effects.pairs[key] = PairState.after(pair, follow: change.follow, timestamp: change.timestamp)
        let columns = AuditColumns(nonce: nonce, signedTimestamp: change.timestamp, userNo: userNo, targetNo: targetNo)
        return (.applied(following: change.follow), columns)
    }

}

/// What a transaction changed besides its rows, published once it commits.
private struct BatchEffects {
    /// The numbers of the users it registered.
    var newNumbers: [String: Int64] = [:]
    /// The users it registered or whose main key it rotated, with the registration's
    /// timestamp (their key epoch from then on).
    var keyEpochs: [String: Int64] = [:]
    /// The new state of every pair it changed.
    var pairs: [PairKey: PairState] = [:]
    /// How the follow totals changed.
    var totals = FollowTotals()
    /// The `seq` of its last audit entry (of the log's last entry when it appended none).
    var lastSeq: Int64 = 0
}

/// The columns of an audit row that record what its request changed (see StoreSchema).
struct AuditColumns {
    var nonce: [UInt8]?
    var signedTimestamp: Int64?
    var userNo: Int64?
    var targetNo: Int64?
}

/// Appends audit entries within one transaction, carrying the chain's head from entry
/// to entry so that the head is read once per transaction.
private struct AuditAppender {
    private(set) var seq: Int64
    private var hash: [UInt8]

    private let insert: RawStatement

    init(_ db: Database, _ insert: RawStatement) throws {
        (seq, hash) = try FollowStore.fetchAuditHead(db) ?? (0, AuditChain.genesisHash)
        self.insert = insert
    }

    mutating func append(_ record: AuditRecord, _ columns: AuditColumns, _ db: Database) throws {
        let next = seq + 1
        let digest = AuditChain.hash(prevHash: hash, seq: next, record: record).bytes
        insert.bind(1, next)
        insert.bind(2, record.kind)
        insert.bind(3, record.receivedAt)
        insert.bind(4, record.requestPubkey)
        insert.bind(5, record.didkey)
        insert.bind(6, blob: record.body)
        insert.bind(7, blob: hash)
        insert.bind(8, blob: digest)
        insert.bind(9, blob: columns.nonce)
        insert.bind(10, columns.signedTimestamp)
        insert.bind(11, columns.userNo)
        insert.bind(12, columns.targetNo)
        try insert.execute(db)
        (seq, hash) = (next, digest)
    }
}

/// The failure ``FollowStore/failNextTransactions(_:)`` injects.
struct InjectedTransactionFailure: Error {}
