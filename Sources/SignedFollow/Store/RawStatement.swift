import GRDB
import GRDBSQLite

// Invariants this file relies on: docs/store.md S1, S8.

/// A statement from GRDB's statement cache, bound and stepped through the SQLite C API:
/// the statements that run once per follow on the writer, where GRDB's argument arrays
/// and `Data` copies cost more than SQLite's own work (BENCHMARKS.md, "Write path").
///
/// GRDB keeps ownership of the statement and finalises it. Every value is bound with
/// `SQLITE_TRANSIENT` (SQLite copies it), so no pointer outlives the call that bound it.
/// Use it on a connection GRDB handed out (a write, a read, or an `unsafeRead` in
/// autocommit mode, where each statement runs in its own implicit transaction), and reset
/// it after every use.
struct RawStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    /// The cached statement for `sql` on `db`.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds parameter `index` (from 1) to an integer, or to NULL.
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds parameter `index` to the UTF-8 of `text`.
    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            _ = sqlite3_bind_text(handle, index, utf8.baseAddress, Int32(utf8.count), Self.transient)
        }
    }

    /// Binds parameter `index` to a blob of `bytes` (an empty blob, not NULL, when empty),
    /// or to NULL.
    func bind(_ index: Int32, blob bytes: [UInt8]?) {
        guard let bytes else {
            sqlite3_bind_null(handle, index)
            return
        }
        bytes.withUnsafeBytes { buffer in
            if buffer.isEmpty {
                _ = sqlite3_bind_zeroblob(handle, index, 0)
            } else {
                _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), Self.transient)
            }
        }
    }

    /// Runs a statement that returns no row, then resets it.
    func execute(_ db: Database) throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code, db) }
    }

    /// Runs a query and hands its first row, if any, to `read`, then resets it.
    func first<T>(_ db: Database, _ read: (Row) -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return read(Row(handle))
        case SQLITE_DONE: return nil
        default: throw error(code, db)
        }
    }

    /// Runs a query and hands its rows in order to `visit` until there are no more or
    /// `visit` returns false, then resets it.
    func forEach(_ db: Database, _ visit: (Row) throws -> Bool) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            switch code {
            case SQLITE_ROW: guard try visit(Row(handle)) else { return }
            case SQLITE_DONE: return
            default: throw error(code, db)
            }
        }
    }

    private func error(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// The current row of a stepped statement, read by column (from 0).
    struct Row {
        fileprivate let handle: OpaquePointer
        fileprivate init(_ handle: OpaquePointer) { self.handle = handle }

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
        func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    }
}
