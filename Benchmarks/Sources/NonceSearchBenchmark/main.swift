// The Flutter/Dart nonce search (docs/protocol.md section 5a item 5) against the one
// unavoidable cost of every eth follow, a secp256k1 recovery, in alternating rounds of one
// run on one core; prints medians, ratios and a last line `JSON: {...}`.
//
//   swift build -c release --product NonceSearchBenchmark
//   taskset -c 0 .build/release/NonceSearchBenchmark [--rounds N]
//
// Timed per round: a did_signature recovery (the JS follow's costly check, 200 in a row);
// the worst-case search of a follow (a nonce no candidate gives, the Issued At minute a
// whole minute inside the 120 s: 60,000 candidates x 2 action words) and of a cancel
// (x 3 words); and a typical Flutter follow, found 2.5 s before the body's timestamp.
// Userids are the service's usual `user:` + 56 hex digits.

import Foundation
import Keccak
@_spi(Benchmarks) import SignedFollow
import WalletCrypto

#if canImport(Glibc)
import Glibc
#endif

var rounds = 11
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag == "--rounds", let text = arguments.popFirst(), let value = Int(text), value > 0 else {
        FileHandle.standardError.write(Data("usage: NonceSearchBenchmark [--rounds N]\n".utf8))
        exit(2)
    }
    rounds = value
}

/// CPU time of this thread, in ns.
func threadCPU() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func timed(_ body: () -> Void) -> Double {
    let start = threadCPU()
    body()
    return Double(threadCPU() - start)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

@inline(never) func consume<T>(_ value: T) { withExtendedLifetime(value) {} }

let wallet = try! Secp256k1PrivateKey(rawRepresentation: keccak256("nonce search benchmark wallet").bytes)
let userid = "user:" + sha3_224("benchmark follower").hexString
let target = "user:" + sha3_224("benchmark target").hexString
// 30 s into a minute, as in the tests.
let now: Int64 = 1_700_000_010_000
let minute = now / 60_000
let text =
    "\n    Web3MQ wants you to sign in with your eth account:\n    \(wallet.address.lowercased)\n    \n    For follow signature"
let signature = wallet.signature(forPersonalMessage: text.utf8).description

func worstCase(_ action: String) -> FollowNonceSearch {
    FollowNonceSearch(
        written: sha3_224("no candidate gives this"), userid: userid, action: action, targetUserid: target,
        timestamp: now, issuedAt: (minute - 1) * 60_000)
}
let flutterNonce = SignedDigests.followNonce(
    userid: userid, action: "FollowAction.follow", targetUserid: target, timestamp: now - 2_500)
let flutter = FollowNonceSearch(
    written: flutterNonce, userid: userid, action: "follow", targetUserid: target, timestamp: now, issuedAt: now - 2_500)

precondition(worstCase("follow").worstCaseHashes == 120_000 && worstCase("cancel").worstCaseHashes == 180_000)
precondition(flutter.run().nonce?.timestamp == now - 2_500)
let flutterHashes = flutter.run().hashes

let recoveries = 200
// The reference for one candidate: a one-shot sha3_224 of the nonce's own input.
let nonceInput = Array((userid + "FollowAction.follow" + target + String(now)).utf8)
let oneShots = 20_000
var recovery: [Double] = [], follow: [Double] = [], cancel: [Double] = [], typical: [Double] = [], oneShot: [Double] = []
for _ in 0..<rounds {
    recovery.append(
        timed {
            for _ in 0..<recoveries {
                consume(try! RecoverableSignature(hex: signature).recoverAddress(personalMessage: text.utf8))
            }
        } / Double(recoveries))
    oneShot.append(timed { for _ in 0..<oneShots { consume(sha3_224(nonceInput)) } } / Double(oneShots))
    follow.append(timed { consume(worstCase("follow").run()) })
    cancel.append(timed { consume(worstCase("cancel").run()) })
    typical.append(timed { consume(flutter.run()) })
}

let us = { (ns: Double) in String(format: "%.1f us", ns / 1000) }
let ms = { (ns: Double) in String(format: "%.2f ms", ns / 1_000_000) }
let (r, f, c, t) = (median(recovery), median(follow), median(cancel), median(typical))
print("median of \(rounds) rounds, CPU time of one thread")
print("  did_signature recovery:                     \(us(r))")
print("  one-shot sha3_224 of a nonce's input (\(nonceInput.count) B):   \(String(format: "%.0f ns", median(oneShot)))")
print(
    "  worst-case search, follow (120,000 hashes): \(ms(f))  = \(String(format: "%.0f", f / r))x a recovery, \(String(format: "%.0f", f / 120_000)) ns a hash"
)
print("  worst-case search, cancel (180,000 hashes): \(ms(c))  = \(String(format: "%.0f", c / r))x a recovery")
print("  Flutter follow 2.5 s early (\(flutterHashes) hashes):    \(ms(t))  = \(String(format: "%.0f", t / r))x a recovery")
print(
    String(
        format:
            "JSON: {\"rounds\":%d,\"one_shot_sha3_224_ns\":%.0f,\"recovery_ns\":%.0f,\"worst_follow_ns\":%.0f,\"worst_cancel_ns\":%.0f,\"flutter_2500ms_ns\":%.0f,\"flutter_2500ms_hashes\":%d}",
        rounds, median(oneShot), r, f, c, t, flutterHashes))
