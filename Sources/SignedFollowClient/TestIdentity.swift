import Keccak
import SignedFollow
import WalletCrypto

/// A test identity: a wallet (an Ethereum key, or a StarkNet account and its Stark key)
/// and a main ed25519 key, and the userid derived from the wallet. It signs requests
/// exactly as docs/protocol.md says, in any client style, for the CLI and the tests. These
/// keys are for testing: never use them for real funds.
public struct TestIdentity: Sendable {
    /// The wallet that signs the did's texts.
    public enum Wallet: Sendable {
        /// An Ethereum wallet: `personal_sign` with this key.
        case eth(Secp256k1PrivateKey)
        /// A StarkNet account (a number, not derived from the key) whose Stark key signs
        /// SNIP-12 typed data for `chainId` (docs/protocol.md section 7).
        case starknet(key: StarkPrivateKey, account: Felt, chainId: Felt)
    }

    /// The did's wallet.
    public let didWallet: Wallet
    /// The main ed25519 key the registration binds.
    public let mainKey: Ed25519KeyPair
    /// `user:` + sha3_224 of the canonical did address, unless given.
    public let userid: String

    /// An Ethereum identity from its keys.
    public init(wallet: Secp256k1PrivateKey, mainKey: Ed25519KeyPair, userid: String? = nil) {
        self.init(didWallet: .eth(wallet), mainKey: mainKey, userid: userid)
    }

    /// An identity of any wallet from its keys.
    public init(didWallet: Wallet, mainKey: Ed25519KeyPair, userid: String? = nil) {
        self.didWallet = didWallet
        self.mainKey = mainKey
        let did: DidAddress =
            switch didWallet {
            case .eth(let key): .eth(key.address)
            case .starknet(_, let account, _): .starknet(account)
            }
        self.userid = userid ?? "user:" + sha3_224(did.canonical).hexString
    }

    /// The identity derived from `seed` (reproducible): the wallet key is
    /// keccak256("signed-follow test wallet " + seed), the main key's seed
    /// sha3_256("signed-follow test main key " + seed).
    public init(seed: String) {
        var counter = 0
        var wallet: Secp256k1PrivateKey?
        while wallet == nil {  // a hash outside [1, n-1] has probability ~2^-128; retry anyway
            wallet = try? Secp256k1PrivateKey(
                rawRepresentation: keccak256("signed-follow test wallet \(seed)\(counter == 0 ? "" : "#\(counter)")").bytes)
            counter += 1
        }
        self.init(wallet: wallet!, mainKey: try! Ed25519KeyPair(seed: sha3_256("signed-follow test main key \(seed)").bytes))
    }

    /// The reproducible StarkNet identity of `seed`: the Stark key is
    /// starknetKeccak("signed-follow test stark key " + seed), the account
    /// starknetKeccak("signed-follow test starknet account " + seed), the main key's seed
    /// sha3_256("signed-follow test main key " + seed); signatures for `chainId`.
    public init(starknetSeed seed: String, chainId: Felt = Felt(shortString: "SN_MAIN")!) {
        // 250-bit values: a key of zero has probability 2^-250.
        let key = try! StarkPrivateKey(StarknetKeccak.hash("signed-follow test stark key \(seed)").value)
        let account = StarknetKeccak.hash("signed-follow test starknet account \(seed)")
        self.init(
            didWallet: .starknet(key: key, account: account, chainId: chainId),
            mainKey: try! Ed25519KeyPair(seed: sha3_256("signed-follow test main key \(seed)").bytes))
    }

    /// The Ethereum wallet's key; traps for a StarkNet identity (a test bug).
    public var wallet: Secp256k1PrivateKey {
        guard case .eth(let key) = didWallet else { preconditionFailure("a StarkNet identity has no Ethereum key") }
        return key
    }

    /// The Ethereum wallet address; traps for a StarkNet identity (a test bug).
    public var address: EthereumAddress { wallet.address }

    /// The did's address.
    public var did: DidAddress {
        switch didWallet {
        case .eth(let key): .eth(key.address)
        case .starknet(_, let account, _): .starknet(account)
        }
    }

    /// The did type, as requests write it.
    public var didType: String { did.didType.rawValue }

    /// `POST /api/user_register_v2/` binding `mainKey`, signed at `timestamp`.
    public func registration(
        timestamp: Int64, uri: String = "https://dapp.example", style: ClientStyle = ClientStyle()
    ) -> SignedRequest {
        let mainPubkey = Hex.encode(mainKey.publicKey.rawRepresentation)
        let didValue = written(style)
        let nonce = SignedDigests.registrationNonce(
            userid: userid, pubkeyType: "ed25519", pubkeyValue: mainPubkey, didType: didType, didValue: didValue,
            timestamp: timestamp)
        let content = style.layout.render([
            "Web3MQ wants you to sign in with your \(walletWord(style)) account:", didValue, "For Web3MQ register",
            "URI: \(uri)", "Version: 1", nil, "Nonce: \(nonce.hexString)",
            "Issued At: \(IssuedAt.format(timestamp, style.issuedAt))",
        ])
        return SignedRequest(
            fields: [
                ("userid", .string(userid)), ("did_type", .string(didType)), ("did_value", .string(didValue)),
                ("did_signature", .string(sign(content, style))), ("signature_content", .string(content)),
                ("pubkey_type", .string("ed25519")), ("pubkey_value", .string(mainPubkey)), ("timestamp", .integer(timestamp)),
            ] + didPubkeyField,
            headers: RequestHeaders(requestPubkey: "", didkey: ""))
    }

    /// `POST /api/user_login_v2/` binding `sessionKey` until `expiresAt`, signed by `mainKey`.
    public func login(sessionKey: Ed25519KeyPair, expiresAt: Int64, timestamp: Int64) -> SignedRequest {
        let sessionPubkey = Hex.encode(sessionKey.publicKey.rawRepresentation)
        let content = SignedDigests.loginContent(
            userid: userid, pubkeyValue: sessionPubkey, pubkeyExpiredTimestamp: expiresAt, timestamp: timestamp
        ).hexString
        return SignedRequest(
            fields: [
                ("userid", .string(userid)), ("did_type", .string(didType)), ("did_value", .string(did.canonical)),
                ("main_pubkey", .string(Hex.encode(mainKey.publicKey.rawRepresentation))), ("pubkey_type", .string("ed25519")),
                ("pubkey_value", .string(sessionPubkey)), ("timestamp", .integer(timestamp)),
                ("pubkey_expired_timestamp", .integer(expiresAt)), ("signature_content", .string(content)),
                ("login_signature", .string(mainKey.signature(for: content.utf8).base64)),
            ],
            headers: RequestHeaders(requestPubkey: "", didkey: ""))
    }

    /// `POST /api/following/`: `action` (`follow`, `cancel` or `unfollow`) on `target`,
    /// sent with `requestKey` (the main key or a bound session key). A StarkNet follow
    /// carries `did_pubkey`.
    public func follow(
        target: String, action: String = "follow", timestamp: Int64, requestKey: Ed25519KeyPair,
        style: ClientStyle = ClientStyle(), withUserSignature: Bool = false
    ) -> SignedRequest {
        let didValue = written(style)
        // The Flutter/Dart SDKs read the clock for the nonce and the date before the body's
        // timestamp (docs/protocol.md section 5a).
        let signedAt = timestamp - style.nonceDelayMilliseconds
        let nonce = SignedDigests.followNonce(
            userid: userid, action: style.nonceSpelling.word(for: action), targetUserid: target, timestamp: signedAt)
        let date = IssuedAt.format(signedAt + style.zoneOffsetMinutes * 60_000, style.issuedAt) + style.afterDate
        let content = style.layout.render(
            [
                "Web3MQ wants you to sign in with your \(style.followWalletWord ?? walletWord(style)) account:", didValue, nil,
                "For follow signature",
            ]
                + (style.followURI.map { ["URI: \($0)"] } ?? []) + [nil, "Nonce: \(nonce.hexString)", "Issued At: \(date)"])
        var fields: [(name: String, value: JSONScalar)] =
            [
                ("userid", .string(userid)), ("target_userid", .string(target)), ("action", .string(action)),
                ("timestamp", .integer(timestamp)), ("did_type", .string(didType)),
                ("did_signature", .string(sign(content, style))), ("sign_content", .string(content)),
            ] + didPubkeyField
        if withUserSignature {
            let message = userid + action + target + String(timestamp)
            fields.append(("web3mq_user_signature", .string(requestKey.signature(for: message.utf8).base64)))
        }
        return SignedRequest(
            fields: fields,
            headers: RequestHeaders(
                requestPubkey: Hex.encode(requestKey.publicKey.rawRepresentation), didkey: "\(didType):\(didValue)"))
    }

    /// The query and headers of a signed read (docs/protocol.md section 8), signed at
    /// `timestamp` by `requestKey` (the main key or a bound session key).
    public func signedRead(timestamp: Int64, requestKey: Ed25519KeyPair) -> SignedQuery {
        let signature = requestKey.signature(for: (userid + String(timestamp)).utf8).base64
        return SignedQuery(
            parameters: [("userid", userid), ("timestamp", String(timestamp)), ("web3mq_user_signature", signature)],
            headers: RequestHeaders(
                requestPubkey: Hex.encode(requestKey.publicKey.rawRepresentation), didkey: "\(didType):\(did.canonical)"))
    }

    /// The address as `style` writes it: for StarkNet, `lowercase` is the padded form and
    /// `checksummed` the unpadded one (StarkNet has no checksum).
    private func written(_ style: ClientStyle) -> String {
        switch did {
        case .eth(let address): style.addressForm == .lowercase ? address.lowercased : address.checksummed
        case .starknet(let account): style.addressForm == .lowercase ? account.paddedHexString : account.hexString
        }
    }

    /// The wallet word of line 1: `style`'s, or the did type's name.
    private func walletWord(_ style: ClientStyle) -> String { style.walletWord ?? didType }

    /// `did_pubkey` for a StarkNet identity: the Stark public key in hex.
    private var didPubkeyField: [(name: String, value: JSONScalar)] {
        guard case .starknet(let key, _, _) = didWallet else { return [] }
        return [("did_pubkey", .string(key.publicKey.x.hexString))]
    }

    /// `did_signature` over the exact text: `personal_sign` for eth (in `style`'s form),
    /// `"<msgHash>,<r>,<s>"` over the SNIP-12 typed data of section 7 for StarkNet.
    private func sign(_ content: String, _ style: ClientStyle) -> String {
        let signature: RecoverableSignature
        switch didWallet {
        case .eth(let key):
            signature = key.signature(forPersonalMessage: content.utf8)
        case .starknet(let key, let account, let chainId):
            let message = StarknetTypedData.messageFelt(signContentKeccak: StarknetKeccak.hash(content.utf8))
            let hash = StarknetTypedData.messageHash(message: message, chainId: chainId, account: account)
            // A Pedersen output is at least 2^251 (unsignable) with probability about 2^-55;
            // the service would answer such a did_signature 40103, as it answers this one.
            guard let stark = try? key.sign(messageHash: hash) else { return "0,0,0" }
            return "\(hash.decimalString),\(stark.r.decimalString),\(stark.s.decimalString)"
        }
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
