import Keccak
import Synchronization
import WalletCrypto

/// The limits a verifier applies, from the server's configuration.
public struct VerificationPolicy: Sendable, Equatable {
    /// How far `timestamp` may be from the server clock, either way, in ms.
    public var timestampWindowMilliseconds: Int64 = 300_000
    /// The latest a session key may expire, from now, in ms.
    public var sessionExpiryCapMilliseconds: Int64 = 2_592_000_000
    /// With origins listed, a registration's `URI:` line must be one of them.
    public var allowedOrigins: [String] = []
    /// When true, a follow must carry `web3mq_user_signature` (section 4 check 8).
    public var requireUserSignature = false
    /// The StarkNet chain ids a typed-data signature may be made for (section 7):
    /// `SN_MAIN` and `SN_SEPOLIA` unless configured.
    public var starknetChainIds: [Felt] = StarknetDidSignature.defaultChainIds
    /// The bounds of the search for a nonce over an earlier timestamp (section 5a item 5).
    public var nonceSearch = NonceSearchLimits.default

    /// The defaults of docs/protocol.md.
    public init() {}

    /// A chain id as an operator writes it: `0x` hex (a felt), or else a short string of 1
    /// to 31 ASCII characters such as `SN_MAIN` (a wallet may report either; both are the
    /// same felt). Nil for anything else.
    public static func starknetChainId(_ text: String) -> Felt? {
        if text.hasPrefix("0x") { return try? Felt(hex: text) }
        return text.isEmpty ? nil : Felt(shortString: text)
    }
}

/// Runs the checks of docs/protocol.md sections 2, 3, 4 and 6 on a decoded request and, when
/// all pass, returns the write for the group-commit writer (wrap it in ``VerifiedWrite``). The ordering rules of
/// section 4 step 11, replays and registration conflicts are decided by the store,
/// inside the transaction.
///
/// Cheap checks run before costly ones: the clock and database lookups before point
/// checks, ecrecover and ed25519 verification, so that a request from an unknown user
/// never costs a recovery. A key that is already bound was validated when it was bound,
/// so it is not point-checked again.
///
/// Every rejection throws `RequestError`; a failing database read throws its own error,
/// which the server answers with 50001.
public struct Verifier: Sendable {
    /// Where users, keys and pairs are read from.
    public let store: FollowStore
    /// The limits.
    public let policy: VerificationPolicy
    /// The server clock, ms since the epoch.
    public let now: @Sendable () -> Int64
    /// The bounds of the Flutter/Dart nonce search (section 5a item 5).
    public let nonceSearches: NonceSearchBudget
    /// Bound Stark keys as curve points, so that a follow does not pay the square root
    /// that finds y again (about 60 us; BENCHMARKS.md, "StarkNet").
    private let starkKeys = StarkKeyCache()

    /// A verifier over `store`; `nonceSearchObserver` is told of every nonce search.
    public init(
        store: FollowStore, policy: VerificationPolicy, now: @escaping @Sendable () -> Int64,
        nonceSearchObserver: NonceSearchObserver? = nil
    ) {
        self.store = store
        self.policy = policy
        self.now = now
        nonceSearches = NonceSearchBudget(limits: policy.nonceSearch, now: now(), observer: nonceSearchObserver)
    }

    /// Section 4: a follow or cancel. A nonce over an earlier timestamp (section 5a item 5)
    /// is searched for last, within the search's bounds, on a thread of its own.
    public func verify(_ request: FollowRequest, receivedAt: Int64) async throws -> FollowChange {
        try checkWindow(request.timestamp)
        guard request.targetUserid != request.userid else { throw RequestError(.followSelf, "cannot follow yourself") }
        let requestKeyHex = Hex.encode(request.requestKey)
        let context = try store.followContext(
            userid: request.userid, requestKey: requestKeyHex, targetUserid: request.targetUserid)
        let user = try owner(context.user, didAddress: request.didAddress)
        let requestKey = try boundRequestKey(
            request.requestKey, hex: requestKeyHex, of: user, sessionKeyExpiry: context.sessionKeyExpiry)
        guard context.targetRegistered else {
            throw RequestError(.targetNotRegistered, "target_userid is not registered")
        }
        let checked = try SignatureChecks.followSignatures(
            request, requestKey: requestKey, starkKey: try boundStarkKey(of: user, sent: request.starkKey), policy: policy)
        let nonce: FollowNonce
        switch checked.nonce {
        case .matched(let matched): nonce = matched
        case .search(let search):
            guard let found = try await nonceSearches.run(search, userid: request.userid, now: now()) else {
                throw SignatureChecks.nonceMismatch
            }
            nonce = found
        }
        let audit = AuditRecord(
            kind: request.follows ? "follow" : "cancel", receivedAt: receivedAt,
            requestPubkey: request.headers.requestPubkey, didkey: request.headers.didkey, body: request.body)
        // The nonce's timestamp is the signed one (section 5a item 5).
        return FollowChange(
            userid: request.userid, targetUserid: request.targetUserid, follow: request.follows,
            timestamp: nonce.timestamp, nonce: nonce.digest, audit: audit, keyEpoch: user.registeredTimestamp)
    }

    /// Section 2: a registration (or a re-registration that rotates the main key).
    public func verify(_ request: RegistrationRequest, receivedAt: Int64) throws -> Registration {
        try checkWindow(request.timestamp)
        let didValue = request.didAddress.canonical
        // The store decides conflicts in the transaction; this read spares a recovery.
        if let owner = try store.userid(forDidType: request.didType.rawValue, didValue: didValue), owner != request.userid {
            throw RequestError(.alreadyRegistered, "the did is already registered to another userid")
        }
        let existing = try store.user(request.userid)
        if let existing, existing.didType != request.didType.rawValue || existing.didValue != didValue {
            throw RequestError(.alreadyRegistered, "userid is already registered to another did")
        }
        let didPubkey = request.starkKey?.paddedHexString
        if let existing, existing.didPubkey != didPubkey {
            throw RequestError(.didNotOwner, "did_pubkey is not the key bound to this did")
        }
        let nonce = try SignatureChecks.registration(request, policy: policy)
        let audit = AuditRecord(
            kind: "register", receivedAt: receivedAt,
            requestPubkey: request.headers.requestPubkey, didkey: request.headers.didkey, body: request.body)
        return Registration(
            userid: request.userid, didType: request.didType.rawValue, didValue: didValue,
            mainPubkey: Hex.encode(request.mainPubkey), timestamp: request.timestamp, nonce: nonce, audit: audit,
            didPubkey: didPubkey)
    }

    /// Section 3: binding a session key signed by the main key.
    public func verify(_ request: LoginRequest, receivedAt: Int64) throws -> SessionBinding {
        try checkWindow(request.timestamp)
        let clock = now()
        guard request.expiresAt > clock, request.expiresAt - clock <= policy.sessionExpiryCapMilliseconds else {
            throw RequestError(
                .invalidField,
                "field pubkey_expired_timestamp must be in the future and at most \(policy.sessionExpiryCapMilliseconds / 86_400_000) days ahead"
            )
        }
        let user = try registeredUser(request.userid, didAddress: request.didAddress)
        guard Hex.encode(request.mainPubkey) == user.mainPubkey else {
            throw RequestError(.keyNotBound, "main_pubkey is not this user's main key")
        }
        try SignatureChecks.login(request, mainKey: Ed25519PublicKey(trustedRawRepresentation: request.mainPubkey))
        let audit = AuditRecord(
            kind: "login", receivedAt: receivedAt,
            requestPubkey: request.headers.requestPubkey, didkey: request.headers.didkey, body: request.body)
        return SessionBinding(
            userid: request.userid, mainPubkey: user.mainPubkey, sessionPubkey: Hex.encode(request.sessionPubkey),
            expiresAt: request.expiresAt, timestamp: request.timestamp, audit: audit)
    }

    /// Section 8: a read signed by the reader's main or session key over
    /// `userid + timestamp`; returns the reader. Reads change nothing, so a replay within
    /// the window only reads again.
    public func verify(_ request: SignedReadRequest) throws -> StoredUser {
        try checkWindow(request.timestamp)
        let user = try registeredUser(request.userid, didAddress: request.didAddress)
        let requestKeyHex = Hex.encode(request.requestKey)
        let requestKey = try boundRequestKey(
            request.requestKey, hex: requestKeyHex, of: user,
            sessionKeyExpiry: try store.sessionKeyExpiry(userid: request.userid, pubkey: requestKeyHex))
        try SignatureChecks.ed25519(
            request.userSignature, by: requestKey, over: request.signedMessage, field: "web3mq_user_signature")
        return user
    }

    // MARK: - Checks

    private func checkWindow(_ timestamp: Int64) throws(RequestError) {
        guard abs(timestamp - now()) <= policy.timestampWindowMilliseconds else {
            throw RequestError(.timestampOutOfWindow, "timestamp is outside the accepted window")
        }
    }

    /// 40401 when `userid` is unknown, 40303 when its did is not `didAddress`.
    private func registeredUser(_ userid: String, didAddress: DidAddress) throws -> StoredUser {
        try owner(try store.user(userid), didAddress: didAddress)
    }

    /// 40401 when there is no `user`, 40303 when its did is not `didAddress`.
    private func owner(_ user: StoredUser?, didAddress: DidAddress) throws(RequestError) -> StoredUser {
        guard let user else { throw RequestError(.userNotRegistered, "userid is not registered") }
        guard user.didType == didAddress.didType.rawValue, user.didValue == didAddress.canonical else {
            throw RequestError(.didNotOwner, "the did does not own this userid")
        }
        return user
    }

    /// For a StarkNet user, the key bound to its did (validated when it was bound); 40303
    /// when the request names another one. Nil for eth.
    private func boundStarkKey(of user: StoredUser, sent: Felt?) throws(RequestError) -> StarkPublicKey? {
        guard let bound = user.didPubkey else { return nil }
        guard let key = try? Felt(hex: bound), sent == nil || sent == key else {
            throw RequestError(.didNotOwner, "did_pubkey is not the key bound to this did")
        }
        return try starkKeys.point(key)
    }

    /// The request key when it is the user's main key or an unexpired session key; an
    /// unbound key is 40301 when it is not even a valid point, else 40302.
    private func boundRequestKey(
        _ key: [UInt8], hex: String, of user: StoredUser, sessionKeyExpiry: Int64?
    ) throws(RequestError) -> Ed25519PublicKey {
        if hex == user.mainPubkey { return Ed25519PublicKey(trustedRawRepresentation: key) }
        if let expiry = sessionKeyExpiry {
            guard expiry > now() else { throw RequestError(.keyNotBound, "the session key has expired") }
            return Ed25519PublicKey(trustedRawRepresentation: key)
        }
        _ = try SignatureChecks.validatedKey(key, field: "web3mq-request-pubkey")
        throw RequestError(.keyNotBound, "web3mq-request-pubkey is not bound to this user")
    }
}

/// Stark keys already validated, as points, for the verifier: public data, bounded (the
/// table is emptied when full, which only costs square roots again).
private final class StarkKeyCache: Sendable {
    private let points = Mutex<[Felt: StarkPublicKey]>([:])
    private static let capacity = 16_384

    /// `key` as a point of the Stark curve (40003 when it is none, which a bound key never is).
    func point(_ key: Felt) throws(RequestError) -> StarkPublicKey {
        if let point = points.withLock({ $0[key] }) { return point }
        let point = try SignatureChecks.validatedStarkKey(key)
        points.withLock { points in
            if points.count >= Self.capacity { points.removeAll(keepingCapacity: true) }
            points[key] = point
        }
        return point
    }
}
