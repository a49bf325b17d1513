import WalletCrypto

/// The two headers of a signed request, as received (empty string when absent), kept
/// verbatim for the audit log.
public struct RequestHeaders: Sendable, Equatable {
    /// `web3mq-request-pubkey`.
    public var requestPubkey: String
    /// `didkey`.
    public var didkey: String

    /// Headers as received; pass "" for an absent header.
    public init(requestPubkey: String, didkey: String) {
        self.requestPubkey = requestPubkey
        self.didkey = didkey
    }

    /// The request key's 32 bytes: 40004 when the header is absent or not 64 hex digits.
    func requestKeyBytes() throws(RequestError) -> [UInt8] {
        guard !requestPubkey.isEmpty else { throw RequestError(.invalidHeader, "missing header web3mq-request-pubkey") }
        guard let bytes = try? Hex.decode(requestPubkey, byteCount: 32) else {
            throw RequestError(.invalidHeader, "header web3mq-request-pubkey must be 64 hex digits")
        }
        return bytes
    }

    /// `didkey` as `<did_type>:<address>` for a request without a body naming its did type
    /// (the signed reads): 40004 when malformed or of an unknown did type.
    func didAddress() throws(RequestError) -> DidAddress {
        guard let colon = didkey.firstIndex(of: ":") else {
            throw RequestError(
                .invalidHeader, didkey.isEmpty ? "missing header didkey" : "header didkey must be <did_type>:<did_value>")
        }
        guard let didType = DidType(rawValue: String(didkey[..<colon])) else {
            throw RequestError(.invalidHeader, "header didkey must be <did_type>:<did_value>, did_type eth or starknet")
        }
        return try didAddress(agreeingWith: didType)
    }

    /// `didkey` as `<did_type>:<address>`, agreeing with the body's `did_type` (section 4
    /// check 2): 40004 otherwise.
    func didAddress(agreeingWith didType: DidType) throws(RequestError) -> DidAddress {
        guard !didkey.isEmpty else { throw RequestError(.invalidHeader, "missing header didkey") }
        guard let colon = didkey.firstIndex(of: ":") else {
            throw RequestError(.invalidHeader, "header didkey must be <did_type>:<did_value>")
        }
        guard didkey[..<colon] == didType.rawValue else {
            throw RequestError(.invalidHeader, "header didkey does not agree with did_type")
        }
        guard let address = try? DidAddress(parsing: didkey[didkey.index(after: colon)...], as: didType) else {
            throw RequestError(.invalidHeader, "header didkey must carry \(DidAddress.expectation(didType))")
        }
        return address
    }
}
