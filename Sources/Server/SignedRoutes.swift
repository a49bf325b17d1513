import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SignedFollow

/// The verified write routes: register, log in, follow (PROTOCOL.md sections 2 to 4).
///
/// Each handler reads the body within the limit, decodes it strictly, verifies it, hands
/// the write to the group-commit writer and answers only after the transaction holding
/// it committed. Every rejection answers `{code, msg}`; anything unexpected is logged
/// with the request id and answered 50001 without detail.
struct SignedRoutes: Sendable {
    let verifier: Verifier
    let writer: GroupCommitWriter
    let store: FollowStore
    let metrics: ServiceMetrics
    let maxBodyBytes: Int
    let now: @Sendable () -> Int64

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/user_register_v2/") { request, context in
            await handle(request, context) { body, headers, receivedAt in
                let registration = try metrics.timeVerification { try verifier.verify(try RegistrationRequest(body: body, headers: headers), receivedAt: receivedAt) }
                let outcome = try await writer.submit(.register(registration))
                return outcomeResponse(outcome, data: RegistrationData(
                    userid: registration.userid, did_type: registration.didType, did_value: registration.didValue))
            }
        }
        router.post("/api/user_login_v2/") { request, context in
            await handle(request, context) { body, headers, receivedAt in
                let binding = try metrics.timeVerification { try verifier.verify(try LoginRequest(body: body, headers: headers), receivedAt: receivedAt) }
                let outcome = try await writer.submit(.login(binding))
                return outcomeResponse(outcome, data: LoginData(
                    userid: binding.userid, pubkey_value: binding.sessionPubkey, pubkey_expired_timestamp: binding.expiresAt))
            }
        }
        router.post("/api/following/") { request, context in
            await handle(request, context) { body, headers, receivedAt in
                let change = try metrics.timeVerification { try verifier.verify(try FollowRequest(body: body, headers: headers), receivedAt: receivedAt) }
                let outcome = try await writer.submit(.follow(change))
                let following = try outcome.following
                    ?? store.pairState(userid: change.userid, targetUserid: change.targetUserid)?.following ?? false
                return outcomeResponse(outcome, data: FollowData(following: following))
            }
        }
    }

    /// Reads the body and the signed headers, runs `body`, and turns every failure into
    /// the protocol's answer.
    private func handle(
        _ request: Request, _ context: BasicRequestContext,
        _ verifyAndWrite: ([UInt8], RequestHeaders, Int64) async throws -> Response
    ) async -> Response {
        let receivedAt = now()
        do {
            let body = try await readBody(request)
            let headers = RequestHeaders(
                requestPubkey: request.headers[.web3mqRequestPubkey] ?? "", didkey: request.headers[.didkey] ?? "")
            return try await verifyAndWrite(body, headers, receivedAt)
        } catch let error as RequestError {
            return APIResponse(error: error).makeResponse()
        } catch let error as WriterError {
            context.logger.error("write failed", metadata: ["error": "\(error)"])
            return APIResponse(code: error.code).makeResponse()
        } catch {
            context.logger.error("internal error", metadata: ["error": "\(error)"])
            return APIResponse(code: .internalError).makeResponse()
        }
    }

    /// The body, at most `maxBodyBytes`: a declared length over the limit is refused
    /// before anything is read, and a streamed body stops being read at the limit.
    private func readBody(_ request: Request) async throws -> [UInt8] {
        let tooLarge = RequestError(.bodyTooLarge, "body larger than the limit of \(maxBodyBytes) bytes")
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes { throw tooLarge }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    private func outcomeResponse<Payload: Encodable & Sendable>(_ outcome: WriteOutcome, data: Payload) -> Response {
        switch outcome {
        case .applied: APIResponse(code: .ok, msg: "ok", data: data).makeResponse()
        case .alreadyApplied: APIResponse(code: .ok, msg: "already applied", data: data).makeResponse()
        default: APIResponse(code: outcome.code).makeResponse()
        }
    }
}

/// `data` of a registration.
struct RegistrationData: Encodable, Sendable {
    let userid: String
    let did_type: String
    let did_value: String
}

/// `data` of a login.
struct LoginData: Encodable, Sendable {
    let userid: String
    let pubkey_value: String
    let pubkey_expired_timestamp: Int64
}

/// `data` of a follow or cancel.
struct FollowData: Encodable, Sendable {
    let following: Bool
}

extension HTTPField.Name {
    /// The request key header of PROTOCOL.md section 4.
    static let web3mqRequestPubkey = HTTPField.Name("web3mq-request-pubkey")!
    /// The did header of PROTOCOL.md section 4.
    static let didkey = HTTPField.Name("didkey")!
}
