import Foundation
import HTTPTypes
import Server
@_spi(Benchmarks) import SignedFollow
import Testing

/// CORS on the `/api/` routes (docs/protocol.md section 11): preflights answered, the allow
/// header on every answer, any origin by default or only the configured ones.
@Suite("CORS")
struct CORSTests {
    static let dapp = "https://dapp.example"
    static let other = "https://evil.example"
    static let preflight = [
        "origin": dapp, "access-control-request-method": "POST",
        "access-control-request-headers": "web3mq-request-pubkey, didkey, content-type",
    ]

    @Test(
        "by default a preflight on an /api/ route is answered 204 for any origin with the signed headers allowed",
        arguments: ["/api/following/", "/api/user_register_v2/", "/api/audit/export"])
    func defaultPreflight(_ route: String) async throws {
        try await TestService.run { service in
            let exchange = try await service.exchange(route, method: .options, headers: Self.preflight)
            #expect(exchange.status == 204, "\(exchange)")
            #expect(exchange.header("access-control-allow-origin") == "*")
            let allowedHeaders = Set(
                (exchange.header("access-control-allow-headers") ?? "")
                    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            #expect(allowedHeaders.isSuperset(of: ["web3mq-request-pubkey", "didkey", "content-type", "authorization"]))
            let methods = Set(
                (exchange.header("access-control-allow-methods") ?? "")
                    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(methods == ["GET", "POST", "OPTIONS"])
        }
    }

    @Test("by default every /api/ answer, errors included, allows any origin")
    func defaultAllowHeader() async throws {
        try await TestService.run { service in
            let refused = try await service.exchange(
                Routes.follow, method: .post, headers: ["origin": Self.dapp, "content-type": "application/json"],
                body: Array("{}".utf8))
            #expect(refused.status == 400 && refused.header("access-control-allow-origin") == "*", "\(refused)")
            let head = try await service.exchange("/api/audit/head", headers: ["origin": Self.other])
            #expect(head.header("access-control-allow-origin") == "*")
            let refusedExport = try await service.exchange("/api/audit/export", headers: ["origin": Self.dapp])
            #expect(refusedExport.status == 403 && refusedExport.header("access-control-allow-origin") == "*")
            let withoutOrigin = try await service.exchange("/api/audit/head")
            #expect(withoutOrigin.header("access-control-allow-origin") == "*")
        }
    }

    @Test("with allowed origins configured, a listed origin is echoed with Vary: Origin")
    func configuredOriginAllowed() async throws {
        try await TestService.run(configure: { $0.allowedOrigins = [Self.dapp, "https://second.example"] }) { service in
            let preflight = try await service.exchange("/api/following/", method: .options, headers: Self.preflight)
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == Self.dapp)
            #expect(preflight.headers[values: .vary].contains("Origin"))
            let head = try await service.exchange("/api/audit/head", headers: ["origin": "https://second.example"])
            #expect(head.header("access-control-allow-origin") == "https://second.example")
            #expect(head.headers[values: .vary].contains("Origin"))
        }
    }

    @Test("with allowed origins configured, an unlisted origin gets no allow header")
    func configuredOriginRefused() async throws {
        try await TestService.run(configure: { $0.allowedOrigins = [Self.dapp] }) { service in
            var headers = Self.preflight
            headers["origin"] = Self.other
            let preflight = try await service.exchange("/api/following/", method: .options, headers: headers)
            #expect(preflight.header("access-control-allow-origin") == nil)
            #expect(preflight.headers[values: .vary].contains("Origin"))
            let head = try await service.exchange("/api/audit/head", headers: ["origin": Self.other])
            #expect(head.status == 200 && head.header("access-control-allow-origin") == nil)
            let withoutOrigin = try await service.exchange("/api/audit/head")
            #expect(withoutOrigin.header("access-control-allow-origin") == nil)
        }
    }

    @Test("routes outside /api/ carry no CORS headers")
    func operationsRoutesWithoutCORS() async throws {
        try await TestService.run { service in
            let health = try await service.exchange("/healthz", headers: ["origin": Self.dapp])
            #expect(health.status == 200 && health.header("access-control-allow-origin") == nil)
        }
    }
}
