import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Server
@_spi(Benchmarks) @testable import SignedFollow
import SignedFollowClient

/// A raw exchange with the service, for the routes whose answers are not only the JSON
/// envelope: the status, the headers and the body bytes.
struct HTTPExchange: CustomStringConvertible {
    let status: Int
    let headers: HTTPFields
    let body: [UInt8]

    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as the JSON envelope.
    var answer: Answer {
        let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        return Answer(
            status: status, code: json["code"] as? Int ?? -1, msg: json["msg"] as? String ?? "",
            data: json["data"] as? [String: Any], headers: headers)
    }

    /// The value of header `name`, if present.
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }

    var description: String { "\(status) \(text.prefix(300))" }
}

extension TestService {
    /// Sends `method` to `uri` with `headers` and `body`.
    func exchange(
        _ uri: String, method: HTTPRequest.Method = .get, headers: [String: String] = [:], body: [UInt8]? = nil
    ) async throws -> HTTPExchange {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let response = try await client.executeRequest(
            uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
        return HTTPExchange(
            status: Int(response.status.code), headers: response.headers, body: Array(response.body.readableBytesView))
    }

    /// Registers each of `identities` and has the first follow every other one, giving
    /// `2 * identities.count - 1` audit entries.
    func makeSmallLog(_ identities: [TestIdentity]) async throws {
        for identity in identities {
            let answer = try await register(identity)
            guard answer.code == 0 else { throw SmallLogFailure(answer: answer) }
        }
        for target in identities.dropFirst() {
            clock.advance(by: 1)
            let answer = try await send(
                Routes.follow,
                identities[0].follow(
                    target: target.userid, timestamp: clock.now, requestKey: identities[0].mainKey))
            guard answer.code == 0 else { throw SmallLogFailure(answer: answer) }
        }
    }
}

/// A request of ``TestService/makeSmallLog(_:)`` was refused.
struct SmallLogFailure: Error, CustomStringConvertible {
    let answer: String
    init(answer: Answer) { self.answer = answer.description }
    var description: String { "setting up the log failed: \(answer)" }
}
