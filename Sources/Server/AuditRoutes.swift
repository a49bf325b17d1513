import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SignedFollow
import WalletCrypto

/// The audit log over HTTP (docs/protocol.md section 10): the streamed JSON Lines export,
/// guarded by the admin token, and the head signed by the server's key.
struct AuditRoutes: Sendable {
    let store: FollowStore
    /// Nil when no token is configured: then every export answers 40304.
    let adminToken: AdminToken?

    /// Entries read from the database per page of the export.
    static let pageSize = 1000

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/audit/export") { request, context in
            export(request, context)
        }
        router.get("/api/audit/head") { _, context in
            head(context)
        }
    }

    /// Checks the token, then the query; reads the head and the first page before
    /// answering (so that a failing database still gets an envelope), then streams the
    /// rest page by page: memory holds one page, whatever the size of the log.
    private func export(_ request: Request, _ context: BasicRequestContext) -> Response {
        guard let adminToken, adminToken.authorizes(header: request.headers[.authorization]) else {
            return APIResponse(code: .adminTokenInvalid).makeResponse()
        }
        let query: AuditExportQuery
        do throws(RequestError) {
            query = try AuditExportQuery(QueryParameters(request))
        } catch {
            return APIResponse(error: error).makeResponse()
        }
        var cursor: AuditExportCursor
        let firstPage: [AuditEntry]
        do {
            cursor = AuditExportCursor(query: query, headSeq: try store.auditHead()?.seq ?? 0)
            firstPage = try cursor.nextPage(from: store)
        } catch {
            context.logger.error("audit export could not read the log", metadata: ["error": "\(error)"])
            return APIResponse(code: .internalError).makeResponse()
        }
        let store = self.store
        let logger = context.logger
        let cursorAfterFirstPage = cursor
        let body = ResponseBody { writer in
            var cursor = cursorAfterFirstPage
            var page = firstPage
            do {
                while !page.isEmpty {
                    var lines: [UInt8] = []
                    lines.reserveCapacity(page.count * 512)
                    for entry in page { AuditExportLine.append(entry, to: &lines) }
                    try await writer.write(ByteBuffer(bytes: lines))
                    page = try cursor.nextPage(from: store)
                }
            } catch {
                // The status is sent: the client sees the stream end without its last lines.
                logger.error("audit export stopped", metadata: ["error": "\(error)"])
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: AuditRoutes.exportContentType], body: body)
    }

    /// The media type of the export: newline-delimited JSON.
    static let exportContentType = "application/x-ndjson"

    private func head(_ context: BasicRequestContext) -> Response {
        let head: (seq: Int64, hash: [UInt8])?
        do {
            head = try store.auditHead()
        } catch {
            context.logger.error("audit head could not be read", metadata: ["error": "\(error)"])
            return APIResponse(code: .internalError).makeResponse()
        }
        let seq = head?.seq ?? 0
        let hash = head.map { Hex.encode($0.hash) } ?? AuditHeadStatement.emptyLogHash
        let signature = store.serverKey.signature(for: AuditHeadStatement.message(seq: seq, hash: hash))
        return APIResponse(
            code: .ok, msg: "ok",
            data: AuditHeadData(
                seq: seq, hash: hash, server_pubkey: store.serverKey.publicKey.description, signature: signature.base64
            )
        ).makeResponse()
    }
}

/// Where an export stands: the pages still to read, bounded by the query's limit and by
/// the head as it stood when the export began, so that an export running beside new
/// writes still ends, on a consistent prefix of the log.
struct AuditExportCursor: Sendable {
    /// The last `seq` sent (or `after_seq` before the first page).
    private(set) var lastSeq: Int64
    /// The last `seq` this export may send.
    let headSeq: Int64
    /// Entries still allowed by `limit`, or nil for no limit.
    private(set) var remaining: Int64?
    /// Entries read per page.
    let pageSize: Int

    /// The cursor of an export of `query` that stops at `headSeq`, reading `pageSize`
    /// entries a page.
    init(query: AuditExportQuery, headSeq: Int64, pageSize: Int = AuditRoutes.pageSize) {
        precondition(pageSize >= 1, "pageSize must be at least 1")
        lastSeq = query.afterSeq
        self.headSeq = headSeq
        remaining = query.limit
        self.pageSize = pageSize
    }

    /// The next page; empty once the export is complete.
    mutating func nextPage(from store: FollowStore) throws -> [AuditEntry] {
        guard lastSeq < headSeq else { return [] }
        var size = pageSize
        if let remaining {
            guard remaining > 0 else { return [] }
            size = Int(min(Int64(size), remaining))
        }
        var page = try store.auditEntries(afterSeq: lastSeq, limit: size)
        if let beyondHead = page.firstIndex(where: { $0.seq > headSeq }) { page.removeSubrange(beyondHead...) }
        if let last = page.last { lastSeq = last.seq } else { lastSeq = headSeq }
        remaining = remaining.map { $0 - Int64(page.count) }
        return page
    }
}

/// `data` of `GET /api/audit/head`.
struct AuditHeadData: JSONBody {
    let seq: Int64
    let hash: String
    let server_pubkey: String
    let signature: String

    func write(to json: inout JSONOutput) {
        json.raw("{\"hash\":")
        json.string(hash)
        json.raw(",\"seq\":")
        json.integer(seq)
        json.raw(",\"server_pubkey\":")
        json.string(server_pubkey)
        json.raw(",\"signature\":")
        json.string(signature)
        json.raw("}")
    }
}
