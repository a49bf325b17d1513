import WalletCrypto

/// `POST /api/following/`, decoded and shape-checked (docs/protocol.md section 4, checks 1
/// and 2). Cryptographic and state checks are the verifier's.
public struct FollowRequest: Sendable {
    /// The follower.
    public let userid: String
    /// The followed.
    public let targetUserid: String
    /// `action` exactly as sent (`follow`, `cancel` or `unfollow`), as the nonce hashes it.
    public let action: String
    /// True for `follow`, false for `cancel` and its alias `unfollow`.
    public let follows: Bool
    /// The signed timestamp, ms.
    public let timestamp: Int64
    /// The did type of the body (and of `didkey`).
    public let didType: DidType
    /// The did address, from `didkey`.
    public let didAddress: DidAddress
    /// `did_signature` as sent.
    public let didSignature: String
    /// `did_pubkey` of a StarkNet follow, when sent (it must then be the key bound to the
    /// did); always nil for eth, which ignores the field.
    public let starkKey: Felt?
    /// `sign_content` as sent.
    public let signContent: String
    /// `web3mq_user_signature`, when sent.
    public let userSignature: String?
    /// The request key's 32 bytes (`web3mq-request-pubkey`).
    public let requestKey: [UInt8]
    /// The headers as received, for the audit log.
    public let headers: RequestHeaders
    /// The body bytes as received, for the audit log.
    public let body: [UInt8]

    /// Decodes `body` strictly and checks shapes, types, lengths and the headers.
    public init(body: [UInt8], headers: RequestHeaders) throws(RequestError) {
        try self.init(object: try JSONReader.object(from: body), body: body, headers: headers)
    }

    /// Checks `object`, already read from `body` (a batch item and its bytes), as a follow.
    init(object: JSONObject, body: [UInt8], headers: RequestHeaders) throws(RequestError) {
        userid = try FieldRules.userid(object, "userid")
        targetUserid = try FieldRules.userid(object, "target_userid")
        action = try object.string("action")
        switch action {
        case "follow": follows = true
        case "cancel", "unfollow": follows = false
        default: throw RequestError(.unsupportedAction, "action must be follow, cancel or unfollow")
        }
        timestamp = try FieldRules.timestamp(object, "timestamp")
        didType = try FieldRules.didType(object)
        didSignature = try FieldRules.signature(object, "did_signature")
        signContent = try FieldRules.signedText(object, "sign_content")
        userSignature = try object.optionalString("web3mq_user_signature")
        starkKey = didType == .starknet ? try FieldRules.starkKey(object) : nil
        if didType == .eth { _ = try object.optionalString("did_pubkey") }
        _ = try FieldRules.optionalText(object, "content")
        requestKey = try headers.requestKeyBytes()
        didAddress = try headers.didAddress(agreeingWith: didType)
        if let address = try object.optionalString("address") {
            guard let claimed = try? DidAddress(parsing: address, as: didType), claimed == didAddress else {
                throw RequestError(.invalidHeader, "header didkey does not agree with address")
            }
        }
        self.headers = headers
        self.body = body
    }
}
