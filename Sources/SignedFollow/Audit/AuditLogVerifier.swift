import Keccak
import WalletCrypto

/// Re-verifies an audit export (docs/protocol.md section 10) from its bytes alone, one JSON
/// line at a time: the hash chain, and every signature of every entry, re-checked from
/// the request body and headers the entry carries.
///
/// For each entry it checks, in order:
/// 1. the line is an export object with every member of the right type;
/// 2. `seq` follows the previous line's (`seq` 1 carries 32 zero bytes as `prev_hash`);
/// 3. `prev_hash` is the previous line's `hash`, and `hash` is the section 10 hash of
///    the entry's fields;
/// 4. the body decodes as its kind's request, and its signatures verify: a registration's
///    sign_content and `did_signature`; a login's `signature_content` and
///    `login_signature` by the main key it names; a follow's or cancel's sign_content,
///    `did_signature` and, when present, `web3mq_user_signature` (a StarkNet follow's
///    `did_signature` with the key its registration bound, so an export holding one that
///    omits `did_pubkey` verifies only from `seq` 1);
/// 5. when the export starts at `seq` 1, the bindings replayed from the log itself: a
///    login names the user's main key of that moment; a follow comes from a registered
///    user with the same did, signed with its main key or a session key bound by an
///    earlier login and unexpired at `received_at`, toward a registered target.
///
/// Freshness windows and the ordering of follows are the server's judgement at the time
/// and are not re-checked.
public struct AuditLogVerifier: Sendable {
    /// Why a line does not verify.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The line's number in the export, from 1.
        public let line: Int
        /// The entry's `seq`, when the line carried one.
        public let seq: Int64?
        /// What failed.
        public let reason: String

        /// `seq N (line L): reason`.
        public var description: String {
            (seq.map { "seq \($0)" } ?? "line \(line)") + (seq == nil ? "" : " (line \(line))") + ": " + reason
        }
    }

    /// The lines verified so far.
    public private(set) var lines = 0
    /// The `seq` and hash of the last verified entry.
    public private(set) var last: (seq: Int64, hash: [UInt8])?
    /// The `seq` of the first entry, once one was read.
    public private(set) var firstSeq: Int64?
    /// True when the bindings of step 5 were checked (the export starts at `seq` 1).
    public var checksBindings: Bool { firstSeq == 1 }

    private var users: [String: ReplayedUser] = [:]
    private var keptHashes: [Int64: [UInt8]] = [:]
    private let keepHashOf: Int64?
    private let policy: VerificationPolicy

    /// A verifier for an export read from its first line; `keepHashOf` keeps the hash of
    /// that `seq` for ``hash(of:)`` (to check a signed head against the export).
    /// `starknetChainIds` are the chain ids the service accepted (section 7).
    public init(keepHashOf: Int64? = nil, starknetChainIds: [Felt] = VerificationPolicy().starknetChainIds) {
        self.keepHashOf = keepHashOf
        var policy = VerificationPolicy()
        policy.starknetChainIds = starknetChainIds
        self.policy = policy
    }

    /// The hash of the entry at `seq`, when it was verified and kept.
    public func hash(of seq: Int64) -> [UInt8]? { keptHashes[seq] }

    /// Verifies the next line of the export (without its `\n`).
    public mutating func verify(line: [UInt8]) throws(Failure) {
        let number = lines + 1
        let entry: AuditEntry
        do {
            entry = try Self.entry(from: line)
        } catch {
            throw Failure(line: number, seq: nil, reason: "not an audit export line: \(error.message)")
        }
        func fail(_ reason: String) -> Failure { Failure(line: number, seq: entry.seq, reason: reason) }

        if let last {
            // `last.seq + 1` would trap after a forged line at seq Int64.max.
            guard last.seq < .max, entry.seq == last.seq + 1 else { throw fail("seq does not follow \(last.seq)") }
            guard entry.prevHash == last.hash else { throw fail("prev_hash is not the hash of seq \(last.seq)") }
        } else if entry.seq == 1, entry.prevHash != AuditChain.genesisHash {
            throw fail("prev_hash of seq 1 must be 32 zero bytes")
        } else if entry.seq < 1 {
            throw fail("seq must start from 1")
        }
        let hash = AuditChain.hash(
            prevHash: entry.prevHash, seq: entry.seq, kind: entry.kind, receivedAt: entry.receivedAt,
            requestPubkey: entry.requestPubkey, didkey: entry.didkey, body: entry.body)
        guard hash.bytes == entry.hash else { throw fail("hash does not match the entry's fields") }
        if firstSeq == nil { firstSeq = entry.seq }
        do {
            try check(entry)
        } catch {
            throw fail(error.message)
        }
        last = (entry.seq, entry.hash)
        if entry.seq == keepHashOf { keptHashes[entry.seq] = entry.hash }
        lines = number
    }

    // MARK: - Entries

    /// Step 4 and, from `seq` 1, step 5.
    private mutating func check(_ entry: AuditEntry) throws(RequestError) {
        let headers = RequestHeaders(requestPubkey: entry.requestPubkey, didkey: entry.didkey)
        switch entry.kind {
        case "register": try checkRegistration(RegistrationRequest(body: entry.body, headers: headers))
        case "login": try checkLogin(LoginRequest(body: entry.body, headers: headers))
        case "follow", "cancel": try checkFollow(FollowRequest(body: entry.body, headers: headers), entry)
        default: throw RequestError(.invalidField, "unknown kind \(entry.kind)")
        }
    }

    private mutating func checkRegistration(_ request: RegistrationRequest) throws(RequestError) {
        _ = try SignatureChecks.registration(request, policy: policy)
        let did = request.didAddress
        if checksBindings, let existing = users[request.userid] {
            guard existing.did == did else {
                throw RequestError(.alreadyRegistered, "userid is already registered to another did")
            }
            guard existing.starkKey == request.starkKey else {
                throw RequestError(.didNotOwner, "did_pubkey is not the key bound to this did earlier in the log")
            }
        }
        users[request.userid] = ReplayedUser(did: did, mainKey: Hex.encode(request.mainPubkey), starkKey: request.starkKey)
    }

    private mutating func checkLogin(_ request: LoginRequest) throws(RequestError) {
        try SignatureChecks.login(request, mainKey: SignatureChecks.validatedKey(request.mainPubkey, field: "main_pubkey"))
        guard checksBindings else { return }
        let user = try registered(request.userid, did: request.didAddress)
        guard user.mainKey == Hex.encode(request.mainPubkey) else {
            throw RequestError(.keyNotBound, "main_pubkey is not the user's main key at this point of the log")
        }
        users[request.userid]?.sessions[Hex.encode(request.sessionPubkey)] = request.expiresAt
    }

    private func checkFollow(_ request: FollowRequest, _ entry: AuditEntry) throws(RequestError) {
        guard entry.kind == (request.follows ? "follow" : "cancel") else {
            throw RequestError(.unsupportedAction, "kind \(entry.kind) does not match action \(request.action)")
        }
        let boundStarkKey = checksBindings ? users[request.userid]?.starkKey : nil
        if let sent = request.starkKey, let boundStarkKey, sent != boundStarkKey {
            throw RequestError(.didNotOwner, "did_pubkey is not the key bound to this did earlier in the log")
        }
        let starkKey = try (request.starkKey ?? boundStarkKey).map { (key) throws(RequestError) in
            try SignatureChecks.validatedStarkKey(key)
        }
        if case .starknet = request.didAddress, starkKey == nil {
            throw RequestError(
                .didNotOwner,
                checksBindings
                    ? "userid is not registered with a Stark key earlier in the log"
                    : "a StarkNet follow without did_pubkey is verified with the key its registration bound: verify the export from seq 1"
            )
        }
        // The same checks as the service's, the nonce search included (without its budget).
        _ = try SignatureChecks.follow(
            request, requestKey: SignatureChecks.validatedKey(request.requestKey, field: "web3mq-request-pubkey"),
            starkKey: starkKey, policy: policy)
        guard checksBindings else { return }
        let user = try registered(request.userid, did: request.didAddress)
        let keyHex = Hex.encode(request.requestKey)
        guard keyHex == user.mainKey || (user.sessions[keyHex] ?? .min) > entry.receivedAt else {
            throw RequestError(.keyNotBound, "web3mq-request-pubkey was not bound to this user at received_at")
        }
        guard users[request.targetUserid] != nil else {
            throw RequestError(.targetNotRegistered, "target_userid is not registered earlier in the log")
        }
    }

    private func registered(_ userid: String, did: DidAddress) throws(RequestError) -> ReplayedUser {
        guard let user = users[userid] else {
            throw RequestError(.userNotRegistered, "userid is not registered earlier in the log")
        }
        guard user.did == did else { throw RequestError(.didNotOwner, "the did does not own this userid") }
        return user
    }

    /// One export line as an entry (step 1).
    static func entry(from line: [UInt8]) throws(RequestError) -> AuditEntry {
        let object = try JSONReader.object(from: line)
        func bytes(_ name: String, hex: Bool) throws(RequestError) -> [UInt8] {
            let text = try object.string(name)
            do {
                return hex ? try Hex.decode(text, byteCount: 32) : try Base64.decode(text)
            } catch {
                throw RequestError(.invalidField, "field \(name) must be \(hex ? "64 hex digits" : "standard base64")")
            }
        }
        return AuditEntry(
            seq: try object.integer("seq"), kind: try object.string("kind"), receivedAt: try object.integer("received_at"),
            requestPubkey: try object.string("request_pubkey"), didkey: try object.string("didkey"),
            body: try bytes("body_b64", hex: false), prevHash: try bytes("prev_hash", hex: true),
            hash: try bytes("hash", hex: true))
    }
}

/// A user as the log so far has bound it.
private struct ReplayedUser: Sendable {
    /// The did address.
    var did: DidAddress
    /// The current main key, lowercase hex.
    var mainKey: String
    /// The Stark key bound to a StarkNet did; nil for eth.
    var starkKey: Felt?
    /// Session keys (lowercase hex) bound under the current main key, with their expiry.
    var sessions: [String: Int64] = [:]
}
