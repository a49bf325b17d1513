/// What the server signs to vouch for the head of its audit log (docs/protocol.md section 10):
/// the UTF-8 of `"signed-follow audit head\n" + seq + "\n" + hash`, `seq` in decimal and
/// `hash` in 64 lowercase hex digits.
///
/// While the log is empty the head is `seq` 0 with 64 zeros, the `prev_hash` that entry
/// 1 will carry.
public enum AuditHeadStatement {
    /// The domain line that keeps this signature from meaning anything else.
    public static let prefix = "signed-follow audit head\n"

    /// The hash of the head of an empty log: 32 zero bytes in hex.
    public static let emptyLogHash = String(repeating: "0", count: 64)

    /// The bytes signed for the head at `seq` with hash `hash` (lowercase hex).
    public static func message(seq: Int64, hash: String) -> [UInt8] {
        Array((prefix + String(seq) + "\n" + hash).utf8)
    }
}
