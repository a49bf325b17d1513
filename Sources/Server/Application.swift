import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SignedFollow

/// The signed-follow HTTP service: the store, the group-commit writer (run as a service,
/// so graceful shutdown drains it after the HTTP server stops accepting), and the routes.
public struct SignedFollowService: Sendable {
    /// The configuration it serves with.
    public let configuration: ServerConfiguration
    /// The database.
    public let store: FollowStore
    /// The single writer.
    public let writer: GroupCommitWriter
    /// The server clock, ms since the epoch.
    public let now: @Sendable () -> Int64
    /// Each user's write budget.
    public let rateLimiter: WriteRateLimiter
    /// Request, verification and commit metrics, served at `/metrics`.
    let metrics: ServiceMetrics

    /// Opens the database at `configuration.databasePath` (creating it and the server's key
    /// on first start).
    public init(
        configuration: ServerConfiguration, logger: Logger,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) throws {
        self.configuration = configuration
        self.now = now
        store = try FollowStore(
            path: configuration.databasePath, followingLimit: configuration.followingLimit, logger: logger)
        rateLimiter = WriteRateLimiter(limit: configuration.rateLimit)
        let metrics = ServiceMetrics()
        self.metrics = metrics
        writer = GroupCommitWriter(store: store, logger: logger, observer: { report in metrics.recordTransaction(report) })
    }

    /// The router with every route; HummingbirdTesting drives it directly in tests.
    ///
    /// Middleware, outermost first: the request id (so that every later log line and
    /// every answer carries it), the request counter (which so sees the final status of
    /// every request, preflights included), CORS for `/api/`, then the request log.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: CORSPolicyMiddleware(allowedOrigins: configuration.allowedOrigins))
        router.add(middleware: LogRequestsMiddleware(.debug))
        let metrics = self.metrics
        let verifier = Verifier(
            store: store, policy: configuration.verificationPolicy, now: now,
            nonceSearchObserver: { report in metrics.recordNonceSearch(report) })
        SignedRoutes(
            verifier: verifier, writer: writer, store: store, rateLimiter: rateLimiter, metrics: metrics,
            maxBodyBytes: configuration.maxBodyBytes, now: now
        ).register(on: router)
        ReadRoutes(verifier: verifier, store: store).register(on: router)
        AuditRoutes(store: store, adminToken: AdminToken(configuration.adminToken)).register(on: router)
        OperationsRoutes(store: store, metrics: metrics).register(on: router)
        return router
    }

    /// The application: listens on the configured host and port and runs the writer.
    public func application(logger: Logger) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "signed-follow"),
            services: [writer],
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT; then the HTTP server stops accepting, in-flight
    /// requests finish, and the writer commits everything already submitted.
    public func run(logger: Logger) async throws {
        try await application(logger: logger).runService()
        try store.close()
    }
}
