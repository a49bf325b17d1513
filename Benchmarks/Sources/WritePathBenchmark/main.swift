// The write path's throughput (BENCHMARKS.md, "Write path"): a release executable that
// prints the medians of several timed rounds and, last, one line `JSON: {...}` that
// `write_path.py` reads. Two modes, each one run of this program:
//
//   WritePathBenchmark pipeline [options]   run it pinned: `taskset -c 0 WritePathBenchmark pipeline`
//     Per round, in rotating order: raw libsecp256k1 recovery (parse_compact + recover,
//     one context) and the in-process pipeline, decode (`FollowRequest(body:headers:)`)
//     + `Verifier.verify` + `GroupCommitWriter.submit` with hundreds of requests in
//     flight, into a fresh database (WAL, synchronous = FULL) holding the registered
//     users. Then, single-threaded, what one request costs in each stage.
//   WritePathBenchmark durable [options]
//     Per round, in rotating order, each into a fresh database: already-verified follows
//     through the group-commit writer from many concurrent submitters, and
//     `FollowStore.apply` in sequential batches of 100 and of 256.
//
// The follows of `pipeline` are real: signed by TestIdentity keys, they pass the
// verifier. Those of `durable` are writes as the verifier returns them, with the follow
// nonce of their fields and a body of a real follow's shape whose signature is filler
// (the store checks none). Every write of every round must come back
// `.applied(following: true)`, and the store's row counts are checked after each round,
// or the run stops.

import CSecp256k1
import Foundation
import Keccak
import Logging
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Synchronization
import WalletCrypto

// MARK: - Options

struct Options {
    var mode = ""
    var users = 1000
    var follows = 20_000
    var concurrency = 512
    var rounds = 5
    var recoversPerRound = 10_000
    var breakdownCount = 5_000
    var submitters = 4096
    var maxBatchSize = 1024
    var directory = NSTemporaryDirectory()
    /// `durable` runs only the variants whose names start with this (e.g. `group-commit`).
    var only = ""

    static let usage = """
        usage: WritePathBenchmark pipeline|durable [--users N] [--follows N] [--concurrency N]
               [--submitters N] [--rounds N] [--recovers N] [--breakdown N] [--max-batch N] [--dir PATH]
               [--only VARIANT-PREFIX]   (durable: e.g. --only group-commit, --only "store.apply")
        """

    init(_ arguments: [String]) {
        var rest = arguments[...]
        guard let mode = rest.popFirst(), ["pipeline", "durable"].contains(mode) else { Self.fail(Self.usage) }
        self.mode = mode
        if mode == "durable" { follows = 25_600 }
        while let flag = rest.popFirst() {
            guard let text = rest.popFirst() else { Self.fail("missing value for \(flag)\n\(Self.usage)") }
            if flag == "--dir" { directory = text; continue }
            if flag == "--only" { only = text; continue }
            guard let value = Int(text), value > 0 else { Self.fail("bad value \(text) for \(flag)") }
            switch flag {
            case "--users": users = value
            case "--follows": follows = value
            case "--concurrency": concurrency = value
            case "--submitters": submitters = value
            case "--rounds": rounds = value
            case "--recovers": recoversPerRound = value
            case "--breakdown": breakdownCount = value
            case "--max-batch": maxBatchSize = value
            default: Self.fail("unknown option \(flag)\n\(Self.usage)")
            }
        }
        guard users >= 2, follows <= users * (users - 1) else { Self.fail("need follows <= users * (users - 1)") }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}

// MARK: - Measuring

/// Wall-clock seconds on the monotonic clock.
func wallSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// CPU seconds used by the whole process so far, user + system, all threads.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}

/// The process's I/O counters from /proc/self/io (all threads): read and write system
/// calls (pread and pwrite included) and the bytes they passed.
struct IOCounters {
    var readCalls = 0.0, writeCalls = 0.0, bytesWritten = 0.0

    static func now() -> IOCounters {
        var counters = IOCounters()
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return counters }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":")
            guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { continue }
            switch parts[0] {
            case "syscr": counters.readCalls = value
            case "syscw": counters.writeCalls = value
            case "wchar": counters.bytesWritten = value
            default: break
            }
        }
        return counters
    }

    static func - (a: IOCounters, b: IOCounters) -> IOCounters {
        IOCounters(
            readCalls: a.readCalls - b.readCalls, writeCalls: a.writeCalls - b.writeCalls,
            bytesWritten: a.bytesWritten - b.bytesWritten)
    }
}

/// One timed block: wall and CPU seconds over `count` operations, and its I/O calls.
struct Timing {
    var count: Int
    var wall: Double
    var cpu: Double
    var io = IOCounters()
    var readCallsPerOp: Double { io.readCalls / Double(count) }
    var writeCallsPerOp: Double { io.writeCalls / Double(count) }
    var kilobytesWrittenPerOp: Double { io.bytesWritten / Double(count) / 1024 }
    var perSecond: Double { Double(count) / wall }
    var wallMicros: Double { wall / Double(count) * 1e6 }
    var cpuMicros: Double { cpu / Double(count) * 1e6 }
    /// CPU time over wall time: at most 1.0 for a process that uses one core.
    var cores: Double { cpu / wall }
}

func time(_ count: Int, _ body: () throws -> Void) rethrows -> Timing {
    let (io0, wall0, cpu0) = (IOCounters.now(), wallSeconds(), cpuSeconds())
    try body()
    let (wall, cpu) = (wallSeconds() - wall0, cpuSeconds() - cpu0)
    return Timing(count: count, wall: wall, cpu: cpu, io: IOCounters.now() - io0)
}

func time(_ count: Int, _ body: () async throws -> Void) async rethrows -> Timing {
    let (io0, wall0, cpu0) = (IOCounters.now(), wallSeconds(), cpuSeconds())
    try await body()
    let (wall, cpu) = (wallSeconds() - wall0, cpuSeconds() - cpu0)
    return Timing(count: count, wall: wall, cpu: cpu, io: IOCounters.now() - io0)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        FileHandle.standardError.write(Data("WritePathBenchmark: check failed: \(message())\n".utf8))
        exit(3)
    }
}

func log(_ text: String) {
    print(text)
    fflush(nil)
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

/// The CPUs this process may run on, from /proc/self/status.
func allowedCPUs() -> String {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "?" }
    for line in status.split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
        return line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
    }
    return "?"
}

/// The next index to process, shared by the worker tasks of one round.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
}

// MARK: - Databases

/// A fresh database file in `directory`, removed (with its WAL companions) by `remove`.
struct TemporaryDatabase {
    let path: String
    let store: FollowStore

    init(directory: String, logger: Logger) throws {
        path = (directory as NSString).appendingPathComponent("signed-follow-bench-\(UUID().uuidString).sqlite")
        store = try FollowStore(path: path, logger: logger)
    }

    func remove() {
        try? store.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// Applies `registrations` in one transaction; every one must be applied.
func register(_ registrations: [VerifiedWrite], in store: FollowStore) throws {
    let outcomes = try store.apply(registrations)
    check(outcomes.allSatisfy { $0 == .applied(following: nil) }, "a registration was not applied")
}

/// A running group-commit writer, taking submissions once `start` returns.
struct RunningWriter {
    let writer: GroupCommitWriter
    let task: Task<Void, any Error>
    let transactionsAtStart: Int

    /// Starts the writer and waits until it takes submissions, by submitting `noop` (a
    /// write already applied, which writes nothing) until it is accepted.
    static func start(store: FollowStore, maxBatchSize: Int, logger: Logger, noop: VerifiedWrite) async throws -> RunningWriter {
        let writer = GroupCommitWriter(store: store, maxBatchSize: maxBatchSize, logger: logger)
        let task = Task { try await writer.run() }
        while true {
            do {
                let outcome = try await writer.submit(noop)
                check(outcome == .alreadyApplied, "the writer's warm-up write was applied: \(outcome)")
                break
            } catch WriterError.unavailable {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        return RunningWriter(writer: writer, task: task, transactionsAtStart: writer.transactionCount)
    }

    var transactions: Int { writer.transactionCount - transactionsAtStart }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Checks the row counts after `follows` distinct follows on top of `users` registrations.
func checkCounts(_ store: FollowStore, users: Int, follows: Int) throws {
    let counts = try store.counts()
    check(
        counts.users == users && counts.followingEdges == follows && counts.followPairs == follows
            && counts.appliedNonces == users + follows && counts.auditEntries == users + follows,
        "unexpected row counts \(counts) for \(users) users and \(follows) follows")
}

/// The (follower, target) indices of the `k`-th follow: every pair at most once while
/// k < users * (users - 1), consecutive follows from different followers.
func pair(_ k: Int, users: Int) -> (follower: Int, target: Int) {
    let follower = k % users
    return (follower, (follower + 1 + k / users) % users)
}

// MARK: - Raw recovery

/// `secp256k1_ecdsa_recoverable_signature_parse_compact` + `secp256k1_ecdsa_recover` with
/// one context on preallocated inputs: the rate the pipeline is compared with. It cycles
/// through the did_signatures of the pipeline's own follows (each over its sign_content's
/// personal-message hash), so both recover the same signatures.
final class RawRecovery: @unchecked Sendable {
    let context: OpaquePointer
    let count: Int
    /// 64 bytes r || s per signature, back to back.
    let signatures: UnsafeMutablePointer<UInt8>
    /// 32 bytes per hash, back to back.
    let hashes: UnsafeMutablePointer<UInt8>
    let recoveryIDs: UnsafeMutablePointer<Int32>
    let output: UnsafeMutablePointer<UInt8>
    private var next = 0

    /// `signatures`: 65 bytes r || s || v each (v 27 or 28).
    init(signatures: [[UInt8]], messageHashes: [Digest256]) {
        guard let context = secp256k1_context_create(csecp256k1_context_none()) else { fatalError("secp256k1_context_create") }
        self.context = context
        count = signatures.count
        self.signatures = .allocate(capacity: 64 * count)
        hashes = .allocate(capacity: 32 * count)
        recoveryIDs = .allocate(capacity: count)
        for (index, (signature, hash)) in zip(signatures, messageHashes).enumerated() {
            (self.signatures + 64 * index).initialize(from: signature, count: 64)
            (hashes + 32 * index).initialize(from: hash.bytes, count: 32)
            recoveryIDs[index] = Int32(signature[64]) - 27
        }
        output = .allocate(capacity: 65)
    }

    @inline(__always)
    func recover(_ index: Int) -> secp256k1_pubkey {
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        var publicKey = secp256k1_pubkey()
        guard
            secp256k1_ecdsa_recoverable_signature_parse_compact(
                context, &recoverable, signatures + 64 * index, recoveryIDs[index]) == 1,
            secp256k1_ecdsa_recover(context, &publicKey, &recoverable, hashes + 32 * index) == 1
        else { fatalError("raw recovery failed") }
        return publicKey
    }

    /// The address of the key recovered from signature `index`, for the sanity check.
    func address(_ index: Int) -> [UInt8] {
        var publicKey = recover(index)
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(context, output, &length, &publicKey, csecp256k1_ec_uncompressed())
        return Array(keccak256(UnsafeRawBufferPointer(start: output + 1, count: 64)).bytes[12...])
    }

    /// `operations` recoveries, continuing through the signatures where the last call stopped.
    func run(_ operations: Int) {
        var sink: UInt8 = 0
        var index = next
        for _ in 0..<operations {
            sink ^= recover(index).data.0
            index += 1
            if index == count { index = 0 }
        }
        next = index
        if sink == 0xA5 && operations < 0 { print(sink) }  // keeps the loop's results alive
    }
}

// MARK: - Pipeline (target 1)

/// A signed follow as it arrives: the body bytes and the two headers.
struct Arrival: Sendable {
    let body: [UInt8]
    let headers: RequestHeaders
}

/// The server clock of every verifier here: fixed, so every signed timestamp stays in
/// the window however long the run takes. 2025-11-21 10:00 UTC.
let serverNow: Int64 = 1_763_719_200_000

func pipeline(_ options: Options) async throws -> [String: Any] {
    var logger = Logger(label: "write-path-benchmark")
    logger.logLevel = .warning
    let cpus = allowedCPUs()
    log("pipeline: allowed CPUs \(cpus) (run it under `taskset -c 0` for one core)")
    let setupStart = wallSeconds()

    // Users and their registrations, verified once by the real verifier.
    let identities = (0..<options.users).map { TestIdentity(seed: "write-path-benchmark-\($0)") }
    let setup = try TemporaryDatabase(directory: options.directory, logger: logger)
    let setupVerifier = Verifier(store: setup.store, policy: VerificationPolicy(), now: { serverNow })
    let registrations = try identities.map { identity in
        let signed = identity.registration(timestamp: serverNow - 60_000)
        return VerifiedWrite.register(
            try setupVerifier.verify(RegistrationRequest(body: signed.body, headers: signed.headers), receivedAt: serverNow))
    }
    setup.remove()

    // Distinct follows, each signed by its follower's wallet and sent with its main key.
    let arrivals: [Arrival] = (0..<options.follows).map { k in
        let (follower, target) = pair(k, users: options.users)
        let signed = identities[follower].follow(
            target: identities[target].userid, timestamp: serverNow - 30_000 + Int64(k % 20_000),
            requestKey: identities[follower].mainKey)
        return Arrival(body: signed.body, headers: signed.headers)
    }
    let meanBody = Double(arrivals.reduce(0) { $0 + $1.body.count }) / Double(arrivals.count)

    // Raw recovery of the follows' own did_signatures over their personal-message hashes;
    // a sample of them must recover to their signers.
    let decoded = try arrivals.map { try FollowRequest(body: $0.body, headers: $0.headers) }
    let raw = RawRecovery(
        signatures: try decoded.map { try RecoverableSignature(hex: $0.didSignature).rawRepresentation },
        messageHashes: decoded.map { PersonalMessage.hash($0.signContent) })
    for index in stride(from: 0, to: decoded.count, by: max(1, decoded.count / 200)) {
        check(
            .eth(try! EthereumAddress(rawRepresentation: raw.address(index))) == decoded[index].didAddress,
            "raw recovery \(index) does not give the signer")
    }
    log(
        "setup: \(options.users) users, \(options.follows) signed follows (mean body \(format(meanBody, 0)) B) in \(format(wallSeconds() - setupStart, 1)) s"
    )

    var recoverRounds: [Timing] = []
    var pipelineRounds: [Timing] = []
    var transactionsPerRound: [Int] = []
    for round in 0..<options.rounds {
        // Alternate which goes first, so neither always runs in the same phase of the round.
        for step in 0..<2 {
            if (step + round) % 2 == 0 {
                let timing = time(options.recoversPerRound) { raw.run(options.recoversPerRound) }
                recoverRounds.append(timing)
                log(
                    "round \(round + 1): raw recover   \(format(timing.perSecond, 0))/s  (\(format(timing.wallMicros, 2)) µs each, CPU/wall \(format(timing.cores, 2)))"
                )
            } else {
                let (timing, transactions) = try await pipelineRound(
                    arrivals, registrations: registrations, options: options, logger: logger)
                pipelineRounds.append(timing)
                transactionsPerRound.append(transactions)
                log(
                    "round \(round + 1): pipeline      \(format(timing.perSecond, 0))/s  (\(format(timing.wallMicros, 2)) µs each, CPU \(format(timing.cpuMicros, 2)) µs each, CPU/wall \(format(timing.cores, 2)), \(transactions) transactions, \(format(Double(options.follows) / Double(transactions), 1)) writes each; per request \(format(timing.writeCallsPerOp, 1)) write and \(format(timing.readCallsPerOp, 1)) read calls)"
                )
            }
        }
    }
    let recoverRate = median(recoverRounds.map(\.perSecond))
    let pipelineRate = median(pipelineRounds.map(\.perSecond))
    let perRoundRatios = zip(pipelineRounds, recoverRounds).map { $0.perSecond / $1.perSecond }
    log(
        "median: raw recover \(format(recoverRate, 0))/s, pipeline \(format(pipelineRate, 0))/s, ratio \(format(pipelineRate / recoverRate, 3))"
    )

    let breakdown = try await stageBreakdown(arrivals, registrations: registrations, raw: raw, options: options, logger: logger)

    return [
        "mode": "pipeline",
        "allowed_cpus": cpus,
        "users": options.users, "follows": options.follows, "concurrency": options.concurrency,
        "rounds": options.rounds, "recovers_per_round": options.recoversPerRound,
        "max_batch_size": options.maxBatchSize, "mean_body_bytes": meanBody,
        "recover_per_s": recoverRounds.map(\.perSecond),
        "recover_cpu_per_wall": recoverRounds.map(\.cores),
        "pipeline_per_s": pipelineRounds.map(\.perSecond),
        "pipeline_cpu_us": pipelineRounds.map(\.cpuMicros),
        "pipeline_cpu_per_wall": pipelineRounds.map(\.cores),
        "pipeline_transactions": transactionsPerRound,
        "pipeline_write_calls": pipelineRounds.map(\.writeCallsPerOp),
        "pipeline_read_calls": pipelineRounds.map(\.readCallsPerOp),
        "ratio_per_round": perRoundRatios,
        "median_recover_per_s": recoverRate,
        "median_pipeline_per_s": pipelineRate,
        "ratio": pipelineRate / recoverRate,
        "breakdown": breakdown,
    ]
}

/// One pipeline round into a fresh database: `concurrency` tasks each take the next
/// arrival, decode, verify and submit it, until all are committed.
func pipelineRound(
    _ arrivals: [Arrival], registrations: [VerifiedWrite], options: Options, logger: Logger
) async throws -> (Timing, transactions: Int) {
    let database = try TemporaryDatabase(directory: options.directory, logger: logger)
    defer { database.remove() }
    try register(registrations, in: database.store)
    let verifier = Verifier(store: database.store, policy: VerificationPolicy(), now: { serverNow })
    let running = try await RunningWriter.start(
        store: database.store, maxBatchSize: options.maxBatchSize, logger: logger, noop: registrations[0])
    let writer = running.writer
    let counter = Counter()
    let timing = try await time(arrivals.count) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<options.concurrency {
                group.addTask {
                    while case let index = counter.next(), index < arrivals.count {
                        let arrival = arrivals[index]
                        let request = try FollowRequest(body: arrival.body, headers: arrival.headers)
                        let write = VerifiedWrite.follow(try await verifier.verify(request, receivedAt: serverNow))
                        let outcome = try await writer.submit(write)
                        check(outcome == .applied(following: true), "follow \(index) was not applied: \(outcome)")
                    }
                }
            }
            try await group.waitForAll()
        }
        try database.store.materializePairs()  // timed until follow_pairs has every pair
    }
    let transactions = running.transactions
    await running.stop()
    try checkCounts(database.store, users: registrations.count, follows: arrivals.count)
    return (timing, transactions)
}

/// What one request costs in each stage, single-threaded on a fresh database per stage,
/// the stages in rotating order each round. The parts of verify are timed separately.
func stageBreakdown(
    _ allArrivals: [Arrival], registrations: [VerifiedWrite], raw: RawRecovery, options: Options, logger: Logger
) async throws -> [String: Any] {
    let count = min(options.breakdownCount, allArrivals.count)
    let arrivals = Array(allArrivals[..<count])
    let requests = try arrivals.map { try FollowRequest(body: $0.body, headers: $0.headers) }
    let readStore = try TemporaryDatabase(directory: options.directory, logger: logger)
    defer { readStore.remove() }
    try register(registrations, in: readStore.store)
    let verifier = Verifier(store: readStore.store, policy: VerificationPolicy(), now: { serverNow })
    var writes: [VerifiedWrite] = []
    for request in requests { writes.append(.follow(try await verifier.verify(request, receivedAt: serverNow))) }

    typealias Stage = (name: String, run: () async throws -> Timing)
    let stages: [Stage] = [
        (
            "decode",
            {
                time(count) {
                    for arrival in arrivals { _ = try! FollowRequest(body: arrival.body, headers: arrival.headers) }
                }
            }
        ),
        (
            "verify",
            {
                try await time(count) {
                    for request in requests { _ = try await verifier.verify(request, receivedAt: serverNow) }
                }
            }
        ),
        (
            "verify: followContext read",
            {
                time(count) {
                    for request in requests {
                        _ = try! readStore.store.followContext(
                            userid: request.userid, requestKey: Hex.encode(request.requestKey), targetUserid: request.targetUserid
                        )
                    }
                }
            }
        ),
        (
            "verify: nonce + sign_content checks",
            {
                time(count) {
                    for request in requests {
                        let text = try! SignContent(request.signContent).checkFollow(
                            didType: request.didType, address: request.didAddress, timestamp: request.timestamp)
                        check(
                            FollowNonce.atBodyTimestamp(
                                text.writtenNonce, userid: request.userid, action: request.action,
                                targetUserid: request.targetUserid, timestamp: request.timestamp) != nil,
                            "the nonce does not match")
                    }
                }
            }
        ),
        (
            "verify: did_signature parse + recoverAddress",
            {
                time(count) {
                    for request in requests {
                        let signature = try! RecoverableSignature(hex: request.didSignature)
                        check(
                            .eth(try! signature.recoverAddress(personalMessage: request.signContent.utf8)) == request.didAddress,
                            "recoverAddress does not give the did address")
                    }
                }
            }
        ),
        (
            "verify: did_signature hex + message hash only",
            {
                time(count) {
                    var sink: UInt8 = 0
                    for request in requests {
                        sink ^= try! RecoverableSignature(hex: request.didSignature).recoveryID
                        sink ^= PersonalMessage.hash(request.signContent.utf8).bytes[0]
                    }
                    if sink == 0xA5 && count < 0 { print(sink) }
                }
            }
        ),
        (
            "raw recover (parse_compact + recover)",
            {
                time(count) { raw.run(count) }
            }
        ),
        (
            "store: apply, batches of \(options.maxBatchSize)",
            {
                let database = try TemporaryDatabase(directory: options.directory, logger: logger)
                defer { database.remove() }
                try register(registrations, in: database.store)
                let timing = try time(count) {
                    var start = 0
                    while start < writes.count {
                        let end = min(start + options.maxBatchSize, writes.count)
                        let outcomes = try database.store.apply(Array(writes[start..<end]))
                        check(outcomes.allSatisfy { $0 == .applied(following: true) }, "a follow was not applied")
                        start = end
                    }
                    try database.store.materializePairs()
                }
                try checkCounts(database.store, users: registrations.count, follows: count)
                return timing
            }
        ),
        (
            "store: group-commit writer, \(options.concurrency) submitters",
            {
                let database = try TemporaryDatabase(directory: options.directory, logger: logger)
                defer { database.remove() }
                try register(registrations, in: database.store)
                let running = try await RunningWriter.start(
                    store: database.store, maxBatchSize: options.maxBatchSize, logger: logger, noop: registrations[0])
                let timing = try await submitConcurrently(
                    writes, to: running.writer, submitters: options.concurrency,
                    then: { try database.store.materializePairs() })
                await running.stop()
                try checkCounts(database.store, users: registrations.count, follows: count)
                return timing
            }
        ),
    ]

    var results: [String: [Timing]] = [:]
    for round in 0..<options.rounds {
        for step in 0..<stages.count {
            let stage = stages[(round + step) % stages.count]
            results[stage.name, default: []].append(try await stage.run())
        }
    }
    log("\nper request, single-threaded stages over \(count) follows, median of \(options.rounds) rounds:")
    var table: [[String: Any]] = []
    for stage in stages {
        let timings = results[stage.name]!
        let wall = median(timings.map(\.wallMicros)), cpu = median(timings.map(\.cpuMicros))
        let writes = median(timings.map(\.writeCallsPerOp)), reads = median(timings.map(\.readCallsPerOp))
        log(
            "  \(stage.name.padding(toLength: 48, withPad: " ", startingAt: 0)) wall \(format(wall, 2).leftPad(8)) µs   CPU \(format(cpu, 2).leftPad(8)) µs   I/O calls \(format(writes, 1)) write, \(format(reads, 1)) read"
        )
        table.append([
            "stage": stage.name, "wall_us": wall, "cpu_us": cpu, "write_calls": writes, "read_calls": reads,
            "wall_us_rounds": timings.map(\.wallMicros), "cpu_us_rounds": timings.map(\.cpuMicros),
        ])
    }
    return ["count": count, "stages": table]
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// Submits every write from `submitters` tasks, each taking the next write until none
/// is left; every one must be applied.
func submitConcurrently(
    _ writes: [VerifiedWrite], to writer: GroupCommitWriter, submitters: Int, then finish: () throws -> Void = {}
) async throws -> Timing {
    let counter = Counter()
    return try await time(writes.count) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<submitters {
                group.addTask {
                    while case let index = counter.next(), index < writes.count {
                        let outcome = try await writer.submit(writes[index])
                        check(outcome == .applied(following: true), "write \(index) was not applied: \(outcome)")
                    }
                }
            }
            try await group.waitForAll()
        }
        try finish()
    }
}

// MARK: - Durable writes (target 2)

/// 56 lowercase hex digits, distinct for each `label`.
func hex224(_ label: String) -> String { sha3_224(label).hexString }

/// `count` users as verified registrations, without signatures: the store does not check them.
func syntheticRegistrations(_ count: Int) -> (userids: [String], writes: [VerifiedWrite]) {
    var userids: [String] = []
    var writes: [VerifiedWrite] = []
    for index in 0..<count {
        let userid = "user:" + hex224("durable user \(index)")
        let address = "0x" + Hex.encode(keccak256("durable address \(index)").bytes[12...])
        let mainPubkey = sha3_256("durable main key \(index)").hexString
        let body = JSONWriter.object([
            ("userid", .string(userid)), ("did_type", .string("eth")), ("did_value", .string(address)),
            ("did_signature", .string("0x" + String(repeating: "ab", count: 65))),
            ("signature_content", .string(String(repeating: "x", count: 300))),
            ("pubkey_type", .string("ed25519")), ("pubkey_value", .string(mainPubkey)), ("timestamp", .integer(serverNow)),
        ])
        userids.append(userid)
        writes.append(
            .register(
                Registration(
                    userid: userid, didType: "eth", didValue: address, mainPubkey: mainPubkey, timestamp: serverNow - 60_000,
                    nonce: sha3_224("durable registration \(index)"),
                    audit: AuditRecord(kind: "register", receivedAt: serverNow, body: body))))
    }
    return (userids, writes)
}

/// `count` distinct verified follows between `userids`, each with the follow nonce of
/// its fields and an audit record whose body has the shape and size of a real follow
/// (the signature is filler: the store does not check it).
func syntheticFollows(_ count: Int, userids: [String]) -> [VerifiedWrite] {
    (0..<count).map { k in
        let (follower, target) = pair(k, users: userids.count)
        let (userid, targetUserid) = (userids[follower], userids[target])
        let timestamp = serverNow - 30_000 + Int64(k % 20_000)
        let nonce = SignedDigests.followNonce(userid: userid, action: "follow", targetUserid: targetUserid, timestamp: timestamp)
        let address = "0x" + Hex.encode(keccak256("durable address \(follower)").bytes[12...])
        let content = SignContentLayout.jsSDK.render([
            "Web3MQ wants you to sign in with your eth account:", address, nil, "For follow signature", nil,
            "Nonce: \(nonce.hexString)", "Issued At: \(IssuedAt.format(timestamp, .yearFirst))",
        ])
        let body = JSONWriter.object([
            ("userid", .string(userid)), ("target_userid", .string(targetUserid)), ("action", .string("follow")),
            ("timestamp", .integer(timestamp)), ("did_type", .string("eth")),
            ("did_signature", .string("0x" + sha3_256("sig \(k)").hexString + sha3_256("sig2 \(k)").hexString + "1b")),
            ("sign_content", .string(content)),
        ])
        return .follow(
            FollowChange(
                userid: userid, targetUserid: targetUserid, follow: true, timestamp: timestamp, nonce: nonce,
                audit: AuditRecord(
                    kind: "follow", receivedAt: serverNow, requestPubkey: sha3_256("durable main key \(follower)").hexString,
                    didkey: "eth:" + address, body: body),
                keyEpoch: serverNow - 60_000))
    }
}

func durable(_ options: Options) async throws -> [String: Any] {
    var logger = Logger(label: "write-path-benchmark")
    logger.logLevel = .warning
    let cpus = allowedCPUs()
    log("durable: allowed CPUs \(cpus), \(options.submitters) submitters, writer batches of at most \(options.maxBatchSize)")
    let (userids, registrations) = syntheticRegistrations(options.users)
    let follows = syntheticFollows(options.follows, userids: userids)
    let meanBody = Double(follows.reduce(0) { $0 + $1.audit.body.count }) / Double(follows.count)
    log("setup: \(options.users) users, \(options.follows) follows, mean audit body \(format(meanBody, 0)) B")

    typealias Variant = (name: String, run: (FollowStore) async throws -> (Timing, transactions: Int))
    var variants: [Variant] = [
        (
            "group-commit writer",
            { store in
                let running = try await RunningWriter.start(
                    store: store, maxBatchSize: options.maxBatchSize, logger: logger, noop: registrations[0])
                // Timed until every pair is in follow_pairs as well: the cost of the whole write.
                let timing = try await submitConcurrently(
                    follows, to: running.writer, submitters: options.submitters, then: { try store.materializePairs() })
                let transactions = running.transactions
                await running.stop()
                return (timing, transactions)
            }
        )
    ]
    for batch in [256, 1024] {
        variants.append(
            (
                "store.apply, batches of \(batch)",
                { store in
                    let timing = try time(follows.count) {
                        var start = 0
                        while start < follows.count {
                            let end = min(start + batch, follows.count)
                            let outcomes = try store.apply(Array(follows[start..<end]))
                            check(outcomes.allSatisfy { $0 == .applied(following: true) }, "a follow was not applied")
                            start = end
                            if store.pendingPairCount >= 16384 { try store.materializePairs() }  // as the writer does
                        }
                        try store.materializePairs()
                    }
                    return (timing, (follows.count + batch - 1) / batch)
                }
            ))
    }

    variants.removeAll { !$0.name.hasPrefix(options.only) }
    if variants.isEmpty { Options.fail("no durable variant starts with \(options.only)") }

    var results: [String: [(Timing, Int)]] = [:]
    for round in 0..<options.rounds {
        for step in 0..<variants.count {
            let variant = variants[(round + step) % variants.count]
            let database = try TemporaryDatabase(directory: options.directory, logger: logger)
            try register(registrations, in: database.store)
            let (timing, transactions) = try await variant.run(database.store)
            try checkCounts(database.store, users: options.users, follows: options.follows)
            database.remove()
            results[variant.name, default: []].append((timing, transactions))
            log(
                "round \(round + 1): \(variant.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(format(timing.perSecond, 0).leftPad(7)) follows/s  (CPU \(format(timing.cpuMicros, 2)) µs per follow, CPU/wall \(format(timing.cores, 2)), \(transactions) transactions; per follow \(format(timing.writeCallsPerOp, 1)) write and \(format(timing.readCallsPerOp, 1)) read calls, \(format(timing.kilobytesWrittenPerOp, 1)) KiB written)"
            )
        }
    }
    var table: [[String: Any]] = []
    log("")
    for variant in variants {
        let rounds = results[variant.name]!
        let rate = median(rounds.map(\.0.perSecond))
        log(
            "median: \(variant.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(format(rate, 0).leftPad(7)) follows/s, CPU \(format(median(rounds.map(\.0.cpuMicros)), 2)) µs per follow"
        )
        table.append([
            "variant": variant.name, "median_per_s": rate, "per_s": rounds.map(\.0.perSecond),
            "cpu_us": rounds.map(\.0.cpuMicros), "cpu_per_wall": rounds.map(\.0.cores), "transactions": rounds.map(\.1),
            "write_calls_per_follow": rounds.map(\.0.writeCallsPerOp), "read_calls_per_follow": rounds.map(\.0.readCallsPerOp),
            "kib_written_per_follow": rounds.map(\.0.kilobytesWrittenPerOp),
        ])
    }
    return [
        "mode": "durable", "allowed_cpus": cpus, "users": options.users, "follows": options.follows,
        "submitters": options.submitters, "rounds": options.rounds, "max_batch_size": options.maxBatchSize,
        "mean_body_bytes": meanBody, "variants": table,
    ]
}

// MARK: - Main

let options = Options(Array(CommandLine.arguments.dropFirst()))
let result = try await options.mode == "pipeline" ? pipeline(options) : durable(options)
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
log("JSON: " + String(decoding: json, as: UTF8.self))
