import Hummingbird

/// Counts every answered request in ``ServiceMetrics`` by route pattern, method, HTTP
/// status and the response code of its JSON envelope.
///
/// The route is the router's pattern as Hummingbird writes it (no trailing slash), never
/// the raw path, so that a client probing random paths cannot create a series per path:
/// unknown paths count under Hummingbird's `NotFound`, and answers given before any
/// route was chosen (CORS preflights) under `unrouted`.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let recorder = ResponseCodeRecorder()
        do {
            let response = try await ResponseCodeRecorder.$current.withValue(recorder) {
                try await next(request, context)
            }
            record(request, context, status: Int(response.status.code), code: recorder.recordedCode)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context, status: Int(error.status.code), code: recorder.recordedCode)
            throw error
        } catch {
            record(request, context, status: 500, code: recorder.recordedCode)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, code: Int?) {
        metrics.recordRequest(
            route: context.endpointPath ?? "unrouted", method: request.method.rawValue, status: status, code: code)
    }
}
