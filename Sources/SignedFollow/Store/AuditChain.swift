import Keccak

// Invariants this file relies on: docs/store.md S13.

/// The audit log's hash chain (docs/protocol.md section 10), shared by the store that appends
/// entries and by whoever verifies an export.
public enum AuditChain {
    /// The `prev_hash` of entry 1: 32 zero bytes.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// `sha3_256(prev_hash || seq || "\n" || kind || "\n" || received_at || "\n" ||
    /// request_pubkey || "\n" || didkey || "\n" || body)`, numbers in decimal ASCII,
    /// text in UTF-8, `prev_hash` as its raw 32 bytes.
    public static func hash(
        prevHash: [UInt8], seq: Int64, kind: String, receivedAt: Int64, requestPubkey: String, didkey: String,
        body: [UInt8]
    ) -> Digest256 {
        var hasher = SHA3_256()
        hasher.update(prevHash)
        hasher.update(String(seq))
        hasher.update("\n")
        hasher.update(kind)
        hasher.update("\n")
        hasher.update(String(receivedAt))
        hasher.update("\n")
        hasher.update(requestPubkey)
        hasher.update("\n")
        hasher.update(didkey)
        hasher.update("\n")
        hasher.update(body)
        return hasher.finalize()
    }

    /// The chain hash of the entry at `seq` recording `record`.
    static func hash(prevHash: [UInt8], seq: Int64, record: AuditRecord) -> Digest256 {
        hash(
            prevHash: prevHash, seq: seq, kind: record.kind, receivedAt: record.receivedAt,
            requestPubkey: record.requestPubkey, didkey: record.didkey, body: record.body)
    }
}
