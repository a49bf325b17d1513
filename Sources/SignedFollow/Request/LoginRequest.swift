import WalletCrypto

/// `POST /api/user_login_v2/`, decoded and shape-checked (docs/protocol.md section 3).
public struct LoginRequest: Sendable {
    /// The user.
    public let userid: String
    /// The did type.
    public let didType: DidType
    /// The did address.
    public let didAddress: DidAddress
    /// The main key's 32 bytes (`main_pubkey`).
    public let mainPubkey: [UInt8]
    /// `pubkey_value` exactly as sent, as `signature_content` hashes it.
    public let sessionPubkeySent: String
    /// The session key's 32 bytes.
    public let sessionPubkey: [UInt8]
    /// The signed timestamp, ms.
    public let timestamp: Int64
    /// When the session key expires, ms.
    public let expiresAt: Int64
    /// `signature_content` as sent: 56 hex digits.
    public let signatureContent: String
    /// `login_signature` as sent: base64 of 64 bytes.
    public let loginSignature: String
    /// The headers as received (none are required), for the audit log.
    public let headers: RequestHeaders
    /// The body bytes as received, for the audit log.
    public let body: [UInt8]

    /// Decodes `body` strictly and checks shapes, types and lengths.
    public init(body: [UInt8], headers: RequestHeaders) throws(RequestError) {
        let object = try JSONReader.object(from: body)
        userid = try FieldRules.userid(object, "userid")
        didType = try FieldRules.didType(object)
        didAddress = try FieldRules.didAddress(object, "did_value", as: didType)
        mainPubkey = try FieldRules.publicKeyHex(object, "main_pubkey").bytes
        _ = try FieldRules.pubkeyType(object)
        (sessionPubkeySent, sessionPubkey) = try FieldRules.publicKeyHex(object, "pubkey_value")
        timestamp = try FieldRules.timestamp(object, "timestamp")
        expiresAt = try FieldRules.timestamp(object, "pubkey_expired_timestamp")
        signatureContent = try object.string("signature_content")
        guard signatureContent.utf8.count == 56 else {
            throw RequestError(.invalidField, "field signature_content must be 56 hex digits")
        }
        loginSignature = try FieldRules.signature(object, "login_signature")
        self.headers = headers
        self.body = body
    }
}
