import Dispatch
import GRDB
@testable import SignedFollow
import Synchronization
import Testing

/// The read-only connections of the hot reads: what each read sees, how many connections
/// open, the pool beyond them, and closing.
@Suite("Reader connections")
final class ReaderConnectionsTests: Sendable {
    let path = temporaryStorePath()
    let pool: DatabasePool

    init() throws {
        pool = try DatabasePool(path: path)
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (x INTEGER NOT NULL); INSERT INTO t VALUES (1)") }
    }

    deinit {
        try? pool.close()
        removeStoreFiles(path)
    }

    private func readers(maximumCount: Int = 16) -> ReaderConnections {
        ReaderConnections(path: path, configuration: Configuration(), fallback: pool, maximumCount: maximumCount)
    }

    private static func total(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT sum(x) FROM t") ?? 0
    }

    @Test("each read sees every commit made before it began, and cannot write")
    func readsTheLatestCommit() throws {
        let readers = readers()
        defer { try? readers.close() }
        #expect(try readers.read(Self.total) == 1)
        try pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
        #expect(try readers.read(Self.total) == 3)
        #expect(throws: DatabaseError.self) {
            try readers.read { db in try db.execute(sql: "INSERT INTO t VALUES (4)") }
        }
        #expect(try pool.read(Self.total) == 3)
        #expect(readers.openedCount == 1, "one connection served every read, one at a time")
    }

    @Test("reads at once beyond the maximum go through the pool, and the connections stay at the maximum")
    func fallsBackBeyondTheMaximum() throws {
        let readers = readers(maximumCount: 1)
        defer { try? readers.close() }
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let held = BackgroundRead { () -> Int in
            (try? readers.read { db in
                holding.signal()
                release.wait()
                return try Self.total(db)
            }) ?? -1
        }
        holding.wait()
        // The one connection is busy: this read must not wait for it.
        #expect(try readers.read(Self.total) == 1)
        #expect(readers.openedCount == 1)
        release.signal()
        #expect(held.join() == 1)
        #expect(try readers.read(Self.total) == 1)
        #expect(readers.openedCount == 1)
    }

    @Test("with no connection allowed, every read goes through the pool")
    func maximumZero() throws {
        let readers = readers(maximumCount: 0)
        #expect(try readers.read(Self.total) == 1)
        #expect(readers.openedCount == 0)
    }

    @Test("after close a read fails, and a read in progress finishes")
    func close() throws {
        let readers = readers()
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let held = BackgroundRead { () -> Int in
            (try? readers.read { db in
                holding.signal()
                release.wait()
                return try Self.total(db)
            }) ?? -1
        }
        holding.wait()
        try readers.close()
        #expect(throws: DatabaseError.self) { try readers.read(Self.total) }
        release.signal()
        #expect(held.join() == 1)
        #expect(throws: DatabaseError.self) { try readers.read(Self.total) }
    }
}

/// A value computed on a thread of its own, so that a test can hold a read open while it
/// reads beside it (a task of the cooperative pool must not block on a semaphore).
private final class BackgroundRead<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { self.finish(body()) }
    }

    private func finish(_ value: Value) {
        result.withLock { $0 = value }
        done.signal()
    }

    func join() -> Value {
        done.wait()
        return result.withLock { $0! }
    }
}
