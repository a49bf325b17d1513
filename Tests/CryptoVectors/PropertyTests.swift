import WalletCrypto
import Keccak
import Testing

/// Properties over random keys and messages: signing then recovering gives the signer,
/// and any changed byte of the message or the signature changes the outcome.
@Suite("Signature properties")
struct PropertyTests {
    /// A reproducible generator (SplitMix64), so a failure names a seed that replays it.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomBytes(_ count: Int, _ generator: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    @Test("sign then recover returns the signer, for random keys and messages", arguments: 0..<4 as Range<UInt64>)
    func signThenRecover(seed: UInt64) throws {
        var generator = SplitMix64(state: seed)
        for _ in 0..<50 {
            guard let key = try? Secp256k1PrivateKey(rawRepresentation: Self.randomBytes(32, &generator)) else { continue }
            let message = Self.randomBytes(Int.random(in: 0...300, using: &generator), &generator)
            let signature = key.signature(forPersonalMessage: message)
            #expect(try signature.recoverAddress(personalMessage: message) == key.address, "seed \(seed)")
            let reparsed = try RecoverableSignature(rawRepresentation: signature.rawRepresentation)
            #expect(reparsed == signature)
            #expect(try RecoverableSignature(rawRepresentation: signature.compactRepresentation) == signature)
        }
    }

    @Test("flipping any byte of the message or the signature never recovers the signer")
    func byteFlips() throws {
        var generator = SplitMix64(state: 42)
        let key = try Secp256k1PrivateKey(rawRepresentation: Self.randomBytes(32, &generator))
        let message = Array("Web3MQ wants you to sign in with your eth account:\n\(key.address)\nFor follow signature".utf8)
        let signature = key.signature(forPersonalMessage: message).rawRepresentation
        for index in message.indices {
            var changed = message
            changed[index] ^= UInt8.random(in: 1...255, using: &generator)
            let recovered = try RecoverableSignature(rawRepresentation: signature).recoverAddress(personalMessage: changed)
            #expect(recovered != key.address, "message byte \(index)")
        }
        for index in signature.indices {
            var changed = signature
            changed[index] ^= UInt8.random(in: 1...255, using: &generator)
            // A changed signature is rejected when parsed, fails to recover, or recovers
            // to another address; it never yields the signer.
            let recovered = try? RecoverableSignature(rawRepresentation: changed).recoverAddress(personalMessage: message)
            #expect(recovered != key.address, "signature byte \(index)")
        }
    }

    @Test("ed25519: sign then verify holds, and a flipped byte of message or signature fails")
    func ed25519Flips() throws {
        var generator = SplitMix64(state: 7)
        for _ in 0..<20 {
            let keyPair = try Ed25519KeyPair(seed: Self.randomBytes(32, &generator))
            let message = Self.randomBytes(Int.random(in: 1...200, using: &generator), &generator)
            let signature = keyPair.signature(for: message)
            #expect(keyPair.publicKey.isValidSignature(signature, for: message))
            var changedMessage = message
            changedMessage[Int.random(in: 0..<message.count, using: &generator)] ^= 0x01
            #expect(!keyPair.publicKey.isValidSignature(signature, for: changedMessage))
            var changedSignature = signature.rawRepresentation
            changedSignature[Int.random(in: 0..<64, using: &generator)] ^= 0x01
            #expect(!keyPair.publicKey.isValidSignature(try Ed25519Signature(rawRepresentation: changedSignature), for: message))
        }
    }

    @Test("one process-wide secp256k1 context serves concurrent recoveries")
    func concurrentRecovery() async throws {
        let key = try Secp256k1PrivateKey(rawRepresentation: [UInt8](repeating: 0x11, count: 32))
        let expected = key.address
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let message = Array("message \(task)".utf8)
                    let signature = key.signature(forPersonalMessage: message)
                    return try signature.recoverAddress(personalMessage: message) == expected
                }
            }
            for try await matched in group { #expect(matched) }
        }
    }
}
