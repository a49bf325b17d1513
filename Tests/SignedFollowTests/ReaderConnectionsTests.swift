import Dispatch
import GRDB
@_spi(Benchmarks) @testable import SignedFollow
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
        let held = HeldRead(readers, Self.total)
        // The one connection is busy: this read must not wait for it.
        #expect(try readers.read(Self.total) == 1)
        #expect(readers.openedCount == 1)
        #expect(held.finish() == 1)
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
        let held = HeldRead(readers, Self.total)
        try readers.close()
        #expect(throws: DatabaseError.self) { try readers.read(Self.total) }
        #expect(held.finish() == 1)
        #expect(throws: DatabaseError.self) { try readers.read(Self.total) }
    }
}

/// A read held open on a thread of its own, so that a test can read beside it (a task of
/// the cooperative pool must not block on a semaphore).
private final class HeldRead: Sendable {
    private let result = Mutex<Int?>(nil)
    private let inside = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Starts `read` through `readers`; returns once it holds its connection (or failed).
    init(_ readers: ReaderConnections, _ read: @escaping @Sendable (Database) throws -> Int) {
        DispatchQueue.global().async { self.run(readers, read) }
        inside.wait()
    }

    private func run(_ readers: ReaderConnections, _ read: @Sendable (Database) throws -> Int) {
        let value =
            (try? readers.read { db in
                inside.signal()
                release.wait()
                return try read(db)
            }) ?? -1
        if value == -1 { inside.signal() }  // it never got inside: do not leave init waiting
        result.withLock { $0 = value }
        done.signal()
    }

    /// Lets the read finish and returns what it read (-1 when it failed).
    func finish() -> Int {
        release.signal()
        done.wait()
        return result.withLock { $0! }
    }
}
