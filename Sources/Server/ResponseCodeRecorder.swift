import SignedFollow
import Synchronization

/// Carries the response code of a request's JSON envelope from where the envelope is
/// made (``APIResponse``) to the middleware that counts requests, which sees only the
/// finished `Response` and cannot read its body.
///
/// The request metrics middleware binds one recorder per request in a task local; the
/// handler runs in the same task, so the envelope it makes records its code there.
final class ResponseCodeRecorder: Sendable {
    /// The recorder of the request being handled, if a middleware bound one.
    @TaskLocal static var current: ResponseCodeRecorder?

    private let code = Mutex<Int?>(nil)

    /// The last code recorded, or nil when the answer carried no envelope.
    var recordedCode: Int? { code.withLock { $0 } }

    /// Notes the code of the envelope being sent.
    func record(_ value: ErrorCode) {
        code.withLock { $0 = value.rawValue }
    }
}
