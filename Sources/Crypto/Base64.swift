/// Standard base64 (RFC 4648 section 4, `+` and `/`, `=` padding), decoded strictly:
/// padding is required, no white space, no URL-safe characters, and the unused bits
/// of the last character must be zero, so each byte string has exactly one encoding.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The canonical base64 of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let chunk = input[index..<min(index + 3, input.count)]
            let b0 = chunk[chunk.startIndex]
            let b1 = chunk.count > 1 ? chunk[chunk.startIndex + 1] : 0
            let b2 = chunk.count > 2 ? chunk[chunk.startIndex + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            output.append(chunk.count > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            output.append(chunk.count > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `text` encodes, or `invalidBase64` if it is not canonical standard base64.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        let characters = Array(text.utf8)
        guard characters.count % 4 == 0 else {
            throw CryptoError(.invalidBase64, "base64 length is not a multiple of 4")
        }
        let padding = characters.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { throw CryptoError(.invalidBase64, "base64 has too much padding") }
        var output = [UInt8]()
        output.reserveCapacity(characters.count / 4 * 3)
        var accumulator: UInt32 = 0
        for (position, character) in characters.enumerated() {
            let value: UInt32
            if position >= characters.count - padding {
                value = 0
            } else {
                guard let sextet = sextet(character) else {
                    throw CryptoError(.invalidBase64, "base64 has a character outside the standard alphabet")
                }
                value = UInt32(sextet)
            }
            accumulator = accumulator << 6 | value
            if position % 4 == 3 {
                output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
            }
        }
        if padding > 0 {
            // The bits that padding stands for must be zero in a canonical encoding.
            let last = output.count - padding
            guard output[last...].allSatisfy({ $0 == 0 }) else {
                throw CryptoError(.invalidBase64, "base64 is not canonical (non-zero padding bits)")
            }
            output.removeLast(padding)
        }
        return output
    }

    private static func sextet(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
