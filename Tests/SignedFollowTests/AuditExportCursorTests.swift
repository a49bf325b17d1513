@testable import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing

/// The export's paging: pages of the configured size, the limit and the head it started
/// with both respected, so that memory holds one page and an export beside new writes
/// ends.
@Suite("Audit export cursor")
struct AuditExportCursorTests {
    static let identities = ["alice", "bob", "carol", "dave"].map { TestIdentity(seed: $0) }

    /// Every page `cursor` gives, as lists of seqs.
    static func pages(_ cursor: AuditExportCursor, _ store: FollowStore) throws -> [[Int64]] {
        var cursor = cursor
        var pages: [[Int64]] = []
        while true {
            let page = try cursor.nextPage(from: store).map(\.seq)
            if page.isEmpty { return pages }
            pages.append(page)
        }
    }

    @Test("pages hold at most pageSize entries and cover the log after after_seq up to the head")
    func pagesUpToHead() async throws {
        try await TestService.run { service in
            try await service.makeSmallLog(Self.identities)  // seq 1 to 7
            let cursor = AuditExportCursor(query: AuditExportQuery(afterSeq: 1), headSeq: 7, pageSize: 2)
            #expect(try Self.pages(cursor, service.store) == [[2, 3], [4, 5], [6, 7]])
        }
    }

    @Test("the limit ends the export mid-page")
    func limitMidPage() async throws {
        try await TestService.run { service in
            try await service.makeSmallLog(Self.identities)
            let cursor = AuditExportCursor(query: AuditExportQuery(afterSeq: 0, limit: 5), headSeq: 7, pageSize: 2)
            #expect(try Self.pages(cursor, service.store) == [[1, 2], [3, 4], [5]])
        }
    }

    @Test("entries appended after the export began are not sent")
    func stopsAtStartingHead() async throws {
        try await TestService.run { service in
            try await service.makeSmallLog(Self.identities)
            let cursor = AuditExportCursor(query: AuditExportQuery(afterSeq: 2), headSeq: 4, pageSize: 3)
            #expect(try Self.pages(cursor, service.store) == [[3, 4]])
        }
    }

    @Test("after_seq at or past the head gives no page")
    func pastHead() async throws {
        try await TestService.run { service in
            try await service.makeSmallLog(Self.identities)
            for afterSeq: Int64 in [7, 8, .max] {
                let cursor = AuditExportCursor(query: AuditExportQuery(afterSeq: afterSeq), headSeq: 7, pageSize: 2)
                #expect(try Self.pages(cursor, service.store).isEmpty)
            }
        }
    }
}
