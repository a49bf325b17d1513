import WalletCrypto
import Foundation
import Keccak
@_spi(Benchmarks) import SignedFollow
import Testing

/// The request digests of docs/protocol.md sections 2 to 4.
@Suite("Signed digests")
struct SignedDigestsTests {
    @Test("the follow nonce reproduces the section 5 known answer")
    func followNonceKnownAnswer() {
        let nonce = SignedDigests.followNonce(
            userid: "user:8d8f2c1f2c6b4b0b0a6e5cb0c8f0e0b1d2c3a4b5c6d7e8f90a1b2c3d", action: "follow",
            targetUserid: "user:1111111111111111111111111111111111111111111111111111111", timestamp: 1_689_150_327_546)
        #expect(nonce.hexString == "274f27e951dd86ca93ea3befaa796214d257c69a9ff96f3dd319975e")
    }

    @Test("each digest is sha3_224 of its fields concatenated in the protocol's order")
    func concatenationOrder() {
        #expect(
            SignedDigests.followNonce(userid: "user:a", action: "cancel", targetUserid: "user:b", timestamp: 42)
                == sha3_224("user:acanceluser:b42"))
        #expect(
            SignedDigests.registrationNonce(
                userid: "user:a", pubkeyType: "ed25519", pubkeyValue: "ab", didType: "eth", didValue: "0x12", timestamp: 7)
                == sha3_224("user:aed25519abeth0x127"))
        #expect(
            SignedDigests.loginContent(userid: "user:a", pubkeyValue: "cd", pubkeyExpiredTimestamp: 99, timestamp: 7)
                == sha3_224("user:acd997"))
    }

    @Test("the timestamp is part of the follow nonce")
    func fieldBoundaries() {
        // The protocol concatenates without separators; the digest sees only the bytes.
        let a = SignedDigests.followNonce(userid: "user:ab", action: "follow", targetUserid: "user:c", timestamp: 1)
        let b = SignedDigests.followNonce(userid: "user:ab", action: "follow", targetUserid: "user:c", timestamp: 2)
        #expect(a != b)
        #expect(a == sha3_224("user:abfollowuser:c1"))
    }
}
