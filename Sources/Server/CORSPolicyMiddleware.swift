import HTTPTypes
import Hummingbird

/// Cross-origin access to the `/api/` routes (docs/protocol.md section 11).
///
/// Browsers call the API from dApp pages on other origins. Requests are authenticated by
/// signatures and the admin token, never by cookies, so by default any origin may call
/// (`Access-Control-Allow-Origin: *`). With allowed origins configured, a request whose
/// `Origin` is one of them (compared exactly) gets that origin echoed back, any other
/// gets no allow header, and every answer carries `Vary: Origin` so that caches keep
/// them apart.
///
/// An `OPTIONS` request under `/api/` is a preflight: it is answered here, 204 with the
/// allowed methods and headers, and never reaches a route. Paths outside `/api/`
/// (`/healthz`, `/metrics`) are left alone.
struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The origins allowed; empty allows any.
    let allowedOrigins: Set<String>

    /// The request headers a browser may send: the signed headers of docs/protocol.md section 4,
    /// the body type and the admin token.
    static var allowedHeaders: String { "web3mq-request-pubkey, didkey, content-type, authorization, x-request-id" }
    /// The methods the API uses.
    static var allowedMethods: String { "GET, POST, OPTIONS" }
    /// The response headers a page may read besides the simple ones.
    static var exposedHeaders: String { "x-request-id, retry-after" }
    /// How long a browser may cache a preflight answer, in seconds.
    static var preflightMaxAge: String { "600" }

    init(allowedOrigins: [String]) {
        self.allowedOrigins = Set(allowedOrigins)
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        if request.method == .options {
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = Self.allowedMethods
            response.headers[.accessControlAllowHeaders] = Self.allowedHeaders
            response.headers[.accessControlMaxAge] = Self.preflightMaxAge
            addOriginHeaders(to: &response.headers, for: request)
            return response
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        addOriginHeaders(to: &response.headers, for: request)
        return response
    }

    /// `Access-Control-Allow-Origin` as the policy decides for this request, and
    /// `Vary: Origin` when the answer depends on the origin.
    private func addOriginHeaders(to headers: inout HTTPFields, for request: Request) {
        if allowedOrigins.isEmpty {
            headers[.accessControlAllowOrigin] = "*"
            return
        }
        headers[values: .vary].append("Origin")
        if let origin = request.headers[.origin], allowedOrigins.contains(origin) {
            headers[.accessControlAllowOrigin] = origin
        }
    }
}
