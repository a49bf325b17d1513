// Invariants this file relies on: docs/store.md S9.

/// What the verifier needs to know about a follow's parties, read from one snapshot.
public struct FollowContext: Sendable, Equatable {
    /// The follower, if registered.
    public var user: StoredUser?
    /// The expiry of the request key as the follower's session key; nil when it is not one.
    public var sessionKeyExpiry: Int64?
    /// Whether the target is registered.
    public var targetRegistered: Bool
}

extension FollowStore {
    /// The follower, the request key's session binding and the target's registration,
    /// from the in-memory registry of committed users and keys.
    @_spi(Benchmarks)
    public func followContext(userid: String, requestKey: String, targetUserid: String) throws -> FollowContext {
        registry.followContext(userid: userid, requestKey: requestKey, targetUserid: targetUserid)
    }
}
