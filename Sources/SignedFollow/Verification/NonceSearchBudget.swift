import Dispatch
import Synchronization

/// The bounds on the Flutter/Dart nonce search (docs/protocol.md section 5a item 5), from the
/// server's configuration.
public struct NonceSearchLimits: Sendable, Equatable {
    /// How often one user may make the service search: a bucket of `burst` searches
    /// refilled at `perHour` an hour. A burst of 0 turns the search off: a nonce over an
    /// earlier timestamp is then refused (40102).
    public var perUser: RateLimit
    /// Hashes per second the searches of all users may spend together, sustained.
    public var hashesPerSecond: Int
    /// Hashes the searches may spend at once after a quiet spell; at least one search's
    /// worst case (180,000 hashes), or no search could start.
    public var hashBurst: Int

    /// The limits.
    public init(perUser: RateLimit, hashesPerSecond: Int, hashBurst: Int) {
        precondition(hashesPerSecond >= 1 && hashBurst >= 180_000, "the hash budget must allow one worst-case search")
        self.perUser = perUser
        self.hashesPerSecond = hashesPerSecond
        self.hashBurst = hashBurst
    }

    /// The defaults (BENCHMARKS.md, "Flutter/Dart nonce search"): 10 searches at once and
    /// 360 an hour per user; 200,000 hashes a second for all users (0.09 to 0.15 of one
    /// core, measured), 2,000,000 at once.
    public static let `default` = NonceSearchLimits(
        perUser: RateLimit(burst: 10, perHour: 360), hashesPerSecond: 200_000, hashBurst: 2_000_000)
}

/// Runs the nonce searches of the ``Verifier`` within their bounds: one token of the
/// user's bucket per search (else 42901 with `Retry-After`), and the search's worst case
/// reserved from the service's hash budget before it starts (else 50301 with
/// `Retry-After`); what the search did not spend goes back. In memory, per process.
///
/// Searches run one at a time on a thread of their own, never on the cooperative pool
/// that serves requests: a worst-case search holds a core for tens of milliseconds. The
/// hash budget bounds the work waiting for that thread (at most `hashBurst` hashes, about
/// a second).
public final class NonceSearchBudget: Sendable {
    /// The limits applied.
    public let limits: NonceSearchLimits
    private let users: WriteRateLimiter
    private let hashes: Mutex<(tokens: Double, updatedAt: Int64)>
    private let queue = DispatchQueue(label: "signed-follow.nonce-search", qos: .userInitiated)

    private let observer: NonceSearchObserver?

    /// A budget applying `limits`, full at `now` (ms); `observer`, when given, is told of
    /// every search made or refused (for metrics).
    public init(limits: NonceSearchLimits, now: Int64, observer: NonceSearchObserver? = nil) {
        self.limits = limits
        users = WriteRateLimiter(limit: limits.perUser)
        hashes = Mutex((Double(limits.hashBurst), now))
        self.observer = observer
    }

    /// Runs `search` for `userid` at `now` when the budget allows it: the nonce, or nil
    /// when no candidate gives it (or the search is turned off).
    public func run(_ search: FollowNonceSearch, userid: String, now: Int64) async throws(RequestError) -> FollowNonce? {
        guard limits.perUser.burst > 0 else { return nil }
        let worstCase = search.worstCaseHashes
        guard worstCase > 0 else { return nil }
        if let wait = users.take(userid, now: now) {
            observer?(.refusedForUser)
            throw RequestError(
                .rateLimited,
                "too many follows whose nonce needs a timestamp search (Flutter/Dart SDK clock defect) for this user",
                retryAfterSeconds: wait)
        }
        do {
            try reserve(worstCase, now: now)
        } catch {
            observer?(.refusedForService)
            throw error
        }
        let (nonce, spent) = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: search.run()) }
        }
        hashes.withLock { $0.tokens = min(Double(limits.hashBurst), $0.tokens + Double(worstCase - spent)) }
        observer?(.searched(found: nonce != nil, hashes: spent))
        return nonce
    }

    /// Takes `count` hashes from the service's budget, or throws 50301 with the seconds
    /// until they are there.
    private func reserve(_ count: Int, now: Int64) throws(RequestError) {
        let perMillisecond = Double(limits.hashesPerSecond) / 1000
        let shortfall: Double? = hashes.withLock { budget in
            budget.tokens = min(Double(limits.hashBurst), budget.tokens + Double(max(0, now - budget.updatedAt)) * perMillisecond)
            budget.updatedAt = max(budget.updatedAt, now)
            guard budget.tokens >= Double(count) else { return Double(count) - budget.tokens }
            budget.tokens -= Double(count)
            return nil
        }
        if let shortfall {
            throw RequestError(
                .unavailable, "the service's budget for nonce timestamp searches (Flutter/Dart SDK clock defect) is spent",
                retryAfterSeconds: max(1, Int((shortfall / perMillisecond / 1000).rounded(.up))))
        }
    }
}

/// What a ``NonceSearchBudget`` tells its observer of one follow that needed a search.
public enum NonceSearchReport: Sendable, Equatable {
    /// Searched: whether a candidate gave the nonce, and the hashes it took.
    case searched(found: Bool, hashes: Int)
    /// Refused by the user's bucket (42901).
    case refusedForUser
    /// Refused by the service's hash budget (50301).
    case refusedForService
}

/// Called by the budget after each search or refusal, on the request's task: keep it short.
public typealias NonceSearchObserver = @Sendable (NonceSearchReport) -> Void
