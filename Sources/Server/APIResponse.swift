import HTTPTypes
import Hummingbird
import Logging
import SignedFollow

/// The JSON envelope of every response (docs/protocol.md section 1):
/// `{"code": Int, "msg": String, "data"?: Object}`, with the HTTP status the code implies.
///
/// Written by hand (``JSONBody``) with the bytes `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` wrote before: `code`, then `data` when there is one, then
/// `msg`.
struct APIResponse<Payload: JSONBody>: ResponseGenerator, Sendable {
    let code: ErrorCode
    let msg: String
    let data: Payload?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        makeResponse()
    }

    /// The HTTP response, with `headers` besides its content type.
    func makeResponse(headers: HTTPFields = [:]) -> Response {
        ResponseCodeRecorder.current?.record(code)
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: HTTPResponse.Status(code: code.httpStatus), headers: headers,
            body: ResponseBody(byteBuffer: body()))
    }

    /// The envelope's JSON text.
    func body() -> ByteBuffer {
        var json = JSONOutput(capacity: 48 + msg.utf8.count + (data?.estimatedSize ?? 0))
        json.raw("{\"code\":")
        json.integer(code.rawValue)
        if let data {
            json.raw(",\"data\":")
            data.write(to: &json)
        }
        json.raw(",\"msg\":")
        json.string(msg)
        json.raw("}")
        return json.buffer
    }
}

/// No `data`.
struct NoData: JSONBody {
    func write(to json: inout JSONOutput) { json.raw("{}") }
}

extension APIResponse where Payload == NoData {
    /// An error answer: the code and its message, no data.
    init(error: RequestError) {
        self.init(code: error.code, msg: error.message, data: nil)
    }

    /// An error answer with a constant message for the code.
    init(code: ErrorCode) {
        self.init(code: code, msg: code.meaning, data: nil)
    }
}

/// A write refused by the user's rate limit (42901), with the seconds to wait.
struct RateLimited: Error {
    let retryAfterSeconds: Int

    /// The answer: 42901 with `Retry-After`.
    var response: Response {
        APIResponse(code: .rateLimited).makeResponse(headers: [.retryAfter: String(retryAfterSeconds)])
    }
}

/// Runs `handler` and turns every failure into the protocol's answer: a `RequestError`
/// into its code and message, a rate limit into 42901 with `Retry-After`, a writer failure
/// into 50001 or 50301, anything else into 50001; the last two are logged with the
/// request's logger, never echoed.
func answering(_ context: some RequestContext, _ handler: () async throws -> Response) async -> Response {
    do {
        return try await handler()
    } catch let error as RequestError {
        return APIResponse(error: error).makeResponse(headers: error.retryAfterSeconds.map { [.retryAfter: String($0)] } ?? [:])
    } catch let limited as RateLimited {
        return limited.response
    } catch let error as WriterError {
        context.logger.error("write failed", metadata: ["error": "\(error)"])
        return APIResponse(code: error.code).makeResponse()
    } catch {
        context.logger.error("internal error", metadata: ["error": "\(error)"])
        return APIResponse(code: .internalError).makeResponse()
    }
}
