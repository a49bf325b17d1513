import Foundation
import NIOCore
@testable import Server
@_spi(Benchmarks) import SignedFollow
import Testing

/// The hand-written answers (``JSONBody``) against Foundation's `JSONEncoder`, which wrote
/// them before: the same bytes for every payload, and strings that parse back exactly.
@Suite("Answer JSON")
struct APIResponseJSONTests {
    /// Strings that need every kind of escaping, and some that need none.
    static let tricky: [String] = [
        "", "ok", "user:6c5f", "a/b", "quote\"d", "back\\slash", "\u{8}\u{C}\n\r\t",
        String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self), "\u{7F}", "ünïcode ✓ 𝄞", "\u{2028}\u{2029}",
        "\u{FEFF}bom", "mixed \"\\\u{1}\u{1F}/é",
    ]

    /// The answer as `JSONEncoder` (`.sortedKeys`, `.withoutEscapingSlashes`) writes it.
    private struct Envelope<Payload: Encodable>: Encodable {
        let code: Int
        let msg: String
        let data: Payload?
    }

    private static func encoded<Payload: JSONBody>(_ response: APIResponse<Payload>) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(Envelope(code: response.code.rawValue, msg: response.msg, data: response.data)))
    }

    private static func written<Payload: JSONBody>(_ response: APIResponse<Payload>) -> [UInt8] {
        Array(response.body().readableBytesView)
    }

    private static func expectSameBytes<Payload: JSONBody>(_ response: APIResponse<Payload>) throws {
        let written = written(response)
        let encoded = try encoded(response)
        #expect(written == encoded, "\(String(decoding: written, as: UTF8.self)) != \(String(decoding: encoded, as: UTF8.self))")
    }

    @Test("every payload is written with JSONEncoder's bytes, members sorted, whatever its strings hold", arguments: tricky)
    func sameBytesAsJSONEncoder(_ text: String) throws {
        let card = UserCard(userid: text, didType: text, didValue: text)
        let users = [FollowRelation.following, .follower, .followEach].enumerated().map { position, relation in
            ListedUser(entry: FollowListEntry(user: card, relation: relation, followedAt: 1_700_000_009_000 - Int64(position)))
        }
        try Self.expectSameBytes(APIResponse(code: .ok, msg: text, data: FollowListData(total_count: 3, user_list: users)))
        try Self.expectSameBytes(APIResponse(code: .ok, msg: text, data: FollowListData(total_count: 0, user_list: [])))
        try Self.expectSameBytes(
            APIResponse(
                code: .ok, msg: text,
                data: FollowStatusData(
                    is_following: true, is_followed_by: false, followed_at: -1)))
        try Self.expectSameBytes(
            APIResponse(
                code: .ok, msg: text,
                data: FollowStatusData(
                    is_following: false, is_followed_by: true, followed_at: nil)))
        try Self.expectSameBytes(
            APIResponse(
                code: .ok, msg: text,
                data: FollowStatsData(
                    total_following: 0, total_followers: Int.max, total_follow_each: Int.min)))
        try Self.expectSameBytes(
            APIResponse(
                code: .ok, msg: text,
                data: RegistrationData(
                    userid: text, did_type: "eth", did_value: text)))
        try Self.expectSameBytes(
            APIResponse(
                code: .ok, msg: text,
                data: LoginData(
                    userid: text, pubkey_value: text, pubkey_expired_timestamp: Int64.max)))
        try Self.expectSameBytes(
            APIResponse(
                code: .ok, msg: text,
                data: BatchData(results: [
                    BatchItemResult(target_userid: text, code: 40901, msg: text),
                    BatchItemResult(target_userid: "b", code: 0, msg: "ok"),
                ])))
        try Self.expectSameBytes(APIResponse(code: .ok, msg: text, data: FollowData(following: false)))
        try Self.expectSameBytes(
            APIResponse(
                code: .ok, msg: text,
                data: AuditHeadData(
                    seq: 1_100_000, hash: text, server_pubkey: text, signature: text)))
        try Self.expectSameBytes(APIResponse(code: .ok, msg: text, data: NoData()))
        try Self.expectSameBytes(APIResponse<NoData>(code: .userNotRegistered, msg: text, data: nil))
    }

    /// `tricky` without the string that starts with U+FEFF: JSONSerialization drops a byte
    /// order mark at the start of a string value (it parses `"\u{FEFF}bom"` as `bom`); the
    /// bytes of that string are held to JSONEncoder's above.
    static let parsedBack = tricky.filter { $0.unicodeScalars.first != "\u{FEFF}" }

    @Test("strings parse back exactly with JSONSerialization", arguments: parsedBack)
    func roundTrip(_ text: String) throws {
        let response = APIResponse(code: .ok, msg: text, data: RegistrationData(userid: text, did_type: "eth", did_value: "x"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(Self.written(response))) as? [String: Any])
        #expect(object["msg"] as? String == text)
        #expect((object["data"] as? [String: Any])?["userid"] as? String == text)
    }

    @Test("an answer without data has no data member, and follow_status writes an absent followed_at as null")
    func absentMembers() {
        #expect(
            String(decoding: Self.written(APIResponse(code: .userNotRegistered)), as: UTF8.self)
                == "{\"code\":40401,\"msg\":\"\(ErrorCode.userNotRegistered.meaning)\"}")
        let status = APIResponse(
            code: .ok, msg: "ok",
            data: FollowStatusData(
                is_following: false, is_followed_by: false, followed_at: nil))
        #expect(
            String(decoding: Self.written(status), as: UTF8.self)
                == "{\"code\":0,\"data\":{\"followed_at\":null,\"is_followed_by\":false,\"is_following\":false},\"msg\":\"ok\"}")
    }
}
