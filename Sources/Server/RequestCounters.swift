import CoreMetrics
import Prometheus
import Synchronization

/// The counters of ``ServiceMetrics/requestsName``, one per route, method, status and
/// code, made once and then found in a dictionary.
///
/// Making a `CoreMetrics.Counter` for every request asks the Prometheus registry for it
/// each time: a lock, the four labels turned into strings and compared as an array of
/// pairs. A counter kept here is the same registry series, so `/metrics` reads the same.
/// Routes are the router's patterns and statuses and codes a fixed set, so the table stays
/// small; past ``capacity`` (methods are the client's choice) counters are made per
/// request again, as before, rather than kept.
final class RequestCounters: Sendable {
    /// The most counters kept.
    static let capacity = 1024

    private struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
        var code: Int?
    }

    private let factory: PrometheusMetricsFactory
    private let counters = Mutex<[Key: CoreMetrics.Counter]>([:])

    init(factory: PrometheusMetricsFactory) {
        self.factory = factory
    }

    /// The counter of requests to `route` with `method` answered `status` with `code`.
    func counter(route: String, method: String, status: Int, code: Int?) -> CoreMetrics.Counter {
        let key = Key(route: route, method: method, status: status, code: code)
        if let counter = counters.withLock({ $0[key] }) { return counter }
        let counter = CoreMetrics.Counter(
            label: ServiceMetrics.requestsName,
            dimensions: [
                ("route", route), ("method", method), ("status", String(status)),
                ("code", code.map(String.init) ?? "none"),
            ],
            factory: factory)
        counters.withLock { counters in
            if counters.count < Self.capacity { counters[key] = counter }
        }
        return counter
    }
}
