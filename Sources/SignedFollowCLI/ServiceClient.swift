import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SignedFollow

/// Sends requests to a running service and reads its `{code, msg, data}` answers.
struct ServiceClient: Sendable {
    /// The service's base URL, e.g. `http://127.0.0.1:8080`.
    let server: String

    /// The largest answer read (a list page of 100 users is about 25 KiB).
    static let maximumAnswerBytes = 4 * 1024 * 1024

    /// One client for the process, like `HTTPClient.shared`, but failing at once when no
    /// connection can be made (the shared client retries until the request's deadline,
    /// which leaves a user waiting 30 s for a service that is not running).
    private static let httpClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Sends `document` and returns the service's answer.
    func send(_ document: RequestDocument) async throws -> ServiceAnswer {
        guard let url = URL(string: server.trimmingSuffix("/") + document.path), url.host != nil else {
            throw CLIError("--server must be a URL such as http://127.0.0.1:8080, found \(server)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .init(rawValue: document.method)
        if !document.body.isEmpty {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: document.body))
        }
        if !document.headers.requestPubkey.isEmpty {
            request.headers.add(name: "web3mq-request-pubkey", value: document.headers.requestPubkey)
        }
        if !document.headers.didkey.isEmpty { request.headers.add(name: "didkey", value: document.headers.didkey) }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await Self.httpClient.execute(request, timeout: .seconds(30))
            body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        } catch {
            throw CLIError("cannot reach the service at \(server): \(error)")
        }
        return ServiceAnswer(
            status: Int(response.status.code), body: Array(body.readableBytesView),
            retryAfter: response.headers.first(name: "retry-after"))
    }
}

/// An answer of the service.
struct ServiceAnswer: Sendable {
    /// The HTTP status.
    let status: Int
    /// The body bytes.
    let body: [UInt8]
    /// The `Retry-After` header, when set.
    let retryAfter: String?

    /// The envelope's members, when the body is a JSON object.
    var envelope: [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }

    /// `code` of the envelope (nil when the body has none).
    var code: Int? { envelope?["code"] as? Int }

    /// True when the service accepted the request (`code` 0).
    var accepted: Bool { code == 0 }

    /// The answer for a reader: status, code and message, then `data` indented.
    var summary: [String] {
        let envelope = envelope
        var lines = ["HTTP \(status)  code \(envelope?["code"].map { "\($0)" } ?? "none")  \(envelope?["msg"] as? String ?? "")"]
        if let retryAfter { lines.append("Retry-After: \(retryAfter) s") }
        if let data = envelope?["data"],
            let text = try? JSONSerialization.data(
                withJSONObject: data, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        {
            lines.append(String(decoding: text, as: UTF8.self))
        }
        return lines
    }
}
