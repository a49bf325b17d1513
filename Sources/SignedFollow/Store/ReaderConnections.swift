import GRDB
import Synchronization

// Invariants this file relies on: docs/store.md S8, S15.

/// Read-only connections for the hot reads (lists, stats, the status of a pair, the health
/// check), handed out one per read from a list of idle ones.
///
/// GRDB's `DatabasePool.unsafeRead` costs more than these reads under load: it takes a
/// connection through a dispatch barrier queue, a semaphore and a dispatch group, and runs
/// `PRAGMA schema_version` (a statement and a read transaction of its own, with the WAL
/// index's file locks) before every read, so that a schema change by another connection
/// clears GRDB's caches. This store changes its schema only in its migrations, before any
/// read connection opens, so a connection here skips that check: taking one is a lock, a
/// `popLast` and GRDB's serial-queue `sync` (BENCHMARKS.md, "Read path").
///
/// A read that finds no idle connection opens one, up to ``maximumCount``; past that (more
/// threads reading at once than that, which the cooperative pool's size rules out in the
/// server) it reads through the pool instead.
final class ReaderConnections: Sendable {
    /// The most connections opened here.
    let maximumCount: Int

    private let path: String
    private let configuration: Configuration
    private let fallback: DatabasePool
    private let state = Mutex(State())

    private struct State {
        var idle: [DatabaseQueue] = []
        var opened = 0
        var closed = false
    }

    /// Connections to the database at `path`, opened with `configuration` made read-only;
    /// `fallback` serves reads past `maximumCount` at once.
    init(path: String, configuration: Configuration, fallback: DatabasePool, maximumCount: Int = 16) {
        precondition(maximumCount >= 0, "maximumCount must not be negative")
        self.maximumCount = maximumCount
        var configuration = configuration
        configuration.readonly = true
        configuration.label = (configuration.label ?? "signed-follow") + ".reader"
        self.path = path
        self.configuration = configuration
        self.fallback = fallback
    }

    /// Runs `body` on an idle read-only connection, outside any transaction.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let taken = try state.withLock { state -> Taken in
            guard !state.closed else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "Connection is closed") }
            if let connection = state.idle.popLast() { return .idle(connection) }
            guard state.opened < maximumCount else { return .full }
            state.opened += 1
            return .open
        }
        let connection: DatabaseQueue
        switch taken {
        case .idle(let idle): connection = idle
        case .full: return try fallback.unsafeRead(body)
        case .open:
            do {
                connection = try DatabaseQueue(path: path, configuration: configuration)
            } catch {
                state.withLock { $0.opened -= 1 }
                throw error
            }
        }
        defer { release(connection) }
        return try connection.inDatabase(body)
    }

    /// How many connections are open (idle or in use).
    var openedCount: Int { state.withLock { $0.opened } }

    /// Closes every idle connection; a connection in use closes when its read returns.
    func close() throws {
        let idle = state.withLock { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle { try connection.close() }
    }

    private enum Taken { case idle(DatabaseQueue), open, full }

    private func release(_ connection: DatabaseQueue) {
        let keep = state.withLock { state in
            if !state.closed { state.idle.append(connection) }
            return !state.closed
        }
        if !keep { try? connection.close() }
    }
}
