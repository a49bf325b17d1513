import WalletCrypto
import Foundation

/// Loads the vector files committed under `Tests/CryptoVectors/Vectors` (see the README
/// there for where each comes from). Located from this source file, so the tests need
/// nothing outside the repository.
enum VectorFiles {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(relativePath))
    }

    static func json<T: Decodable>(_ relativePath: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: data(relativePath))
    }

    /// One entry of a Keccak team KAT file: `Len` in bits, `Msg` and `MD` in hex.
    struct KnownAnswer: Sendable, CustomStringConvertible {
        let bitLength: Int
        let message: [UInt8]
        let digest: String
        var description: String { "Len = \(bitLength)" }
    }

    /// The byte-aligned entries (`Len` a multiple of 8) of a KAT file.
    static func knownAnswers(_ relativePath: String) throws -> [KnownAnswer] {
        let text = String(decoding: try data(relativePath), as: UTF8.self)
        var answers: [KnownAnswer] = []
        var bitLength: Int?
        var message: String?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "Len": bitLength = Int(parts[1])
            case "Msg": message = parts[1]
            case "MD":
                if let bitLength, let message, bitLength % 8 == 0 {
                    let bytes = bitLength == 0 ? [] : try Hex.decode(message)
                    answers.append(KnownAnswer(bitLength: bitLength, message: bytes, digest: parts[1].lowercased()))
                }
                bitLength = nil
                message = nil
            default: continue
            }
        }
        return answers
    }
}
