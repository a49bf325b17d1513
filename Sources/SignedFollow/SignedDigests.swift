import Keccak

/// The sha3_224 digests that bind a request's fields to what the wallet or the main key
/// signed (docs/protocol.md sections 2, 3 and 4). Fields are hashed one after another as
/// UTF-8, numbers in decimal, with no separator and no intermediate string.
public enum SignedDigests {
    /// The follow nonce: sha3_224(userid + action + target_userid + timestamp), with
    /// `action` exactly as sent (`follow`, `cancel` or `unfollow`).
    public static func followNonce(userid: String, action: String, targetUserid: String, timestamp: Int64) -> Digest224 {
        var hasher = SHA3_224()
        hasher.update(userid)
        hasher.update(action)
        hasher.update(targetUserid)
        hasher.update(String(timestamp))
        return hasher.finalize()
    }

    /// The registration nonce:
    /// sha3_224(userid + pubkey_type + pubkey_value + did_type + did_value + timestamp).
    public static func registrationNonce(
        userid: String, pubkeyType: String, pubkeyValue: String, didType: String, didValue: String, timestamp: Int64
    ) -> Digest224 {
        var hasher = SHA3_224()
        hasher.update(userid)
        hasher.update(pubkeyType)
        hasher.update(pubkeyValue)
        hasher.update(didType)
        hasher.update(didValue)
        hasher.update(String(timestamp))
        return hasher.finalize()
    }

    /// The login `signature_content`:
    /// sha3_224(userid + pubkey_value + pubkey_expired_timestamp + timestamp).
    public static func loginContent(
        userid: String, pubkeyValue: String, pubkeyExpiredTimestamp: Int64, timestamp: Int64
    ) -> Digest224 {
        var hasher = SHA3_224()
        hasher.update(userid)
        hasher.update(pubkeyValue)
        hasher.update(String(pubkeyExpiredTimestamp))
        hasher.update(String(timestamp))
        return hasher.finalize()
    }
}
