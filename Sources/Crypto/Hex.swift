import Keccak

/// Hex text to bytes and back. Decoding is strict: an optional `0x` prefix (lowercase
/// `x` only), digits in either case, an even count; anything else is an error, never
/// a guess.
public enum Hex {
    /// Lowercase hex of `bytes`, without a prefix.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        withContiguousBytes(bytes) { lowercaseHex($0) }
    }

    /// The bytes `text` spells, with or without `0x`.
    public static func decode(_ text: some StringProtocol) throws(CryptoError) -> [UInt8] {
        var utf8 = Substring(text).utf8[...]
        if utf8.starts(with: "0x".utf8) { utf8 = utf8.dropFirst(2) }
        guard utf8.count % 2 == 0 else {
            throw CryptoError(.invalidHex, "hex has an odd number of digits")
        }
        var bytes = [UInt8](repeating: 0, count: utf8.count / 2)
        let valid = bytes.withUnsafeMutableBytes { output in
            decodeDigits(utf8, into: output)
        }
        guard valid else { throw CryptoError(.invalidHex, "hex has a character that is not a hex digit") }
        return bytes
    }

    /// The bytes `text` spells, which must be exactly `byteCount` bytes (2 * byteCount digits).
    public static func decode(_ text: some StringProtocol, byteCount: Int) throws(CryptoError) -> [UInt8] {
        let bytes = try decode(text)
        guard bytes.count == byteCount else {
            throw CryptoError(.invalidLength, "hex must be \(byteCount * 2) digits, found \(bytes.count * 2)")
        }
        return bytes
    }

    /// Decodes the digits in `utf8` (no prefix, 2 digits a byte) into `output`, which
    /// must have room for exactly half as many bytes. Returns false on a non-digit.
    static func decodeDigits(_ utf8: Substring.UTF8View, into output: UnsafeMutableRawBufferPointer) -> Bool {
        precondition(utf8.count == output.count * 2)
        if let valid = utf8.withContiguousStorageIfAvailable({ decodeDigits(UnsafeRawBufferPointer($0), into: output) }) {
            return valid
        }
        return Array(utf8).withUnsafeBytes { decodeDigits($0, into: output) }
    }

    /// ``decodeDigits(_:into:)`` over contiguous UTF-8: one pass, no branch per digit.
    private static func decodeDigits(_ digits: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        var invalid: UInt8 = 0
        for position in 0..<output.count {
            let high = nibble(digits[2 &* position])
            let low = nibble(digits[2 &* position &+ 1])
            invalid |= (high | low) & 0xF0
            output[position] = high << 4 | low
        }
        return invalid == 0
    }

    /// The value of one hex digit, or 0xFF for any other character.
    @inline(__always)
    static func nibble(_ character: UInt8) -> UInt8 {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character &- UInt8(ascii: "A") &+ 10
        default: return 0xFF
        }
    }
}

/// Calls `body` with the bytes of `sequence`, in place when they are contiguous.
@inline(__always)
func withContiguousBytes<Result, Failure: Error>(
    _ sequence: some Sequence<UInt8>, _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
) throws(Failure) -> Result {
    // `withContiguousStorageIfAvailable` rethrows untyped errors; carry ours through a Result.
    let inPlace: Swift.Result<Result, Failure>? = sequence.withContiguousStorageIfAvailable { buffer in
        Swift.Result { () throws(Failure) -> Result in try body(UnsafeRawBufferPointer(buffer)) }
    }
    if let inPlace { return try inPlace.get() }
    let copy = Array(sequence)
    let copied: Swift.Result<Result, Failure> = copy.withUnsafeBytes { bytes in
        Swift.Result { () throws(Failure) -> Result in try body(bytes) }
    }
    return try copied.get()
}
