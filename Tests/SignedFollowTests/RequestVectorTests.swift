import Foundation
@_spi(Benchmarks) import SignedFollow
import Testing

/// Sequences of requests signed independently, replayed over HTTP from an empty database
/// with the server clock set to each request's time: eth wallets by eth-account and
/// PyNaCl (`scripts/vectors/gen_request_vectors.py`), StarkNet wallets by starknet-py and
/// PyNaCl (`scripts/vectors/gen_starknet_request_vectors.py`), and the real Web3MQ clients' variants
/// of section 5a with their near misses by eth-account and PyNaCl
/// (`scripts/vectors/gen_client_variant_vectors.py`).
@Suite("Independent request vectors")
struct RequestVectorTests {
    struct File: Decodable {
        struct Identity: Decodable {
            let name: String
            let userid: String
        }
        struct Vector: Decodable {
            let name: String
            let route: String
            let now_ms: Int64
            let headers: [String: String]
            let body: String
            let expect_code: Int
            let expect_following: Bool?
        }
        let identities: [Identity]
        let final_following: [String]
        let vectors: [Vector]
    }

    /// Each file and the codes it must exercise.
    static let files: [(name: String, codes: Set<Int>)] = [
        ("requests_eth_account.json", [0, 40102, 40104, 40106, 40302, 40901, 40902]),
        ("requests_starknet.json", [0, 40002, 40102, 40103, 40104, 40106, 40302, 40303, 40901, 40902]),
        ("requests_client_variants.json", [0, 40101, 40102, 40901]),
    ]

    @Test("every vector is answered with its expected code and state, and the final graph matches", arguments: files)
    func replay(_ vectors: (name: String, codes: Set<Int>)) async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/" + vectors.name)
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        #expect(file.vectors.count >= 20)
        #expect(Set(file.vectors.map(\.expect_code)).isSuperset(of: vectors.codes))
        try await TestService.run { service in
            for vector in file.vectors {
                service.clock.set(vector.now_ms)
                let headers = RequestHeaders(
                    requestPubkey: vector.headers["web3mq-request-pubkey"] ?? "", didkey: vector.headers["didkey"] ?? "")
                let before = try service.store.counts()
                let answer = try await service.send(vector.route, body: Array(vector.body.utf8), headers: headers)
                #expect(answer.code == vector.expect_code, "\(vector.name): \(answer)")
                if let following = vector.expect_following {
                    #expect(answer.data?["following"] as? Bool == following, "\(vector.name)")
                }
                if vector.expect_code != 0 {
                    #expect(try service.store.counts() == before, "\(vector.name) changed state")
                }
            }
            let users = Dictionary(uniqueKeysWithValues: file.identities.map { ($0.name, $0.userid) })
            for pair in file.final_following {
                let names = pair.split(separator: "-").map { String($0.trimmingCharacters(in: CharacterSet(charactersIn: ">"))) }
                let state = try service.store.pairState(userid: users[names[0]]!, targetUserid: users[names[1]]!)
                #expect(state?.following == true, "\(pair)")
            }
            #expect(try service.store.counts().followingEdges == file.final_following.count)
        }
    }
}
