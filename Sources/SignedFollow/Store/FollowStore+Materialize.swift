import GRDB
import Logging
import Synchronization

// Invariants this file relies on: docs/store.md S1, S2, S3, S6, S7.

// `follow_pairs` brought up to date from the audit log: pending pair states written in
// transactions sorted by key, so that a page of the table and of its indexes is written
// once for many changes; under load a few hundred at a time, whole users in order of
// number, so that no such transaction holds the next commit back for long; and, on open,
// the pairs of audit rows a crash left unmaterialised.

extension FollowStore {
    /// The number of pairs whose state is committed in audit rows but not yet in
    /// `follow_pairs`.
    @_spi(Benchmarks)
    public var pendingPairCount: Int { pending.withLock { $0.states.count } }

    /// Writes at least `count` pending pair states (all by default) to `follow_pairs` in one
    /// transaction: the next users of the sweep, as the writer does under load. Reads of
    /// pair states see the same answers before and after; lists read from `follow_pairs`
    /// catch up. A failure leaves the pairs pending, to be written by a later call.
    @_spi(Benchmarks)
    public func materializePairs(atLeast count: Int = .max) throws {
        try pool.writeWithoutTransaction { db in try self.writePendingPairs(atLeast: count, db) }
    }

    /// ``materializePairs(atLeast:)`` on GRDB's writer queue without blocking a thread of
    /// the cooperative pool (the writer's idle and shutdown flushes).
    func materializePairs(atLeast count: Int = .max) async throws {
        try await pool.writeWithoutTransaction { db in try self.writePendingPairs(atLeast: count, db) }
    }

    /// Runs on the writer's queue, so no commit can change the pending pairs meanwhile.
    ///
    /// The transaction runs with `synchronous = NORMAL`: it is atomic, but may be lost in a
    /// power cut, which costs nothing, because the audit rows it reflects are committed
    /// and `follow_pairs_progress` moves in the same transaction. The next commit with
    /// `synchronous = FULL` syncs it as well. Replaying audit rows over pair states that
    /// already reflect some of them gives the same states (``PairState/after(_:follow:timestamp:)``
    /// keeps the start of a follow that continues), so the mark may lag safely.
    func writePendingPairs(atLeast count: Int, _ db: Database) throws {
        guard let plan = pending.withLock({ $0.beginMaterializing(atLeast: count) }) else { return }
        writerSynchronousIsFull.withLock { $0 = false }
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
        do {
            try writeChunk(plan, db)
        } catch {
            try restoreSynchronousFull(db)
            throw error
        }
        try restoreSynchronousFull(db)
        pending.withLock { $0.finishMaterializing(plan) }
    }

    /// Sets the writer's connection back to `synchronous = FULL` when a materialisation may
    /// have left it at NORMAL; throws when it cannot, so that no commit is acknowledged
    /// without its sync. Every commit calls it first (docs/store.md S7).
    func restoreSynchronousFull(_ db: Database) throws {
        guard !writerSynchronousIsFull.withLock({ $0 }) else { return }
        try db.execute(sql: "PRAGMA synchronous = FULL")
        writerSynchronousIsFull.withLock { $0 = true }
    }

    /// The transaction of ``writePendingPairs(atLeast:_:)``: `plan`'s states and its mark.
    private func writeChunk(_ plan: MaterializationPlan, _ db: Database) throws {
        try db.inTransaction(.immediate) {
            let upsert = try RawStatement(
                db,
                sql: """
                    INSERT INTO follow_pairs (user_no, target_no, following, latest_timestamp, latest_is_cancel, followed_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (user_no, target_no) DO UPDATE SET
                        following = excluded.following, latest_timestamp = excluded.latest_timestamp,
                        latest_is_cancel = excluded.latest_is_cancel, followed_at = excluded.followed_at
                    """)
            for (key, state) in plan.entries {
                upsert.bind(1, key.userNo)
                upsert.bind(2, key.targetNo)
                upsert.bind(3, state.following ? 1 : 0)
                upsert.bind(4, state.latestTimestamp)
                upsert.bind(5, state.latestIsCancel ? 1 : 0)
                upsert.bind(6, state.followedAt)
                try upsert.execute(db)
            }
            if let progress = plan.progress {
                try db.cachedStatement(sql: "UPDATE follow_pairs_progress SET seq = ? WHERE id = 1")
                    .execute(arguments: [progress])
            }
            return .commit
        }
    }

    /// On open: replays the follows and cancels of audit rows after
    /// `follow_pairs_progress.seq` (committed before a crash or a stop, not yet
    /// materialised) into the pending pairs, materialises them, and counts every user's
    /// follow totals.
    func recoverPendingPairs(_ db: Database) throws {
        let progress = try Int64.fetchOne(db, sql: "SELECT seq FROM follow_pairs_progress WHERE id = 1") ?? 0
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT seq, kind, signed_timestamp, user_no, target_no FROM audit_log
                WHERE seq > ? AND kind IN ('follow', 'cancel') ORDER BY seq
                """, arguments: [progress])
        let pairLookup = try RawStatement(db, sql: WriteStatements.pairLookupSQL)
        var states: [PairKey: PairState] = [:]
        var lastSeq = progress
        while let row = try rows.next() {
            let key = PairKey(userNo: row[3], targetNo: row[4])
            let previous = try states[key] ?? WriteStatements.pair(key, pairLookup, db)
            states[key] = PairState.after(previous, follow: (row[1] as String) == "follow", timestamp: row[2])
            lastSeq = row[0]
        }
        if !states.isEmpty {
            logger.info(
                "materialising pairs of audit entries after the last progress mark",
                metadata: [
                    "after_seq": "\(progress)", "through_seq": "\(lastSeq)", "pairs": "\(states.count)",
                ])
            pending.withLock { $0 = PendingPairs(states: states, throughSeq: lastSeq, totals: FollowTotals()) }
            try writePendingPairs(atLeast: .max, db)
        }
        let head = try Self.fetchAuditHead(db)?.seq ?? 0
        let totals = try FollowTotals(db)
        pending.withLock { $0 = PendingPairs(states: [:], throughSeq: head, totals: totals) }
    }
}

extension FollowTotals {
    /// Every user's totals as `follow_pairs` has them (one pass over each of its indexes).
    init(_ db: Database) throws {
        self.init()
        let following = try Row.fetchCursor(
            db, sql: "SELECT user_no, count(*) FROM follow_pairs WHERE following = 1 GROUP BY user_no")
        while let row = try following.next() { set(row[0], following: row[1], followers: 0) }
        let followers = try Row.fetchCursor(
            db, sql: "SELECT target_no, count(*) FROM follow_pairs WHERE following = 1 GROUP BY target_no")
        while let row = try followers.next() { set(row[0], following: self.following(row[0]), followers: row[1]) }
    }
}
