import Foundation
import Keccak
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// `GET /api/audit/export` (docs/protocol.md section 10): JSON Lines after a `seq`, each line's
/// hash recomputed from its own fields, guarded by the admin token.
@Suite("Audit export")
struct AuditExportTests {
    static let token = "export-token-0123456789"
    static let identities = ["alice", "bob", "carol"].map { TestIdentity(seed: $0) }
    static var authorization: [String: String] { ["authorization": "Bearer \(token)"] }

    /// One exported line, parsed.
    struct Line {
        let seq: Int64
        let kind: String
        let receivedAt: Int64
        let requestPubkey: String
        let didkey: String
        let body: [UInt8]
        let prevHash: [UInt8]
        let hash: [UInt8]
        let members: Set<String>

        init(_ text: Substring) throws {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            members = Set(object.keys)
            seq = try #require((object["seq"] as? NSNumber)?.int64Value)
            kind = try #require(object["kind"] as? String)
            receivedAt = try #require((object["received_at"] as? NSNumber)?.int64Value)
            requestPubkey = try #require(object["request_pubkey"] as? String)
            didkey = try #require(object["didkey"] as? String)
            body = try Base64.decode(try #require(object["body_b64"] as? String))
            let prevHashHex = try #require(object["prev_hash"] as? String)
            let hashHex = try #require(object["hash"] as? String)
            #expect(prevHashHex == prevHashHex.lowercased() && hashHex == hashHex.lowercased())
            prevHash = try Hex.decode(prevHashHex, byteCount: 32)
            hash = try Hex.decode(hashHex, byteCount: 32)
        }

        /// The hash docs/protocol.md section 10 defines, from this line's fields alone.
        var recomputedHash: [UInt8] {
            AuditChain.hash(
                prevHash: prevHash, seq: seq, kind: kind, receivedAt: receivedAt, requestPubkey: requestPubkey,
                didkey: didkey, body: body
            ).bytes
        }
    }

    /// The lines of an export body, each ended by a newline.
    static func lines(_ exchange: HTTPExchange) throws -> [Line] {
        #expect(exchange.text.isEmpty || exchange.text.hasSuffix("\n"))
        return try exchange.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(Line.init)
    }

    @Test("export after seq 2 streams entries 3 to 5 as JSON Lines whose hashes chain and recompute")
    func exportAfterSeq() async throws {
        try await TestService.run(configure: { $0.adminToken = Self.token }) { service in
            try await service.makeSmallLog(Self.identities)
            let stored = try service.store.auditEntries(afterSeq: 0, limit: 100)
            #expect(stored.count == 5)

            let exchange = try await service.exchange("/api/audit/export?after_seq=2", headers: Self.authorization)
            #expect(exchange.status == 200, "\(exchange)")
            #expect(exchange.header("content-type") == "application/x-ndjson")
            let lines = try Self.lines(exchange)
            #expect(lines.map(\.seq) == [3, 4, 5])
            #expect(lines.map(\.kind) == ["register", "follow", "follow"])
            var previous = stored[1].hash
            for line in lines {
                #expect(
                    line.members == ["seq", "kind", "received_at", "request_pubkey", "didkey", "body_b64", "prev_hash", "hash"])
                #expect(line.prevHash == previous, "seq \(line.seq) does not chain")
                #expect(line.recomputedHash == line.hash, "seq \(line.seq) does not recompute")
                let entry = try #require(stored.first { $0.seq == line.seq })
                #expect(line.body == entry.body && line.didkey == entry.didkey && line.requestPubkey == entry.requestPubkey)
                #expect(line.receivedAt == entry.receivedAt)
                previous = line.hash
            }
            let alice = Self.identities[0]
            #expect(lines[1].didkey == "eth:" + alice.address.lowercased)
            #expect(lines[1].requestPubkey == Hex.encode(alice.mainKey.publicKey.rawRepresentation))
        }
    }

    @Test("without after_seq the export starts at seq 1, whose prev_hash is 32 zero bytes")
    func exportFromStart() async throws {
        try await TestService.run(configure: { $0.adminToken = Self.token }) { service in
            try await service.makeSmallLog(Self.identities)
            let lines = try Self.lines(try await service.exchange("/api/audit/export", headers: Self.authorization))
            #expect(lines.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(lines.first?.prevHash == AuditChain.genesisHash)
            #expect(lines.allSatisfy { $0.recomputedHash == $0.hash })
        }
    }

    @Test("limit caps the number of lines; after_seq at or past the head gives an empty 200")
    func limitAndEnd() async throws {
        try await TestService.run(configure: { $0.adminToken = Self.token }) { service in
            try await service.makeSmallLog(Self.identities)
            let limited = try Self.lines(
                try await service.exchange("/api/audit/export?after_seq=1&limit=2", headers: Self.authorization))
            #expect(limited.map(\.seq) == [2, 3])
            for afterSeq in [5, 6, 1_000_000] {
                let past = try await service.exchange("/api/audit/export?after_seq=\(afterSeq)", headers: Self.authorization)
                #expect(past.status == 200 && past.body.isEmpty, "after_seq=\(afterSeq): \(past)")
            }
        }
    }

    @Test("an export longer than one page streams every entry in order")
    func exportAcrossPages() async throws {
        let userCount = 1_050
        try await TestService.run(configure: { $0.adminToken = Self.token }) { service in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<userCount {
                    group.addTask { try await service.register(TestIdentity(seed: "page-user-\(index)")).code }
                }
                for try await code in group { #expect(code == 0) }
            }
            let lines = try Self.lines(try await service.exchange("/api/audit/export?after_seq=10", headers: Self.authorization))
            #expect(lines.map(\.seq) == Array(11...Int64(userCount)))
            for (earlier, later) in zip(lines, lines.dropFirst()) where later.prevHash != earlier.hash {
                Issue.record("seq \(later.seq) does not chain to seq \(earlier.seq)")
            }
            #expect(lines.allSatisfy { $0.recomputedHash == $0.hash })
        }
    }

    struct AuthCase: Sendable, CustomTestStringConvertible {
        let name: String
        let configuredToken: String?
        let authorization: String?
        var testDescription: String { name }
    }

    static let authCases: [AuthCase] = [
        AuthCase(name: "no Authorization header", configuredToken: token, authorization: nil),
        AuthCase(
            name: "a wrong token of the same length", configuredToken: token,
            authorization: "Bearer " + String(token.reversed())),
        AuthCase(name: "a token of a different length", configuredToken: token, authorization: "Bearer \(token)x"),
        AuthCase(name: "a prefix of the token", configuredToken: token, authorization: "Bearer \(token.dropLast())"),
        AuthCase(name: "an empty bearer token", configuredToken: token, authorization: "Bearer "),
        AuthCase(name: "the token without the Bearer scheme", configuredToken: token, authorization: token),
        AuthCase(name: "the token under another scheme", configuredToken: token, authorization: "Basic \(token)"),
        AuthCase(name: "no token configured, none sent", configuredToken: nil, authorization: nil),
        AuthCase(name: "no token configured, one sent", configuredToken: nil, authorization: "Bearer \(token)"),
    ]

    @Test("the export answers 40304 with HTTP 403 and no entry", arguments: authCases)
    func exportRefused(_ authCase: AuthCase) async throws {
        try await TestService.run(configure: { $0.adminToken = authCase.configuredToken }) { service in
            try await service.makeSmallLog(Array(Self.identities.prefix(2)))
            let headers = authCase.authorization.map { ["authorization": $0] } ?? [:]
            let exchange = try await service.exchange("/api/audit/export", headers: headers)
            #expect(exchange.status == 403, "\(exchange)")
            #expect(exchange.answer.code == 40304, "\(exchange)")
            #expect(exchange.header("content-type")?.hasPrefix("application/json") == true)
            #expect(!exchange.text.contains("\"seq\""))
        }
    }

    @Test("the Bearer scheme is matched in any case")
    func schemeCase() async throws {
        try await TestService.run(configure: { $0.adminToken = Self.token }) { service in
            let exchange = try await service.exchange("/api/audit/export", headers: ["authorization": "bearer \(Self.token)"])
            #expect(exchange.status == 200, "\(exchange)")
        }
    }

    static let badQueries = [
        "after_seq=abc", "after_seq=-1", "after_seq=+1", "after_seq=", "after_seq=1.5", "after_seq=0x10",
        "after_seq=9223372036854775808", "after_seq=1&after_seq=2", "limit=0", "limit=-5", "limit=ten",
        "limit=", "limit=99999999999999999999",
    ]

    @Test("a bad after_seq or limit answers 40003 naming the parameter", arguments: badQueries)
    func badQuery(_ query: String) async throws {
        try await TestService.run(configure: { $0.adminToken = Self.token }) { service in
            let exchange = try await service.exchange("/api/audit/export?\(query)", headers: Self.authorization)
            #expect(exchange.status == 400 && exchange.answer.code == 40003, "\(query): \(exchange)")
            let parameter = query.hasPrefix("limit") ? "limit" : "after_seq"
            #expect(exchange.answer.msg.contains(parameter), "\(exchange)")
        }
    }

    @Test("a bad query without the token answers 40304, not 40003")
    func tokenCheckedFirst() async throws {
        try await TestService.run(configure: { $0.adminToken = Self.token }) { service in
            let exchange = try await service.exchange("/api/audit/export?after_seq=abc")
            #expect(exchange.answer.code == 40304, "\(exchange)")
        }
    }
}
