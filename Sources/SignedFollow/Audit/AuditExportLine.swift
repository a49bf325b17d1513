import WalletCrypto

/// The JSON Lines form of audit entries (docs/protocol.md section 10): one object a line,
/// members in the protocol's order,
/// `{"seq","kind","received_at","request_pubkey","didkey","body_b64","prev_hash","hash"}`,
/// numbers in decimal, hashes in lowercase hex, the body in standard base64, strings
/// escaped by ``JSONEscaping``, each line ended by `\n`. The service's export, the CLI's
/// offline export and the audit verifier's reader all use this one definition.
public enum AuditExportLine {
    /// The line of `entry`, its `\n` included.
    public static func bytes(_ entry: AuditEntry) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256 + entry.body.count * 4 / 3)
        append(entry, to: &output)
        return output
    }

    /// Appends the line of `entry`, its `\n` included, to `output`.
    public static func append(_ entry: AuditEntry, to output: inout [UInt8]) {
        output.append(contentsOf: #"{"seq":"#.utf8)
        output.append(contentsOf: String(entry.seq).utf8)
        output.append(contentsOf: #","kind":"#.utf8)
        JSONEscaping.appendString(entry.kind, to: &output)
        output.append(contentsOf: #","received_at":"#.utf8)
        output.append(contentsOf: String(entry.receivedAt).utf8)
        output.append(contentsOf: #","request_pubkey":"#.utf8)
        JSONEscaping.appendString(entry.requestPubkey, to: &output)
        output.append(contentsOf: #","didkey":"#.utf8)
        JSONEscaping.appendString(entry.didkey, to: &output)
        output.append(contentsOf: #","body_b64":""#.utf8)
        output.append(contentsOf: Base64.encode(entry.body).utf8)
        output.append(contentsOf: #"","prev_hash":""#.utf8)
        output.append(contentsOf: Hex.encode(entry.prevHash).utf8)
        output.append(contentsOf: #"","hash":""#.utf8)
        output.append(contentsOf: Hex.encode(entry.hash).utf8)
        output.append(contentsOf: "\"}\n".utf8)
    }
}
