// The crypto benchmarks of signed-follow: our wrappers against the raw C calls they wrap,
// and our pure-Swift Keccak against OpenSSL's SHA3-256, all measured in one run.
//
// Names sort so that the things compared sit next to each other (the harness runs them in
// name order). `ratios.py` parses the names, so keep the "<group> <case>: <variant>" shape.
//
// Every input is real (a key from a fixed seed, a signature made with it) and is checked
// before anything is timed: a wrapper or raw loop that returned the wrong answer would
// make its figure meaningless. Loop results go to `blackHole` so nothing is optimised away.

import Benchmark
import COpenSSLCrypto
import CSecp256k1
import CSodium
import Crypto
import Keccak

/// Hashes per sample: a single hash is a few hundred nanoseconds, so one sample times a
/// thousand of them and the harness divides (the `*` rows of its tables).
private let hashConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal],
    timeUnits: .nanoseconds,
    warmupIterations: 20,
    scalingFactor: .kilo,
    maxDuration: .seconds(2),
    maxIterations: 1_000_000
)

/// Recovery and ed25519 calls take tens of microseconds: one call a sample leaves the
/// clock's own cost (tens of nanoseconds) below 0.1% of a sample.
private let slowConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal],
    timeUnits: .nanoseconds,
    warmupIterations: 20,
    scalingFactor: .one,
    maxDuration: .seconds(2),
    maxIterations: 1_000_000
)

// MARK: - Fixtures

/// `count` deterministic, non-trivial bytes.
private func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ Int(seed) &* 17 &+ 7) }
}

/// A copy of `bytes` in memory that lives for the whole process (so the raw C loops touch
/// nothing but a pointer, as a C caller would).
private func permanentCopy(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8> {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
    pointer.initialize(from: bytes, count: bytes.count)
    return pointer
}

private func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError("CryptoBenchmarks sanity check failed: \(message())")
    }
}

/// OpenSSL's SHA3-256 of `bytes` by the one-shot call, for the sanity checks.
private func openSSLSHA3_256(_ bytes: [UInt8]) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    let ok = bytes.withUnsafeBytes { input in
        output.withUnsafeMutableBytes { out in
            EVP_Digest(input.baseAddress, input.count, out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                       &length, EVP_sha3_256(), nil)
        }
    }
    check(ok == 1 && length == 32, "EVP_Digest(SHA3-256) failed")
    return output
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    // --- Known-answer checks of the hashes, before any timing.
    check(keccak256([UInt8]()).hexString == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
          "keccak256(\"\") is wrong")
    check(sha3_256(Array("abc".utf8)).hexString == "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
          "sha3_256(\"abc\") is wrong")
    check(hex(openSSLSHA3_256(Array("abc".utf8))) == sha3_256(Array("abc".utf8)).hexString,
          "OpenSSL SHA3-256(\"abc\") disagrees with ours")

    // --- 1. Hashing: 32 bytes (a digest), 136 (exactly one SHA3-256/Keccak-256 block,
    // so two permutations), 200 (one full block and a partial one).
    let md = EVP_MD_fetch(nil, "SHA3-256", nil)
    check(md != nil, "EVP_MD_fetch(SHA3-256) returned NULL")
    let context = EVP_MD_CTX_new()
    check(context != nil, "EVP_MD_CTX_new returned NULL")
    let openSSLOutput = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)

    for size in [32, 136, 200] {
        let input = pattern(size, seed: UInt8(size & 0xFF))
        let inputPointer = permanentCopy(input)
        let label = "Hash " + (size < 100 ? "0" : "") + "\(size)B"

        // Sanity: ours against OpenSSL, by both OpenSSL forms.
        let expected = openSSLSHA3_256(input)
        check(sha3_256(input).bytes == expected, "sha3_256 differs from OpenSSL at \(size) bytes")
        var length: UInt32 = 0
        check(EVP_DigestInit_ex2(context, md, nil) == 1
                && EVP_DigestUpdate(context, inputPointer, size) == 1
                && EVP_DigestFinal_ex(context, openSSLOutput, &length) == 1
                && length == 32
                && Array(UnsafeBufferPointer(start: openSSLOutput, count: 32)) == expected,
              "the reused-context OpenSSL SHA3-256 differs at \(size) bytes")
        check(keccak256(input) != sha3_256(input), "keccak256 equals sha3_256 at \(size) bytes")

        Benchmark("\(label): keccak256 ours", configuration: hashConfiguration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(keccak256(input))
            }
        }

        Benchmark("\(label): sha3_256 ours", configuration: hashConfiguration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(sha3_256(input))
            }
        }

        // OpenSSL's one-shot call: implicit fetch of the algorithm and a fresh context per hash.
        Benchmark("\(label): sha3_256 OpenSSL EVP_Digest", configuration: hashConfiguration) { benchmark in
            var length: UInt32 = 0
            for _ in benchmark.scaledIterations {
                let ok = EVP_Digest(inputPointer, size, openSSLOutput, &length, EVP_sha3_256(), nil)
                blackHole(ok)
            }
        }

        // OpenSSL at its fastest fair use: the EVP_MD fetched once and one EVP_MD_CTX reused.
        Benchmark("\(label): sha3_256 OpenSSL reused ctx", configuration: hashConfiguration) { benchmark in
            var length: UInt32 = 0
            for _ in benchmark.scaledIterations {
                EVP_DigestInit_ex2(context, md, nil)
                EVP_DigestUpdate(context, inputPointer, size)
                let ok = EVP_DigestFinal_ex(context, openSSLOutput, &length)
                blackHole(ok)
            }
        }
    }

    // --- 2. secp256k1 recovery: a real personal_sign signature by a key from a fixed secret.
    let privateKey = try! Secp256k1PrivateKey(rawRepresentation: keccak256("signed-follow benchmark key").bytes)
    let signer = privateKey.address
    let messageHash = PersonalMessage.hash("signed-follow benchmark: follow 0x00000000000000000000000000000000000000ff")
    let signature = privateKey.signature(forHash: messageHash)
    let signatureBytes = signature.rawRepresentation // 65 bytes r || s || v, v 27 or 28
    check(signatureBytes.count == 65, "a signature is not 65 bytes")
    check((try? signature.recoverAddress(messageHash: messageHash)) == signer, "recoverAddress is not the signer")
    check((try? RecoverableSignature(rawRepresentation: signatureBytes)) == signature, "signature parse round trip")

    // The raw C loop's inputs and scratch, all outside the loop, with its one context.
    guard let secp256k1 = secp256k1_context_create(csecp256k1_context_none()) else {
        fatalError("secp256k1_context_create failed")
    }
    let rawSignature = permanentCopy(signatureBytes)
    let rawHash = permanentCopy(messageHash.bytes)
    let rawRecoveryID = Int32(signatureBytes[64]) - 27
    let uncompressed = UnsafeMutablePointer<UInt8>.allocate(capacity: 65)

    /// parse + recover + serialise + keccak256(x || y): exactly what recoverAddress does,
    /// minus the wrapper. Returns the keccak256 digest (the address is its last 20 bytes).
    @inline(__always)
    func rawRecover() -> Digest256? {
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        var publicKey = secp256k1_pubkey()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1, &recoverable, rawSignature, rawRecoveryID) == 1,
              secp256k1_ecdsa_recover(secp256k1, &publicKey, &recoverable, rawHash) == 1
        else { return nil }
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(secp256k1, uncompressed, &length, &publicKey, csecp256k1_ec_uncompressed())
        return keccak256(UnsafeRawBufferPointer(start: uncompressed + 1, count: 64))
    }
    let rawDigest = rawRecover()
    check(rawDigest.map { Array($0.bytes[12..<32]) } == signer.rawRepresentation,
          "the raw C recovery loop does not give the signer")

    Benchmark("Recover address: ours, signature parsed once", configuration: slowConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! signature.recoverAddress(messageHash: messageHash))
        }
    }

    Benchmark("Recover address: ours, parsing 65 bytes each time", configuration: slowConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            let parsed = try! RecoverableSignature(rawRepresentation: signatureBytes)
            blackHole(try! parsed.recoverAddress(messageHash: messageHash))
        }
    }

    Benchmark("Recover address: raw libsecp256k1", configuration: slowConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(rawRecover()!)
        }
    }

    // --- 3. ed25519: a key from a fixed seed, a real signature over a 120-byte message.
    check(sodium_init() >= 0, "sodium_init failed")
    let keyPair = try! Ed25519KeyPair(seed: pattern(32, seed: 0x19))
    let message = pattern(120, seed: 120)
    let edSignature = keyPair.signature(for: message)
    let edPublicKey = keyPair.publicKey
    let publicKeyBytes = edPublicKey.rawRepresentation
    check(edPublicKey.isValidSignature(edSignature, for: message), "our ed25519 verify rejects a good signature")
    var tampered = message
    tampered[0] ^= 1
    check(!edPublicKey.isValidSignature(edSignature, for: tampered), "our ed25519 verify accepts a bad signature")
    check((try? Ed25519PublicKey(rawRepresentation: publicKeyBytes)) == edPublicKey, "public key round trip")

    let rawPublicKey = permanentCopy(publicKeyBytes)
    let rawEdSignature = permanentCopy(edSignature.rawRepresentation)
    let rawMessage = permanentCopy(message)
    let messageLength = UInt64(message.count)
    check(crypto_sign_verify_detached(rawEdSignature, rawMessage, messageLength, rawPublicKey) == 0,
          "raw crypto_sign_verify_detached rejects a good signature")
    let rawTampered = permanentCopy(tampered)
    check(crypto_sign_verify_detached(rawEdSignature, rawTampered, messageLength, rawPublicKey) != 0,
          "raw crypto_sign_verify_detached accepts a bad signature")
    check(crypto_core_ed25519_is_valid_point(rawPublicKey) == 1, "raw is_valid_point rejects the key")

    Benchmark("Ed25519 verify: ours", configuration: slowConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(edPublicKey.isValidSignature(edSignature, for: message))
        }
    }

    Benchmark("Ed25519 verify: raw libsodium", configuration: slowConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(crypto_sign_verify_detached(rawEdSignature, rawMessage, messageLength, rawPublicKey) == 0)
        }
    }

    Benchmark("Ed25519 point check: ours", configuration: slowConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! Ed25519PublicKey(rawRepresentation: publicKeyBytes))
        }
    }

    Benchmark("Ed25519 point check: raw libsodium", configuration: slowConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(crypto_core_ed25519_is_valid_point(rawPublicKey) == 1)
        }
    }
}
