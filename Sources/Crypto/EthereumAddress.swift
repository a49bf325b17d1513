import Keccak

/// A 20-byte Ethereum account address.
///
/// Parsed from 40 hex digits with or without `0x`: all lowercase, all uppercase, or
/// mixed case, which must carry a valid EIP-55 checksum. Two addresses are equal when
/// their 20 bytes are, whatever case they were written in.
public struct EthereumAddress: Hashable, Sendable, CustomStringConvertible {
    private var storage: (UInt64, UInt64, UInt32) = (0, 0, 0)

    /// The number of bytes in an address.
    public static let byteCount = 20

    /// The address made of exactly 20 `bytes`.
    public init(rawRepresentation bytes: some Sequence<UInt8>) throws(CryptoError) {
        self = try withContiguousBytes(bytes) { (buffer) throws(CryptoError) in
            guard buffer.count == Self.byteCount else {
                throw CryptoError(.invalidLength, "an address is 20 bytes, found \(buffer.count)")
            }
            return EthereumAddress(copying: buffer)
        }
    }

    /// Parses `text`: 40 hex digits, optionally after `0x`; mixed case must be EIP-55.
    public init(parsing text: some StringProtocol) throws(CryptoError) {
        var digits = Substring(text).utf8[...]
        if digits.starts(with: "0x".utf8) { digits = digits.dropFirst(2) }
        guard digits.count == 40 else {
            throw CryptoError(.invalidLength, "an address is 40 hex digits, found \(digits.count)")
        }
        var address = EthereumAddress()
        let valid = withUnsafeMutableBytes(of: &address.storage) { Hex.decodeDigits(digits, into: $0) }
        guard valid else { throw CryptoError(.invalidHex, "an address has a character that is not a hex digit") }
        let hasLower = digits.contains { (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
        let hasUpper = digits.contains { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }
        if hasLower && hasUpper {
            guard address.checksummedDigits.utf8.elementsEqual(digits) else {
                throw CryptoError(.invalidChecksum, "a mixed-case address must carry a valid EIP-55 checksum")
            }
        }
        self = address
    }

    private init() {}

    init(copying buffer: UnsafeRawBufferPointer) {
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: buffer) }
    }

    /// Calls `body` with the 20 bytes.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<Self.byteCount])) }
    }

    /// The 20 bytes in a new array.
    public var rawRepresentation: [UInt8] { withUnsafeBytes { Array($0) } }

    /// `0x` and 40 lowercase hex digits.
    public var lowercased: String { "0x" + withUnsafeBytes { lowercaseHex($0) } }

    /// `0x` and 40 hex digits in EIP-55 mixed case.
    public var checksummed: String { "0x" + checksummedDigits }

    /// The EIP-55 form.
    public var description: String { checksummed }

    /// EIP-55: a letter is uppercase when the matching nibble of keccak256 of the
    /// lowercase digits is 8 or more.
    private var checksummedDigits: String {
        let lower = withUnsafeBytes { lowercaseHex($0) }
        let hash = keccak256(lower.utf8)
        return hash.withUnsafeBytes { hashBytes in
            String(
                decoding: lower.utf8.enumerated().map { index, character -> UInt8 in
                    guard character >= UInt8(ascii: "a") else { return character }
                    let nibble = index % 2 == 0 ? hashBytes[index / 2] >> 4 : hashBytes[index / 2] & 0x0F
                    return nibble >= 8 ? character - 32 : character
                }, as: UTF8.self)
        }
    }

    /// Equal when the 20 bytes are.
    public static func == (lhs: EthereumAddress, rhs: EthereumAddress) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1 && lhs.storage.2 == rhs.storage.2
    }

    /// Hashes the 20 bytes.
    public func hash(into hasher: inout Hasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }
}
