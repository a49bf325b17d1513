// StarkNet crypto against StarkWare's C++ (crypto-cpp, as crypto-cpp-py ships it in
// libcrypto_c_exports.so): ECDSA verification and the Pedersen hash, on the same inputs,
// in alternating rounds of one run; prints medians, ratios and a last line `JSON: {...}`.
//
//   swift build -c release --product StarkBenchmark
//   taskset -c 0 .build/release/StarkBenchmark [--lib PATH] [--rounds N] [--verifies N] [--hashes N]
//
// The library path comes from --lib, else STARK_CRYPTO_CPP_LIB, else the venv the vector
// scripts use. Its C exports take 32-byte little-endian numbers:
//   int  Hash(const uint8_t a[32], const uint8_t b[32], uint8_t out[1024])
//   bool Verify(const uint8_t stark_key[32], const uint8_t msg_hash[32],
//               const uint8_t r[32], const uint8_t w[32])      (w = s^-1 mod n, not s)
//
// Verification is timed three ways: C++ `Verify(x, z, r, w)`; ours from the same text a
// request carries (key from its x, signature from r and s, which computes w, then
// verify); and ours with key and signature already parsed. Each input pair is checked to
// give the same verdict (true) on both sides, and each hash the same value.

import Foundation
import WalletCrypto

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Options

struct Options {
    var library =
        ProcessInfo.processInfo.environment["STARK_CRYPTO_CPP_LIB"]
        ?? "/tmp/starkvenv/lib/python3.11/site-packages/libcrypto_c_exports.so"
    var rounds = 7
    var verifies = 500
    var hashes = 5_000

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let text = rest.popFirst() else { Self.fail("missing value for \(flag)") }
            switch flag {
            case "--lib": library = text
            case "--rounds": rounds = Self.count(text)
            case "--verifies": verifies = Self.count(text)
            case "--hashes": hashes = Self.count(text)
            default: Self.fail("unknown option \(flag)")
            }
        }
    }

    static func count(_ text: String) -> Int {
        guard let value = Int(text), value > 0 else { fail("not a positive count: \(text)") }
        return value
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}

// MARK: - The C++ library

struct CryptoCpp {
    typealias HashFunction = @convention(c) (UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafeMutablePointer<UInt8>) -> Int32
    typealias VerifyFunction =
        @convention(c) (
            UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>
        ) -> Bool

    let hash: HashFunction
    let verify: VerifyFunction

    init(path: String) {
        guard let handle = dlopen(path, RTLD_NOW) else {
            Options.fail("cannot load \(path): \(String(cString: dlerror()))")
        }
        guard let hash = dlsym(handle, "Hash"), let verify = dlsym(handle, "Verify") else {
            Options.fail("\(path) has no Hash or Verify export")
        }
        self.hash = unsafeBitCast(hash, to: HashFunction.self)
        self.verify = unsafeBitCast(verify, to: VerifyFunction.self)
    }
}

/// The 32 little-endian bytes of `value`, as the C exports take numbers.
func littleEndian(_ value: UInt256) -> [UInt8] {
    Array(try! Hex.decode(value.paddedHexString).reversed())
}

// MARK: - Inputs

/// A reproducible generator (SplitMix64).
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

/// A random number of 250 bits: below n (a key) and below 2^251 (a message hash).
func random250(_ generator: inout SplitMix64) -> UInt256 {
    let hex = (0..<4).map { index -> String in
        let word = index == 0 ? generator.next() >> 6 : generator.next()
        let digits = String(word, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }.joined()
    return UInt256(hex: hex)!
}

struct VerifyInput {
    let x: Felt, hash: Felt, r: UInt256, s: UInt256
    let key: StarkPublicKey, signature: StarkSignature
    let cppX: [UInt8], cppHash: [UInt8], cppR: [UInt8], cppW: [UInt8]
}

func makeVerifyInputs(count: Int) -> [VerifyInput] {
    var generator = SplitMix64(state: 1)
    return (0..<count).map { _ in
        let privateKey = try! StarkPrivateKey(random250(&generator))
        let hash = Felt(random250(&generator))!
        let signature = try! privateKey.sign(messageHash: hash)
        let key = privateKey.publicKey
        return VerifyInput(
            x: key.x, hash: hash, r: signature.r, s: signature.s, key: key, signature: signature,
            cppX: littleEndian(key.x.value), cppHash: littleEndian(hash.value),
            cppR: littleEndian(signature.r), cppW: littleEndian(signature.w))
    }
}

// MARK: - Timing

/// Operations per second of `body`, which performs `count` operations.
func rate(_ count: Int, _ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    return Double(count) / (Double(elapsed) / 1e9)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let cpp = CryptoCpp(path: options.library)
let inputs = makeVerifyInputs(count: options.verifies)
var hashGenerator = SplitMix64(state: 2)
let hashInputs = (0..<options.hashes).map { _ in (Felt(random250(&hashGenerator))!, Felt(random250(&hashGenerator))!) }
let cppHashInputs = hashInputs.map { (littleEndian($0.0.value), littleEndian($0.1.value)) }

// Same answers on both sides before any timing.
for input in inputs {
    let ours = input.key.isValidSignature(input.signature, for: input.hash)
    let theirs = cpp.verify(input.cppX, input.cppHash, input.cppR, input.cppW)
    guard ours && theirs else { Options.fail("verdicts differ or are false for \(input.hash)") }
}
var output = [UInt8](repeating: 0, count: 1024)
for (index, (a, b)) in hashInputs.prefix(200).enumerated() {
    guard cpp.hash(cppHashInputs[index].0, cppHashInputs[index].1, &output) == 0,
        Array(output[0..<32]) == littleEndian(Pedersen.hash(a, b).value)
    else { Options.fail("Pedersen hashes differ for \(a), \(b)") }
}

let mainnet = Felt(shortString: "SN_MAIN")!
let signedTexts = inputs.enumerated().map { index, input in
    (
        "\n    Web3MQ wants you to sign in with your Argent X account:\n    \(input.x.paddedHexString)\n    \n    For follow signature\n    \n    Nonce: \(String(repeating: String(index % 10), count: 56))\n    Issued At: 2023/07/12 16:25",
        input.x
    )
}

var samples: [String: [Double]] = [:]
var sink = 0
let variants: [(String, () -> Double)] = [
    (
        "cpp.verify",
        {
            rate(inputs.count) {
                for input in inputs where cpp.verify(input.cppX, input.cppHash, input.cppR, input.cppW) { sink &+= 1 }
            }
        }
    ),
    (
        "swift.verify-from-text",
        {
            rate(inputs.count) {
                for input in inputs {
                    let key = try! StarkPublicKey(x: input.x)
                    let signature = try! StarkSignature(r: input.r, s: input.s)
                    if key.isValidSignature(signature, for: input.hash) { sink &+= 1 }
                }
            }
        }
    ),
    (
        "swift.verify-parsed",
        {
            rate(inputs.count) {
                for input in inputs where input.key.isValidSignature(input.signature, for: input.hash) { sink &+= 1 }
            }
        }
    ),
    // What a StarkNet follow adds before the verification: the typed-data hash of its
    // signed text for SN_MAIN (starknetKeccak, the message felt, 5 Pedersen hashes).
    (
        "swift.typed-data-hash",
        {
            rate(signedTexts.count) {
                for (text, account) in signedTexts {
                    let message = StarknetTypedData.messageFelt(signContentKeccak: StarknetKeccak.hash(text.utf8))
                    let hash = StarknetTypedData.messageHash(
                        structHash: StarknetTypedData.structHash(message: message), chainId: mainnet, account: account)
                    sink &+= hash.hashValue & 1
                }
            }
        }
    ),
    (
        "cpp.pedersen",
        {
            rate(cppHashInputs.count) {
                for (a, b) in cppHashInputs where cpp.hash(a, b, &output) == 0 { sink &+= Int(output[0]) }
            }
        }
    ),
    (
        "swift.pedersen",
        {
            rate(hashInputs.count) {
                for (a, b) in hashInputs { sink &+= Pedersen.hash(a, b).hashValue & 1 }
            }
        }
    ),
]
for round in 0..<options.rounds {
    // Rotate the order so that no variant always runs first or after the same one.
    for offset in 0..<variants.count {
        let (name, run) = variants[(round + offset) % variants.count]
        samples[name, default: []].append(run())
    }
    print("round \(round + 1): " + variants.map { "\($0.0) \(Int(samples[$0.0]!.last!))/s" }.joined(separator: ", "))
}

let medians = samples.mapValues(median)
func padded(_ name: String) -> String { name + String(repeating: " ", count: max(1, 24 - name.count)) }
func line(_ name: String) -> String {
    padded(name) + String(format: "%12.0f ops/s  (%.1f us)", medians[name]!, 1e6 / medians[name]!)
}
print("\nmedians of \(options.rounds) rounds (\(inputs.count) verifies, \(hashInputs.count) hashes per round):")
for (name, _) in variants { print(line(name)) }
let ratios = [
    "verify-from-text/cpp": medians["swift.verify-from-text"]! / medians["cpp.verify"]!,
    "verify-parsed/cpp": medians["swift.verify-parsed"]! / medians["cpp.verify"]!,
    "pedersen/cpp": medians["swift.pedersen"]! / medians["cpp.pedersen"]!,
]
for (name, value) in ratios.sorted(by: { $0.key < $1.key }) {
    print(padded(name) + String(format: "%.2fx (ours / C++ ops per second)", value))
}
let json = try! JSONSerialization.data(
    withJSONObject: ["medians": medians, "ratios": ratios, "sink": sink], options: [.sortedKeys])
print("JSON: " + String(decoding: json, as: UTF8.self))
