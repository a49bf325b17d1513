import ArgumentParser
import Foundation
import SignedFollow
import SignedFollowClient
import WalletCrypto

/// `signed-follow audit`: export the log of a database file, verify an export.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the audit log of a database file, or verify an export from its bytes alone.",
        subcommands: [AuditExport.self, AuditVerify.self])
}

/// `signed-follow audit export --db FILE`.
struct AuditExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the audit log of a database file as JSON Lines (docs/protocol.md section 10).",
        discussion: """
            Opens the file read-only, so it may be the file of a running service.
            Example: signed-follow audit export --db signed-follow.sqlite --out audit.jsonl
            """)

    @Option(help: "The service's SQLite database file.")
    var db: String

    @Option(help: "Export the entries after this seq.")
    var afterSeq: Int64 = 0

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    func validate() throws {
        guard afterSeq >= 0 else { throw ValidationError("--after-seq must not be negative") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: db) else { throw CLIError("no database file at \(db)") }
        let log: AuditLogFile
        do {
            log = try AuditLogFile(path: db)
        } catch {
            throw CLIError("\(db) is not a signed-follow database")
        }
        let console = Console.current
        var written = 0
        try withOutput(out) { write in
            try log.forEachEntry(afterSeq: afterSeq) { entry in
                write(AuditExportLine.bytes(entry))
                written += 1
                if written % 10_000 == 0 { console.progress?("exported \(written) entries") }
            }
        }
        if console.progress != nil { console.progress?("") }
        if out != nil { console.err("exported \(written) entries to \(out!)") }
    }
}

/// `signed-follow audit verify FILE`.
struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain of an export and re-verify every entry's signatures.",
        discussion: """
            Reports the first broken seq and exits 1. From seq 1, also replays who was
            registered with which keys and checks each login and follow against it. With
            --head, also checks a saved GET /api/audit/head answer: its signature by the
            server's key, and that the export holds its seq with its hash.
            Example: signed-follow audit verify audit.jsonl --head head.json
            """)

    @Argument(help: "The export (JSON Lines).")
    var file: String

    @Option(help: "A saved answer of GET /api/audit/head to check against the export.")
    var head: String?

    @OptionGroup var chainIds: StarknetChainIdOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let signedHead = try head.map(SignedHead.load)
        var verifier = AuditLogVerifier(keepHashOf: signedHead?.seq, starknetChainIds: try chainIds.resolve())
        let console = Console.current
        var failure: String?
        do {
            try forEachLine(of: file) { line in
                try verifier.verify(line: line)
                if verifier.lines % 10_000 == 0 { console.progress?("verified \(verifier.lines) entries") }
            }
        } catch let error as AuditLogVerifier.Failure {
            failure = error.description
        }
        if console.progress != nil { console.progress?("") }
        if failure == nil, let signedHead { failure = signedHead.check(against: verifier) }
        report(verifier, failure: failure)
        if failure != nil { throw ExitCode.failure }
    }

    private func report(_ verifier: AuditLogVerifier, failure: String?) {
        let console = Console.current
        if json {
            console.out(
                String(
                    decoding: JSONWriter.object([
                        ("ok", .bool(failure == nil)), ("entries", .integer(Int64(verifier.lines))),
                        ("last_seq", verifier.last.map { .integer($0.seq) } ?? .null),
                        ("last_hash", verifier.last.map { .string(Hex.encode($0.hash)) } ?? .null),
                        ("bindings_checked", .bool(verifier.checksBindings)), ("head_checked", .bool(head != nil)),
                        ("failure", failure.map(JSONScalar.string) ?? .null),
                    ]), as: UTF8.self))
            return
        }
        if let failure {
            console.out("BROKEN: \(failure)")
            console.out("verified \(verifier.lines) entries before it")
            return
        }
        console.out(
            "OK: \(verifier.lines) entries verified" + (verifier.last.map { ", seq \(verifier.firstSeq!) to \($0.seq)" } ?? ""))
        if let last = verifier.last { console.out("last hash: \(Hex.encode(last.hash))") }
        console.out(
            verifier.checksBindings || verifier.lines == 0
                ? "keys and registrations replayed from seq 1: every login and follow was signed by a key bound at the time"
                : "the export does not start at seq 1: signatures verified, key bindings not replayed")
        if head != nil { console.out("signed head: signature valid, and the export holds its seq with its hash") }
    }
}

/// A saved answer of `GET /api/audit/head` (the whole envelope, or its `data`).
struct SignedHead {
    let seq: Int64
    let hash: String
    let serverPubkey: String
    let signature: String

    static func load(_ path: String) throws -> SignedHead {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let fields = (object["data"] as? [String: Any]) ?? object as [String: Any]?,
            let seq = (fields["seq"] as? NSNumber)?.int64Value, let hash = fields["hash"] as? String,
            let serverPubkey = fields["server_pubkey"] as? String, let signature = fields["signature"] as? String
        else {
            throw CLIError("\(path) is not an answer of GET /api/audit/head (data with seq, hash, server_pubkey, signature)")
        }
        return SignedHead(seq: seq, hash: hash, serverPubkey: serverPubkey, signature: signature)
    }

    /// Nil when the head's signature verifies and the verified export holds the head;
    /// else why not.
    func check(against verifier: AuditLogVerifier) -> String? {
        guard let key = try? Ed25519PublicKey(hex: serverPubkey), let signature = try? Ed25519Signature(base64: signature),
            key.isValidSignature(signature, for: AuditHeadStatement.message(seq: seq, hash: hash))
        else { return "the head's signature does not verify with server_pubkey \(serverPubkey)" }
        if seq == 0 { return hash == AuditHeadStatement.emptyLogHash ? nil : "the head of an empty log must carry 64 zeros" }
        guard let held = verifier.hash(of: seq) else { return "the export does not hold seq \(seq) of the signed head" }
        return Hex.encode(held) == hash.lowercased() ? nil : "seq \(seq) of the export does not carry the signed head's hash"
    }
}

/// Calls `body` with a function that appends bytes to `path` (standard output when nil),
/// buffered, and flushes at the end.
func withOutput(_ path: String?, _ body: (_ write: ([UInt8]) -> Void) throws -> Void) throws {
    let handle: FileHandle
    if let path {
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw CLIError("cannot write \(path)")
        }
        handle = file
    } else {
        handle = FileHandle.standardOutput
    }
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 16)
    try body { bytes in
        buffer += bytes
        if buffer.count >= 1 << 16 {
            try? handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
    try handle.write(contentsOf: buffer)
    if path != nil { try handle.close() }
}

/// Calls `body` with each line of the file at `path` (without its `\n`), reading it in
/// blocks so that memory does not grow with the file; the last line may lack its `\n`.
func forEachLine(of path: String, _ body: ([UInt8]) throws -> Void) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot read \(path)") }
    defer { try? handle.close() }
    var pending: [UInt8] = []
    while let block = try handle.read(upToCount: 1 << 16), !block.isEmpty {
        pending += block
        var start = 0
        while let newline = pending[start...].firstIndex(of: 0x0A) {
            try body(Array(pending[start..<newline]))
            start = newline + 1
        }
        pending.removeFirst(start)
    }
    if !pending.isEmpty { try body(pending) }
}
