import SignedFollow

/// Everything the service is configured with, in one place (docs/protocol.md section 11).
///
/// Each option has a default that serves a newcomer on one machine, and an environment
/// variable named `SIGNED_FOLLOW_<OPTION>`; command-line flags (added with the
/// `serve` command) override the environment.
public struct ServerConfiguration: Sendable, Equatable {
    /// Address to listen on. `SIGNED_FOLLOW_HOST`, default `127.0.0.1`.
    public var host = "127.0.0.1"
    /// TCP port. `SIGNED_FOLLOW_PORT`, default 8080.
    public var port = 8080
    /// SQLite database file. `SIGNED_FOLLOW_DB`, default `./signed-follow.sqlite`.
    public var databasePath = "./signed-follow.sqlite"
    /// How far `timestamp` may be from the server clock, either way, in milliseconds.
    /// `SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS`, default 300000 (5 minutes).
    public var timestampWindowMilliseconds: Int64 = 300_000
    /// The latest a session key may expire, from now, in milliseconds.
    /// `SIGNED_FOLLOW_SESSION_EXPIRY_CAP_MS`, default 2592000000 (30 days).
    public var sessionExpiryCapMilliseconds: Int64 = 2_592_000_000
    /// Origins allowed by CORS and in the registration `URI:` line; empty allows any.
    /// `SIGNED_FOLLOW_ALLOWED_ORIGINS`, comma-separated, default empty.
    public var allowedOrigins: [String] = []
    /// Largest request body accepted, in bytes; larger ones answer 41301.
    /// `SIGNED_FOLLOW_MAX_BODY_BYTES`, default 16384.
    public var maxBodyBytes = 16 * 1024
    /// Whether a follow must carry `web3mq_user_signature` (docs/protocol.md section 4 check 8).
    /// `SIGNED_FOLLOW_REQUIRE_USER_SIGNATURE` (`true`/`false`), default false: no Web3MQ
    /// SDK sends it today.
    public var requireUserSignature = false
    /// The most users one user may follow; a follow beyond it answers 42902.
    /// `SIGNED_FOLLOW_FOLLOWING_LIMIT`, default 10000.
    public var followingLimit = FollowStore.defaultFollowingLimit
    /// Each user's write rate limit (follows and cancels, batch items included), beyond
    /// which a write answers 42901 with `Retry-After`: a bucket of
    /// `SIGNED_FOLLOW_RATE_LIMIT_BURST` writes (default 100; 0 disables the limit) refilled
    /// at `SIGNED_FOLLOW_RATE_LIMIT_PER_HOUR` an hour (default 600).
    public var rateLimit = RateLimit.default
    /// The StarkNet chain ids a typed-data signature may be made for (docs/protocol.md section
    /// 7), each a short string such as `SN_MAIN` or its felt in `0x` hex.
    /// `SIGNED_FOLLOW_STARKNET_CHAIN_IDS`, comma-separated, default `SN_MAIN,SN_SEPOLIA`.
    public var starknetChainIds = ["SN_MAIN", "SN_SEPOLIA"]
    /// The bounds of the search for a follow nonce over an earlier timestamp (the
    /// Flutter/Dart SDK's second clock read, docs/protocol.md section 5a item 5): per user a
    /// bucket of `SIGNED_FOLLOW_NONCE_SEARCH_BURST` searches (default 10; 0 turns the
    /// search off) refilled at `SIGNED_FOLLOW_NONCE_SEARCH_PER_HOUR` (default 360), beyond
    /// which such a follow answers 42901; for all users
    /// `SIGNED_FOLLOW_NONCE_SEARCH_HASHES_PER_SECOND` hashes a second (default 200000),
    /// beyond which it answers 50301.
    public var nonceSearch = NonceSearchLimits.default
    /// Bearer token for the audit export; nil disables the export.
    /// `SIGNED_FOLLOW_ADMIN_TOKEN`, default none. Never logged or printed.
    public var adminToken: String?

    /// The defaults.
    public init() {}

    /// The defaults, overridden by the `SIGNED_FOLLOW_*` variables present in `environment`.
    public init(environment: [String: String]) throws(ConfigurationError) {
        self.init()
        if let host = environment["SIGNED_FOLLOW_HOST"] {
            guard !host.isEmpty else {
                throw ConfigurationError(variable: "SIGNED_FOLLOW_HOST", expected: "a host name or address")
            }
            self.host = host
        }
        if let port = environment["SIGNED_FOLLOW_PORT"] {
            guard let value = Int(port), (1...65535).contains(value) else {
                throw ConfigurationError(variable: "SIGNED_FOLLOW_PORT", expected: "a port number from 1 to 65535")
            }
            self.port = value
        }
        if let path = environment["SIGNED_FOLLOW_DB"] {
            guard !path.isEmpty else { throw ConfigurationError(variable: "SIGNED_FOLLOW_DB", expected: "a file path") }
            databasePath = path
        }
        if let window = environment["SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS"] {
            guard let value = Int64(window), value > 0 else {
                throw ConfigurationError(
                    variable: "SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS", expected: "a positive number of milliseconds")
            }
            timestampWindowMilliseconds = value
        }
        if let cap = environment["SIGNED_FOLLOW_SESSION_EXPIRY_CAP_MS"] {
            guard let value = Int64(cap), value > 0 else {
                throw ConfigurationError(
                    variable: "SIGNED_FOLLOW_SESSION_EXPIRY_CAP_MS", expected: "a positive number of milliseconds")
            }
            sessionExpiryCapMilliseconds = value
        }
        if let origins = environment["SIGNED_FOLLOW_ALLOWED_ORIGINS"] {
            allowedOrigins = origins.split(separator: ",").map { String($0.trimmingPrefix(" ")) }.filter { !$0.isEmpty }
        }
        if let limit = environment["SIGNED_FOLLOW_MAX_BODY_BYTES"] {
            guard let value = Int(limit), (1024...1_048_576).contains(value) else {
                throw ConfigurationError(
                    variable: "SIGNED_FOLLOW_MAX_BODY_BYTES", expected: "a number of bytes from 1024 to 1048576")
            }
            maxBodyBytes = value
        }
        if let required = environment["SIGNED_FOLLOW_REQUIRE_USER_SIGNATURE"] {
            guard let value = Bool(required) else {
                throw ConfigurationError(variable: "SIGNED_FOLLOW_REQUIRE_USER_SIGNATURE", expected: "true or false")
            }
            requireUserSignature = value
        }
        if let limit = environment["SIGNED_FOLLOW_FOLLOWING_LIMIT"] {
            guard let value = Int(limit), value >= 1 else {
                throw ConfigurationError(variable: "SIGNED_FOLLOW_FOLLOWING_LIMIT", expected: "a positive number of users")
            }
            followingLimit = value
        }
        if let burst = environment["SIGNED_FOLLOW_RATE_LIMIT_BURST"] {
            guard let value = Int(burst), value >= 0 else {
                throw ConfigurationError(variable: "SIGNED_FOLLOW_RATE_LIMIT_BURST", expected: "a number of writes, 0 to disable")
            }
            rateLimit.burst = value
        }
        if let rate = environment["SIGNED_FOLLOW_RATE_LIMIT_PER_HOUR"] {
            guard let value = Int(rate), value >= 1 else {
                throw ConfigurationError(variable: "SIGNED_FOLLOW_RATE_LIMIT_PER_HOUR", expected: "a positive number of writes")
            }
            rateLimit.perHour = value
        }
        if let chainIds = environment["SIGNED_FOLLOW_STARKNET_CHAIN_IDS"] {
            let names = chainIds.split(separator: ",").map { String($0.trimmingPrefix(" ")) }.filter { !$0.isEmpty }
            guard !names.isEmpty, names.allSatisfy({ VerificationPolicy.starknetChainId($0) != nil }) else {
                throw ConfigurationError(
                    variable: "SIGNED_FOLLOW_STARKNET_CHAIN_IDS",
                    expected: "comma-separated chain ids, each a short string (SN_MAIN) or 0x hex below the field prime")
            }
            starknetChainIds = names
        }
        try readNonceSearchLimits(environment)
        if let token = environment["SIGNED_FOLLOW_ADMIN_TOKEN"], !token.isEmpty {
            adminToken = token
        }
    }

    private mutating func readNonceSearchLimits(_ environment: [String: String]) throws(ConfigurationError) {
        if let burst = environment["SIGNED_FOLLOW_NONCE_SEARCH_BURST"] {
            guard let value = Int(burst), value >= 0 else {
                throw ConfigurationError(
                    variable: "SIGNED_FOLLOW_NONCE_SEARCH_BURST", expected: "a number of searches, 0 to turn the search off")
            }
            nonceSearch.perUser.burst = value
        }
        if let rate = environment["SIGNED_FOLLOW_NONCE_SEARCH_PER_HOUR"] {
            guard let value = Int(rate), value >= 1 else {
                throw ConfigurationError(
                    variable: "SIGNED_FOLLOW_NONCE_SEARCH_PER_HOUR", expected: "a positive number of searches")
            }
            nonceSearch.perUser.perHour = value
        }
        if let rate = environment["SIGNED_FOLLOW_NONCE_SEARCH_HASHES_PER_SECOND"] {
            guard let value = Int(rate), value >= 1 else {
                throw ConfigurationError(
                    variable: "SIGNED_FOLLOW_NONCE_SEARCH_HASHES_PER_SECOND", expected: "a positive number of hashes")
            }
            nonceSearch.hashesPerSecond = value
        }
    }

    /// The verification limits this configuration sets.
    public var verificationPolicy: VerificationPolicy {
        var policy = VerificationPolicy()
        policy.timestampWindowMilliseconds = timestampWindowMilliseconds
        policy.sessionExpiryCapMilliseconds = sessionExpiryCapMilliseconds
        policy.allowedOrigins = allowedOrigins
        policy.requireUserSignature = requireUserSignature
        policy.starknetChainIds = starknetChainIds.compactMap(VerificationPolicy.starknetChainId)
        policy.nonceSearch = nonceSearch
        return policy
    }

    /// The configuration as `NAME=value` lines, with the admin token masked.
    public var redactedSummary: [String] {
        [
            "SIGNED_FOLLOW_HOST=\(host)",
            "SIGNED_FOLLOW_PORT=\(port)",
            "SIGNED_FOLLOW_DB=\(databasePath)",
            "SIGNED_FOLLOW_TIMESTAMP_WINDOW_MS=\(timestampWindowMilliseconds)",
            "SIGNED_FOLLOW_SESSION_EXPIRY_CAP_MS=\(sessionExpiryCapMilliseconds)",
            "SIGNED_FOLLOW_ALLOWED_ORIGINS=\(allowedOrigins.joined(separator: ","))",
            "SIGNED_FOLLOW_MAX_BODY_BYTES=\(maxBodyBytes)",
            "SIGNED_FOLLOW_REQUIRE_USER_SIGNATURE=\(requireUserSignature)",
            "SIGNED_FOLLOW_FOLLOWING_LIMIT=\(followingLimit)",
            "SIGNED_FOLLOW_RATE_LIMIT_BURST=\(rateLimit.burst)",
            "SIGNED_FOLLOW_RATE_LIMIT_PER_HOUR=\(rateLimit.perHour)",
            "SIGNED_FOLLOW_STARKNET_CHAIN_IDS=\(starknetChainIds.joined(separator: ","))",
            "SIGNED_FOLLOW_NONCE_SEARCH_BURST=\(nonceSearch.perUser.burst)",
            "SIGNED_FOLLOW_NONCE_SEARCH_PER_HOUR=\(nonceSearch.perUser.perHour)",
            "SIGNED_FOLLOW_NONCE_SEARCH_HASHES_PER_SECOND=\(nonceSearch.hashesPerSecond)",
            "SIGNED_FOLLOW_ADMIN_TOKEN=\(adminToken == nil ? "(not set: audit export disabled)" : "(set)")",
        ]
    }
}

/// A configuration value that cannot be used; names the variable, never echoes a secret.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The environment variable or flag at fault.
    public let variable: String
    /// What it should hold.
    public let expected: String

    /// What is wrong, in words.
    public var description: String { "\(variable) must be \(expected)" }
}
