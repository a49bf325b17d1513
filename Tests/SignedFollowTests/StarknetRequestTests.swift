import Foundation
import Keccak
import Server
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// `did_type` `starknet` (docs/protocol.md section 7) over HTTP: registration binds the Stark
/// key, follows are verified against it, and each StarkNet check failed alone answers its
/// code and changes nothing. The request sequence signed by starknet-py is replayed in
/// `RequestVectorTests`; these tests sign with our own StarkNet signer, which the vector
/// tests of `Tests/CryptoVectors` hold to starknet-py byte for byte.
@Suite("StarkNet requests")
struct StarknetRequestTests {
    static let alice = TestIdentity(starknetSeed: "alice")
    static let bob = TestIdentity(starknetSeed: "bob")
    static let mallory = TestIdentity(starknetSeed: "mallory")
    static let ethCarol = TestIdentity(seed: "carol")
    /// An x coordinate of no point on the Stark curve (starknet_py.json: docs/protocol.md's
    /// public key plus one).
    static let notAKey = "0x2a8249e10df5670294c078c3a04f32ed60087e5ee8a3457fa29ed0c0e366bfd"

    static func starkKey(_ identity: TestIdentity) -> StarkPrivateKey {
        guard case .starknet(let key, _, _) = identity.didWallet else { preconditionFailure("not a StarkNet identity") }
        return key
    }

    static func account(_ identity: TestIdentity) -> Felt {
        guard case .starknet(_, let account, _) = identity.didWallet else { preconditionFailure("not a StarkNet identity") }
        return account
    }

    /// `identity` with its wallet signing for `chainId`.
    static func on(_ chainId: String, _ identity: TestIdentity) -> TestIdentity {
        TestIdentity(
            didWallet: .starknet(key: starkKey(identity), account: account(identity), chainId: Felt(shortString: chainId)!),
            mainKey: identity.mainKey, userid: identity.userid)
    }

    /// `did_signature` over `content` by `key` for `account` on SN_MAIN, with `hash` in place of the
    /// true typed-data hash when given.
    static func starkSignature(_ content: String, key: StarkPrivateKey, account: Felt) -> String {
        let message = StarknetTypedData.messageFelt(signContentKeccak: StarknetKeccak.hash(content.utf8))
        let hash = StarknetTypedData.messageHash(message: message, chainId: Felt(shortString: "SN_MAIN")!, account: account)
        let signature = try! key.sign(messageHash: hash)
        return "\(hash.decimalString),\(signature.r.decimalString),\(signature.s.decimalString)"
    }

    // MARK: - Accepted

    @Test("register, log in, follow and cancel with every wallet word and layout, and both chain ids")
    func acceptedSequence() async throws {
        try await TestService.run { service in
            let words = DidType.starknet.walletWords.sorted()
            let layouts = SignContentLayout.allCases
            var style = ClientStyle()
            style.walletWord = "Argent X"
            let registered = try await service.register(Self.alice, style: style)
            #expect(registered.code == 0, "\(registered)")
            #expect(registered.data?["did_type"] as? String == "starknet")
            #expect(registered.data?["did_value"] as? String == Self.account(Self.alice).paddedHexString)
            #expect(try service.store.user(Self.alice.userid)?.didPubkey == Self.starkKey(Self.alice).publicKey.x.paddedHexString)
            #expect(try await service.register(Self.on("SN_SEPOLIA", Self.bob)).code == 0)

            let session = Ed25519KeyPair.generate()
            let login = try await service.send(
                Routes.login,
                Self.alice.login(
                    sessionKey: session, expiresAt: service.clock.now + 3_600_000, timestamp: service.clock.now))
            #expect(login.code == 0, "\(login)")

            for (index, layout) in layouts.enumerated() {
                service.clock.advance(by: 1_000)
                var style = ClientStyle()
                style.layout = layout
                style.walletWord = words[index % words.count]
                style.addressForm = index.isMultiple(of: 2) ? .lowercase : .checksummed
                let identity = index.isMultiple(of: 2) ? Self.alice : Self.on("SN_SEPOLIA", Self.alice)
                let action = index.isMultiple(of: 2) ? "follow" : "cancel"
                var request = identity.follow(
                    target: Self.bob.userid, action: action, timestamp: service.clock.now, requestKey: session, style: style)
                if index == 1 { request = request.removing("did_pubkey") }  // the bound key is used
                let answer = try await service.send(Routes.follow, request)
                #expect(answer.code == 0, "\(layout) \(style.walletWord ?? "starknet"): \(answer)")
                #expect(answer.data?["following"] as? Bool == (action == "follow"))
            }
            let edges = try service.store.counts().followingEdges
            #expect(edges == (layouts.count.isMultiple(of: 2) ? 0 : 1))
        }
    }

    @Test("a StarkNet user's follow survives a restart, and the bound key still verifies the next one")
    func restart() async throws {
        let path = temporaryStorePath()
        defer { removeStoreFiles(path) }
        try await TestService.run(databasePath: path) { (service: TestService) async throws in
            #expect(try await service.register(Self.alice).code == 0)
            #expect(try await service.register(Self.bob).code == 0)
            let follow = Self.alice.follow(target: Self.bob.userid, timestamp: service.clock.now, requestKey: Self.alice.mainKey)
            #expect(try await service.send(Routes.follow, follow).code == 0)
        }
        try await TestService.run(databasePath: path) { (service: TestService) async throws in
            #expect(try service.store.pairState(userid: Self.alice.userid, targetUserid: Self.bob.userid)?.following == true)
            let cancel = Self.alice.follow(
                target: Self.bob.userid, action: "cancel", timestamp: service.clock.now + 1, requestKey: Self.alice.mainKey)
            let answer = try await service.send(Routes.follow, cancel.removing("did_pubkey"))
            #expect(answer.code == 0 && answer.data?["following"] as? Bool == false, "\(answer)")
        }
    }

    @Test("signed reads and batches take a starknet didkey")
    func readsAndBatch() async throws {
        try await TestService.run { service in
            for identity in [Self.alice, Self.bob, Self.mallory] { #expect(try await service.register(identity).code == 0) }
            let now = service.clock.now
            let items = [Self.bob, Self.mallory].map {
                Self.alice.follow(target: $0.userid, timestamp: now, requestKey: Self.alice.mainKey)
            }
            let batch = try await service.send(
                Routes.batch, body: BatchAndLimitTests.batchBody(items.map(\.body)), headers: items[0].headers)
            #expect(BatchAndLimitTests.results(batch).map(\.1) == [0, 0], "\(batch)")
            let read = try await service.get(
                "/api/user_following/", Self.alice.signedRead(timestamp: now, requestKey: Self.alice.mainKey))
            #expect(read.code == 0, "\(read)")
            #expect(read.data?["total_count"] as? Int == 2)
            let list = read.data?["user_list"] as? [[String: Any]] ?? []
            #expect(Set(list.compactMap { $0["wallet_type"] as? String }) == ["starknet"])
            #expect(
                Set(list.compactMap { $0["wallet_address"] as? String })
                    == Set([Self.bob, Self.mallory].map { Self.account($0).paddedHexString }))
        }
    }

    @Test("a chain id outside the configured list answers 40104")
    func configuredChainIds() async throws {
        try await TestService.run(configure: { $0.starknetChainIds = ["SN_SEPOLIA"] }) { (service: TestService) async throws in
            #expect(try await service.register(Self.on("SN_SEPOLIA", Self.alice)).code == 0)
            #expect(try await service.register(Self.bob).code == 40104)  // signed for SN_MAIN
            #expect(try service.store.counts().users == 1)
        }
    }

    @Test("a re-registration that would bind another Stark key is refused in the transaction too (40303)")
    func storeKeepsTheBoundKey() async throws {
        try await TestService.run { service in
            #expect(try await service.register(Self.alice).code == 0)
            let verifier = Verifier(store: service.store, policy: VerificationPolicy(), now: { service.clock.now })
            let verified = try verifier.verify(
                RegistrationRequest(
                    body: Self.alice.registration(timestamp: service.clock.now + 1).body,
                    headers: RequestHeaders(requestPubkey: "", didkey: "")),
                receivedAt: service.clock.now)
            var otherKey = verified
            otherKey.didPubkey = Self.starkKey(Self.mallory).publicKey.x.paddedHexString
            let before = try service.store.counts()
            #expect(try service.store.apply([.register(otherKey)]) == [.didKeyNotBound])
            #expect(try service.store.counts() == before)
            #expect(try service.store.apply([.register(verified)]) == [.applied(following: nil)])
        }
    }

    // MARK: - Each check failed alone

    struct World {
        let service: TestService
        var now: Int64 { service.clock.now }

        func follow(_ identity: TestIdentity = StarknetRequestTests.alice, style: ClientStyle = ClientStyle()) -> SignedRequest {
            identity.follow(target: StarknetRequestTests.bob.userid, timestamp: now, requestKey: identity.mainKey, style: style)
        }

        /// A follow by alice whose sign_content is `content`, signed by alice's key.
        func follow(content: String) -> SignedRequest {
            follow().replacing("sign_content", with: .string(content)).replacing(
                "did_signature",
                with: .string(
                    StarknetRequestTests.starkSignature(
                        content, key: StarknetRequestTests.starkKey(StarknetRequestTests.alice),
                        account: StarknetRequestTests.account(StarknetRequestTests.alice))))
        }

        /// A follow by alice with `did_signature` replaced by `fields` joined with commas.
        func follow(signature fields: [String]) -> SignedRequest {
            follow().replacing("did_signature", with: .string(fields.joined(separator: ",")))
        }

        /// The three fields of alice's valid follow signature.
        var signatureFields: [String] {
            follow().text("did_signature").split(separator: ",").map(String.init)
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let code: Int
        let name: String
        let route: String
        let make: @Sendable (World) -> SignedRequest
        var testDescription: String { "\(code) \(name)" }

        init(_ code: Int, _ name: String, _ route: String = Routes.follow, _ make: @escaping @Sendable (World) -> SignedRequest) {
            self.code = code
            self.name = name
            self.route = route
            self.make = make
        }
    }

    /// The order of the Stark curve's group, in decimal.
    static let n = "3618502788666131213697322783095070105526743751716087489154079457884512865583"

    /// `a + b` for decimal digit strings.
    static func decimalSum(_ a: String, _ b: String) -> String {
        var digits: [UInt8] = []
        var carry: UInt8 = 0
        let (x, y) = (Array(a.utf8.reversed()), Array(b.utf8.reversed()))
        for index in 0..<max(x.count, y.count) {
            let sum = (index < x.count ? x[index] - 48 : 0) + (index < y.count ? y[index] - 48 : 0) + carry
            digits.append(sum % 10 + 48)
            carry = sum / 10
        }
        if carry > 0 { digits.append(carry + 48) }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    static let cases: [Case] = [
        Case(40002, "register: did_pubkey is missing", Routes.register) { w in
            StarknetRequestTests.mallory.registration(timestamp: w.now).removing("did_pubkey")
        },
        Case(40003, "register: did_pubkey is not hex", Routes.register) { w in
            StarknetRequestTests.mallory.registration(timestamp: w.now).replacing("did_pubkey", with: .string("0xstark"))
        },
        Case(40003, "register: did_pubkey has no point on the curve", Routes.register) { w in
            StarknetRequestTests.mallory.registration(timestamp: w.now).replacing(
                "did_pubkey", with: .string(StarknetRequestTests.notAKey))
        },
        Case(40003, "register: did_value is 2^251", Routes.register) { w in
            StarknetRequestTests.mallory.registration(timestamp: w.now)
                .replacing("did_value", with: .string("0x800000000000000000000000000000000000000000000000000000000000000"))
        },
        Case(40003, "follow: did_pubkey is not hex") { w in w.follow().replacing("did_pubkey", with: .string("0x12z")) },
        Case(40004, "didkey carries no StarkNet address") { w in
            var request = w.follow()
            request.headers.didkey = "starknet:0x"
            return request
        },
        Case(40004, "didkey is an eth did for a starknet body") { w in
            var request = w.follow()
            request.headers.didkey = "eth:" + StarknetRequestTests.ethCarol.address.lowercased
            return request
        },
        Case(40101, "sign_content names another account, signed by alice's key") { w in
            let content = w.follow().text("sign_content").replacingOccurrences(
                of: StarknetRequestTests.account(StarknetRequestTests.alice).paddedHexString,
                with: StarknetRequestTests.account(StarknetRequestTests.bob).paddedHexString)
            return w.follow(content: content)
        },
        Case(40101, "sign_content has an eth wallet word") { w in
            w.follow(
                content: w.follow().text("sign_content").replacingOccurrences(
                    of: "with your starknet account", with: "with your MetaMask account"))
        },
        Case(40102, "the nonce is of another timestamp") { w in
            w.follow(
                content: StarknetRequestTests.alice.follow(
                    target: StarknetRequestTests.bob.userid, timestamp: w.now + 1, requestKey: StarknetRequestTests.alice.mainKey
                ).text("sign_content"))
        },
        Case(40103, "did_signature has two fields (r, s without the hash)") { w in
            w.follow(signature: Array(w.signatureFields.dropFirst()))
        },
        Case(40103, "did_signature has four fields") { w in w.follow(signature: w.signatureFields + ["1"]) },
        Case(40103, "did_signature fields are hex") { w in
            w.follow(signature: w.signatureFields.map { UInt256(decimal: $0)!.hexString })
        },
        Case(40103, "did_signature has a space after a comma") { w in
            w.follow().replacing("did_signature", with: .string(w.signatureFields.joined(separator: ", ")))
        },
        Case(40103, "r is 2^251") { w in
            var fields = w.signatureFields
            fields[1] = "7237005577332262213973186563042994240829374041602535252466099000494570602496"  // 2^251
            return w.follow(signature: fields)
        },
        Case(40103, "s is 0") { w in
            var fields = w.signatureFields
            fields[2] = "0"
            return w.follow(signature: fields)
        },
        Case(40103, "s is s + n") { w in
            var fields = w.signatureFields
            fields[2] = StarknetRequestTests.decimalSum(fields[2], StarknetRequestTests.n)
            return w.follow(signature: fields)
        },
        Case(40104, "the msgHash is not the typed-data hash of the text") { w in
            var fields = w.signatureFields
            // Another last digit: the number changes whatever the hash is.
            fields[0] = fields[0].dropLast() + (fields[0].hasSuffix("1") ? "2" : "1")
            return w.follow(signature: fields)
        },
        Case(40104, "signed for SN_GOERLI") { w in w.follow(StarknetRequestTests.on("SN_GOERLI", StarknetRequestTests.alice)) },
        Case(40104, "signed by mallory's Stark key for alice's account (did_pubkey omitted)") { w in
            let content = w.follow().text("sign_content")
            return w.follow().removing("did_pubkey").replacing(
                "did_signature",
                with: .string(
                    StarknetRequestTests.starkSignature(
                        content, key: StarknetRequestTests.starkKey(StarknetRequestTests.mallory),
                        account: StarknetRequestTests.account(StarknetRequestTests.alice))))
        },
        Case(40104, "signed for bob's account by alice's key") { w in
            let content = w.follow().text("sign_content")
            return w.follow().replacing(
                "did_signature",
                with: .string(
                    StarknetRequestTests.starkSignature(
                        content, key: StarknetRequestTests.starkKey(StarknetRequestTests.alice),
                        account: StarknetRequestTests.account(StarknetRequestTests.bob))))
        },
        Case(40302, "the request key is not bound") { w in
            StarknetRequestTests.alice.follow(
                target: StarknetRequestTests.bob.userid, timestamp: w.now, requestKey: Ed25519KeyPair.generate())
        },
        Case(40303, "did_pubkey is mallory's key although mallory's signature verifies under it") { w in
            let content = w.follow().text("sign_content")
            return w.follow()
                .replacing(
                    "did_pubkey", with: .string(StarknetRequestTests.starkKey(StarknetRequestTests.mallory).publicKey.x.hexString)
                )
                .replacing(
                    "did_signature",
                    with: .string(
                        StarknetRequestTests.starkSignature(
                            content, key: StarknetRequestTests.starkKey(StarknetRequestTests.mallory),
                            account: StarknetRequestTests.account(StarknetRequestTests.alice))))
        },
        Case(40303, "register: alice's did and userid again with mallory's Stark key", Routes.register) { w in
            TestIdentity(
                didWallet: .starknet(
                    key: StarknetRequestTests.starkKey(StarknetRequestTests.mallory),
                    account: StarknetRequestTests.account(StarknetRequestTests.alice), chainId: Felt(shortString: "SN_MAIN")!),
                mainKey: .generate(), userid: StarknetRequestTests.alice.userid
            ).registration(timestamp: w.now)
        },
        Case(40303, "alice's userid claimed by mallory's account") { w in
            TestIdentity(
                didWallet: StarknetRequestTests.mallory.didWallet, mainKey: StarknetRequestTests.alice.mainKey,
                userid: StarknetRequestTests.alice.userid
            ).follow(
                target: StarknetRequestTests.bob.userid, timestamp: w.now, requestKey: StarknetRequestTests.alice.mainKey)
        },
        Case(40902, "register: alice's StarkNet did under another userid", Routes.register) { w in
            TestIdentity(didWallet: StarknetRequestTests.alice.didWallet, mainKey: .generate(), userid: "user:alice-again")
                .registration(timestamp: w.now)
        },
    ]

    @Test("each StarkNet check, failed alone, answers its code and status and changes nothing", arguments: cases)
    func rejection(_ testCase: Case) async throws {
        try await TestService.run { service in
            #expect(try await service.register(Self.alice).code == 0)
            #expect(try await service.register(Self.bob).code == 0)
            let world = World(service: service)
            #expect(try await service.send(Routes.follow, world.follow()).code == 0, "the unmutated follow is accepted")
            service.clock.advance(by: 1_000)
            let before = try service.store.counts()
            let request = testCase.make(world)
            let answer = try await service.send(testCase.route, request)
            #expect(answer.code == testCase.code, "\(testCase.name): \(answer)")
            #expect(answer.status == testCase.code / 100, "\(testCase.name)")
            #expect(!answer.msg.isEmpty)
            #expect(try service.store.counts() == before, "\(testCase.name) changed state")
        }
    }
}

/// The offline tools on StarkNet requests: the audit verifier re-checks every StarkNet
/// signature with the key its registration bound, and `explain` judges a captured follow.
@Suite("StarkNet audit and explain")
struct StarknetAuditTests {
    typealias T = StarknetRequestTests

    /// The export lines of a log with StarkNet registrations, a login, follows with and
    /// without `did_pubkey`, and a cancel.
    func exportLines() async throws -> [[UInt8]] {
        let path = temporaryStorePath()
        defer { removeStoreFiles(path) }
        try await TestService.run(databasePath: path) { (service: TestService) async throws in
            for identity in [T.alice, T.bob, T.mallory] { #expect(try await service.register(identity).code == 0) }
            let now = service.clock.now
            let session = Ed25519KeyPair.generate()
            #expect(
                try await service.send(
                    Routes.login, T.alice.login(sessionKey: session, expiresAt: now + 3_600_000, timestamp: now)
                ).code == 0)
            #expect(
                try await service.send(Routes.follow, T.alice.follow(target: T.bob.userid, timestamp: now, requestKey: session))
                    .code == 0)
            let withoutKey = T.alice.follow(target: T.mallory.userid, timestamp: now, requestKey: T.alice.mainKey).removing(
                "did_pubkey")
            #expect(try await service.send(Routes.follow, withoutKey).code == 0)
            #expect(
                try await service.send(
                    Routes.follow,
                    T.bob.follow(target: T.alice.userid, action: "cancel", timestamp: now, requestKey: T.bob.mainKey)
                ).code == 0)
        }
        var lines: [[UInt8]] = []
        try AuditLogFile(path: path).forEachEntry { lines.append(AuditExportLine.bytes($0)) }
        return lines
    }

    func verify(_ lines: some Sequence<[UInt8]>, chainIds: [Felt] = VerificationPolicy().starknetChainIds) -> String? {
        var verifier = AuditLogVerifier(starknetChainIds: chainIds)
        do {
            for line in lines { try verifier.verify(line: line) }
            return nil
        } catch {
            return error.description
        }
    }

    @Test("audit verify confirms a log of StarkNet entries from seq 1, and refuses a follow it cannot check")
    func auditVerify() async throws {
        let lines = try await exportLines()
        #expect(lines.count == 7)
        #expect(verify(lines) == nil)
        // Without SN_MAIN among the chain ids, the first registration no longer verifies.
        #expect(verify(lines, chainIds: [Felt(shortString: "SN_SEPOLIA")!])?.contains("seq 1") == true)
        // From seq 6 on, the follow without did_pubkey (seq 6) has no bound key to check against.
        var tail = AuditLogVerifier()
        #expect(throws: AuditLogVerifier.Failure.self) { for line in lines[5...] { try tail.verify(line: line) } }
        // The follow with did_pubkey (seq 5) verifies on its own.
        var single = AuditLogVerifier()
        #expect(throws: Never.self) { try single.verify(line: lines[4]) }
    }

    @Test("explain judges a StarkNet follow: accepted with did_pubkey, the signature not checked without it, 40104 when forged")
    func explain() throws {
        let now: Int64 = 1_700_000_000_000
        let follow = T.alice.follow(target: T.bob.userid, timestamp: now, requestKey: T.alice.mainKey)
        let good = FollowExplanation(body: follow.body, headers: follow.headers, now: now)
        #expect(good.verdict == nil)
        #expect(good.checks.first { $0.number == 6 }?.outcome == .passed)
        #expect(good.lines.allSatisfy { $0.matches })

        let withoutKey = follow.removing("did_pubkey")
        let unchecked = FollowExplanation(body: withoutKey.body, headers: withoutKey.headers, now: now)
        #expect(unchecked.verdict == nil)
        guard case .notChecked? = unchecked.checks.first(where: { $0.number == 6 })?.outcome else {
            Issue.record("check 6 should be not checked without did_pubkey")
            return
        }

        let forged = follow.replacing("did_signature", with: .string("1,2,3"))
        let bad = FollowExplanation(body: forged.body, headers: forged.headers, now: now)
        #expect(bad.verdict?.code == .didSignatureMismatch)
    }

    @Test("SIGNED_FOLLOW_STARKNET_CHAIN_IDS takes short strings and hex, and refuses anything else")
    func chainIdConfiguration() throws {
        #expect(
            try ServerConfiguration(environment: [:]).verificationPolicy.starknetChainIds
                == [Felt(shortString: "SN_MAIN")!, Felt(shortString: "SN_SEPOLIA")!])
        let configured = try ServerConfiguration(environment: ["SIGNED_FOLLOW_STARKNET_CHAIN_IDS": "SN_SEPOLIA, 0x534e5f4d41494e"]
        )
        #expect(
            configured.verificationPolicy.starknetChainIds == [Felt(shortString: "SN_SEPOLIA")!, Felt(shortString: "SN_MAIN")!])
        for bad in ["", ",", "0xzz", "a chain id longer than thirty-one characters", "SN_MAIN,é"] {
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try ServerConfiguration(environment: ["SIGNED_FOLLOW_STARKNET_CHAIN_IDS": bad])
            }
        }
    }
}
