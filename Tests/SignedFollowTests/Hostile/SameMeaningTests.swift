@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing

/// The exceptions of the mutation tests, one by one: the changes the service rightly
/// accepts because they keep what was signed, and the near misses that look alike but
/// change signed text, which it must refuse.
@Suite("Hostile input: changes that keep the signed meaning, and near misses")
struct SameMeaningTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        let request: Request
        let field: String
        let mutation: FieldMutation
        /// nil: accepted as the signed request; else the one code.
        let code: Int?

        enum Request: Sendable {
            case follow, registration, login
        }

        var testDescription: String { "\(code.map(String.init) ?? "accepted"): \(name)" }

        init(_ code: Int?, _ name: String, _ request: Request, _ field: String, _ mutation: FieldMutation) {
            self.code = code
            self.name = name
            self.request = request
            self.field = field
            self.mutation = mutation
        }
    }

    static func edit(_ kind: TextEdit.Kind, at position: Int = 0, byte: Character = " ") -> TextEdit {
        TextEdit(kind: kind, position: position, byte: byte.asciiValue!, bit: 0)
    }

    static let examples: [Example] = [
        Example(nil, "did_signature in upper-case hex", .follow, "did_signature", .text(edit(.upperCase))),
        Example(nil, "web3mq-request-pubkey in upper-case hex", .follow, "web3mq-request-pubkey", .text(edit(.upperCase))),
        Example(nil, "the didkey address in upper case", .follow, "didkey", .text(edit(.upperCase))),
        Example(nil, "a space before the timestamp", .follow, "timestamp", .numberText(edit(.insert, at: 0))),
        Example(nil, "a space after didkey (HTTP drops it)", .follow, "didkey", .text(edit(.insert, at: 46))),
        Example(
            nil, "a tab before web3mq-request-pubkey (HTTP drops it)", .follow, "web3mq-request-pubkey",
            .text(edit(.insert, at: 0, byte: "\t"))),
        Example(40004, "a space inside web3mq-request-pubkey", .follow, "web3mq-request-pubkey", .text(edit(.insert, at: 10))),
        Example(nil, "registration: did_signature in upper-case hex", .registration, "did_signature", .text(edit(.upperCase))),
        Example(nil, "login: did_value in upper case", .login, "did_value", .text(edit(.upperCase))),
        Example(nil, "login: main_pubkey in upper-case hex", .login, "main_pubkey", .text(edit(.upperCase))),
        Example(
            nil, "login: a newline after the expiry", .login, "pubkey_expired_timestamp",
            .numberText(edit(.insert, at: 13, byte: "\n"))),
        Example(40004, "didkey with 0X", .follow, "didkey", .text(edit(.toggleCase, at: 5))),
        Example(40103, "did_signature with 0X", .follow, "did_signature", .text(edit(.toggleCase, at: 1))),
        Example(40104, "sign_content with one more space of indentation", .follow, "sign_content", .text(edit(.insert, at: 1))),
        Example(
            40102, "registration: did_value in upper case (the nonce hashes it as sent)", .registration, "did_value",
            .text(edit(.upperCase))),
        Example(40102, "registration: pubkey_value in upper case", .registration, "pubkey_value", .text(edit(.upperCase))),
        Example(40102, "login: pubkey_value in upper case", .login, "pubkey_value", .text(edit(.upperCase))),
        Example(
            40105, "login: signature_content in upper case (its text is signed)", .login, "signature_content",
            .text(edit(.upperCase))),
        Example(
            40003, "login: did_value with one letter in upper case (not EIP-55)", .login, "did_value",
            .text(edit(.toggleCase, at: 2))),
    ]

    @Test("each example is answered as reasoned", arguments: examples)
    func example(_ example: Example) async throws {
        try await MutationWorld.run { world in
            let (table, route, replay): ([SignedField], String, MutationTrial.Replay) =
                switch example.request {
                case .follow: (SignedFields.follow, Routes.follow, .alreadyApplied)
                case .registration: (SignedFields.registration, Routes.register, .alreadyApplied)
                case .login: (SignedFields.login, Routes.login, .sameSessionKey)
                }
            let field = try #require(table.first { $0.name == example.field })
            let valid =
                switch example.request {
                case .follow: world.follow(ClientChoice(style: ClientStyle(), action: "follow", mainKey: false))
                case .registration: world.registration(ClientChoice(style: ClientStyle(), action: "follow", mainKey: false))
                case .login: world.login()
                }
            let mutated = try #require(MutatedRequest(valid, field, example.mutation))
            switch (mutated.expectation, example.code) {
            case (.accepted, nil): break
            case (.rejected(let codes), let code?): #expect(codes.contains(code), "the table allows \(codes.sorted())")
            default: Issue.record("the oracle expects \(mutated.expectation)")
            }
            let exact: Expectation = example.code.map { .rejected([$0]) } ?? mutated.expectation
            try await MutationTrial(service: world.service, route: route, replay: replay).run(
                body: mutated.body, headers: mutated.headers, expectation: exact, valid: valid, label: example.name)
        }
    }
}
