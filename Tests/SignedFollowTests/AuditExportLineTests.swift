import Foundation
@_spi(Benchmarks) import SignedFollow
import Testing
import WalletCrypto

/// One export line: the protocol's members in order, and strings that JSON parsers read
/// back exactly, whatever characters the recorded headers hold.
@Suite("Audit export line")
struct AuditExportLineTests {
    static func line(_ entry: AuditEntry) -> String {
        String(decoding: AuditExportLine.bytes(entry), as: UTF8.self)
    }

    static func entry(didkey: String) -> AuditEntry {
        AuditEntry(
            seq: 7, kind: "follow", receivedAt: 1_689_150_327_546, requestPubkey: "", didkey: didkey,
            body: Array("{\"a\":1}\u{0}\u{FF}".utf8), prevHash: [UInt8](repeating: 0xAB, count: 32),
            hash: [UInt8](repeating: 0x01, count: 32))
    }

    @Test("members are written in the protocol's order, hashes in lowercase hex, the body in base64, a newline last")
    func layout() throws {
        let text = Self.line(Self.entry(didkey: "eth:0xabc"))
        #expect(
            text == "{\"seq\":7,\"kind\":\"follow\",\"received_at\":1689150327546,\"request_pubkey\":\"\","
                + "\"didkey\":\"eth:0xabc\",\"body_b64\":\"\(Base64.encode(Array("{\"a\":1}\u{0}\u{FF}".utf8)))\","
                + "\"prev_hash\":\"\(String(repeating: "ab", count: 32))\",\"hash\":\"\(String(repeating: "01", count: 32))\"}\n")
    }

    @Test(
        "quotes, backslashes, control and non-ASCII characters round-trip through a JSON parser",
        arguments: [
            "eth:\"quoted\"", "back\\slash", "line\nbreak\r\ttab", "nul\u{0}bell\u{7}esc\u{1B}", "ünïcode ✓ 𝄞",
            "back\u{8}space form\u{C}feed",
        ])
    func escaping(_ didkey: String) throws {
        let text = Self.line(Self.entry(didkey: didkey))
        #expect(text.filter { $0 == "\n" }.count == 1 && text.hasSuffix("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["didkey"] as? String == didkey)
    }
}
