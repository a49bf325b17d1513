import ArgumentParser
import Foundation
import Keccak
import SignedFollow
import SignedFollowClient
import WalletCrypto

/// `signed-follow gen-load`: registered users and fresh pre-signed follows for a load tool.
struct GenLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen-load",
        abstract: "Register and log in test users, then write fresh pre-signed follows as JSON Lines for a load tool.",
        discussion: """
            Users are derived from --seed-prefix and a number (so a second run reuses them).
            Each line of --out is {"method","path","headers","body"} with the body verbatim
            and last: a load tool (e.g. a wrk Lua script) can send the text after "body":.
            The follows are signed now, with the session keys; send them within the
            service's timestamp window (5 minutes by default).
            Example: signed-follow gen-load --users 1000 --requests 100000 --out follows.jsonl
            """)

    @Option(help: "The service's base URL.")
    var server = "http://127.0.0.1:8080"

    @Option(help: "How many users to register and log in.")
    var users = 100

    @Option(help: "How many follow requests to write (at most users x (users - 1)).")
    var requests = 1_000

    @Option(help: "Where to write the requests.")
    var out: String

    @Option(help: "The users' seeds are <prefix>-<number>.")
    var seedPrefix = "load"

    func validate() throws {
        guard users >= 2 else { throw ValidationError("--users must be at least 2") }
        guard requests >= 1, requests <= users * (users - 1) else {
            throw ValidationError("--requests must be 1 to users x (users - 1) = \(users * (users - 1))")
        }
    }

    func run() async throws {
        let client = ServiceClient(server: server)
        let console = Console.current
        let now = RequestSigner.clock()
        var sessionKeys: [Ed25519KeyPair] = []
        let identities = (0..<users).map { TestIdentity(seed: "\(seedPrefix)-\($0)") }
        for (number, identity) in identities.enumerated() {
            let sessionKey = try Ed25519KeyPair(seed: sha3_256("signed-follow load session \(seedPrefix)-\(number) \(now)").bytes)
            let registration = identity.registration(timestamp: now)
            let login = identity.login(sessionKey: sessionKey, expiresAt: now + 86_400_000, timestamp: now)
            for (request, path) in [(registration, "/api/user_register_v2/"), (login, "/api/user_login_v2/")] {
                let answer = try await client.send(RequestDocument(post: request, to: path))
                guard answer.accepted else {
                    throw CLIError("\(path) for user \(number) was refused: \(answer.summary.first ?? "")")
                }
            }
            sessionKeys.append(sessionKey)
            if (number + 1) % 100 == 0 { console.progress?("registered \(number + 1) of \(users) users") }
        }
        // Follower i follows targets i+1, i+2, ... in turn, so every pair appears once and
        // the load spreads over all users.
        var written = 0
        try withOutput(out) { write in
            var distance = 1
            while written < requests {
                for follower in 0..<users where written < requests {
                    let target = identities[(follower + distance) % users].userid
                    let request = identities[follower].follow(
                        target: target, timestamp: now + Int64(written % 1000), requestKey: sessionKeys[follower])
                    write(Array(RequestDocument(post: request, to: "/api/following/").json.utf8) + [0x0A])
                    written += 1
                }
                distance += 1
            }
        }
        if console.progress != nil { console.progress?("") }
        console.err("registered \(users) users; wrote \(written) follow requests to \(out)")
    }
}
