@_spi(Benchmarks) import SignedFollow
import SignedFollowClient

/// A valid signed request with one field mutated, and what the service must answer.
struct MutatedRequest {
    let body: [UInt8]
    let headers: RequestHeaders
    let expectation: Expectation

    /// `base` with `mutation` applied to `field`; nil when the mutation cannot change this
    /// value (a case toggle of a text without letters, say).
    init?(_ base: SignedRequest, _ field: SignedField, _ mutation: FieldMutation) {
        var request = base
        let original: String
        var mutated: String?
        switch (field.place, field.shape) {
        case (.member, .text(let encoding)):
            original = base.text(field.name)
            switch mutation {
            case .text(let edit):
                guard let text = edit.applied(to: original, encoding: encoding) else { return nil }
                mutated = text
                request = base.replacing(field.name, with: .string(text))
            case .removed: request = base.removing(field.name)
            case .null: request = base.replacing(field.name, with: .null)
            case .retyped: request = base.replacing(field.name, with: .integer(12_345))
            case .delta, .numberText: return nil
            }
        case (.member, .integer):
            guard case .integer(let value)? = base[field.name] else { preconditionFailure("no integer member \(field.name)") }
            original = String(value)
            switch mutation {
            case .delta(let delta):
                mutated = String(value + delta)
                request = base.replacing(field.name, with: .integer(value + delta))
            case .numberText(let edit):
                guard let text = edit.applied(to: original, encoding: .plain) else { return nil }
                mutated = text
                request = base.replacing(field.name, with: .raw(text))
            case .removed: request = base.removing(field.name)
            case .null: request = base.replacing(field.name, with: .null)
            case .retyped: request = base.replacing(field.name, with: .string(original))
            case .text: return nil
            }
        case (.requestPubkeyHeader, .text(let encoding)), (.didkeyHeader, .text(let encoding)):
            original = field.place == .didkeyHeader ? base.headers.didkey : base.headers.requestPubkey
            let value: String
            switch mutation {
            case .text(let edit):
                guard let text = edit.applied(to: original, encoding: encoding) else { return nil }
                mutated = text
                value = text
            case .removed: value = ""  // an empty header is not sent
            default: return nil
            }
            if field.place == .didkeyHeader { request.headers.didkey = value } else { request.headers.requestPubkey = value }
        case (_, .integer):
            preconditionFailure("headers are text")
        }
        precondition(mutated != original, "a mutation must change the value")
        body = request.body
        headers = request.headers
        expectation = field.expectation(for: mutation, original: original, mutated: mutated)
    }
}
