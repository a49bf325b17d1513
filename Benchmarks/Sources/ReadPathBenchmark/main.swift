// The read path (BENCHMARKS.md, "Read path"): a release executable with two modes.
//
//   ReadPathBenchmark build --db PATH [--users 100000] [--edges 1000000]
//     Writes a graph into a fresh database through FollowStore.apply, in transactions of
//     1,024 writes: `users` registrations, then `edges` distinct follows, each user
//     following edges/users others, the targets drawn so that followers are skewed (a
//     target's number is users x u^3 for u uniform in [0, 1)): a few users have tens of
//     thousands of followers, most have a handful. Prints the graph's shape and writes
//     PATH.users (one userid a line, by number) for the HTTP runs of read_path.py.
//   ReadPathBenchmark lists --db PATH [--samples 20000]
//     Opens the database and times, one read at a time, a page of 100 of a user's
//     followers (FollowStore.followList(.followers, page 1, size 100)) for users drawn at
//     random among those with at least 100 followers, the same for the most followed
//     user, its middle page, and follow_status of random pairs. Prints percentiles in
//     microseconds and, last, one line `JSON: {...}`.

import Foundation
import Keccak
import Logging
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import WalletCrypto

struct Options {
    var mode = ""
    var database = ""
    var users = 100_000
    var edges = 1_000_000
    var samples = 20_000

    static let usage = "usage: ReadPathBenchmark build|lists --db PATH [--users N] [--edges N] [--samples N]"

    init(_ arguments: [String]) {
        var rest = arguments[...]
        guard let mode = rest.popFirst(), ["build", "lists"].contains(mode) else { fail(Self.usage) }
        self.mode = mode
        while let flag = rest.popFirst() {
            guard let text = rest.popFirst() else { fail("missing value for \(flag)\n\(Self.usage)") }
            if flag == "--db" { database = text; continue }
            guard let value = Int(text), value > 0 else { fail("bad value \(text) for \(flag)") }
            switch flag {
            case "--users": users = value
            case "--edges": edges = value
            case "--samples": samples = value
            default: fail("unknown option \(flag)\n\(Self.usage)")
            }
        }
        guard !database.isEmpty else { fail("--db is required\n\(Self.usage)") }
        guard users >= 2, edges <= users * (users - 1) / 2 else { fail("need edges <= users * (users - 1) / 2") }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func log(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail("check failed: " + message()) }
}

func monotonicNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

let baseTime: Int64 = 1_760_000_000_000

func userid(_ index: Int) -> String { "user:" + sha3_224("read user \(index)").hexString }

// MARK: - build

func build(_ options: Options) throws {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: options.database + suffix) }
    var logger = Logger(label: "read-path-benchmark")
    logger.logLevel = .warning
    let store = try FollowStore(path: options.database, followingLimit: options.users, logger: logger)
    let start = monotonicNanoseconds()
    var writes: [VerifiedWrite] = []
    func flush() throws {
        guard !writes.isEmpty else { return }
        let outcomes = try store.apply(writes)
        check(outcomes.allSatisfy { if case .applied = $0 { true } else { false } }, "a write was not applied")
        writes.removeAll(keepingCapacity: true)
    }
    var names: [String] = []
    for index in 0..<options.users {
        let name = userid(index)
        names.append(name)
        let address = "0x" + Hex.encode(keccak256("read address \(index)").bytes[12...])
        writes.append(
            .register(
                Registration(
                    userid: name, didType: "eth", didValue: address, mainPubkey: sha3_256("read main key \(index)").hexString,
                    timestamp: baseTime, nonce: sha3_224("read registration \(index)"),
                    audit: AuditRecord(kind: "register", receivedAt: baseTime, body: Array(#"{"userid":"\#(name)"}"#.utf8)))))
        if writes.count == 1024 { try flush() }
    }
    try flush()
    var random = SeededRandom(seed: 0x0EAD)
    let perUser = options.edges / options.users
    var written = 0
    for user in 0..<options.users {
        let count = perUser + (user < options.edges % options.users ? 1 : 0)
        var targets = Set<Int>()
        while targets.count < count {
            let target = Int(Double(options.users) * pow(Double.random(in: 0..<1, using: &random), 3))
            if target != user { targets.insert(target) }
        }
        for target in targets {
            let timestamp = baseTime + Int64(written)
            written += 1
            let nonce = SignedDigests.followNonce(
                userid: names[user], action: "follow", targetUserid: names[target], timestamp: timestamp)
            writes.append(
                .follow(
                    FollowChange(
                        userid: names[user], targetUserid: names[target], follow: true, timestamp: timestamp, nonce: nonce,
                        audit: AuditRecord(
                            kind: "follow", receivedAt: timestamp, body: Array(#"{"target_userid":"\#(names[target])"}"#.utf8)),
                        keyEpoch: baseTime)))
            if writes.count == 1024 { try flush() }
        }
        if store.pendingPairCount >= 65_536 { try store.materializePairs() }
    }
    try flush()
    try store.materializePairs()
    let seconds = Double(monotonicNanoseconds() - start) / 1e9
    let counts = try store.counts()
    check(counts.users == options.users && counts.followingEdges == options.edges, "unexpected counts \(counts)")
    var most = (userid: names[0], followers: 0)
    for index in 0..<min(100, options.users) {
        let stats = try store.followStats(of: names[index])!
        if stats.followers > most.followers { most = (names[index], stats.followers) }
    }
    try store.close()
    try (names.joined(separator: "\n") + "\n").write(toFile: options.database + ".users", atomically: true, encoding: .utf8)
    log(
        "built \(options.users) users and \(options.edges) edges in \(String(format: "%.1f", seconds)) s; most followed: \(most.followers)"
    )
}

// MARK: - lists

func percentiles(_ nanoseconds: [UInt64]) -> [String: Double] {
    let sorted = nanoseconds.sorted()
    func at(_ p: Double) -> Double { Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000 }
    return [
        "p50_us": at(0.5), "p90_us": at(0.9), "p99_us": at(0.99), "max_us": Double(sorted.last!) / 1000,
        "count": Double(sorted.count),
    ]
}

func lists(_ options: Options) throws {
    var logger = Logger(label: "read-path-benchmark")
    logger.logLevel = .warning
    let store = try FollowStore(path: options.database, logger: logger)
    defer { try? store.close() }
    let names = try String(contentsOfFile: options.database + ".users", encoding: .utf8).split(separator: "\n").map(String.init)
    // Users with at least 100 followers: the low numbers, by the graph's skew.
    var popular: [String] = []
    var most = (userid: names[0], followers: 0)
    for name in names.prefix(20_000) {
        let followers = try store.followStats(of: name)!.followers
        if followers >= 100 { popular.append(name) }
        if followers > most.followers { most = (name, followers) }
    }
    check(!popular.isEmpty, "no user has 100 followers")
    var random = SeededRandom(seed: 0x1157)
    func measure(_ label: String, _ read: () throws -> Void) rethrows -> [String: Double] {
        for _ in 0..<min(1_000, options.samples) { try read() }  // warm the page cache
        var samples: [UInt64] = []
        samples.reserveCapacity(options.samples)
        for _ in 0..<options.samples {
            let start = monotonicNanoseconds()
            try read()
            samples.append(monotonicNanoseconds() - start)
        }
        let result = percentiles(samples)
        log(
            "\(label): p50 \(String(format: "%.1f", result["p50_us"]!)) us, p99 \(String(format: "%.1f", result["p99_us"]!)) us, max \(String(format: "%.1f", result["max_us"]!)) us"
        )
        return result
    }
    let randomPopular = try measure("followers page 1 x 100, random user with >= 100 followers (\(popular.count) users)") {
        let page = try store.followList(
            .followers, of: popular[Int.random(in: 0..<popular.count, using: &random)], page: 1, size: 100)!
        check(page.entries.count == 100, "short page")
    }
    let mostFollowed = try measure("followers page 1 x 100 of the most followed user (\(most.followers) followers)") {
        let page = try store.followList(.followers, of: most.userid, page: 1, size: 100)!
        check(page.entries.count == 100 && page.totalCount == most.followers, "short page")
    }
    let middle = most.followers / 200 + 1
    let deepPage = try measure("followers page \(middle) x 100 (the middle) of the most followed user") {
        let page = try store.followList(.followers, of: most.userid, page: middle, size: 100)!
        check(page.entries.count == 100, "short page")
    }
    let status = try measure("follow_status of a random pair") {
        _ = try store.followStatus(
            userid: names[Int.random(in: 0..<names.count, using: &random)],
            targetUserid: names[Int.random(in: 0..<names.count, using: &random)])!
    }
    let result: [String: Any] = [
        "popular_users": popular.count, "most_followers": most.followers,
        "followers_page_random_popular": randomPopular, "followers_page_most_followed": mostFollowed,
        "followers_page_middle_most_followed": deepPage, "middle_page": middle, "follow_status": status,
        "users": names.count,
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print("JSON: " + String(decoding: json, as: UTF8.self))
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
do {
    switch options.mode {
    case "build": try build(options)
    default: try lists(options)
    }
} catch {
    fail("error: \(error)")
}
