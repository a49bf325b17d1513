import Foundation
import HTTPTypes
import Hummingbird
import SignedFollow

/// The JSON envelope of every response (PROTOCOL.md section 1):
/// `{"code": Int, "msg": String, "data"?: Object}`, with the HTTP status the code implies.
struct APIResponse<Payload: Encodable & Sendable>: ResponseGenerator, Sendable {
    let code: ErrorCode
    let msg: String
    let data: Payload?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        makeResponse()
    }

    /// The HTTP response. Encoding these plain values cannot fail; if it ever did, the
    /// answer is a bare 500 rather than a half-written body.
    func makeResponse() -> Response {
        guard let json = try? responseEncoder.encode(Envelope(code: code.rawValue, msg: msg, data: data)) else {
            return Response(status: .internalServerError)
        }
        ResponseCodeRecorder.current?.record(code)
        return Response(
            status: HTTPResponse.Status(code: code.httpStatus),
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    private struct Envelope: Encodable {
        let code: Int
        let msg: String
        let data: Payload?
    }

}

/// One encoder for every response, configured once (not one per request).
private let responseEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}()

/// No `data`.
struct NoData: Encodable, Sendable {}

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
