import WalletCrypto
import Keccak
import Testing

/// SHA3-224, SHA3-256 and Keccak-256 against Python's hashlib (OpenSSL) and
/// pycryptodome (`scripts/vectors/gen_sha3_hashlib_vectors.py`): every length from 0 to
/// 300 bytes, longer messages, and the million-'a' message.
@Suite("hashlib and pycryptodome vectors")
struct HashlibVectorTests {
    struct File: Decodable {
        struct Repeat: Decodable {
            let byte_hex: String
            let count: Int
        }
        struct Vector: Decodable {
            let message_hex: String?
            let message_repeat: Repeat?
            let sha3_224: String
            let sha3_256: String
            let keccak256: String
        }
        let vectors: [Vector]
    }

    @Test("every vector, including the million-'a' message, hashes as hashlib and pycryptodome say")
    func vectors() throws {
        let file = try VectorFiles.json("sha3_hashlib.json", as: File.self)
        #expect(file.vectors.count >= 300)
        var sawMillion = false
        for vector in file.vectors {
            let message: [UInt8]
            if let repeated = vector.message_repeat {
                message = try [UInt8](repeating: Hex.decode(repeated.byte_hex, byteCount: 1)[0], count: repeated.count)
                sawMillion = sawMillion || repeated.count == 1_000_000
            } else {
                message = try Hex.decode(try #require(vector.message_hex))
            }
            #expect(sha3_224(message).hexString == vector.sha3_224, "\(message.count) bytes")
            #expect(sha3_256(message).hexString == vector.sha3_256, "\(message.count) bytes")
            #expect(keccak256(message).hexString == vector.keccak256, "\(message.count) bytes")
        }
        #expect(sawMillion)
    }
}
