import Keccak

/// EIP-191 version 0x45, the `personal_sign` message format.
public enum PersonalMessage {
    /// keccak256("\u{19}Ethereum Signed Message:\n" + decimal byte count + message).
    public static func hash(_ message: some Sequence<UInt8>) -> Digest256 {
        withContiguousBytes(message) { bytes in
            var hasher = Keccak256()
            hasher.update("\u{19}Ethereum Signed Message:\n")
            hasher.update(String(bytes.count))
            hasher.update(bytes)
            return hasher.finalize()
        }
    }

    /// The hash of the UTF-8 bytes of `text`.
    public static func hash(_ text: some StringProtocol) -> Digest256 {
        hash(text.utf8)
    }
}
