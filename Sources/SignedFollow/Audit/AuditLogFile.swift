import GRDB

/// The audit log of a database file, opened read-only: what `signed-follow audit export`
/// reads. It never writes, so it may read the file of a running service (WAL readers do
/// not block the writer) or a copy of it.
public struct AuditLogFile: Sendable {
    private let queue: DatabaseQueue

    /// Opens the database at `path` read-only; throws when it is missing or not a
    /// signed-follow database.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "signed-follow audit export"
        queue = try DatabaseQueue(path: path, configuration: configuration)
        let hasLog = try queue.read { db in try db.tableExists("audit_log") }
        guard hasLog else { throw DatabaseError(resultCode: .SQLITE_NOTADB, message: "no audit_log table") }
    }

    /// Calls `body` with every entry after `afterSeq`, in order, reading `chunk` entries
    /// at a time (so memory does not grow with the log).
    public func forEachEntry(afterSeq: Int64 = 0, chunk: Int = 1_000, _ body: (AuditEntry) throws -> Void) throws {
        var after = afterSeq
        while true {
            let entries = try queue.read { db in try FollowStore.fetchAuditEntries(afterSeq: after, limit: chunk, db) }
            for entry in entries { try body(entry) }
            guard let last = entries.last, entries.count == chunk else { return }
            after = last.seq
        }
    }
}
