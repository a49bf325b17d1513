import CoreMetrics
import Metrics
import Prometheus
import SignedFollow

/// The service's metrics (docs/protocol.md section 11), kept in a Prometheus registry that
/// belongs to one ``SignedFollowService``.
///
/// The metrics are made through a `PrometheusMetricsFactory` held here instead of the
/// process-wide `MetricsSystem`, which can be bootstrapped only once per process: every
/// service, and so every test, has metrics of its own.
struct ServiceMetrics: Sendable {
    /// Requests answered, by route, method, HTTP status and response code.
    static let requestsName = "signed_follow_requests_total"
    /// Time spent verifying register, login and follow requests.
    static let verificationName = "signed_follow_verification_duration_seconds"
    /// Time of each write transaction, disk sync included.
    static let commitName = "signed_follow_commit_duration_seconds"
    /// Writes carried by each transaction.
    static let batchSizeName = "signed_follow_commit_batch_size"
    /// Transactions that failed and rolled back.
    static let failedCommitsName = "signed_follow_commit_failures_total"
    /// Follows whose nonce needed the search of docs/protocol.md section 5a, by result.
    static let nonceSearchesName = "signed_follow_nonce_searches_total"
    /// Hashes spent by those searches.
    static let nonceSearchHashesName = "signed_follow_nonce_search_hashes_total"

    private let registry: PrometheusCollectorRegistry
    private let verificationTimer: CoreMetrics.Timer
    private let commitTimer: CoreMetrics.Timer
    private let batchSizes: CoreMetrics.Recorder
    private let failedCommits: CoreMetrics.Counter
    private let requestCounters: RequestCounters
    private let nonceSearches: [String: CoreMetrics.Counter]
    private let nonceSearchHashes: CoreMetrics.Counter

    /// A fresh registry with every histogram's buckets sized for what it measures:
    /// verification takes tens to hundreds of microseconds, a commit with its disk sync
    /// milliseconds, and a batch holds up to the writer's 1,024 writes.
    init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            Self.verificationName: [
                .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
                .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(50),
            ],
            Self.commitName: [
                .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5),
                .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                .seconds(1),
            ],
        ]
        factory.valueHistogramBuckets = [
            Self.batchSizeName: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
        ]
        verificationTimer = CoreMetrics.Timer(label: Self.verificationName, dimensions: [], factory: factory)
        commitTimer = CoreMetrics.Timer(label: Self.commitName, dimensions: [], factory: factory)
        batchSizes = CoreMetrics.Recorder(label: Self.batchSizeName, dimensions: [], aggregate: true, factory: factory)
        failedCommits = CoreMetrics.Counter(label: Self.failedCommitsName, dimensions: [], factory: factory)
        requestCounters = RequestCounters(factory: factory)
        nonceSearches = Dictionary(
            uniqueKeysWithValues: ["found", "not_found", "refused_user", "refused_service"].map { result in
                (result, CoreMetrics.Counter(label: Self.nonceSearchesName, dimensions: [("result", result)], factory: factory))
            })
        nonceSearchHashes = CoreMetrics.Counter(label: Self.nonceSearchHashesName, dimensions: [], factory: factory)
    }

    /// Records one follow whose nonce needed a search: found, not found, or refused by a
    /// bound; and the hashes it took.
    func recordNonceSearch(_ report: NonceSearchReport) {
        switch report {
        case .searched(let found, let hashes):
            nonceSearches[found ? "found" : "not_found"]?.increment()
            nonceSearchHashes.increment(by: Int64(hashes))
        case .refusedForUser: nonceSearches["refused_user"]?.increment()
        case .refusedForService: nonceSearches["refused_service"]?.increment()
        }
    }

    /// Counts one answered request. `route` is the router's pattern (never the raw path,
    /// so that the number of series stays bounded); `code` the response code of the JSON
    /// envelope, or nil when the answer carried none.
    func recordRequest(route: String, method: String, status: Int, code: Int?) {
        requestCounters.counter(route: route, method: method, status: status, code: code).increment()
    }

    /// Runs `verify` and records how long it took, whether it passed or threw.
    func timeVerification<Verified, Failure: Error>(
        _ verify: () throws(Failure) -> Verified
    ) throws(Failure) -> Verified {
        try verificationTimer.measure(body: verify)
    }

    /// Runs `verify`, which may wait (a follow's nonce search), and records how long it
    /// took, whether it passed or threw.
    func timeVerification<Verified>(_ verify: () async throws -> Verified) async throws -> Verified {
        let start = ContinuousClock.now
        defer { verificationTimer.record(duration: ContinuousClock.now - start) }
        return try await verify()
    }

    /// Records one transaction of the group-commit writer: its duration and size, and
    /// whether it failed.
    func recordTransaction(_ report: TransactionReport) {
        commitTimer.record(duration: report.duration)
        batchSizes.record(report.writes)
        if !report.committed { failedCommits.increment() }
    }

    /// Every metric in the Prometheus text exposition format.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
