import Foundation
import Keccak
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient
import Testing
import WalletCrypto

/// The verified write path end to end over HTTP: register, log in, follow and cancel in
/// every client style the protocol accepts (docs/protocol.md sections 2 to 6).
@Suite("Write path")
struct WritePathTests {
    static let alice = TestIdentity(seed: "alice")
    static let bob = TestIdentity(seed: "bob")

    @Test("register, log in, follow with the session key, cancel: each answered 0 and committed with its audit entry")
    func lifecycle() async throws {
        try await TestService.run { service in
            let registered = try await service.register(Self.alice)
            #expect(registered.code == 0 && registered.status == 200, "\(registered)")
            #expect(registered.data?["userid"] as? String == Self.alice.userid)
            #expect(registered.data?["did_value"] as? String == Self.alice.address.lowercased)
            #expect(try await service.register(Self.bob).code == 0)

            let session = Ed25519KeyPair.generate()
            let login = try await service.send(
                Routes.login,
                Self.alice.login(
                    sessionKey: session, expiresAt: service.clock.now + 86_400_000, timestamp: service.clock.now))
            #expect(login.code == 0, "\(login)")

            let follow = try await service.send(
                Routes.follow,
                Self.alice.follow(
                    target: Self.bob.userid, timestamp: service.clock.now, requestKey: session))
            #expect(follow.code == 0 && follow.msg == "ok", "\(follow)")
            #expect(follow.data?["following"] as? Bool == true)
            #expect(try service.store.pairState(userid: Self.alice.userid, targetUserid: Self.bob.userid)?.following == true)

            service.clock.advance(by: 1)
            let cancel = try await service.send(
                Routes.follow,
                Self.alice.follow(
                    target: Self.bob.userid, action: "cancel", timestamp: service.clock.now, requestKey: session))
            #expect(cancel.code == 0 && cancel.data?["following"] as? Bool == false, "\(cancel)")

            let entries = try service.store.auditEntries(afterSeq: 0, limit: 100)
            #expect(entries.map(\.kind) == ["register", "register", "login", "follow", "cancel"])
            #expect(entries.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(entries[3].requestPubkey == Hex.encode(session.publicKey.rawRepresentation))
            #expect(entries[3].didkey == "eth:" + Self.alice.address.lowercased)
        }
    }

    @Test("every sign_content layout, wallet word and date format is accepted", arguments: SignContentLayout.allCases)
    func layouts(layout: SignContentLayout) async throws {
        try await TestService.run { service in
            var style = ClientStyle()
            style.layout = layout
            style.walletWord = "Ethereum"
            style.issuedAt = .dayFirst
            #expect(try await service.register(Self.alice, style: style).code == 0)
            #expect(try await service.register(Self.bob).code == 0)
            for (word, date) in [("eth", IssuedAt.Layout.yearFirst), ("Ethereum", .dayFirst), ("MetaMask", .dayFirst12Hour)] {
                style.walletWord = word
                style.issuedAt = date
                service.clock.advance(by: 1)
                let answer = try await service.send(
                    Routes.follow,
                    Self.alice.follow(
                        target: Self.bob.userid, timestamp: service.clock.now, requestKey: Self.alice.mainKey, style: style))
                #expect(answer.code == 0, "\(layout) \(word) \(date): \(answer)")
            }
        }
    }

    @Test(
        "every signature form and address case is accepted",
        arguments: SignatureForm.allCases, AddressForm.allCases)
    func signatureForms(form: SignatureForm, address: AddressForm) async throws {
        try await TestService.run { service in
            var style = ClientStyle()
            style.signatureForm = form
            style.addressForm = address
            #expect(try await service.register(Self.alice, style: style).code == 0)
            #expect(try await service.register(Self.bob, style: style).code == 0)
            let answer = try await service.send(
                Routes.follow,
                Self.alice.follow(
                    target: Self.bob.userid, timestamp: service.clock.now, requestKey: Self.alice.mainKey, style: style))
            #expect(answer.code == 0, "\(form) \(address): \(answer)")
        }
    }

    @Test("an exact replay answers already applied and writes nothing")
    func replay() async throws {
        try await TestService.run { service in
            try await service.register(Self.alice)
            try await service.register(Self.bob)
            let request = Self.alice.follow(target: Self.bob.userid, timestamp: service.clock.now, requestKey: Self.alice.mainKey)
            #expect(try await service.send(Routes.follow, request).code == 0)
            let before = try service.store.counts()
            let again = try await service.send(Routes.follow, request)
            #expect(again.code == 0 && again.msg == "already applied", "\(again)")
            #expect(again.data?["following"] as? Bool == true)
            #expect(try service.store.counts() == before)
        }
    }

    @Test("ordering: newest timestamp wins, cancel beats follow on a tie, no-op follows and cancels succeed")
    func ordering() async throws {
        try await TestService.run { service in
            try await service.register(Self.alice)
            try await service.register(Self.bob)
            let key = Self.alice.mainKey, bob = Self.bob.userid, t = service.clock.now
            // A cancel of nothing succeeds and changes nothing but the pair's timestamp.
            #expect(
                try await service.send(
                    Routes.follow, Self.alice.follow(target: bob, action: "cancel", timestamp: t - 10, requestKey: key)
                ).code == 0)
            #expect(try service.store.counts().followingEdges == 0)
            // Follow, then a second follow (no-op), then a same-time cancel beats the follow.
            #expect(
                try await service.send(Routes.follow, Self.alice.follow(target: bob, timestamp: t, requestKey: key)).code == 0)
            #expect(
                try await service.send(Routes.follow, Self.alice.follow(target: bob, timestamp: t + 1, requestKey: key)).data?[
                    "following"] as? Bool == true)
            let tie = try await service.send(
                Routes.follow, Self.alice.follow(target: bob, action: "unfollow", timestamp: t + 1, requestKey: key))
            #expect(tie.code == 0 && tie.data?["following"] as? Bool == false, "\(tie)")
            // A no-op cancel, then a follow at the same time as that applied cancel (a new
            // nonce, not a replay) and an older follow are stale.
            #expect(
                try await service.send(
                    Routes.follow, Self.alice.follow(target: bob, action: "cancel", timestamp: t + 3, requestKey: key)
                ).code == 0)
            let before = try service.store.counts()
            let sameTime = try await service.send(
                Routes.follow, Self.alice.follow(target: bob, timestamp: t + 3, requestKey: key))
            #expect(sameTime.code == 40901 && sameTime.status == 409, "\(sameTime)")
            let older = try await service.send(Routes.follow, Self.alice.follow(target: bob, timestamp: t - 5, requestKey: key))
            #expect(older.code == 40901, "\(older)")
            #expect(try service.store.counts() == before)
        }
    }

    @Test("a re-registration with a newer timestamp rotates the main key and revokes sessions")
    func rotation() async throws {
        try await TestService.run { service in
            try await service.register(Self.alice)
            try await service.register(Self.bob)
            let session = Ed25519KeyPair.generate()
            #expect(
                try await service.send(
                    Routes.login,
                    Self.alice.login(
                        sessionKey: session, expiresAt: service.clock.now + 3_600_000, timestamp: service.clock.now)
                ).code == 0)
            let rotated = TestIdentity(wallet: Self.alice.wallet, mainKey: Ed25519KeyPair.generate())
            service.clock.advance(by: 1000)
            #expect(try await service.register(rotated).code == 0)
            let withOldSession = try await service.send(
                Routes.follow,
                Self.alice.follow(
                    target: Self.bob.userid, timestamp: service.clock.now, requestKey: session))
            #expect(withOldSession.code == 40302, "\(withOldSession)")
            let withNewMain = try await service.send(
                Routes.follow,
                rotated.follow(
                    target: Self.bob.userid, timestamp: service.clock.now, requestKey: rotated.mainKey))
            #expect(withNewMain.code == 0, "\(withNewMain)")
        }
    }
}
