import NIOCore
import SignedFollow
import WalletCrypto

/// The JSON Lines form of audit entries (docs/protocol.md section 10): one object a line,
/// members in the protocol's order,
/// `{"seq","kind","received_at","request_pubkey","didkey","body_b64","prev_hash","hash"}`,
/// numbers in decimal, hashes in lowercase hex, the body in standard base64, each line
/// ended by `\n`.
public enum AuditExportLine {
    /// The line of `entry`, its `\n` included (for writers without a `ByteBuffer`).
    public static func bytes(_ entry: AuditEntry) -> [UInt8] {
        var buffer = ByteBuffer()
        write(entry, to: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// Appends the line of `entry` to `buffer`.
    static func write(_ entry: AuditEntry, to buffer: inout ByteBuffer) {
        buffer.writeStaticString("{\"seq\":")
        buffer.writeString(String(entry.seq))
        buffer.writeStaticString(",\"kind\":")
        writeJSONString(entry.kind, to: &buffer)
        buffer.writeStaticString(",\"received_at\":")
        buffer.writeString(String(entry.receivedAt))
        buffer.writeStaticString(",\"request_pubkey\":")
        writeJSONString(entry.requestPubkey, to: &buffer)
        buffer.writeStaticString(",\"didkey\":")
        writeJSONString(entry.didkey, to: &buffer)
        buffer.writeStaticString(",\"body_b64\":\"")
        buffer.writeString(Base64.encode(entry.body))
        buffer.writeStaticString("\",\"prev_hash\":\"")
        buffer.writeString(Hex.encode(entry.prevHash))
        buffer.writeStaticString("\",\"hash\":\"")
        buffer.writeString(Hex.encode(entry.hash))
        buffer.writeStaticString("\"}\n")
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped,
    /// everything else as its UTF-8 bytes.
    static func writeJSONString(_ text: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        // Kinds, hex keys and dids never need escaping: one copy of the whole string.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            buffer.writeString(text)
            buffer.writeInteger(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x00..<0x20:
                buffer.writeStaticString("\\u00")
                buffer.writeInteger(hexDigits[Int(byte >> 4)])
                buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
