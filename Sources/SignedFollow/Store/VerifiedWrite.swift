import Keccak

// Invariants this file relies on: docs/store.md S2, S12, S16.

// What the verifier hands to the store: checked requests waiting to be committed, and
// what became of each one. Plain values, so they cross from request tasks to the writer.

/// What the verifier has already checked and now wants committed, with its audit record.
public enum VerifiedWrite: Sendable, Equatable {
    /// Register a user, or rotate the main key of a user registered with the same did.
    case register(Registration)
    /// Bind a session key to a user.
    case login(SessionBinding)
    /// Follow or cancel a follow.
    case follow(FollowChange)

    /// The audit record of the request, whichever kind it is.
    public var audit: AuditRecord {
        switch self {
        case .register(let registration): registration.audit
        case .login(let binding): binding.audit
        case .follow(let change): change.audit
        }
    }
}

/// The request as it arrived, for the audit log (docs/protocol.md section 10).
public struct AuditRecord: Sendable, Equatable {
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

    /// A record of one request.
    public init(kind: String, receivedAt: Int64, requestPubkey: String = "", didkey: String = "", body: [UInt8]) {
        self.kind = kind
        self.receivedAt = receivedAt
        self.requestPubkey = requestPubkey
        self.didkey = didkey
        self.body = body
    }
}

/// A verified registration (docs/protocol.md section 2).
public struct Registration: Sendable, Equatable {
    /// The user being registered.
    public var userid: String
    /// The did type, such as `eth`.
    public var didType: String
    /// The canonical did value (a lowercase `0x` address for `eth`).
    public var didValue: String
    /// The main ed25519 public key, 64 lowercase hex digits.
    public var mainPubkey: String
    /// The signed timestamp, in milliseconds.
    public var timestamp: Int64
    /// The registration nonce (docs/protocol.md section 2).
    public var nonce: Digest224
    /// The request as it arrived.
    public var audit: AuditRecord
    /// The Stark public key to bind to a StarkNet did (`0x` and 64 lowercase hex digits);
    /// nil for eth.
    public var didPubkey: String?

    /// A registration with every field given.
    public init(
        userid: String, didType: String, didValue: String, mainPubkey: String, timestamp: Int64, nonce: Digest224,
        audit: AuditRecord, didPubkey: String? = nil
    ) {
        self.userid = userid
        self.didType = didType
        self.didValue = didValue
        self.mainPubkey = mainPubkey
        self.timestamp = timestamp
        self.nonce = nonce
        self.audit = audit
        self.didPubkey = didPubkey
    }
}

/// A verified login that binds a session key (docs/protocol.md section 3).
public struct SessionBinding: Sendable, Equatable {
    /// The user the session key is bound to.
    public var userid: String
    /// The main key the login was signed with, 64 lowercase hex digits.
    public var mainPubkey: String
    /// The session key, 64 lowercase hex digits.
    public var sessionPubkey: String
    /// When the session key stops being valid, in milliseconds.
    public var expiresAt: Int64
    /// The signed timestamp, in milliseconds.
    public var timestamp: Int64
    /// The request as it arrived.
    public var audit: AuditRecord

    /// A session binding with every field given.
    public init(
        userid: String, mainPubkey: String, sessionPubkey: String, expiresAt: Int64, timestamp: Int64,
        audit: AuditRecord
    ) {
        self.userid = userid
        self.mainPubkey = mainPubkey
        self.sessionPubkey = sessionPubkey
        self.expiresAt = expiresAt
        self.timestamp = timestamp
        self.audit = audit
    }
}

/// A verified follow or cancel (docs/protocol.md section 4).
public struct FollowChange: Sendable, Equatable {
    /// The user who follows.
    public var userid: String
    /// The user followed.
    public var targetUserid: String
    /// True for `follow`, false for `cancel` (or its alias `unfollow`).
    public var follow: Bool
    /// The signed timestamp, in milliseconds.
    public var timestamp: Int64
    /// The follow nonce (docs/protocol.md section 4, check 5).
    public var nonce: Digest224
    /// The request as it arrived.
    public var audit: AuditRecord
    /// The timestamp of the user's registration under which the verifier found the
    /// request key bound (its main key, or a session bound under that main key): the
    /// store refuses the change (40302) when a re-registration has rotated the key since.
    public var keyEpoch: Int64

    /// A follow change with every field given.
    public init(
        userid: String, targetUserid: String, follow: Bool, timestamp: Int64, nonce: Digest224, audit: AuditRecord,
        keyEpoch: Int64
    ) {
        self.userid = userid
        self.targetUserid = targetUserid
        self.follow = follow
        self.timestamp = timestamp
        self.nonce = nonce
        self.audit = audit
        self.keyEpoch = keyEpoch
    }
}

/// What the store did with one verified write. Every case but `applied` wrote nothing.
public enum WriteOutcome: Sendable, Equatable {
    /// Committed. `following` is the pair's state after a follow or cancel
    /// (`data: {"following": ...}`), and nil for a registration or a login.
    case applied(following: Bool?)
    /// The nonce was applied before: code 0, msg `"already applied"`, nothing written.
    case alreadyApplied
    /// 40901: a newer change for the pair (or, at the same timestamp, a cancel) was applied.
    case stale
    /// 40902: the userid is bound to another did, or the did to another userid; or the
    /// user's registration is not older than this one.
    case conflict
    /// 40302: the login was signed by a main key that is no longer the user's main key, or
    /// the follow by a key that a re-registration has revoked since it was verified.
    case keyNotBound
    /// 40303: a registration of a StarkNet did with another key than the one bound to it.
    case didKeyNotBound
    /// 40401: the user of a login or follow is not registered (the verifier checks it first).
    case userNotRegistered
    /// 40402: the target of a follow is not registered (the verifier checks it first).
    case targetNotRegistered
    /// 42902: the follow would add an edge to a user who already follows as many users as
    /// the following limit allows.
    case followingLimitReached

    /// The pair's state after an applied follow or cancel; nil otherwise.
    public var following: Bool? {
        if case .applied(let following) = self { following } else { nil }
    }

    /// The response code: `ok` for `applied` and `alreadyApplied`.
    public var code: ErrorCode {
        switch self {
        case .applied, .alreadyApplied: .ok
        case .stale: .stale
        case .conflict: .alreadyRegistered
        case .keyNotBound: .keyNotBound
        case .didKeyNotBound: .didNotOwner
        case .userNotRegistered: .userNotRegistered
        case .targetNotRegistered: .targetNotRegistered
        case .followingLimitReached: .followingLimit
        }
    }
}
