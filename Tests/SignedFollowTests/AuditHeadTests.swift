import Foundation
import Keccak
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// `GET /api/audit/head` (docs/protocol.md section 10): the last entry's seq and hash, signed
/// by the server's ed25519 key, checked here with libsodium through `Ed25519PublicKey`.
@Suite("Audit head")
struct AuditHeadTests {
    static let identities = ["alice", "bob", "carol"].map { TestIdentity(seed: $0) }

    /// The head's fields, with its signature verified over the message rebuilt here from
    /// the protocol's words (not from the server's code).
    struct SignedHead {
        let seq: Int64
        let hash: String
        let serverPubkey: String
        let signatureIsValid: Bool

        init(_ answer: Answer) throws {
            let data = try #require(answer.data)
            seq = try #require((data["seq"] as? NSNumber)?.int64Value)
            hash = try #require(data["hash"] as? String)
            serverPubkey = try #require(data["server_pubkey"] as? String)
            let key = try Ed25519PublicKey(hex: serverPubkey)
            let signature = try Ed25519Signature(base64: try #require(data["signature"] as? String))
            signatureIsValid = key.isValidSignature(signature, for: Array("signed-follow audit head\n\(seq)\n\(hash)".utf8))
        }
    }

    @Test("the head is the last entry's seq and lowercase hash, signed by the server key")
    func signedHead() async throws {
        try await TestService.run { service in
            try await service.makeSmallLog(Self.identities)
            let exchange = try await service.exchange("/api/audit/head")
            #expect(exchange.status == 200 && exchange.answer.code == 0, "\(exchange)")
            let head = try SignedHead(exchange.answer)
            let last = try #require(service.store.auditEntries(afterSeq: 4, limit: 10).last)
            #expect(head.seq == 5 && last.seq == 5)
            #expect(head.hash == Hex.encode(last.hash))
            #expect(head.serverPubkey == Hex.encode(service.store.serverKey.publicKey.rawRepresentation))
            #expect(head.signatureIsValid)
        }
    }

    @Test("the head needs no token and moves with the log")
    func headMoves() async throws {
        try await TestService.run { service in
            try await service.makeSmallLog(Array(Self.identities.prefix(2)))
            let before = try SignedHead(try await service.exchange("/api/audit/head").answer)
            try await service.register(Self.identities[2])
            let after = try SignedHead(try await service.exchange("/api/audit/head").answer)
            #expect(before.seq == 3 && after.seq == 4)
            #expect(before.hash != after.hash)
            #expect(before.signatureIsValid && after.signatureIsValid)
        }
    }

    @Test("the head of an empty log is seq 0 with 64 zeros, signed")
    func emptyHead() async throws {
        try await TestService.run { service in
            let head = try SignedHead(try await service.exchange("/api/audit/head").answer)
            #expect(head.seq == 0)
            #expect(head.hash == String(repeating: "0", count: 64))
            #expect(head.signatureIsValid)
        }
    }

    @Test("a signature over another seq does not verify against the head")
    func signatureBindsSeq() async throws {
        try await TestService.run { service in
            try await service.makeSmallLog(Array(Self.identities.prefix(2)))
            let data = try #require(try await service.exchange("/api/audit/head").answer.data)
            let key = try Ed25519PublicKey(hex: try #require(data["server_pubkey"] as? String))
            let signature = try Ed25519Signature(base64: try #require(data["signature"] as? String))
            let hash = try #require(data["hash"] as? String)
            #expect(!key.isValidSignature(signature, for: Array("signed-follow audit head\n2\n\(hash)".utf8)))
        }
    }
}
