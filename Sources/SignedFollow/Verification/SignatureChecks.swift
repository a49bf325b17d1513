import WalletCrypto

/// The signature checks of PROTOCOL.md sections 2 to 4 and 6 that need no state: shared
/// by the ``Verifier``, the offline explanation of a request and the audit verifier, so
/// that all three judge a signature the same way.
enum SignatureChecks {
    /// Section 6: `did_signature` parses (40103) and recovers to `claimed` (40104) over the
    /// exact bytes of the signed text. Returns the recovered address.
    @discardableResult
    static func didSignature(
        _ text: String, over message: String, claimed: EthereumAddress
    ) throws(RequestError) -> EthereumAddress {
        let recovered = try recoveredAddress(text, over: message)
        guard recovered == claimed else {
            throw RequestError(.didSignatureMismatch, "did_signature does not recover to the did address")
        }
        return recovered
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

    /// Section 4 check 8: the message `web3mq_user_signature` signs.
    static func userSignatureMessage(userid: String, action: String, targetUserid: String, timestamp: Int64) -> String {
        userid + action + targetUserid + String(timestamp)
    }
}
