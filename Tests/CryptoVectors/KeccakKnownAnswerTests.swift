import Keccak
import Testing

/// Keccak-f[1600] and the sponge against the Keccak team's KAT files (FIPS 202 SHA3-224
/// and SHA3-256, original Keccak-256), every byte-aligned entry.
@Suite("Keccak team known answers")
struct KeccakKnownAnswerTests {
    /// The hash a KAT file checks.
    enum Function: Sendable {
        case sha3_224, sha3_256, keccak256

        func hex(of message: [UInt8]) -> String {
            switch self {
            case .sha3_224: Keccak.sha3_224(message).hexString
            case .sha3_256: Keccak.sha3_256(message).hexString
            case .keccak256: Keccak.keccak256(message).hexString
            }
        }
    }

    @Test(
        "every byte-aligned entry of each KAT file matches",
        arguments: [
            ("kat/ShortMsgKAT_SHA3-224.txt", Function.sha3_224, 256),
            ("kat/ShortMsgKAT_SHA3-256.txt", Function.sha3_256, 256),
            ("kat/Keccak_ShortMsgKAT_256.txt", Function.keccak256, 256),
        ])
    func shortMessages(file: String, function: Function, entries: Int) throws {
        let answers = try VectorFiles.knownAnswers(file)
        #expect(answers.count == entries)
        for answer in answers {
            #expect(function.hex(of: answer.message) == answer.digest, "\(file) \(answer)")
        }
    }

    @Test("Keccak-256 matches every byte-aligned LongMsgKAT entry (multi-block)")
    func keccak256LongMessages() throws {
        let answers = try VectorFiles.knownAnswers("kat/Keccak_LongMsgKAT_256.txt")
        #expect(answers.count > 10)
        #expect(answers.allSatisfy { $0.message.count > 136 })
        for answer in answers {
            #expect(keccak256(answer.message).hexString == answer.digest, "\(answer)")
        }
    }

    /// The lengths where padding crosses a block: rate - 1, rate and rate + 1 for both
    /// rates (136 bytes for the 256-bit functions, 144 for SHA3-224), the empty message,
    /// and a message of several blocks.
    @Test(
        "the rate boundaries, the empty message and a multi-block message are in the KATs and pass",
        arguments: [
            ("kat/ShortMsgKAT_SHA3-256.txt", Function.sha3_256, [0, 1, 135, 136, 137, 143, 144, 145, 255]),
            ("kat/ShortMsgKAT_SHA3-224.txt", Function.sha3_224, [0, 1, 135, 136, 137, 143, 144, 145, 255]),
            ("kat/Keccak_ShortMsgKAT_256.txt", Function.keccak256, [0, 1, 135, 136, 137, 255]),
        ])
    func boundaryLengths(file: String, function: Function, byteLengths: [Int]) throws {
        let answers = try VectorFiles.knownAnswers(file)
        for length in byteLengths {
            let answer = try #require(answers.first { $0.message.count == length }, "no \(length)-byte entry in \(file)")
            #expect(function.hex(of: answer.message) == answer.digest, "\(file) \(length) bytes")
        }
    }

    @Test("incremental hashing split at every point equals one-shot hashing")
    func incrementalMatchesOneShot() throws {
        let message = (0..<400).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected256 = sha3_256(message)
        let expectedKeccak = keccak256(message)
        let expected224 = sha3_224(message)
        for split in 0...message.count {
            var sha3 = SHA3_256()
            sha3.update(message[..<split])
            sha3.update(message[split...])
            #expect(sha3.finalize() == expected256, "split at \(split)")
            var keccak = Keccak256()
            keccak.update(message[..<split])
            keccak.update(message[split...])
            #expect(keccak.finalize() == expectedKeccak, "split at \(split)")
            var sha224 = SHA3_224()
            sha224.update(message[..<split])
            sha224.update(message[split...])
            #expect(sha224.finalize() == expected224, "split at \(split)")
        }
        // Byte by byte, and finalize does not consume the hasher.
        var hasher = SHA3_256()
        for byte in message { hasher.update(CollectionOfOne(byte)) }
        #expect(hasher.finalize() == expected256)
        #expect(hasher.finalize() == expected256)
    }

    @Test("a string hashes as its UTF-8 bytes")
    func stringsHashAsUTF8() {
        let text = "Grüße 🦊 from signed-follow"
        #expect(keccak256(text) == keccak256(Array(text.utf8)))
        #expect(sha3_224(text) == sha3_224(Array(text.utf8)))
        #expect(sha3_256(text[...]) == sha3_256(Array(text.utf8)))
    }
}
