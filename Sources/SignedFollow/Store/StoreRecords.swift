// Invariants this file relies on: docs/store.md S3.

// What the store's reads return: plain values copied out of a read transaction.

/// A registered user, as stored.
public struct StoredUser: Sendable, Equatable {
    /// The user's id.
    public var userid: String
    /// The did type, such as `eth`.
    public var didType: String
    /// The canonical did value.
    public var didValue: String
    /// The current main ed25519 public key, 64 lowercase hex digits.
    public var mainPubkey: String
    /// The signed timestamp of the registration that set the current main key.
    public var registeredTimestamp: Int64
    /// The did's bound public key for a StarkNet did (`0x` and 64 lowercase hex digits);
    /// nil for eth.
    public var didPubkey: String?

    /// A user with every field given.
    public init(
        userid: String, didType: String, didValue: String, mainPubkey: String, registeredTimestamp: Int64,
        didPubkey: String? = nil
    ) {
        self.userid = userid
        self.didType = didType
        self.didValue = didValue
        self.mainPubkey = mainPubkey
        self.registeredTimestamp = registeredTimestamp
        self.didPubkey = didPubkey
    }
}

/// The state of one (userid, target_userid) pair: the latest applied follow or cancel.
public struct PairState: Sendable, Equatable {
    /// True when the user follows the target.
    public var following: Bool
    /// The signed timestamp of the latest applied change.
    public var latestTimestamp: Int64
    /// True when the latest applied change was a cancel.
    public var latestIsCancel: Bool
    /// The timestamp of the follow that started the current following; nil when not following.
    public var followedAt: Int64?

    /// A pair state with every field given.
    public init(following: Bool, latestTimestamp: Int64, latestIsCancel: Bool, followedAt: Int64?) {
        self.following = following
        self.latestTimestamp = latestTimestamp
        self.latestIsCancel = latestIsCancel
        self.followedAt = followedAt
    }
}

/// Row counts of every table, read in one snapshot. Two equal snapshots around a write
/// show that it changed no row count.
public struct StoreCounts: Sendable, Equatable {
    /// Registered users.
    public var users: Int
    /// Bound session keys, expired or not.
    public var sessionKeys: Int
    /// Pairs with any applied change, following or not.
    public var followPairs: Int
    /// Pairs whose user follows the target.
    public var followingEdges: Int
    /// Applied registration and follow nonces.
    public var appliedNonces: Int
    /// Audit log entries.
    public var auditEntries: Int

    /// Counts with every field given.
    public init(users: Int, sessionKeys: Int, followPairs: Int, followingEdges: Int, appliedNonces: Int, auditEntries: Int) {
        self.users = users
        self.sessionKeys = sessionKeys
        self.followPairs = followPairs
        self.followingEdges = followingEdges
        self.appliedNonces = appliedNonces
        self.auditEntries = auditEntries
    }
}

/// One entry of the audit log (docs/protocol.md section 10).
public struct AuditEntry: Sendable, Equatable {
    /// Position in the log, from 1, without gaps.
    public var seq: Int64
    /// `"register"`, `"login"`, `"follow"` or `"cancel"`.
    public var kind: String
    /// Milliseconds since the epoch, by the server clock, when the request arrived.
    public var receivedAt: Int64
    /// The `web3mq-request-pubkey` header as received (`""` when absent).
    public var requestPubkey: String
    /// The `didkey` header as received (`""` when absent).
    public var didkey: String
    /// The exact request body bytes.
    public var body: [UInt8]
    /// The previous entry's hash, 32 bytes (zeros for seq 1).
    public var prevHash: [UInt8]
    /// This entry's chain hash, 32 bytes (``AuditChain/hash(prevHash:seq:kind:receivedAt:requestPubkey:didkey:body:)``).
    public var hash: [UInt8]

    /// An entry with every field given.
    public init(
        seq: Int64, kind: String, receivedAt: Int64, requestPubkey: String, didkey: String, body: [UInt8],
        prevHash: [UInt8], hash: [UInt8]
    ) {
        self.seq = seq
        self.kind = kind
        self.receivedAt = receivedAt
        self.requestPubkey = requestPubkey
        self.didkey = didkey
        self.body = body
        self.prevHash = prevHash
        self.hash = hash
    }
}
