import GRDB

// Invariants this file relies on: docs/store.md S2, S12.

/// The statements the write path runs once per write, taken from GRDB's statement cache
/// once per transaction instead of once per write (a cache lookup hashes the whole SQL
/// text), and driven through the SQLite C API.
struct WriteStatements {
    let auditInsert: RawStatement
    let pairLookup: RawStatement
    let nonceLookup: RawStatement

    init(_ db: Database) throws {
        auditInsert = try RawStatement(db, sql: Self.auditInsertSQL)
        pairLookup = try RawStatement(db, sql: Self.pairLookupSQL)
        nonceLookup = try RawStatement(db, sql: Self.nonceLookupSQL)
    }

    /// The pair's state as `follow_pairs` has it (without the pending pairs).
    func pair(_ key: PairKey, _ db: Database) throws -> PairState? {
        try Self.pair(key, pairLookup, db)
    }

    /// True when an audit entry carries this nonce with this signed timestamp.
    func nonceExists(_ nonce: [UInt8], signedTimestamp: Int64, userNo: Int64, _ db: Database) throws -> Bool {
        try Self.nonceExists(nonce, signedTimestamp: signedTimestamp, userNo: userNo, nonceLookup, db)
    }

    /// ``pair(_:_:)`` with `lookup`, a statement of ``pairLookupSQL``.
    static func pair(_ key: PairKey, _ lookup: RawStatement, _ db: Database) throws -> PairState? {
        lookup.bind(1, key.userNo)
        lookup.bind(2, key.targetNo)
        return try lookup.first(db) { row in
            PairState(
                following: row.int64(0) != 0, latestTimestamp: row.int64(1), latestIsCancel: row.int64(2) != 0,
                followedAt: row.optionalInt64(3))
        }
    }

    /// ``nonceExists(_:signedTimestamp:userNo:_:)`` with `lookup`, a statement of
    /// ``nonceLookupSQL``: one search of `audit_log_by_nonce` (a nonce is unique per user).
    static func nonceExists(
        _ nonce: [UInt8], signedTimestamp: Int64, userNo: Int64, _ lookup: RawStatement, _ db: Database
    ) throws -> Bool {
        lookup.bind(1, signedTimestamp)
        lookup.bind(2, blob: nonce)
        lookup.bind(3, userNo)
        return try lookup.first(db) { _ in true } ?? false
    }

    static let auditInsertSQL = """
        INSERT INTO audit_log (
            seq, kind, received_at, request_pubkey, didkey, body, prev_hash, hash,
            nonce, signed_timestamp, user_no, target_no)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let pairLookupSQL = """
        SELECT following, latest_timestamp, latest_is_cancel, followed_at
        FROM follow_pairs WHERE user_no = ? AND target_no = ?
        """
    static let nonceLookupSQL = """
        SELECT 1 FROM audit_log WHERE signed_timestamp = ? AND nonce = ? AND user_no = ? AND nonce IS NOT NULL
        """
}
