import Synchronization

/// How many follows and cancels one user may send (docs/protocol.md section 4 check 10): a
/// token bucket that holds up to `burst` tokens and gains `perHour` tokens an hour.
public struct RateLimit: Sendable, Equatable {
    /// The most writes a user may send at once, after a quiet spell. 0 disables the limit.
    public var burst: Int
    /// Tokens regained per hour (the sustained rate).
    public var perHour: Int

    /// A bucket of `burst` tokens refilled at `perHour` an hour.
    public init(burst: Int, perHour: Int) {
        precondition(burst >= 0 && perHour >= 1, "burst must not be negative and perHour must be positive")
        self.burst = burst
        self.perHour = perHour
    }

    /// The default: 100 at once, 600 an hour, three times as generous as X's 50 follows per
    /// 15 minutes.
    public static let `default` = RateLimit(burst: 100, perHour: 600)
}

/// One token bucket per user for writes, in memory (a restart refills every bucket).
///
/// Only requests whose signatures verified reach it, so a stranger cannot drain a user's
/// bucket, and it holds at most one bucket per registered user; full buckets are dropped
/// when the table grows, since a missing bucket is a full one.
public final class WriteRateLimiter: Sendable {
    /// The limit applied.
    public let limit: RateLimit
    private let buckets = Mutex(Buckets())

    private struct Buckets {
        var byUser: [String: Bucket] = [:]
        /// The table size at which full buckets are next dropped: twice what a pruning left,
        /// so that pruning costs a constant amount per bucket added.
        var pruneAt = WriteRateLimiter.pruneThreshold
    }

    private struct Bucket {
        var tokens: Double
        var updatedAt: Int64
    }

    /// Buckets kept before full ones are first dropped.
    private static let pruneThreshold = 100_000

    /// A limiter applying `limit`.
    public init(limit: RateLimit) {
        self.limit = limit
    }

    /// Takes one token of `userid`'s bucket at `now` (ms): nil when taken, else how many
    /// whole seconds to wait before one is there (at least 1), for `Retry-After`.
    public func take(_ userid: String, now: Int64) -> Int? {
        guard limit.burst > 0 else { return nil }
        let perMillisecond = Double(limit.perHour) / 3_600_000
        let capacity = Double(limit.burst)
        return buckets.withLock { table in
            if table.byUser.count >= table.pruneAt, table.byUser[userid] == nil {
                table.byUser = table.byUser.filter { Self.refilled($0.value, now, perMillisecond, capacity) < capacity }
                table.pruneAt = max(Self.pruneThreshold, 2 * table.byUser.count)
            }
            var bucket = table.byUser[userid] ?? Bucket(tokens: capacity, updatedAt: now)
            bucket.tokens = Self.refilled(bucket, now, perMillisecond, capacity)
            bucket.updatedAt = max(bucket.updatedAt, now)
            guard bucket.tokens >= 1 else {
                table.byUser[userid] = bucket
                let milliseconds = (1 - bucket.tokens) / perMillisecond
                return max(1, Int((milliseconds / 1000).rounded(.up)))
            }
            bucket.tokens -= 1
            table.byUser[userid] = bucket
            return nil
        }
    }

    /// The bucket's tokens at `now`: a clock that went back adds nothing.
    private static func refilled(_ bucket: Bucket, _ now: Int64, _ perMillisecond: Double, _ capacity: Double) -> Double {
        min(capacity, bucket.tokens + Double(max(0, now - bucket.updatedAt)) * perMillisecond)
    }
}
