import Foundation
import GRDB
import WalletCrypto

// The database file's layout, as named migration steps, and the server key kept in it.
// A step, once released, never changes: a new layout is a new step ("v2", ...).

enum StoreSchema {
    /// Every migration step, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        return migrator
    }

    /// The first layout. Text keys use `WITHOUT ROWID` tables, so a lookup by key is one
    /// B-tree search; every lookup the store makes is by a primary key or an index prefix.
    private static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE server_key (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seed BLOB NOT NULL CHECK (length(seed) = 32)
            );

            CREATE TABLE users (
                userid TEXT PRIMARY KEY NOT NULL,
                did_type TEXT NOT NULL,
                did_value TEXT NOT NULL,
                main_pubkey TEXT NOT NULL,
                registered_timestamp INTEGER NOT NULL,
                UNIQUE (did_type, did_value)
            ) WITHOUT ROWID;

            CREATE TABLE session_keys (
                userid TEXT NOT NULL REFERENCES users (userid),
                pubkey TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (userid, pubkey)
            ) WITHOUT ROWID;

            CREATE TABLE follow_pairs (
                userid TEXT NOT NULL REFERENCES users (userid),
                target_userid TEXT NOT NULL REFERENCES users (userid),
                following INTEGER NOT NULL CHECK (following IN (0, 1)),
                latest_timestamp INTEGER NOT NULL,
                latest_is_cancel INTEGER NOT NULL CHECK (latest_is_cancel IN (0, 1)),
                followed_at INTEGER CHECK ((followed_at IS NOT NULL) = (following = 1)),
                PRIMARY KEY (userid, target_userid)
            ) WITHOUT ROWID;
            -- Follower lists (newest first) and following lists (newest first).
            CREATE INDEX follow_pairs_by_target ON follow_pairs (target_userid, following, followed_at);
            CREATE INDEX follow_pairs_by_user ON follow_pairs (userid, following, followed_at);

            CREATE TABLE applied_nonces (
                nonce TEXT PRIMARY KEY NOT NULL,
                kind TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY CHECK (seq >= 1),
                kind TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                request_pubkey TEXT NOT NULL,
                didkey TEXT NOT NULL,
                body BLOB NOT NULL,
                prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
                hash BLOB NOT NULL CHECK (length(hash) = 32)
            );
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
