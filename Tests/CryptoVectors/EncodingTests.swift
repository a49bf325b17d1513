import WalletCrypto
import Foundation
import Testing

/// Hex and base64 decoding are strict: bad input is an error, never a guess.
@Suite("Hex and base64")
struct EncodingTests {
    @Test("hex decodes either case, with or without 0x, and encodes lowercase")
    func hexRoundTrip() throws {
        #expect(try Hex.decode("0x00ff10aB") == [0x00, 0xFF, 0x10, 0xAB])
        #expect(try Hex.decode("00FF10ab") == [0x00, 0xFF, 0x10, 0xAB])
        #expect(try Hex.decode("") == [])
        #expect(try Hex.decode("0x") == [])
        #expect(Hex.encode([0x00, 0xFF, 0x10, 0xAB]) == "00ff10ab")
        #expect(try Hex.decode("abcd", byteCount: 2) == [0xAB, 0xCD])
    }

    @Test("bad hex is an error", arguments: ["0", "0x0", "0xg0", "0X00", "00 ", " 00", "0x0x00", "+1", "é0"])
    func badHex(text: String) {
        #expect(throws: CryptoError.invalidHex) { try Hex.decode(text) }
    }

    @Test("hex of the wrong length for its value is an error")
    func hexLength() {
        #expect(throws: CryptoError.invalidLength) { try Hex.decode("abcd", byteCount: 3) }
    }

    @Test("base64 round-trips every length and agrees with Foundation on canonical input")
    func base64RoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<100 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(try Base64.decode(encoded) == bytes)
        }
    }

    @Test(
        "non-canonical or non-standard base64 is an error",
        arguments: [
            "QQ", "QQ=", "QR==", "QUI", "QUJ=", "Q===", "====", "QUJD\n", " QUJD", "QU JD", "QUJD=", "QU=D",
            "-_-_", "QUJ\u{0}", "QUJDé===",
        ])
    func badBase64(text: String) {
        #expect(throws: CryptoError.invalidBase64) { try Base64.decode(text) }
    }
}
