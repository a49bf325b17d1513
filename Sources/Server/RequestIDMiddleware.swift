import HTTPTypes
import Hummingbird
import Logging

/// Gives each request an id: the client's `x-request-id` when it is short and printable
/// (1 to 64 visible ASCII characters, no spaces), else the one Hummingbird generated.
/// The id goes into the logger metadata as `hb.request.id`, the key Hummingbird's own
/// log lines and `context.id` use, so every line about the request carries it; and it is
/// echoed in the `x-request-id` response header, errors included.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The longest client-supplied id kept.
    static var maxLength: Int { 64 }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let id: String
        if let clientID = request.headers[.requestID].flatMap(Self.acceptable) {
            id = clientID
            context.logger[metadataKey: "hb.request.id"] = .string(id)
        } else if let generated = context.logger[metadataKey: "hb.request.id"] {
            // Hummingbird's own id, already in the metadata: setting it again would only
            // rebuild the log handler's metadata for every request.
            id = generated.description
        } else {
            id = RequestID().description
            context.logger[metadataKey: "hb.request.id"] = .string(id)
        }
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = id
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[.requestID] = id
            return response
        }
    }

    /// `candidate` when it may serve as a request id; nil otherwise.
    static func acceptable(_ candidate: String) -> String? {
        let utf8 = candidate.utf8
        guard (1...maxLength).contains(utf8.count),
            utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else { return nil }
        return candidate
    }
}

extension HTTPField.Name {
    /// The request id header, read from requests and set on every response.
    static let requestID = HTTPField.Name("x-request-id")!
}
