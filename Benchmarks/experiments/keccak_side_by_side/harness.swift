// Side by side, in one process: the Keccak module of an older commit (module KeccakOld) and
// the working tree's (module Keccak), for an audit entry of a follow (sha3_256 over 32 + ~800
// bytes, the chain hash of docs/protocol.md section 10) and for 136 bytes. Interleaved samples of 500
// hashes each, rotating the order. First checks that both give the same digests. See run.sh.
import Foundation
import Keccak
import KeccakOld

// AuditChain.hash (Sources/SignedFollow/Store/AuditChain.swift), over the old commit's Keccak.
func auditHashOld(prevHash: [UInt8], seq: Int64, kind: String, receivedAt: Int64, requestPubkey: String, didkey: String, body: [UInt8]) -> KeccakOld.Digest256 {
    var hasher = KeccakOld.SHA3_256()
    hasher.update(prevHash)
    hasher.update(String(seq))
    hasher.update("\n")
    hasher.update(kind)
    hasher.update("\n")
    hasher.update(String(receivedAt))
    hasher.update("\n")
    hasher.update(requestPubkey)
    hasher.update("\n")
    hasher.update(didkey)
    hasher.update("\n")
    hasher.update(body)
    return hasher.finalize()
}

// The same code (AuditChain.hash as committed) over the working tree's Keccak.
func auditHashNew(prevHash: [UInt8], seq: Int64, kind: String, receivedAt: Int64, requestPubkey: String, didkey: String, body: [UInt8]) -> Keccak.Digest256 {
    var hasher = Keccak.SHA3_256()
    hasher.update(prevHash)
    hasher.update(String(seq))
    hasher.update("\n")
    hasher.update(kind)
    hasher.update("\n")
    hasher.update(String(receivedAt))
    hasher.update("\n")
    hasher.update(requestPubkey)
    hasher.update("\n")
    hasher.update(didkey)
    hasher.update("\n")
    hasher.update(body)
    return hasher.finalize()
}

func now() -> UInt64 { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec) }
func median(_ x: [Double]) -> Double { let s = x.sorted(); return s[s.count / 2] }

// Equality on varied inputs: every body length 0...900 (every block offset), edge numbers.
var rng = SystemRandomNumberGenerator()
let numbers: [Int64] = [0, 1, 9, 10, -1, -10, .max, .min, 1_763_000_000_000]
for length in 0...900 {
    let body = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let prev = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let seq = numbers[length % numbers.count], at = numbers[(length / 9) % numbers.count]
    let kind = String(repeating: "k", count: length % 13), pub = String(repeating: "é", count: length % 40), did = "eth:0x" + String(length)
    let old = auditHashOld(prevHash: prev, seq: seq, kind: kind, receivedAt: at, requestPubkey: pub, didkey: did, body: body)
    let new = auditHashNew(prevHash: prev, seq: seq, kind: kind, receivedAt: at, requestPubkey: pub, didkey: did, body: body)
    precondition(old.bytes == new.bytes, "differ at length \(length)")
    precondition(KeccakOld.sha3_256(body).bytes == Keccak.sha3_256(body).bytes && KeccakOld.keccak256(body).bytes == Keccak.keccak256(body).bytes && KeccakOld.sha3_224(body).bytes == Keccak.sha3_224(body).bytes)
}
print("old and new agree on 901 audit entries (bodies of 0...900 bytes) and on sha3_256/keccak256/sha3_224 of each body")

// Timing: a follow's audit entry as the durable benchmark writes it (628-byte body).
let prev = Array(repeating: UInt8(7), count: 32)
let body = Array(repeating: UInt8(ascii: "x"), count: 628)
let pub = String(repeating: "ab", count: 32), did = "eth:0x" + String(repeating: "cd", count: 20)
let perSample = 500
var sink: UInt8 = 0
var samples: [[Double]] = [[], [], [], []]
let names = ["audit hash, old", "audit hash, new", "sha3_256 136 B, old", "sha3_256 136 B, new"]
let block = Array(repeating: UInt8(1), count: 136)
for s in 0..<Int(CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 400) {
    for k in 0..<4 {
        let v = (s + k) % 4
        let t0 = now()
        for i in 0..<perSample {
            switch v {
            case 0: sink ^= auditHashOld(prevHash: prev, seq: Int64(100_000 + i), kind: "follow", receivedAt: 1_763_000_000_000, requestPubkey: pub, didkey: did, body: body).withUnsafeBytes { $0[0] }
            case 1: sink ^= auditHashNew(prevHash: prev, seq: Int64(100_000 + i), kind: "follow", receivedAt: 1_763_000_000_000, requestPubkey: pub, didkey: did, body: body).withUnsafeBytes { $0[0] }
            case 2: sink ^= KeccakOld.sha3_256(block).withUnsafeBytes { $0[0] }
            default: sink ^= Keccak.sha3_256(block).withUnsafeBytes { $0[0] }
            }
        }
        samples[v].append(Double(now() - t0) / Double(perSample))
    }
}
for v in 0..<4 {
    print("\(names[v].padding(toLength: 22, withPad: " ", startingAt: 0)) p50 \(String(format: "%7.1f", median(samples[v]))) ns  p10 \(String(format: "%7.1f", samples[v].sorted()[samples[v].count / 10])) ns")
}
print(String(format: "ratio new/old p50: audit hash %.3f, sha3_256 136 B %.3f", median(samples[1]) / median(samples[0]), median(samples[3]) / median(samples[2])))
if sink == 42 { print("") }
