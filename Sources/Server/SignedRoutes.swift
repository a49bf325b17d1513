import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SignedFollow

/// The verified write routes: register, log in, follow, batch follow (docs/protocol.md
/// sections 2 to 4 and 9).
///
/// Each handler reads the body within the limit, decodes it strictly, verifies it, hands
/// the write to the group-commit writer and answers only after the transaction holding
/// it committed. Every rejection answers `{code, msg}`; anything unexpected is logged
/// with the request id and answered 50001 without detail.
struct SignedRoutes: Sendable {
    let verifier: Verifier
    let writer: GroupCommitWriter
    let store: FollowStore
    let rateLimiter: WriteRateLimiter
    let metrics: ServiceMetrics
    let maxBodyBytes: Int
    let now: @Sendable () -> Int64

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/user_register_v2/") { request, context in
            await handle(request, context) { body, headers, receivedAt in
                let registration = try metrics.timeVerification {
                    try verifier.verify(try RegistrationRequest(body: body, headers: headers), receivedAt: receivedAt)
                }
                let outcome = try await writer.submit(.register(registration))
                return outcomeResponse(
                    outcome,
                    data: RegistrationData(
                        userid: registration.userid, did_type: registration.didType, did_value: registration.didValue))
            }
        }
        router.post("/api/user_login_v2/") { request, context in
            await handle(request, context) { body, headers, receivedAt in
                let binding = try metrics.timeVerification {
                    try verifier.verify(try LoginRequest(body: body, headers: headers), receivedAt: receivedAt)
                }
                let outcome = try await writer.submit(.login(binding))
                return outcomeResponse(
                    outcome,
                    data: LoginData(
                        userid: binding.userid, pubkey_value: binding.sessionPubkey, pubkey_expired_timestamp: binding.expiresAt))
            }
        }
        router.post("/api/following/") { request, context in
            await handle(request, context) { body, headers, receivedAt in
                let change = try await metrics.timeVerification {
                    try await verifier.verify(try FollowRequest(body: body, headers: headers), receivedAt: receivedAt)
                }
                if let wait = rateLimiter.take(change.userid, now: now()) { throw RateLimited(retryAfterSeconds: wait) }
                let outcome = try await writer.submit(.follow(change))
                // "already applied" answers the pair's current state; a refusal has no data.
                let following =
                    try outcome == .alreadyApplied
                    ? store.pairState(userid: change.userid, targetUserid: change.targetUserid)?.following ?? false
                    : outcome.following ?? false
                return outcomeResponse(outcome, data: FollowData(following: following))
            }
        }
        router.post("/api/following/batch/") { request, context in
            await handle(request, context) { body, headers, receivedAt in
                let batch = try BatchFollowRequest(body: body, headers: headers)
                let (results, retryAfter) = try await apply(batch, receivedAt: receivedAt, logger: context.logger)
                // When items were refused by the rate limit, Retry-After says when the next token comes.
                return APIResponse(code: .ok, msg: "ok", data: BatchData(results: results))
                    .makeResponse(headers: retryAfter.map { [.retryAfter: String($0)] } ?? [:])
            }
        }
    }

    /// Section 9: each item verified and rate-limited as a single follow, the accepted ones
    /// committed in one transaction, one result per item in item order; and the seconds
    /// to wait when the rate limit refused an item.
    private func apply(
        _ batch: BatchFollowRequest, receivedAt: Int64, logger: Logger
    ) async throws -> (results: [BatchItemResult], retryAfter: Int?) {
        var results: [BatchItemResult?] = []
        var retryAfter: Int?
        var accepted: [(index: Int, change: FollowChange)] = []
        for (index, item) in batch.items.enumerated() {
            do {
                let change = try await metrics.timeVerification {
                    try await verifier.verify(try item.request.get(), receivedAt: receivedAt)
                }
                if let wait = rateLimiter.take(change.userid, now: now()) {
                    retryAfter = wait
                    throw RequestError(.rateLimited, ErrorCode.rateLimited.meaning)
                }
                accepted.append((index, change))
                results.append(nil)
            } catch let error as RequestError {
                if let wait = error.retryAfterSeconds { retryAfter = min(retryAfter ?? wait, wait) }
                results.append(BatchItemResult(target_userid: item.targetUserid, code: error.code.rawValue, msg: error.message))
            } catch {
                // Each item gets its own result (section 9); the detail goes to the log only.
                logger.error("internal error on a batch item", metadata: ["error": "\(error)"])
                results.append(
                    BatchItemResult(
                        target_userid: item.targetUserid, code: ErrorCode.internalError.rawValue,
                        msg: ErrorCode.internalError.meaning))
            }
        }
        let outcomes = try await writer.submit(batch: accepted.map { .follow($0.change) })
        for ((index, change), outcome) in zip(accepted, outcomes) {
            results[index] = BatchItemResult(
                target_userid: change.targetUserid, code: outcome.code.rawValue, msg: outcome.message)
        }
        // Every index is either an item's error or, just above, its outcome.
        return (results.map { $0! }, retryAfter)
    }

    /// Reads the body and the signed headers, runs `verifyAndWrite`, and turns every failure
    /// into the protocol's answer.
    private func handle(
        _ request: Request, _ context: BasicRequestContext,
        _ verifyAndWrite: ([UInt8], RequestHeaders, Int64) async throws -> Response
    ) async -> Response {
        let receivedAt = now()
        return await answering(context) {
            let body = try await readBody(request)
            return try await verifyAndWrite(body, RequestHeaders(request), receivedAt)
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

    private func outcomeResponse<Payload: JSONBody>(_ outcome: WriteOutcome, data: Payload) -> Response {
        switch outcome {
        case .applied, .alreadyApplied: APIResponse(code: .ok, msg: outcome.message, data: data).makeResponse()
        default: APIResponse(code: outcome.code).makeResponse()
        }
    }
}

extension WriteOutcome {
    /// The answer's `msg`: "ok", "already applied", or the meaning of the code.
    var message: String {
        switch self {
        case .applied: "ok"
        case .alreadyApplied: "already applied"
        default: code.meaning
        }
    }
}

/// `data` of a registration.
struct RegistrationData: JSONBody {
    let userid: String
    let did_type: String
    let did_value: String

    func write(to json: inout JSONOutput) {
        json.raw("{\"did_type\":")
        json.string(did_type)
        json.raw(",\"did_value\":")
        json.string(did_value)
        json.raw(",\"userid\":")
        json.string(userid)
        json.raw("}")
    }
}

/// `data` of a login.
struct LoginData: JSONBody {
    let userid: String
    let pubkey_value: String
    let pubkey_expired_timestamp: Int64

    func write(to json: inout JSONOutput) {
        json.raw("{\"pubkey_expired_timestamp\":")
        json.integer(pubkey_expired_timestamp)
        json.raw(",\"pubkey_value\":")
        json.string(pubkey_value)
        json.raw(",\"userid\":")
        json.string(userid)
        json.raw("}")
    }
}

/// `data` of a batch: one result per item, in item order.
struct BatchData: JSONBody {
    let results: [BatchItemResult]

    func write(to json: inout JSONOutput) {
        json.raw("{\"results\":")
        json.array(results) { result, json in result.write(to: &json) }
        json.raw("}")
    }

    var estimatedSize: Int { 16 + 120 * results.count }
}

/// The result of one batch item: the single follow's code and message.
struct BatchItemResult: JSONBody {
    let target_userid: String
    let code: Int
    let msg: String

    func write(to json: inout JSONOutput) {
        json.raw("{\"code\":")
        json.integer(code)
        json.raw(",\"msg\":")
        json.string(msg)
        json.raw(",\"target_userid\":")
        json.string(target_userid)
        json.raw("}")
    }
}

/// `data` of a follow or cancel.
struct FollowData: JSONBody {
    let following: Bool

    func write(to json: inout JSONOutput) {
        json.raw("{\"following\":")
        json.bool(following)
        json.raw("}")
    }
}

extension RequestHeaders {
    /// The signed headers of `request` (section 4), "" for an absent one.
    init(_ request: Request) {
        self.init(requestPubkey: request.headers[.web3mqRequestPubkey] ?? "", didkey: request.headers[.didkey] ?? "")
    }
}

extension HTTPField.Name {
    /// The request key header of docs/protocol.md section 4.
    static let web3mqRequestPubkey = HTTPField.Name("web3mq-request-pubkey")!
    /// The did header of docs/protocol.md section 4.
    static let didkey = HTTPField.Name("didkey")!
}
