import Keccak
import WalletCrypto

/// A test identity: a wallet key and a main ed25519 key, and the userid derived from the
/// wallet. It signs requests exactly as PROTOCOL.md says, in any client style, for the
/// CLI and the tests. These keys are for testing: never use them for real funds.
public struct TestIdentity: Sendable {
    /// The wallet's secp256k1 key.
    public let wallet: Secp256k1PrivateKey
    /// The main ed25519 key the registration binds.
    public let mainKey: Ed25519KeyPair
    /// `user:` + sha3_224 of the lowercase address, unless given.
    public let userid: String

    /// An identity from its keys.
    public init(wallet: Secp256k1PrivateKey, mainKey: Ed25519KeyPair, userid: String? = nil) {
        self.wallet = wallet
        self.mainKey = mainKey
        self.userid = userid ?? "user:" + sha3_224(wallet.address.lowercased).hexString
    }

    /// The identity derived from `seed` (reproducible): the wallet key is
    /// keccak256("signed-follow test wallet " + seed), the main key's seed
    /// sha3_256("signed-follow test main key " + seed).
    public init(seed: String) {
        var counter = 0
        var wallet: Secp256k1PrivateKey?
        while wallet == nil {  // a hash outside [1, n-1] has probability ~2^-128; retry anyway
            wallet = try? Secp256k1PrivateKey(rawRepresentation: keccak256("signed-follow test wallet \(seed)\(counter == 0 ? "" : "#\(counter)")").bytes)
            counter += 1
        }
        self.init(wallet: wallet!, mainKey: try! Ed25519KeyPair(seed: sha3_256("signed-follow test main key \(seed)").bytes))
    }

    /// The wallet address.
    public var address: EthereumAddress { wallet.address }

    /// `POST /api/user_register_v2/` binding `mainKey`, signed at `timestamp`.
    public func registration(timestamp: Int64, uri: String = "https://dapp.example", style: ClientStyle = ClientStyle()) -> SignedRequest {
        let mainPubkey = Hex.encode(mainKey.publicKey.rawRepresentation)
        let didValue = written(address, style)
        let nonce = SignedDigests.registrationNonce(
            userid: userid, pubkeyType: "ed25519", pubkeyValue: mainPubkey, didType: "eth", didValue: didValue, timestamp: timestamp)
        let content = style.layout.render([
            "Web3MQ wants you to sign in with your \(style.walletWord) account:", didValue, "For Web3MQ register",
            "URI: \(uri)", "Version: 1", nil, "Nonce: \(nonce.hexString)",
            "Issued At: \(IssuedAt.format(timestamp, style.issuedAt))",
        ])
        return SignedRequest(
            fields: [
                ("userid", .string(userid)), ("did_type", .string("eth")), ("did_value", .string(didValue)),
                ("did_signature", .string(sign(content, style))), ("signature_content", .string(content)),
                ("pubkey_type", .string("ed25519")), ("pubkey_value", .string(mainPubkey)), ("timestamp", .integer(timestamp)),
            ],
            headers: RequestHeaders(requestPubkey: "", didkey: ""))
    }

    /// `POST /api/user_login_v2/` binding `sessionKey` until `expiresAt`, signed by `mainKey`.
    public func login(sessionKey: Ed25519KeyPair, expiresAt: Int64, timestamp: Int64) -> SignedRequest {
        let sessionPubkey = Hex.encode(sessionKey.publicKey.rawRepresentation)
        let content = SignedDigests.loginContent(
            userid: userid, pubkeyValue: sessionPubkey, pubkeyExpiredTimestamp: expiresAt, timestamp: timestamp).hexString
        return SignedRequest(
            fields: [
                ("userid", .string(userid)), ("did_type", .string("eth")), ("did_value", .string(address.lowercased)),
                ("main_pubkey", .string(Hex.encode(mainKey.publicKey.rawRepresentation))), ("pubkey_type", .string("ed25519")),
                ("pubkey_value", .string(sessionPubkey)), ("timestamp", .integer(timestamp)),
                ("pubkey_expired_timestamp", .integer(expiresAt)), ("signature_content", .string(content)),
                ("login_signature", .string(mainKey.signature(for: content.utf8).base64)),
            ],
            headers: RequestHeaders(requestPubkey: "", didkey: ""))
    }

    /// `POST /api/following/`: `action` (`follow`, `cancel` or `unfollow`) on `target`,
    /// sent with `requestKey` (the main key or a bound session key).
    public func follow(
        target: String, action: String = "follow", timestamp: Int64, requestKey: Ed25519KeyPair,
        style: ClientStyle = ClientStyle(), withUserSignature: Bool = false
    ) -> SignedRequest {
        let didValue = written(address, style)
        let nonce = SignedDigests.followNonce(userid: userid, action: action, targetUserid: target, timestamp: timestamp)
        let content = style.layout.render([
            "Web3MQ wants you to sign in with your \(style.walletWord) account:", didValue, nil, "For follow signature", nil,
            "Nonce: \(nonce.hexString)", "Issued At: \(IssuedAt.format(timestamp, style.issuedAt))",
        ])
        var fields: [(name: String, value: JSONScalar)] = [
            ("userid", .string(userid)), ("target_userid", .string(target)), ("action", .string(action)),
            ("timestamp", .integer(timestamp)), ("did_type", .string("eth")),
            ("did_signature", .string(sign(content, style))), ("sign_content", .string(content)),
        ]
        if withUserSignature {
            let message = userid + action + target + String(timestamp)
            fields.append(("web3mq_user_signature", .string(requestKey.signature(for: message.utf8).base64)))
        }
        return SignedRequest(
            fields: fields,
            headers: RequestHeaders(
                requestPubkey: Hex.encode(requestKey.publicKey.rawRepresentation), didkey: "eth:\(didValue)"))
    }

    /// The query and headers of a signed read (PROTOCOL.md section 8), signed at
    /// `timestamp` by `requestKey` (the main key or a bound session key).
    public func signedRead(timestamp: Int64, requestKey: Ed25519KeyPair) -> SignedQuery {
        let signature = requestKey.signature(for: (userid + String(timestamp)).utf8).base64
        return SignedQuery(
            parameters: [("userid", userid), ("timestamp", String(timestamp)), ("web3mq_user_signature", signature)],
            headers: RequestHeaders(
                requestPubkey: Hex.encode(requestKey.publicKey.rawRepresentation), didkey: "eth:\(address.lowercased)"))
    }

    private func written(_ address: EthereumAddress, _ style: ClientStyle) -> String {
        style.addressForm == .lowercase ? address.lowercased : address.checksummed
    }

    private func sign(_ content: String, _ style: ClientStyle) -> String {
        let signature = wallet.signature(forPersonalMessage: content.utf8)
        switch style.signatureForm {
        case .rsv27: return signature.description
        case .rsv01:
            var bytes = signature.rawRepresentation
            bytes[64] -= 27
            return "0x" + Hex.encode(bytes)
        case .compact: return "0x" + Hex.encode(signature.compactRepresentation)
        }
    }
}
