import Dispatch
import GRDBSQLite
import Logging

// Invariants this file relies on: docs/store.md S14.

/// Copies the WAL back into the database file from a connection of its own, on its own
/// queue, so that the writer never pays for a checkpoint inside a commit.
///
/// The writer runs with `wal_autocheckpoint = 0`; this runs a PASSIVE checkpoint every
/// `interval`, which never blocks the writer or the readers (SQLite copies only frames
/// no reader still needs, and the writer restarts the WAL from its start once all of it
/// has been copied). Durability is unchanged: a commit is durable once its WAL frames are
/// synced; the checkpoint only moves them.
final class WALCheckpointer: @unchecked Sendable {
    private let queue = DispatchQueue(label: "signed-follow.checkpoint")
    private let timer: any DispatchSourceTimer
    /// Touched only on `queue`.
    private var connection: OpaquePointer?
    private let logger: Logger

    /// Opens a read-write connection to `path` and starts checkpointing every `interval`.
    init(path: String, interval: DispatchTimeInterval = .milliseconds(100), logger: Logger) throws {
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let connection else {
            sqlite3_close(connection)
            throw CheckpointerError.open(code)
        }
        sqlite3_busy_timeout(connection, 5_000)
        // The checkpoint syncs the database file before it lets the WAL restart.
        sqlite3_exec(connection, "PRAGMA synchronous = FULL", nil, nil, nil)
        self.connection = connection
        self.logger = logger
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.checkpoint() }
        timer.resume()
    }

    /// Stops the timer, waits for a checkpoint under way, and closes the connection.
    func stop() {
        timer.cancel()
        queue.sync {
            sqlite3_close(connection)
            connection = nil
        }
    }

    deinit {
        timer.cancel()
        sqlite3_close(connection)  // nil after stop(): a no-op
    }

    private func checkpoint() {
        guard let connection else { return }
        var logFrames: Int32 = 0
        var copiedFrames: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copiedFrames)
        if code != SQLITE_OK && code != SQLITE_BUSY {
            logger.warning("WAL checkpoint failed", metadata: ["code": "\(code)"])
        }
    }
}

/// Why the checkpointer could not start.
enum CheckpointerError: Error {
    /// `sqlite3_open_v2` answered this result code.
    case open(Int32)
}
