import SignedFollow

/// One fuzzer input, laid out so that every byte string means something:
///
/// - byte 0 picks the target: its value modulo the number of ``FuzzTarget`` cases;
/// - request targets (follow, registration, login, batch): byte 1 is the length of the
///   `web3mq-request-pubkey` header, byte 2 the length of `didkey`, then the two headers'
///   bytes, then the body (lengths past the end are cut short);
/// - every other target reads the rest as its payload.
struct FuzzInput {
    let target: FuzzTarget
    /// Everything after byte 0.
    let payload: [UInt8]

    init(_ bytes: UnsafeRawBufferPointer) {
        target = FuzzTarget.allCases[Int(bytes.first ?? 0) % FuzzTarget.allCases.count]
        payload = Array(bytes.dropFirst())
    }

    /// The headers and body of a request target.
    var request: (headers: RequestHeaders, body: [UInt8]) {
        var rest = payload.dropFirst(2)
        let pubkey = rest.prefix(Int(payload.first ?? 0))
        rest = rest.dropFirst(pubkey.count)
        let didkey = rest.prefix(Int(payload.dropFirst().first ?? 0))
        rest = rest.dropFirst(didkey.count)
        // Headers reach the service as strings: HTTP gives it their bytes as text.
        let headers = RequestHeaders(
            requestPubkey: String(decoding: pubkey, as: UTF8.self), didkey: String(decoding: didkey, as: UTF8.self))
        return (headers, Array(rest))
    }

    /// The input that runs `target` on `payload`.
    static func encode(_ target: FuzzTarget, payload: [UInt8]) -> [UInt8] {
        [UInt8(FuzzTarget.allCases.firstIndex(of: target)!)] + payload
    }

    /// The input that sends `body` with `headers` to a request target (headers of at most
    /// 255 bytes).
    static func encode(_ target: FuzzTarget, headers: RequestHeaders, body: [UInt8]) -> [UInt8] {
        let pubkey = Array(headers.requestPubkey.utf8), didkey = Array(headers.didkey.utf8)
        precondition(pubkey.count < 256 && didkey.count < 256, "a header of the fuzz input format is at most 255 bytes")
        return encode(target, payload: [UInt8(pubkey.count), UInt8(didkey.count)] + pubkey + didkey + body)
    }

    /// Runs the input against its target.
    func run() {
        switch target {
        case .follow: FuzzTargets.follow(request.headers, request.body)
        case .registration: FuzzTargets.registration(request.headers, request.body)
        case .login: FuzzTargets.login(request.headers, request.body)
        case .batch: FuzzTargets.batch(request.headers, request.body)
        case .signContent: FuzzTargets.signContent(payload)
        case .signatures: FuzzTargets.signatures(payload)
        case .encodings: FuzzTargets.encodings(payload)
        case .issuedAt: FuzzTargets.issuedAt(payload)
        case .auditLines: FuzzTargets.auditLines(payload)
        }
    }
}

/// What an input exercises.
enum FuzzTarget: CaseIterable {
    case follow, registration, login, batch, signContent, signatures, encodings, issuedAt, auditLines
}
