import GRDB

// Invariants this file relies on: docs/store.md S8.

extension FollowStore {
    /// Reads the schema's first row through the read-only connections: the cheapest read that still
    /// touches the database file. Throws when the database does not answer (closed,
    /// missing, unreadable).
    public func checkReadable() throws {
        try statementRead { db in
            _ = try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM sqlite_schema LIMIT 1"))
        }
    }
}
