import Keccak

/// StarkNet's Keccak: Keccak-256 (Ethereum's, padding 0x01) cut to its low 250 bits so
/// that it fits a felt. Names type hashes and selectors.
public enum StarknetKeccak {
    /// The low 250 bits of keccak256(bytes).
    public static func hash(_ bytes: some Collection<UInt8>) -> Felt {
        let digest = Keccak256.hash(bytes)
        let value = digest.withUnsafeBytes { UInt256(bigEndianBytes: $0) }
        return Felt(unchecked: UInt256(value.w0, value.w1, value.w2, value.w3 & (1 << 58 - 1)))
    }

    /// The hash of the UTF-8 bytes of `text`.
    public static func hash(_ text: some StringProtocol) -> Felt { hash(Substring(text).utf8) }
}
