import Keccak
import WalletCrypto

/// The signature checks of docs/protocol.md sections 2 to 7 that need no state: shared
/// by the ``Verifier``, the offline explanation of a request and the audit verifier, so
/// that all three judge a signature the same way.
enum SignatureChecks {
    /// Sections 6 and 7: `did_signature` parses (40103) and comes from `claimed` (40104)
    /// over the exact bytes of the signed text: for eth, it recovers to the address; for
    /// StarkNet, it signs the text's typed-data hash for one of `chainIds` with `starkKey`
    /// (the did's bound key, or the key a registration binds).
    static func didSignature(
        _ text: String, over message: String, claimed: DidAddress, starkKey: StarkPublicKey?, chainIds: [Felt]
    ) throws(RequestError) {
        switch claimed {
        case .eth(let address):
            guard try recoveredAddress(text, over: message) == address else {
                throw RequestError(.didSignatureMismatch, "did_signature does not recover to the did address")
            }
        case .starknet(let account):
            guard let starkKey else { throw RequestError(.didNotOwner, "no Stark key is bound to the did") }
            try StarknetDidSignature(parsing: text).check(over: message, account: account, key: starkKey, chainIds: chainIds)
        }
    }

    /// `key` as a point of the Stark curve, else 40003 naming `did_pubkey`.
    static func validatedStarkKey(_ key: Felt) throws(RequestError) -> StarkPublicKey {
        guard let valid = try? StarkPublicKey(x: key) else {
            throw RequestError(.invalidField, "field did_pubkey is not a Stark public key (no point of the curve has this x)")
        }
        return valid
    }

    /// The address `did_signature` recovers to over `message`: 40103 when the signature is
    /// malformed, 40104 when no key recovers from it.
    static func recoveredAddress(_ text: String, over message: String) throws(RequestError) -> EthereumAddress {
        let signature: RecoverableSignature
        do {
            signature = try RecoverableSignature(hex: text)
        } catch {
            throw RequestError(.malformedSignature, "did_signature is malformed: \(error.reason)")
        }
        guard let recovered = try? signature.recoverAddress(personalMessage: message.utf8) else {
            throw RequestError(.didSignatureMismatch, "did_signature does not recover to the did address")
        }
        return recovered
    }

    /// An ed25519 signature in standard base64 (40103 when malformed) by `key` over the
    /// UTF-8 of `message` (40105 when it does not verify).
    static func ed25519(_ base64: String, by key: Ed25519PublicKey, over message: String, field: String) throws(RequestError) {
        guard let signature = try? Ed25519Signature(base64: base64) else {
            throw RequestError(.malformedSignature, "\(field) must be standard base64 of 64 bytes")
        }
        guard key.isValidSignature(signature, for: message.utf8) else {
            throw RequestError(.ed25519SignatureInvalid, "\(field) does not verify")
        }
    }

    /// `key` as a valid ed25519 point, else 40301 naming `field`.
    static func validatedKey(_ key: [UInt8], field: String) throws(RequestError) -> Ed25519PublicKey {
        guard let valid = try? Ed25519PublicKey(rawRepresentation: key) else {
            throw RequestError(.invalidPublicKey, "\(field) is not a valid ed25519 public key")
        }
        return valid
    }

    // MARK: - What each request signs

    /// Sections 4, 5, 5a and 7: a follow's sign_content, `did_signature` (for StarkNet by
    /// `starkKey`, the did's bound key) and, when present, `web3mq_user_signature` by
    /// `requestKey` (required when the policy says so); then its nonce, searched for inline
    /// when it is over an earlier timestamp (explain and audit verify; the ``Verifier``
    /// searches within its budget, off the request's thread). Returns the nonce as matched
    /// and what the text says.
    static func follow(
        _ request: FollowRequest, requestKey: Ed25519PublicKey, starkKey: StarkPublicKey?,
        policy: VerificationPolicy = VerificationPolicy()
    ) throws(RequestError) -> (nonce: FollowNonce, text: FollowText) {
        let checked = try followSignatures(request, requestKey: requestKey, starkKey: starkKey, policy: policy)
        switch checked.nonce {
        case .matched(let nonce): return (nonce, checked.text)
        case .search(let search):
            guard let found = search.run().nonce else { throw nonceMismatch }
            return (found, checked.text)
        }
    }

    /// A follow's nonce once its text and signatures passed: matched over the body's
    /// timestamp (at most three hashes), or the search left to make (section 5a item 5).
    enum FollowNonceCheck: Sendable {
        case matched(FollowNonce)
        case search(FollowNonceSearch)
    }

    /// Every check of ``follow(_:requestKey:starkKey:policy:)`` but the search for a nonce
    /// over an earlier timestamp, which comes last, only once everything else has passed.
    static func followSignatures(
        _ request: FollowRequest, requestKey: Ed25519PublicKey, starkKey: StarkPublicKey?, policy: VerificationPolicy
    ) throws(RequestError) -> (nonce: FollowNonceCheck, text: FollowText) {
        let text = try SignContent(request.signContent).checkFollow(
            didType: request.didType, address: request.didAddress, timestamp: request.timestamp)
        let atBodyTimestamp = FollowNonce.atBodyTimestamp(
            text.writtenNonce, userid: request.userid, action: request.action, targetUserid: request.targetUserid,
            timestamp: request.timestamp)
        try didSignature(
            request.didSignature, over: request.signContent, claimed: request.didAddress, starkKey: starkKey,
            chainIds: policy.starknetChainIds)
        if let userSignature = request.userSignature {
            let message = userSignatureMessage(
                userid: request.userid, action: request.action, targetUserid: request.targetUserid, timestamp: request.timestamp)
            try ed25519(userSignature, by: requestKey, over: message, field: "web3mq_user_signature")
        } else if policy.requireUserSignature {
            throw RequestError.missingField("web3mq_user_signature")
        }
        if let atBodyTimestamp { return (.matched(atBodyTimestamp), text) }
        let search = FollowNonceSearch(
            written: text.writtenNonce, userid: request.userid, action: request.action, targetUserid: request.targetUserid,
            timestamp: request.timestamp, issuedAt: text.issuedAt)
        return (.search(search), text)
    }

    /// 40102 for a follow whose nonce matches no spelling and no timestamp.
    static let nonceMismatch = RequestError(.nonceMismatch, "the Nonce line is not sha3_224 of \(SignContent.followNonceFields)")

    /// Sections 2 and 7: a registration's main key is a valid point (and a StarkNet
    /// `did_pubkey` a point of the Stark curve), its signed text matches (no allowed
    /// origins in the policy: any URI), and `did_signature` comes from its did. Returns the
    /// registration's nonce.
    static func registration(
        _ request: RegistrationRequest, policy: VerificationPolicy = VerificationPolicy()
    ) throws(RequestError) -> Digest224 {
        _ = try validatedKey(request.mainPubkey, field: "pubkey_value")
        let starkKey = try request.starkKey.map { (key) throws(RequestError) in try validatedStarkKey(key) }
        let nonce = SignedDigests.registrationNonce(
            userid: request.userid, pubkeyType: request.pubkeyType, pubkeyValue: request.mainPubkeySent,
            didType: request.didType.rawValue, didValue: request.didValueSent, timestamp: request.timestamp)
        try SignContent(request.signatureContent).checkRegistration(
            didType: request.didType, address: request.didAddress, nonce: nonce, timestamp: request.timestamp,
            allowedOrigins: policy.allowedOrigins)
        try didSignature(
            request.didSignature, over: request.signatureContent, claimed: request.didAddress, starkKey: starkKey,
            chainIds: policy.starknetChainIds)
        return nonce
    }

    /// Section 3: a login's `signature_content` is the sha3_224 of its fields,
    /// `login_signature` verifies by `mainKey`, and the session key is a valid point.
    static func login(_ request: LoginRequest, mainKey: Ed25519PublicKey) throws(RequestError) {
        let expected = SignedDigests.loginContent(
            userid: request.userid, pubkeyValue: request.sessionPubkeySent,
            pubkeyExpiredTimestamp: request.expiresAt, timestamp: request.timestamp)
        guard let written = try? Hex.decode(request.signatureContent, byteCount: Digest224.byteCount),
            Digest224(bytes: written) == expected
        else {
            throw RequestError(
                .nonceMismatch,
                "signature_content is not sha3_224 of userid + pubkey_value + pubkey_expired_timestamp + timestamp")
        }
        try ed25519(request.loginSignature, by: mainKey, over: request.signatureContent, field: "login_signature")
        _ = try validatedKey(request.sessionPubkey, field: "pubkey_value")
    }

    /// Section 4 check 8: the message `web3mq_user_signature` signs.
    static func userSignatureMessage(userid: String, action: String, targetUserid: String, timestamp: Int64) -> String {
        userid + action + targetUserid + String(timestamp)
    }
}
