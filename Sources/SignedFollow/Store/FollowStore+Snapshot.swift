import GRDB

// Invariants this file relies on: docs/store.md S5, S8.

// Two ways to read through the store's read-only connections (``ReaderConnections``),
// both cheaper than `DatabasePool.read`.
//
// `pool.read` wraps every read in `PRAGMA query_only` and a `SAVEPOINT`, four statements
// that GRDB executes without its statement cache, so SQLite parses each of them on every
// read: they cost more than the lookups of a `follow_status` (BENCHMARKS.md, "Read
// path"); and taking a connection from GRDB's pool costs more again under load. The
// connections are read-only already, so the pragma adds nothing; what a read needs is a
// snapshot.
//
// A single SELECT outside any transaction runs in its own implicit read transaction: all
// its rows come from one snapshot. A read made of several statements gets one snapshot
// from an explicit `BEGIN` ... `COMMIT`, prepared once per connection and kept.

extension FollowStore {
    /// Runs `body`, which executes one statement, on a reader connection in autocommit
    /// mode: the statement is its own snapshot. `body` must not execute two statements that
    /// have to agree (use ``snapshotRead(_:)``).
    func statementRead<T>(_ body: (Database) throws -> T) throws -> T {
        try readers.read(body)
    }

    /// Runs `body` on a reader connection inside one read transaction: every statement of
    /// `body` sees the same snapshot of the database.
    func snapshotRead<T>(_ body: (Database) throws -> T) throws -> T {
        try readers.read { db in
            // A transaction left open by a failed COMMIT or ROLLBACK would make BEGIN fail.
            if db.isInsideTransaction { try RawStatement(db, sql: "ROLLBACK").execute(db) }
            try RawStatement(db, sql: "BEGIN DEFERRED").execute(db)
            let result: T
            do {
                result = try body(db)
            } catch {
                try? RawStatement(db, sql: "ROLLBACK").execute(db)
                throw error
            }
            try RawStatement(db, sql: "COMMIT").execute(db)
            return result
        }
    }
}
