import Keccak

/// The admin bearer token that guards the audit export, compared in constant time.
///
/// Both the configured token and the presented one are first hashed with SHA3-256, and
/// the two 32-byte digests are compared with every byte visited and the differences
/// OR-ed together, with no early exit. So the time of a comparison depends neither on
/// where the first differing byte is nor on the configured token's length; it grows only
/// with the presented token's own length, which the caller already knows.
struct AdminToken: Sendable {
    private let digest: Digest256

    /// The token configured as `token`; nil when none is configured, which refuses every
    /// request.
    init?(_ token: String?) {
        guard let token, !token.isEmpty else { return nil }
        digest = sha3_256(token)
    }

    /// True when `presented` is the configured token.
    func matches(_ presented: some StringProtocol) -> Bool {
        let candidate = sha3_256(presented)
        return digest.withUnsafeBytes { expected in
            candidate.withUnsafeBytes { actual in
                var difference: UInt8 = 0
                for index in 0..<expected.count { difference |= expected[index] ^ actual[index] }
                return difference == 0
            }
        }
    }

    /// True when the `Authorization` header value carries the configured token as
    /// `Bearer <token>` (the scheme in any case, one space before the token).
    func authorizes(header: String?) -> Bool {
        guard let header else { return false }
        let scheme = "bearer "
        guard header.utf8.count > scheme.utf8.count,
            header.prefix(scheme.count).lowercased() == scheme
        else { return false }
        return matches(header.dropFirst(scheme.count))
    }
}
