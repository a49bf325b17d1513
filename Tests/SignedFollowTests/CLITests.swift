import Foundation
import HTTPTypes
import Keccak
@_spi(Benchmarks) @testable import SignedFollow
import SignedFollowClient
@testable import SignedFollowCLI
import Synchronization
import Testing
import WalletCrypto

/// What one run of the CLI printed, and its exit code.
struct CLIRun: CustomStringConvertible {
    let exitCode: Int32
    let out: [String]
    let err: [String]

    var text: String { out.joined(separator: "\n") }
    var description: String { "exit \(exitCode)\n" + (out + err).joined(separator: "\n") }
}

/// Runs `signed-follow` in-process with `arguments`, capturing what it prints.
func runCLI(_ arguments: [String]) async -> CLIRun {
    let out = Mutex<[String]>([]), err = Mutex<[String]>([])
    let console = Console(
        out: { line in out.withLock { $0.append(line) } }, err: { line in err.withLock { $0.append(line) } })
    let code = await Console.$current.withValue(console) { await CommandLineInterface.run(arguments) }
    return CLIRun(exitCode: code, out: out.withLock { $0 }, err: err.withLock { $0 })
}

/// A temporary directory, removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("signed-follow-cli-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

@Suite("CLI: keys, requests and exit codes")
struct CLIClientTests {
    @Test("keygen writes a reproducible test identity, warns, and refuses to overwrite")
    func keygen() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory + "/alice.json"
            let first = await runCLI(["keygen", "--out", file, "--seed", "alice"])
            #expect(first.exitCode == 0, "\(first)")
            #expect(first.err.contains { $0.contains("TEST KEYS ONLY") })
            let identity = try IdentityFile.load(file).identity()
            #expect(identity.userid == TestIdentity(seed: "alice").userid)
            #expect(first.text.contains(identity.userid))
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

            let again = await runCLI(["keygen", "--out", file])
            #expect(again.exitCode == 1)
            #expect(try IdentityFile.load(file).userid == identity.userid, "the file was overwritten")

            let random = await runCLI(["keygen", "--out", directory + "/r.json", "--json"])
            let other = await runCLI(["keygen", "--out", directory + "/s.json", "--json"])
            #expect(random.exitCode == 0 && other.exitCode == 0)
            #expect(try IdentityFile.load(directory + "/r.json").userid != IdentityFile.load(directory + "/s.json").userid)
            #expect(random.text.hasPrefix("{\"file\":"))
        }
    }

    @Test(
        "usage errors exit with 2",
        arguments: [
            ["follow"], ["no-such-command"], ["batch", "--identity", "x.json"],
            ["batch"] + (0...20).map { "user:\($0)" }, ["gen-load", "--users", "1", "--out", "x"],
            ["login", "--hours", "0"], ["audit", "export"],
        ])
    func usage(_ arguments: [String]) async {
        let run = await runCLI(arguments)
        #expect(run.exitCode == 2, "\(arguments): \(run)")
        #expect(!run.err.isEmpty)
    }

    @Test("help exits with 0 and every subcommand has an example")
    func help() async {
        let commands = [
            "serve", "keygen", "register", "login", "follow", "unfollow", "batch", "following", "followers", "status",
            "explain", "gen-load", "selftest", "config", "sign register", "sign login", "sign follow", "sign unfollow",
            "sign batch", "audit export", "audit verify",
        ]
        for command in commands {
            let run = await runCLI(command.split(separator: " ").map(String.init) + ["--help"])
            #expect(run.exitCode == 0, "\(command)")
            let example = run.text.components(separatedBy: "Example: ").dropFirst().first
            #expect(example?.contains("signed-follow \(command)") == true, "\(command) has no example")
        }
    }

    @Test("register, login, follow, status, lists, unfollow and batch against a live service")
    func clientFlow() async throws {
        try await withTemporaryDirectory { directory in
            let alice = directory + "/alice.json", bob = directory + "/bob.json", carol = directory + "/carol.json"
            for (file, seed) in [(alice, "alice"), (bob, "bob"), (carol, "carol")] {
                #expect(await runCLI(["keygen", "--out", file, "--seed", seed]).exitCode == 0)
            }
            try await TestService.run(live: true) { service in
                let server = ["--server", service.baseURL]
                func cli(_ arguments: [String]) async -> CLIRun { await runCLI(arguments + server) }
                let aliceID = TestIdentity(seed: "alice"), bobID = TestIdentity(seed: "bob"),
                    carolID = TestIdentity(seed: "carol")

                #expect(await cli(["register", "-i", alice]).exitCode == 0)
                #expect(
                    await cli(["register", "-i", bob, "--layout", "unindented", "--address-form", "checksummed"]).exitCode == 0)
                #expect(await cli(["register", "-i", carol, "--signature-form", "compact"]).exitCode == 0)
                #expect(try service.store.user(aliceID.userid) != nil)

                let login = await cli(["login", "-i", alice, "--hours", "2"])
                #expect(login.exitCode == 0, "\(login)")
                let session = try #require(try IdentityFile.load(alice).session)
                #expect(try service.store.sessionKeyExpiry(userid: aliceID.userid, pubkey: session.pubkey) == session.expiresAt)

                let follow = await cli(["follow", "-i", alice, bob])
                #expect(follow.exitCode == 0, "\(follow)")
                #expect(try service.store.pairState(userid: aliceID.userid, targetUserid: bobID.userid)?.following == true)
                let status = await cli(["status", "-i", alice, bobID.userid, "--json"])
                #expect(status.text.contains("\"is_following\":true"), "\(status)")
                let following = await cli(["following", "-i", alice])
                #expect(following.exitCode == 0 && following.text.contains(bobID.userid), "\(following)")
                let followers = await cli(["followers", "-i", bob, "--size", "5"])
                #expect(followers.exitCode == 0 && followers.text.contains(aliceID.userid), "\(followers)")

                let unfollow = await cli(["unfollow", "-i", alice, bob, "--user-signature"])
                #expect(unfollow.exitCode == 0, "\(unfollow)")
                #expect(try service.store.pairState(userid: aliceID.userid, targetUserid: bobID.userid)?.following == false)

                let batch = await cli(["batch", "-i", carol, alice, bob, "--main-key"])
                #expect(batch.exitCode == 0, "\(batch)")
                #expect(try service.store.pairState(userid: carolID.userid, targetUserid: aliceID.userid)?.following == true)
                #expect(try service.store.pairState(userid: carolID.userid, targetUserid: bobID.userid)?.following == true)

                // Every layout of section 5 reproduces a client the service accepts.
                for (index, layout) in SignContentLayout.allCases.enumerated() {
                    let run = await cli([
                        index % 2 == 0 ? "follow" : "unfollow", "-i", bob, carol, "--layout", layout.rawValue,
                        "--issued-at", IssuedAt.Layout.allCases[index % 3].rawValue,
                    ])
                    #expect(run.exitCode == 0, "\(layout): \(run)")
                }

                let before = try service.store.counts()
                let refused = await cli(["follow", "-i", alice, alice])
                #expect(refused.exitCode == 1)
                #expect(refused.text.contains("40007"), "\(refused)")
                #expect(try service.store.counts() == before)
            }
            let unreachable = await runCLI(["follow", "-i", alice, bob, "--server", "http://127.0.0.1:9"])
            #expect(unreachable.exitCode == 1)
            #expect(unreachable.err.contains { $0.contains("cannot reach the service") })
        }
    }

    @Test("StarkNet identities: keygen, register, login, follow with every StarkNet wallet word, and explain")
    func starknetFlow() async throws {
        try await withTemporaryDirectory { directory in
            let alice = directory + "/alice.json", bob = directory + "/bob.json", random = directory + "/random.json"
            let keygen = await runCLI(["keygen", "--did-type", "starknet", "--out", alice, "--seed", "alice", "--json"])
            #expect(keygen.exitCode == 0, "\(keygen)")
            let aliceID = TestIdentity(starknetSeed: "alice")
            #expect(keygen.text.contains(aliceID.userid) && keygen.text.contains(aliceID.did.canonical), "\(keygen)")
            #expect(
                await runCLI(["keygen", "--did-type", "starknet", "--chain-id", "SN_SEPOLIA", "--out", bob, "--seed", "bob"])
                    .exitCode == 0)
            let chosen = await runCLI(["keygen", "--did-type", "starknet", "--account", "0x1234", "--out", random, "--json"])
            #expect(chosen.exitCode == 0 && chosen.text.contains("0x" + String(repeating: "0", count: 60) + "1234"), "\(chosen)")
            #expect(try IdentityFile.load(random).identity().did == .starknet(Felt(0x1234)))
            #expect(
                await runCLI(["keygen", "--did-type", "starknet", "--account", "0x0", "--out", directory + "/z.json"]).exitCode
                    == 2)
            #expect(await runCLI(["keygen", "--account", "0x1234", "--out", directory + "/e.json"]).exitCode == 2)

            try await TestService.run(live: true) { service in
                func cli(_ arguments: [String]) async -> CLIRun { await runCLI(arguments + ["--server", service.baseURL]) }
                let bobID = try IdentityFile.load(bob).identity()
                #expect(await cli(["register", "-i", alice, "--wallet-word", "Argent X"]).exitCode == 0)
                #expect(await cli(["register", "-i", bob]).exitCode == 0)
                #expect(try service.store.user(aliceID.userid)?.didType == "starknet")
                #expect(await cli(["login", "-i", alice]).exitCode == 0)
                for (index, word) in DidType.starknet.walletWords.sorted().enumerated() {
                    let run = await cli([index % 2 == 0 ? "follow" : "unfollow", "-i", alice, bob, "--wallet-word", word])
                    #expect(run.exitCode == 0, "\(word): \(run)")
                }
                #expect(try service.store.pairState(userid: aliceID.userid, targetUserid: bobID.userid)?.following == true)
                let refused = await cli(["follow", "-i", alice, bob, "--wallet-word", "MetaMask"])
                #expect(refused.exitCode == 1 && refused.text.contains("40101"), "\(refused)")
            }

            let signed = await runCLI(["sign", "follow", TestIdentity(starknetSeed: "bob").userid, "-i", alice, "--json"])
            #expect(signed.exitCode == 0, "\(signed)")
            let captured = directory + "/follow.json"
            try Data(signed.text.utf8).write(to: URL(fileURLWithPath: captured))
            let explained = await runCLI(["explain", captured])
            #expect(explained.exitCode == 0, "\(explained)")
            #expect(explained.text.contains("typed-data hash for chain id"), "\(explained)")
        }
    }

    @Test("sign prints a request the service accepts as is, and its curl line")
    func sign() async throws {
        try await withTemporaryDirectory { directory in
            let alice = directory + "/alice.json"
            #expect(await runCLI(["keygen", "--out", alice, "--seed", "alice"]).exitCode == 0)
            try await TestService.run(live: true) { service in
                let bob = TestIdentity(seed: "bob")
                #expect(try await service.register(bob).code == 0)
                let kinds: [[String]] = [
                    ["register"], ["login"], ["follow", bob.userid, "--user-signature"], ["unfollow", bob.userid],
                    ["batch", bob.userid, "--action", "follow"],
                ]
                for kind in kinds {
                    let run = await runCLI(["sign"] + kind + ["-i", alice, "--server", service.baseURL])
                    #expect(run.exitCode == 0, "\(kind): \(run)")
                    let document = try RequestDocument(json: Data(try #require(run.out.first).utf8))
                    #expect(run.out.last?.hasPrefix("curl -sS -X POST '\(service.baseURL)\(document.path)'") == true, "\(run)")
                    #expect(run.out.last?.contains("didkey: ") == (kind != ["register"] && kind != ["login"]))
                    let answer = try await ServiceClient(server: service.baseURL).send(document)
                    #expect(answer.accepted, "\(kind): \(answer.summary)")
                }
                let json = await runCLI(["sign", "follow", bob.userid, "-i", alice, "--json"])
                #expect(json.out.count == 1)
            }
        }
    }

    @Test("gen-load registers users and writes fresh follows the service accepts")
    func genLoad() async throws {
        try await withTemporaryDirectory { directory in
            let out = directory + "/load.jsonl"
            try await TestService.run(live: true) { service in
                let run = await runCLI(["gen-load", "--server", service.baseURL, "--users", "3", "--requests", "6", "--out", out])
                #expect(run.exitCode == 0, "\(run)")
                #expect(try service.store.counts().users == 3)
                let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
                #expect(lines.count == 6)
                var pairs = Set<String>()
                for line in lines {
                    let document = try RequestDocument(json: Data(line.utf8))
                    #expect(line.hasSuffix("\"body\":" + String(decoding: document.body, as: UTF8.self) + "}"))
                    let answer = try await ServiceClient(server: service.baseURL).send(document)
                    #expect(answer.accepted, "\(answer.summary)")
                    pairs.insert(String(decoding: document.body, as: UTF8.self).components(separatedBy: "\"action\"")[0])
                }
                #expect(pairs.count == 6, "every line is a distinct pair")
                #expect(try service.store.counts().followingEdges == 6)
            }
        }
    }
}
