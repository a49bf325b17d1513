import Foundation
import Keccak
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// Inputs that trapped our code and now answer with a code instead. Both were found by
/// reading the code while writing the fuzz harnesses of issue 6 (Fuzz/), which reach them;
/// the fuzzer itself had not hit their narrow ranges of values when they were fixed.
@Suite("Hostile input: fuzz findings")
struct FuzzFindingTests {
    static let alice = TestIdentity(seed: "alice")

    /// The distance between an Issued At date and `timestamp` was `abs(issued - timestamp)`,
    /// which overflows for a date before 1970 and a timestamp near Int64.max: a trap.
    @Test("an Issued At before 1970 against a timestamp near Int64.max is implausible, not a trap")
    func issuedAtDistance() {
        #expect(!IssuedAt.isPlausible("1969/12/31 23:59", timestamp: .max))
        #expect(!IssuedAt.isPlausible("2023/11/14 22:13", timestamp: .min))
        #expect(IssuedAt.isPlausible("2023/11/14 22:13", timestamp: 1_700_000_000_000))
    }

    @Test("sign_content with such a date answers 40101 naming the Issued At line")
    func signContentDistance() throws {
        let request = Self.alice.follow(target: "user:b", timestamp: .max, requestKey: Self.alice.mainKey)
        let content = request.text("sign_content").replacingOccurrences(
            of: IssuedAt.format(.max, .yearFirst), with: "1969/12/31 23:59")
        #expect(throws: RequestError(.signContentMismatch, "")) {
            try SignContent(content).checkFollow(didType: .eth, address: .eth(Self.alice.address), timestamp: .max)
        }
    }

    @Test("signed-follow explain of such a follow answers 40106")
    func explanationDistance() {
        let request = Self.alice.follow(target: "user:b", timestamp: .max, requestKey: Self.alice.mainKey)
        let content = request.text("sign_content").replacingOccurrences(
            of: IssuedAt.format(.max, .yearFirst), with: "1969/12/31 23:59")
        let forged = request.replacing("sign_content", with: .string(content))
        let explanation = FollowExplanation(body: forged.body, headers: forged.headers, now: 1_700_000_000_000)
        #expect(explanation.verdict?.code == .timestampOutOfWindow)
    }

    /// `audit verify` compared a line's seq with `last.seq + 1`, which overflows after a
    /// line at seq Int64.max: a forger who recomputes the chain (it is not keyed) could
    /// crash the auditor's tool instead of being reported.
    @Test("audit verify refuses a line after one at seq Int64.max instead of trapping")
    func auditSeqOverflow() throws {
        let body = Self.alice.registration(timestamp: 1_700_000_000_000).body
        func line(seq: Int64, after previous: [UInt8]) -> AuditEntry {
            let hash = AuditChain.hash(
                prevHash: previous, seq: seq, kind: "register", receivedAt: 1_700_000_000_001, requestPubkey: "", didkey: "",
                body: body)
            return AuditEntry(
                seq: seq, kind: "register", receivedAt: 1_700_000_000_001, requestPubkey: "", didkey: "", body: body,
                prevHash: previous, hash: hash.bytes)
        }
        let last = line(seq: .max, after: AuditChain.genesisHash)
        var verifier = AuditLogVerifier()
        try verifier.verify(line: Array(AuditExportLine.bytes(last).dropLast()))
        #expect(throws: AuditLogVerifier.Failure.self) {
            try verifier.verify(line: Array(AuditExportLine.bytes(line(seq: 1, after: last.hash)).dropLast()))
        }
    }
}
