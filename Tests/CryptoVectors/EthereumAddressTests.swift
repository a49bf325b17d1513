import WalletCrypto
import Testing

/// `EthereumAddress` parsing and EIP-55, against the EIP-55 examples and eth-utils
/// (`scripts/vectors/gen_eip55_vectors.py`).
@Suite("Ethereum addresses")
struct EthereumAddressTests {
    struct File: Decodable {
        struct Pair: Decodable {
            let lowercase: String
            let checksummed: String
        }
        let vectors: [Pair]
        let bad_checksum: [String]
    }

    static let file = try! VectorFiles.json("eip55_eth_utils.json", as: File.self)

    @Test("lowercase, uppercase and EIP-55 forms parse to the same address and print as eth-utils does")
    func forms() throws {
        #expect(Self.file.vectors.count >= 100)
        for pair in Self.file.vectors {
            let fromLower = try EthereumAddress(parsing: pair.lowercase)
            let fromChecksummed = try EthereumAddress(parsing: pair.checksummed)
            let fromUpper = try EthereumAddress(parsing: "0x" + pair.lowercase.dropFirst(2).uppercased())
            let withoutPrefix = try EthereumAddress(parsing: pair.checksummed.dropFirst(2))
            #expect(fromLower == fromChecksummed && fromUpper == fromLower && withoutPrefix == fromLower)
            #expect(fromLower.checksummed == pair.checksummed)
            #expect(fromLower.lowercased == pair.lowercase)
            #expect(fromLower.rawRepresentation.count == 20)
            #expect(try EthereumAddress(rawRepresentation: fromLower.rawRepresentation) == fromLower)
        }
    }

    @Test("a mixed-case address with a wrong checksum is an error")
    func badChecksums() {
        #expect(Self.file.bad_checksum.count >= 40)
        for address in Self.file.bad_checksum {
            #expect(throws: CryptoError.invalidChecksum, "\(address)") { try EthereumAddress(parsing: address) }
        }
    }

    @Test(
        "malformed addresses are errors, never guesses",
        arguments: [
            ("", CryptoError.invalidLength),
            ("0x", CryptoError.invalidLength),
            ("0xf39fd6e51aad88f6f4ce6ab8827279cfffb9226", CryptoError.invalidLength),
            ("0xf39fd6e51aad88f6f4ce6ab8827279cfffb922666", CryptoError.invalidLength),
            ("0Xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", CryptoError.invalidLength),
            ("0xf39fd6e51aad88f6f4ce6ab8827279cfffb9226g", CryptoError.invalidHex),
            (" 0xf39fd6e51aad88f6f4ce6ab8827279cfffb9226", CryptoError.invalidLength),
            ("0x f39fd6e51aad88f6f4ce6ab8827279cfffb9226", CryptoError.invalidHex),
            ("0xf39fd6e51aad88f6f4ce6ab8827279cfffb9226é", CryptoError.invalidLength),
        ])
    func malformed(text: String, error: CryptoError) {
        #expect(throws: error) { try EthereumAddress(parsing: text) }
    }

    @Test("raw representations must be exactly 20 bytes")
    func rawLength() {
        #expect(throws: CryptoError.invalidLength) { try EthereumAddress(rawRepresentation: [UInt8](repeating: 1, count: 19)) }
        #expect(throws: CryptoError.invalidLength) { try EthereumAddress(rawRepresentation: [UInt8](repeating: 1, count: 21)) }
    }
}
