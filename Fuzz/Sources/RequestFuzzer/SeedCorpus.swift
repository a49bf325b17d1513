#if canImport(Glibc)
import Glibc
#endif
import Keccak
import SignedFollow
import SignedFollowClient
import WalletCrypto

/// The committed seed corpus (Fuzz/Corpus): valid requests of every kind and client style,
/// signed by ``TestIdentity`` at a fixed time so that the files are reproducible, a few
/// broken ones, and valid inputs of the text targets. `scripts/fuzz.sh --seeds` rewrites it.
enum SeedCorpus {
    static let timestamp = FuzzTargets.clock
    static let alice = TestIdentity(seed: "alice")
    static let bob = TestIdentity(seed: "bob")
    static let session = try! Ed25519KeyPair(seed: [UInt8](repeating: 9, count: 32))
    static let starkAlice = TestIdentity(starknetSeed: "alice")
    static let starkBob = TestIdentity(starknetSeed: "bob")

    /// Every seed, named.
    static var seeds: [(name: String, input: [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        let follows = followStyles.enumerated().map { index, choice in
            alice.follow(
                target: bob.userid, action: choice.action, timestamp: timestamp + Int64(index),
                requestKey: index % 2 == 0 ? session : alice.mainKey, style: choice.style, withUserSignature: index % 3 == 0)
        }
        for (index, follow) in follows.enumerated() {
            seeds.append(("follow-\(index)", FuzzInput.encode(.follow, headers: follow.headers, body: follow.body)))
        }
        let registrations = followStyles.prefix(3).map { alice.registration(timestamp: timestamp, style: $0.style) }
        for (index, registration) in registrations.enumerated() {
            seeds.append(
                ("registration-\(index)", FuzzInput.encode(.registration, headers: registration.headers, body: registration.body))
            )
        }
        let login = alice.login(sessionKey: session, expiresAt: timestamp + 3_600_000, timestamp: timestamp)
        seeds.append(("login-0", FuzzInput.encode(.login, headers: login.headers, body: login.body)))
        let items = follows.prefix(3).map { String(decoding: $0.body, as: UTF8.self) }.joined(separator: ",")
        seeds.append(
            ("batch-0", FuzzInput.encode(.batch, headers: follows[0].headers, body: Array("{\"items\":[\(items)]}".utf8))))
        seeds += broken(follows[0])
        seeds.append(
            (
                "sign-content-follow",
                FuzzInput.encode(.signContent, payload: bigEndian(timestamp) + Array(follows[0].text("sign_content").utf8))
            ))
        seeds.append(
            (
                "sign-content-registration",
                FuzzInput.encode(
                    .signContent, payload: bigEndian(timestamp) + Array(registrations[0].text("signature_content").utf8))
            ))
        for (index, text) in [
            follows[0].text("did_signature"), follows[1].text("did_signature"), follows[0].text("web3mq_user_signature"),
        ].enumerated() {
            seeds.append(("signature-\(index)", FuzzInput.encode(.signatures, payload: Array(text.utf8))))
        }
        for (index, text) in [
            alice.address.checksummed, Hex.encode(session.publicKey.rawRepresentation), Base64.encode([1, 2, 3, 4]),
            "{\"a\":[1,-2.5e3,\"\\u00e9\",null,true]}",
        ].enumerated() {
            seeds.append(("encoding-\(index)", FuzzInput.encode(.encodings, payload: Array(text.utf8))))
        }
        for (index, layout) in IssuedAt.Layout.allCases.enumerated() {
            seeds.append(
                (
                    "issued-at-\(index)",
                    FuzzInput.encode(.issuedAt, payload: bigEndian(timestamp) + Array(IssuedAt.format(timestamp, layout).utf8))
                ))
        }
        seeds += starknetSeeds
        seeds.append(
            (
                "audit-lines",
                FuzzInput.encode(
                    .auditLines,
                    payload: auditLines([
                        ("register", registrations[0]), ("register", bob.registration(timestamp: timestamp)), ("login", login),
                        (follows[0].text("action") == "follow" ? "follow" : "cancel", follows[0]),
                    ]))
            ))
        return seeds
    }

    /// StarkNet requests (with and without `did_pubkey`), their signatures and addresses,
    /// and an export of them.
    static var starknetSeeds: [(String, [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        let follows = followStyles.prefix(3).enumerated().map { index, choice in
            var style = choice.style
            style.walletWord = ["Argent X", "Braavos", "starknet"][index]
            let follow = starkAlice.follow(
                target: starkBob.userid, action: choice.action, timestamp: timestamp + Int64(index),
                requestKey: starkAlice.mainKey, style: style)
            return index == 1 ? follow.removing("did_pubkey") : follow
        }
        for (index, follow) in follows.enumerated() {
            seeds.append(("starknet-follow-\(index)", FuzzInput.encode(.follow, headers: follow.headers, body: follow.body)))
            seeds.append(
                ("starknet-signature-\(index)", FuzzInput.encode(.signatures, payload: Array(follow.text("did_signature").utf8))))
        }
        let registration = starkAlice.registration(timestamp: timestamp)
        seeds.append(
            ("starknet-registration-0", FuzzInput.encode(.registration, headers: registration.headers, body: registration.body)))
        seeds.append(("starknet-encoding-0", FuzzInput.encode(.encodings, payload: Array(starkAlice.did.description.utf8))))
        seeds.append(
            (
                "starknet-audit-lines",
                FuzzInput.encode(
                    .auditLines,
                    payload: auditLines([
                        ("register", registration), ("register", starkBob.registration(timestamp: timestamp)),
                        (follows[0].text("action") == "follow" ? "follow" : "cancel", follows[0]),
                    ]))
            ))
        return seeds
    }

    /// Writes every seed into `directory`; false when a file could not be written.
    static func write(to directory: String) -> Bool {
        for (name, input) in seeds {
            guard let file = fopen(directory + "/" + name, "wb") else { return false }
            let written = input.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
            guard written == input.count else { return false }
        }
        return true
    }

    // MARK: - Seeds

    /// One client style per layout, cycling through the other choices.
    static var followStyles: [(style: ClientStyle, action: String)] {
        SignContentLayout.allCases.enumerated().map { index, layout in
            var style = ClientStyle()
            style.layout = layout
            style.walletWord = ["eth", "Ethereum", "MetaMask"][index % 3]
            style.issuedAt = IssuedAt.Layout.allCases[index % 3]
            style.signatureForm = SignatureForm.allCases[index % 3]
            style.addressForm = AddressForm.allCases[index % 2]
            return (style, ["follow", "cancel", "unfollow"][index % 3])
        }
    }

    /// Requests the service refuses: not JSON, a duplicate member, `0X`, a high `s`.
    static func broken(_ follow: SignedRequest) -> [(String, [UInt8])] {
        let body = follow.body
        let signature = follow.text("did_signature")
        let bodies = [
            Array(body.prefix(body.count / 2)),
            Array(body.dropLast()) + Array(",\"userid\":\"user:x\"}".utf8),
            follow.replacing("did_signature", with: .string("0X" + signature.dropFirst(2))).body,
            follow.replacing("did_signature", with: .string("0x" + String(repeating: "f", count: 130))).body,
            follow.replacing("timestamp", with: .raw("1.7e12")).body,
        ]
        return bodies.enumerated().map { index, body in
            ("broken-\(index)", FuzzInput.encode(.follow, headers: follow.headers, body: body))
        }
    }

    /// An export of `entries` from seq 1, chained from the genesis hash.
    static func auditLines(_ entries: [(kind: String, request: SignedRequest)]) -> [UInt8] {
        var previous = AuditChain.genesisHash
        var lines: [[UInt8]] = []
        for (index, entry) in entries.enumerated() {
            let draft = JSONWriter.object([
                ("seq", .integer(Int64(index + 1))), ("kind", .string(entry.kind)), ("received_at", .integer(timestamp + 1)),
                ("request_pubkey", .string(entry.request.headers.requestPubkey)),
                ("didkey", .string(entry.request.headers.didkey)),
                ("body_b64", .string(Base64.encode(entry.request.body))), ("prev_hash", .string(Hex.encode(previous))),
            ])
            let line = AuditLine(draft)!.rechained(after: previous)
            lines.append(line.text)
            previous = line.hash
        }
        return Array(lines.joined(separator: [0x0A]))
    }

    static func bigEndian(_ value: Int64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}

extension SignedRequest {
    /// The string member `name` (the seeds build every member they read).
    func text(_ name: String) -> String {
        guard case .string(let value)? = self[name] else { preconditionFailure("no string member \(name)") }
        return value
    }
}
