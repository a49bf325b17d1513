import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing

/// `GET /healthz`, `GET /metrics` and the request id (docs/protocol.md section 11).
@Suite("Operations")
struct OperationsTests {
    static let alice = TestIdentity(seed: "alice")
    static let bob = TestIdentity(seed: "bob")

    @Test("healthz answers 200 with code 0 while the database answers")
    func healthy() async throws {
        try await TestService.run { service in
            let exchange = try await service.exchange("/healthz")
            #expect(exchange.status == 200 && exchange.answer.code == 0, "\(exchange)")
        }
    }

    @Test("healthz answers 503 with code 50301 once the database is closed")
    func unhealthy() async throws {
        let path = temporaryStorePath()
        defer { removeStoreFiles(path) }
        let (service, logger) = try TestService.makeService(databasePath: path, logLevel: .critical)
        try service.store.close()
        let application = Application(router: service.router(), logger: logger)
        try await application.test(.router) { client in
            let response = try await client.executeRequest(uri: "/healthz", method: .get, headers: [:], body: nil)
            let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect(response.status.code == 503)
            #expect(json?["code"] as? Int == 50301)
        }
    }

    @Test("metrics count requests by route and code, and expose the verification, commit and batch histograms")
    func metricsAfterFollow() async throws {
        try await TestService.run { service in
            try await service.register(Self.alice)
            try await service.register(Self.bob)
            let follow = try await service.send(
                Routes.follow,
                Self.alice.follow(
                    target: Self.bob.userid, timestamp: service.clock.now, requestKey: Self.alice.mainKey))
            #expect(follow.code == 0)
            let refused = try await service.send(Routes.follow, body: Array("{}".utf8))
            #expect(refused.code != 0)

            let exchange = try await service.exchange("/metrics")
            #expect(exchange.status == 200)
            #expect(exchange.header("content-type")?.hasPrefix("text/plain") == true)
            let lines = exchange.text.split(separator: "\n").map(String.init)
            func sample(_ name: String, _ labels: [String]) -> Double? {
                lines.first { line in
                    (line.hasPrefix(name + "{") || line.hasPrefix(name + " ")) && labels.allSatisfy { line.contains($0) }
                }
                .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
            }
            let registered = sample(
                "signed_follow_requests_total",
                [
                    #"route="/api/user_register_v2""#, #"code="0""#, #"status="200""#, #"method="POST""#,
                ])
            #expect(registered == 2, "\(exchange.text)")
            #expect(sample("signed_follow_requests_total", [#"route="/api/following""#, #"code="0""#]) == 1)
            #expect(sample("signed_follow_requests_total", [#"route="/api/following""#, "code=\"\(refused.code)\""]) == 1)
            // Both registrations, the follow and the refused body: decoding is timed with verification.
            #expect(sample("signed_follow_verification_duration_seconds_count", []) == 4, "\(exchange.text)")
            let commits = try #require(sample("signed_follow_commit_duration_seconds_count", []))
            #expect(commits >= 1 && commits <= 3)
            #expect(sample("signed_follow_commit_batch_size_sum", []) == 3)
            #expect(exchange.text.contains("signed_follow_commit_duration_seconds_bucket{le="))
            #expect(exchange.text.contains("signed_follow_commit_batch_size_bucket{le="))
        }
    }

    @Test("an unknown path is counted under the route NotFound, not under its own path")
    func unmatchedRoute() async throws {
        try await TestService.run { service in
            #expect(try await service.exchange("/no/such/path-12345").status == 404)
            let text = try await service.exchange("/metrics").text
            #expect(text.contains(#"route="NotFound",method="GET",status="404",code="none"} 1"#), "\(text)")
            #expect(!text.contains("path-12345"))
        }
    }

    @Test("a short printable x-request-id is echoed back")
    func requestIDEchoed() async throws {
        try await TestService.run { service in
            let exchange = try await service.exchange("/healthz", headers: ["x-request-id": "trace-42.abc"])
            #expect(exchange.header("x-request-id") == "trace-42.abc")
            let refused = try await service.exchange("/api/audit/export", headers: ["x-request-id": "trace-43"])
            #expect(refused.status == 403 && refused.header("x-request-id") == "trace-43")
        }
    }

    @Test(
        "a missing, overlong or unprintable x-request-id is replaced by a generated one",
        arguments: [
            nil, String(repeating: "a", count: 65), "has space", "tab\tinside", "",
        ])
    func requestIDGenerated(_ incoming: String?) async throws {
        try await TestService.run { service in
            let headers = incoming.map { ["x-request-id": $0] } ?? [:]
            let first = try #require(try await service.exchange("/healthz", headers: headers).header("x-request-id"))
            let second = try #require(try await service.exchange("/healthz", headers: headers).header("x-request-id"))
            #expect(!first.isEmpty && first != incoming && first != second)
        }
    }

    @Test("an unknown route still gets a request id")
    func requestIDOnNotFound() async throws {
        try await TestService.run { service in
            let exchange = try await service.exchange("/nowhere", headers: ["x-request-id": "lost-1"])
            #expect(exchange.status == 404 && exchange.header("x-request-id") == "lost-1")
        }
    }
}
