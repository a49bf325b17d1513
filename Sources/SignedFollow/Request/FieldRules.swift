import WalletCrypto

/// The field rules shared by every request (docs/protocol.md sections 2 to 4).
enum FieldRules {
    /// Longest `userid` or `target_userid`.
    static let maximumUseridLength = 128
    /// Longest `sign_content` / `signature_content`, in UTF-8 bytes.
    static let maximumSignContentBytes = 2048
    /// Longest `did_signature` we look at; real ones are 132 characters (eth).
    static let maximumSignatureLength = 1024
    /// Longest optional free-text field (`nickname`, `avatar_url`, `content`).
    static let maximumTextBytes = 1024

    /// A userid: 1 to 128 printable ASCII characters, no white space.
    static func userid(_ object: JSONObject, _ name: String) throws(RequestError) -> String {
        try userid(try object.string(name), name)
    }

    /// `value` when it is a userid (see ``userid(_:_:)-(JSONObject,_)``), else 40003 naming `name`.
    static func userid(_ value: String, _ name: String) throws(RequestError) -> String {
        let isPrintable: (UInt8) -> Bool = { (0x21...0x7E).contains($0) }
        // Over the contiguous bytes when the string has them (always, for a decoded body):
        // iterating String.UTF8View goes through its index arithmetic byte by byte.
        guard (1...maximumUseridLength).contains(value.utf8.count),
            value.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(isPrintable) })
                ?? value.utf8.allSatisfy(isPrintable)
        else {
            throw RequestError(.invalidField, "field \(name) must be 1 to 128 printable ASCII characters without spaces")
        }
        return value
    }

    /// A positive millisecond timestamp.
    static func timestamp(_ object: JSONObject, _ name: String) throws(RequestError) -> Int64 {
        let value = try object.integer(name)
        guard value > 0 else { throw RequestError(.invalidField, "field \(name) must be a positive number of milliseconds") }
        return value
    }

    /// A signed text: at most 2048 bytes.
    static func signedText(_ object: JSONObject, _ name: String) throws(RequestError) -> String {
        let value = try object.string(name)
        guard value.utf8.count <= maximumSignContentBytes else {
            throw RequestError(.invalidField, "field \(name) must be at most \(maximumSignContentBytes) bytes")
        }
        return value
    }

    /// A signature string: present, and not absurdly long (its format is checked later, 40103).
    static func signature(_ object: JSONObject, _ name: String) throws(RequestError) -> String {
        let value = try object.string(name)
        guard value.utf8.count <= maximumSignatureLength else {
            throw RequestError(.malformedSignature, "field \(name) is too long to be a signature")
        }
        return value
    }

    /// An optional free-text field of bounded length.
    static func optionalText(_ object: JSONObject, _ name: String) throws(RequestError) -> String? {
        let value = try object.optionalString(name)
        guard (value?.utf8.count ?? 0) <= maximumTextBytes else {
            throw RequestError(.invalidField, "field \(name) must be at most \(maximumTextBytes) bytes")
        }
        return value
    }

    /// `did_type`: `eth` or `starknet`; any other value is 40005.
    static func didType(_ object: JSONObject) throws(RequestError) -> DidType {
        let value = try object.string("did_type")
        guard let type = DidType(rawValue: value) else { throw DidType.unsupported }
        return type
    }

    /// `did_pubkey` of a StarkNet request: a felt in hex (40003 otherwise), or nil when absent.
    static func starkKey(_ object: JSONObject) throws(RequestError) -> Felt? {
        guard let value = try object.optionalString("did_pubkey") else { return nil }
        guard let key = try? Felt(hex: value) else {
            throw RequestError(
                .invalidField,
                "field did_pubkey must be a Stark public key: a felt in hex, at most 64 digits, below the field prime")
        }
        return key
    }

    /// `pubkey_type`: `ed25519`.
    static func pubkeyType(_ object: JSONObject) throws(RequestError) -> String {
        let value = try object.string("pubkey_type")
        guard value == "ed25519" else { throw RequestError(.invalidField, "field pubkey_type must be ed25519") }
        return value
    }

    /// An ed25519 public key field: 64 hex digits (either case, optional `0x`). Whether it is
    /// a valid point is checked later (40301), where a bound key can skip the cost.
    static func publicKeyHex(_ object: JSONObject, _ name: String) throws(RequestError) -> (sent: String, bytes: [UInt8]) {
        let value = try object.string(name)
        guard let bytes = try? Hex.decode(value, byteCount: 32) else {
            throw RequestError(.invalidField, "field \(name) must be 64 hex digits")
        }
        return (value, bytes)
    }

    /// A did address field of `didType` (`did_value`).
    static func didAddress(_ object: JSONObject, _ name: String, as didType: DidType) throws(RequestError) -> DidAddress {
        let value = try object.string(name)
        do {
            return try DidAddress(parsing: value, as: didType)
        } catch {
            throw RequestError(.invalidField, "field \(name) must be \(DidAddress.expectation(didType))")
        }
    }
}

/// The kinds of decentralised identity a request can be signed with.
public enum DidType: String, Sendable, CaseIterable {
    /// An Ethereum account, signing with `personal_sign` (EIP-191).
    case eth
    /// A StarkNet account, signing SNIP-12 typed data with its Stark key (docs/protocol.md section 7).
    case starknet

    /// 40005, for a did type this service does not know.
    static let unsupported = RequestError(.unsupportedDidType, "did_type must be eth or starknet")

    /// The words a client may write in `sign in with your <word> account:`.
    public var walletWords: Set<String> {
        switch self {
        case .eth: ["eth", "Ethereum", "MetaMask"]
        case .starknet: ["starknet", "Starknet", "StarkNet", "Argent X", "Braavos"]
        }
    }
}
