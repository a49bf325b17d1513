import WalletCrypto

/// `POST /api/user_register_v2/`, decoded and shape-checked (docs/protocol.md section 2).
public struct RegistrationRequest: Sendable {
    /// The userid to register.
    public let userid: String
    /// The did type.
    public let didType: DidType
    /// `did_value` exactly as sent, as the nonce hashes it.
    public let didValueSent: String
    /// The did address.
    public let didAddress: DidAddress
    /// `did_signature` as sent.
    public let didSignature: String
    /// `signature_content` as sent.
    public let signatureContent: String
    /// `did_pubkey` of a StarkNet registration (required there; whether it is a point on
    /// the curve is checked with the signature); nil for eth, which ignores the field.
    public let starkKey: Felt?
    /// `pubkey_type` as sent (`ed25519`).
    public let pubkeyType: String
    /// `pubkey_value` exactly as sent, as the nonce hashes it.
    public let mainPubkeySent: String
    /// The main key's 32 bytes.
    public let mainPubkey: [UInt8]
    /// The signed timestamp, ms.
    public let timestamp: Int64
    /// The headers as received (none are required), for the audit log.
    public let headers: RequestHeaders
    /// The body bytes as received, for the audit log.
    public let body: [UInt8]

    /// Decodes `body` strictly and checks shapes, types and lengths.
    public init(body: [UInt8], headers: RequestHeaders) throws(RequestError) {
        let object = try JSONReader.object(from: body)
        userid = try FieldRules.userid(object, "userid")
        didType = try FieldRules.didType(object)
        didValueSent = try object.string("did_value")
        didAddress = try FieldRules.didAddress(object, "did_value", as: didType)
        didSignature = try FieldRules.signature(object, "did_signature")
        signatureContent = try FieldRules.signedText(object, "signature_content")
        pubkeyType = try FieldRules.pubkeyType(object)
        (mainPubkeySent, mainPubkey) = try FieldRules.publicKeyHex(object, "pubkey_value")
        timestamp = try FieldRules.timestamp(object, "timestamp")
        _ = try FieldRules.optionalText(object, "nickname")
        _ = try FieldRules.optionalText(object, "avatar_url")
        switch didType {
        case .eth:
            _ = try object.optionalString("did_pubkey")
            starkKey = nil
        case .starknet:
            guard let key = try FieldRules.starkKey(object) else { throw RequestError.missingField("did_pubkey") }
            starkKey = key
        }
        self.headers = headers
        self.body = body
    }
}
