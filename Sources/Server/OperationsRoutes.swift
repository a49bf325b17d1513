import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SignedFollow

/// The routes operators and their tools call (docs/protocol.md section 11): `GET /healthz`
/// and `GET /metrics`. Neither is under `/api/`, so browsers get no CORS headers for
/// them.
struct OperationsRoutes: Sendable {
    let store: FollowStore
    let metrics: ServiceMetrics

    /// The media type of the Prometheus text exposition format, version 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, context in
            do {
                try store.checkReadable()
                return APIResponse<NoData>(code: .ok, msg: "ok", data: nil).makeResponse()
            } catch {
                context.logger.error("health check: the database does not answer", metadata: ["error": "\(error)"])
                return APIResponse(code: .unavailable).makeResponse()
            }
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: Self.metricsContentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
