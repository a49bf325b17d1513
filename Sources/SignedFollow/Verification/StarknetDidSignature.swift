import WalletCrypto

/// A StarkNet `did_signature` (docs/protocol.md section 7): `"<msgHash>,<r>,<s>"`, three
/// decimal numbers, as the Web3MQ JS SDK joins the typed-data hash and the wallet's
/// signature.
///
/// The wallet signs SNIP-12 (revision 0) typed data whose one field is the first 31 hex
/// characters of `starknetKeccak(sign_content)`, under the domain
/// `{name: "Example DApp", chainId, version: "0.0.1"}`, for the account `did_value`. The
/// service rebuilds that hash from the exact bytes received for each accepted chain id;
/// the hash the signature carries must be one of them, and `(r, s)` must verify for it
/// with the did's Stark key.
struct StarknetDidSignature: Sendable {
    /// The typed-data hash the client says it signed.
    let messageHash: UInt256
    /// `(r, s)`, in range (1 <= r < 2^251, 1 <= s < n, s^-1 mod n < 2^251).
    let signature: StarkSignature

    /// The chain ids accepted when the configuration names none: `SN_MAIN` and `SN_SEPOLIA`.
    static let defaultChainIds: [Felt] = [Felt(shortString: "SN_MAIN")!, Felt(shortString: "SN_SEPOLIA")!]

    /// Parses `text`: 40103 unless it is exactly three decimal numbers separated by commas
    /// (no spaces, signs or extra elements) with `r` and `s` in range.
    init(parsing text: String) throws(RequestError) {
        let parts = text.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard parts.count == 3,
            let messageHash = UInt256(decimal: Substring(parts[0])),
            let r = UInt256(decimal: Substring(parts[1])),
            let s = UInt256(decimal: Substring(parts[2]))
        else {
            throw RequestError(.malformedSignature, "did_signature must be <msgHash>,<r>,<s> in decimal for starknet")
        }
        do {
            signature = try StarkSignature(r: r, s: s)
        } catch {
            throw RequestError(.malformedSignature, "did_signature is malformed: \(error.reason)")
        }
        self.messageHash = messageHash
    }

    /// The typed-data hashes a wallet of `account` produces for `signedText` under each of
    /// `chainIds`, in that order, each computed when it is asked for.
    static func messageHashes(
        of signedText: String, account: Felt, chainIds: [Felt]
    ) -> LazyMapSequence<[Felt], Felt> {
        let message = StarknetTypedData.messageFelt(signContentKeccak: StarknetKeccak.hash(signedText.utf8))
        let structHash = StarknetTypedData.structHash(message: message)
        return chainIds.lazy.map { StarknetTypedData.messageHash(structHash: structHash, chainId: $0, account: account) }
    }

    /// 40104 unless the carried hash is the one rebuilt from `signedText` for `account` under
    /// one of `chainIds` and `(r, s)` verifies for it with `key`.
    func check(over signedText: String, account: Felt, key: StarkPublicKey, chainIds: [Felt]) throws(RequestError) {
        guard
            let hash = Self.messageHashes(of: signedText, account: account, chainIds: chainIds)
                .first(where: { $0.value == messageHash })
        else {
            throw RequestError(
                .didSignatureMismatch,
                "did_signature's msgHash is not the typed-data hash of the signed text for an accepted chain id")
        }
        guard key.isValidSignature(signature, for: hash) else {
            throw RequestError(.didSignatureMismatch, "did_signature does not verify with the did's Stark key")
        }
    }
}
