import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Server
@_spi(Benchmarks) @testable import SignedFollow
import SignedFollowClient
import Synchronization

/// A clock the tests set; starts at the real time.
final class TestClock: Sendable {
    private let milliseconds = Mutex(Int64(Date().timeIntervalSince1970 * 1000))
    var now: Int64 { milliseconds.withLock { $0 } }
    func set(_ value: Int64) { milliseconds.withLock { $0 = value } }
    func advance(by delta: Int64) { milliseconds.withLock { $0 += delta } }
}

/// A parsed answer of the service.
struct Answer: CustomStringConvertible {
    let status: Int
    let code: Int
    let msg: String
    let data: [String: Any]?
    let headers: HTTPFields
    var description: String { "\(status) \(code) \(msg)" }
}

extension Answer {
    /// Parses a response of the service.
    init(_ response: TestResponse) throws {
        let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
        self.init(
            status: Int(response.status.code), code: json["code"] as? Int ?? -1, msg: json["msg"] as? String ?? "",
            data: json["data"] as? [String: Any], headers: response.headers)
    }
}

/// The service on a temporary database with its writer running, driven through
/// HummingbirdTesting's router client.
struct TestService {
    let service: SignedFollowService
    let client: any TestClientProtocol
    let clock: TestClock

    var store: FollowStore { service.store }

    /// `http://localhost:PORT` of a live service (nil port: a router test).
    var baseURL: String { "http://localhost:\(client.port ?? 0)" }

    /// Runs `body` against a fresh service and removes the database afterwards.
    static func run(
        live: Bool = false,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestService) async throws -> Void
    ) async throws {
        let path = temporaryStorePath()
        defer { removeStoreFiles(path) }
        try await run(databasePath: path, live: live, configure: configure, body)
    }

    /// A service on the database at `path`, its writer not started, logging at `logLevel`
    /// and over.
    static func makeService(
        databasePath path: String, logLevel: Logger.Level = .warning, clock: TestClock = TestClock(),
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws -> (SignedFollowService, Logger) {
        var configuration = ServerConfiguration()
        configuration.databasePath = path
        configure(&configuration)
        var logger = Logger(label: "signed-follow-test")
        logger.logLevel = logLevel
        return (try SignedFollowService(configuration: configuration, logger: logger, now: { clock.now }), logger)
    }

    /// Runs `body` against the service on the database at `databasePath`, kept afterwards;
    /// with `live`, on a real socket of 127.0.0.1 (see ``baseURL``).
    static func run(
        databasePath path: String,
        live: Bool = false,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestService) async throws -> Void
    ) async throws {
        let clock = TestClock()
        let (service, logger) = try makeService(databasePath: path, clock: clock, configure: configure)
        let application = Application(router: service.router(), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.writer.run() }
            // The writer's task may not have run yet: a write sent before it takes
            // submissions would be answered 50301.
            // A hang detector, not a timing check: with every suite in parallel on two
            // cores beside a compile, the writer's task once took over 10 s to be scheduled.
            let deadline = ContinuousClock.now + .seconds(30)
            while !service.writer.isAccepting {
                guard ContinuousClock.now < deadline else { throw WriterNotStarted() }
                try await Task.sleep(for: .milliseconds(1))
            }
            try await application.test(live ? .live : .router) { client in
                try await body(TestService(service: service, client: client, clock: clock))
            }
            group.cancelAll()
        }
        try service.store.close()
    }

    /// Sends `request` to `route` and parses the answer.
    func send(_ route: String, _ request: SignedRequest) async throws -> Answer {
        try await send(route, body: request.body, headers: request.headers)
    }

    /// Sends raw bytes with the signed headers (an empty header is not sent).
    func send(
        _ route: String, body: [UInt8], headers: RequestHeaders = RequestHeaders(requestPubkey: "", didkey: ""),
        extraHeaders: HTTPFields = [:]
    ) async throws -> Answer {
        var fields = extraHeaders
        fields[.contentType] = "application/json"
        if !headers.requestPubkey.isEmpty { fields[HTTPField.Name("web3mq-request-pubkey")!] = headers.requestPubkey }
        if !headers.didkey.isEmpty { fields[HTTPField.Name("didkey")!] = headers.didkey }
        let response = try await client.executeRequest(uri: route, method: .post, headers: fields, body: ByteBuffer(bytes: body))
        return try Answer(response)
    }

    /// Sends `GET uri` with the signed headers (an empty header is not sent).
    func get(_ uri: String, headers: RequestHeaders = RequestHeaders(requestPubkey: "", didkey: "")) async throws -> Answer {
        var fields = HTTPFields()
        if !headers.requestPubkey.isEmpty { fields[HTTPField.Name("web3mq-request-pubkey")!] = headers.requestPubkey }
        if !headers.didkey.isEmpty { fields[HTTPField.Name("didkey")!] = headers.didkey }
        return try Answer(try await client.executeRequest(uri: uri, method: .get, headers: fields, body: nil))
    }

    /// Sends the signed read `query` to `route`, with `extra` parameters.
    func get(_ route: String, _ query: SignedQuery, _ extra: [(name: String, value: String)] = []) async throws -> Answer {
        try await get(query.uri(route, extra), headers: query.headers)
    }

    /// Registers `identity` now (expecting success).
    @discardableResult
    func register(_ identity: TestIdentity, style: ClientStyle = ClientStyle()) async throws -> Answer {
        try await send(Routes.register, identity.registration(timestamp: clock.now, style: style))
    }
}

/// The writer did not start taking submissions within the test's deadline.
struct WriterNotStarted: Error {}

enum Routes {
    static let register = "/api/user_register_v2/"
    static let login = "/api/user_login_v2/"
    static let follow = "/api/following/"
    static let batch = "/api/following/batch/"
}
