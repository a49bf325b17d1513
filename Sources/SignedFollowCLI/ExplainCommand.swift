import ArgumentParser
import Foundation
import SignedFollow
import SignedFollowClient
import WalletCrypto

/// `signed-follow explain REQUEST.json`: why the service would accept or reject a
/// captured follow, check by check.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Check a captured follow request offline and show every check of docs/protocol.md section 4, and the client it looks like.",
        discussion: """
            REQUEST.json is {"method", "path", "headers": {"web3mq-request-pubkey", "didkey"},
            "body"}: the body as the JSON object sent, or a string of its exact text (what
            `signed-follow sign follow` prints). Checks that need the service's database (the
            user and key are registered, limits, ordering) are shown as not checked and
            assumed to pass. Exit code 0 when the service would accept the request, 1 when
            it would answer an error.
            Example: signed-follow explain follow.json --now 1700000000000
            """)

    @Argument(help: "The captured request (- for standard input).")
    var request: String

    @Option(help: "The server clock to judge the timestamp against, ms since the epoch (default: now).")
    var now: Int64?

    @Option(help: "The accepted distance of timestamp from the clock, ms.")
    var timestampWindowMs: Int64 = 300_000

    @Flag(help: "Judge as a server that requires web3mq_user_signature.")
    var requireUserSignature = false

    @OptionGroup var chainIds: StarknetChainIdOptions

    @Flag(help: "Print the explanation as JSON.")
    var json = false

    func run() throws {
        let data = request == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: request)
        guard let data else { throw CLIError("cannot read \(request)") }
        let document = try RequestDocument(json: data)
        guard document.path.hasPrefix("/api/following/"), !document.path.hasPrefix("/api/following/batch") else {
            throw CLIError("explain checks single follows (POST /api/following/); this request is for \(document.path)")
        }
        var policy = VerificationPolicy()
        policy.timestampWindowMilliseconds = timestampWindowMs
        policy.requireUserSignature = requireUserSignature
        policy.starknetChainIds = try chainIds.resolve()
        let explanation = FollowExplanation(
            body: document.body, headers: document.headers, now: now ?? RequestSigner.clock(), policy: policy)
        if json { printJSON(explanation) } else { printText(explanation) }
        if explanation.verdict != nil { throw ExitCode.failure }
    }

    private func printText(_ explanation: FollowExplanation) {
        let console = Console.current
        console.out("Checks of docs/protocol.md section 4, in order:")
        for check in explanation.checks {
            switch check.outcome {
            case .passed: console.out("  ok    \(check.number). \(check.name)")
            case .failed(let error):
                console.out("  FAIL  \(check.number). \(check.name): \(error.code.rawValue) \(error.message)")
            case .notChecked(let why): console.out("  --    \(check.number). \(check.name): not checked, \(why)")
            }
            check.details.forEach { console.out("          \($0)") }
        }
        if !explanation.lines.isEmpty {
            console.out("")
            console.out("sign_content, received (after trimming) beside rebuilt:")
            for (index, line) in explanation.lines.enumerated() {
                console.out("  \(line.matches ? "ok  " : "FAIL") line \(index + 1)")
                console.out("        received: \(line.received.map { "\"\($0)\"" } ?? "(missing)")")
                console.out("        expected: \"\(line.expected)\"")
            }
        }
        console.out("")
        console.out("recovered address: \(explanation.recoveredAddress?.checksummed ?? "none")")
        if let client = explanation.client {
            console.out("client recognised: \(client.rawValue)")
            explanation.variations.forEach { console.out("  uses \($0)") }
        }
        if let verdict = explanation.verdict {
            console.out("the service would answer: \(verdict.code.rawValue) (HTTP \(verdict.code.httpStatus)) \(verdict.message)")
        } else {
            console.out("the service would answer: 0, if the checks that need its database pass")
        }
    }

    /// `strings` as a JSON array.
    private static func jsonArray(_ strings: [String]) -> String {
        var output: [UInt8] = [UInt8(ascii: "[")]
        for (index, text) in strings.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONEscaping.appendString(text, to: &output)
        }
        output.append(UInt8(ascii: "]"))
        return String(decoding: output, as: UTF8.self)
    }

    private func printJSON(_ explanation: FollowExplanation) {
        let checks = explanation.checks.map { check -> String in
            var members: [(name: String, value: JSONScalar)] = [
                ("number", .integer(Int64(check.number))), ("name", .string(check.name)),
            ]
            switch check.outcome {
            case .passed: members.append(("result", .string("passed")))
            case .failed(let error):
                members += [
                    ("result", .string("failed")), ("code", .integer(Int64(error.code.rawValue))),
                    ("msg", .string(error.message)),
                ]
            case .notChecked(let why): members += [("result", .string("not_checked")), ("why", .string(why))]
            }
            return String(decoding: JSONWriter.object(members), as: UTF8.self)
        }
        let lines = explanation.lines.map { line in
            String(
                decoding: JSONWriter.object([
                    ("received", line.received.map(JSONScalar.string) ?? .null), ("expected", .string(line.expected)),
                    ("matches", .bool(line.matches)),
                ]), as: UTF8.self)
        }
        Console.current.out(
            String(
                decoding: JSONWriter.object([
                    ("checks", .raw("[" + checks.joined(separator: ",") + "]")),
                    ("sign_content_lines", .raw("[" + lines.joined(separator: ",") + "]")),
                    ("recovered_address", explanation.recoveredAddress.map { .string($0.checksummed) } ?? .null),
                    ("client", explanation.client.map { .string($0.rawValue) } ?? .null),
                    ("variations", .raw(Self.jsonArray(explanation.variations))),
                    ("code", .integer(Int64(explanation.verdict?.code.rawValue ?? 0))),
                    ("msg", explanation.verdict.map { .string($0.message) } ?? .null),
                ]), as: UTF8.self))
    }
}
