import GRDB

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
    /// The follower, the request key's session binding and the target's registration, in
    /// one read transaction: a follow costs one trip to the reader pool, not three.
    public func followContext(userid: String, requestKey: String, targetUserid: String) throws -> FollowContext {
        try pool.read { db in
            guard let user = try Self.fetchUser(userid, db) else {
                return FollowContext(user: nil, sessionKeyExpiry: nil, targetRegistered: false)
            }
            let expiry = user.mainPubkey == requestKey ? nil : try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT expires_at FROM session_keys WHERE userid = ? AND pubkey = ?"),
                arguments: [userid, requestKey])
            return FollowContext(
                user: user, sessionKeyExpiry: expiry, targetRegistered: try Self.userExists(targetUserid, db))
        }
    }
}
