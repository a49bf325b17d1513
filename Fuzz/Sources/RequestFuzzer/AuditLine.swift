import Keccak
import SignedFollow
import SignedFollowClient
import WalletCrypto

/// An audit export line (docs/protocol.md section 10) read into its fields, so the fuzzer can
/// rewrite its chain hashes as a forger would.
struct AuditLine {
    let seq: Int64
    let kind: String
    let receivedAt: Int64
    let requestPubkey: String
    let didkey: String
    let body: [UInt8]
    let prevHash: [UInt8]

    /// The fields of `line`, or nil when it is not an export line.
    init?(_ line: [UInt8]) {
        guard let object = try? JSONReader.object(from: line),
            let seq = try? object.integer("seq"), let kind = try? object.string("kind"),
            let receivedAt = try? object.integer("received_at"), let requestPubkey = try? object.string("request_pubkey"),
            let didkey = try? object.string("didkey"), let body = try? Base64.decode(object.string("body_b64")),
            let prevHash = try? Hex.decode(object.string("prev_hash"), byteCount: 32)
        else { return nil }
        (self.seq, self.kind, self.receivedAt, self.requestPubkey, self.didkey, self.body, self.prevHash) =
            (seq, kind, receivedAt, requestPubkey, didkey, body, prevHash)
    }

    /// The line with `prev_hash` set to `previous` (when given) and `hash` recomputed.
    func rechained(after previous: [UInt8]?) -> (text: [UInt8], hash: [UInt8]) {
        let prevHash = previous ?? self.prevHash
        let hash = AuditChain.hash(
            prevHash: prevHash, seq: seq, kind: kind, receivedAt: receivedAt, requestPubkey: requestPubkey, didkey: didkey,
            body: body
        ).bytes
        let text = JSONWriter.object([
            ("seq", .integer(seq)), ("kind", .string(kind)), ("received_at", .integer(receivedAt)),
            ("request_pubkey", .string(requestPubkey)), ("didkey", .string(didkey)), ("body_b64", .string(Base64.encode(body))),
            ("prev_hash", .string(Hex.encode(prevHash))), ("hash", .string(Hex.encode(hash))),
        ])
        return (text, hash)
    }
}
