import Foundation
import GRDB
import WalletCrypto

// Invariants this file relies on: docs/store.md S2, S10, S12.

// The database file's layout, as named migration steps, and the server key kept in it.
// A step, once released, never changes: a new layout is a new step ("v2", ...).

enum StoreSchema {
    /// Every migration step, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3", migrate: v3)
        return migrator
    }

    /// The first layout (rewritten before any release: integer user numbers, nonces and the
    /// follow change in the audit row, and pairs materialised from it).
    ///
    /// The commit of a follow appends one `audit_log` row, which records the request and,
    /// in plain columns, what it changed: the user and target numbers, the signed
    /// timestamp and the nonce. That row is the durable record of the edge; its nonce index
    /// is keyed by the signed timestamp first, so its inserts land near the right edge of
    /// the B-tree instead of on a random page. `follow_pairs` holds each pair's state for
    /// reads; it is brought up to date from the audit rows after `follow_pairs_progress.seq`,
    /// in batches off the commit path, and on open after a crash.
    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE server_key (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    seed BLOB NOT NULL CHECK (length(seed) = 32)
                );

                CREATE TABLE users (
                    user_no INTEGER PRIMARY KEY,
                    userid TEXT NOT NULL UNIQUE,
                    did_type TEXT NOT NULL,
                    did_value TEXT NOT NULL,
                    main_pubkey TEXT NOT NULL,
                    registered_timestamp INTEGER NOT NULL,
                    UNIQUE (did_type, did_value)
                );

                CREATE TABLE session_keys (
                    userid TEXT NOT NULL REFERENCES users (userid),
                    pubkey TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (userid, pubkey)
                ) WITHOUT ROWID;

                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                    kind TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    request_pubkey TEXT NOT NULL,
                    didkey TEXT NOT NULL,
                    body BLOB NOT NULL,
                    prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
                    hash BLOB NOT NULL CHECK (length(hash) = 32),
                    -- What the entry changed (NULL where it does not apply): the registration or
                    -- follow nonce as 28 bytes, the signed timestamp, the user's and the target's
                    -- numbers (users.user_no).
                    nonce BLOB CHECK (nonce IS NULL OR length(nonce) = 28),
                    signed_timestamp INTEGER,
                    user_no INTEGER,
                    target_no INTEGER,
                    CHECK ((nonce IS NULL) = (signed_timestamp IS NULL))
                );
                CREATE UNIQUE INDEX audit_log_by_nonce ON audit_log (signed_timestamp, nonce) WHERE nonce IS NOT NULL;

                CREATE TABLE follow_pairs (
                    user_no INTEGER NOT NULL,  -- users.user_no, as the writer checked (users are never deleted)
                    target_no INTEGER NOT NULL,
                    following INTEGER NOT NULL CHECK (following IN (0, 1)),
                    latest_timestamp INTEGER NOT NULL,
                    latest_is_cancel INTEGER NOT NULL CHECK (latest_is_cancel IN (0, 1)),
                    followed_at INTEGER CHECK ((followed_at IS NOT NULL) = (following = 1)),
                    PRIMARY KEY (user_no, target_no)
                ) WITHOUT ROWID;
                -- Follower lists (newest first) and following lists (newest first).
                CREATE INDEX follow_pairs_by_target ON follow_pairs (target_no, following, followed_at);
                CREATE INDEX follow_pairs_by_user ON follow_pairs (user_no, following, followed_at);

                -- follow_pairs reflects every audit entry up to and including this seq.
                CREATE TABLE follow_pairs_progress (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    seq INTEGER NOT NULL
                );
                INSERT INTO follow_pairs_progress (id, seq) VALUES (1, 0);
                """)
    }

    /// StarkNet dids (docs/protocol.md section 7): the Stark public key a registration bound to
    /// the did, `0x` and 64 lowercase hex digits; NULL for eth, whose key the signature
    /// itself recovers.
    private static func v2(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE users ADD COLUMN did_pubkey TEXT")
    }

    /// A nonce is unique per user (`user_no`), no longer across users. A nonce hashes its
    /// fields one after another with no separator, so two users' requests can share one
    /// (userid `u` following `followv` and userid `ufollow` following `v`, at the same
    /// timestamp): with the index across users, the second insert broke it and rolled back
    /// every write of its transaction, other users' included. A replay is always the same
    /// user's request, so replays are still found (docs/store.md).
    private static func v3(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX audit_log_by_nonce;
                CREATE UNIQUE INDEX audit_log_by_nonce ON audit_log (signed_timestamp, nonce, user_no) WHERE nonce IS NOT NULL;
                """)
    }

    /// The server's ed25519 key: read from the database, or created and stored there on
    /// the first start. Runs on the writer connection, so two processes opening a fresh
    /// file cannot both create one.
    static func loadOrCreateServerKey(_ db: Database) throws -> Ed25519KeyPair {
        if let seed = try Data.fetchOne(db, sql: "SELECT seed FROM server_key WHERE id = 1") {
            return try Ed25519KeyPair(seed: seed)
        }
        let key = Ed25519KeyPair.generate()
        try db.execute(sql: "INSERT INTO server_key (id, seed) VALUES (1, ?)", arguments: [Data(key.seed)])
        return key
    }
}
