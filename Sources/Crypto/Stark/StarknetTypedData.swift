import Synchronization

/// The one SNIP-12 (revision 0) typed message the protocol signs, hashed as starknet.js
/// 5.x `typedData.getMessageHash` does:
///
/// - types `StarkNetDomain(name:felt,chainId:felt,version:felt)` and `Message(message:felt)`
/// - domain `{name: "Example DApp", chainId, version: "0.0.1"}` (short strings)
/// - hash = compute_hash_on_elements(["StarkNet Message", domainHash, account, structHash])
/// - a struct hash = compute_hash_on_elements([typeHash, field...]), typeHash =
///   starknetKeccak(type string)
public enum StarknetTypedData {
    /// The hash an account signs for `Message(message)` in the domain of `chainId`.
    public static func messageHash(message: Felt, chainId: Felt, account: Felt) -> Felt {
        messageHash(structHash: structHash(message: message), chainId: chainId, account: account)
    }

    /// The hash an account signs for a message whose struct hash is `structHash` (compute
    /// it once when trying several chain ids).
    ///
    /// compute_hash_on_elements folds from the left, so its first two steps depend on the
    /// chain id alone and are computed once per chain id: three Pedersen hashes remain.
    public static func messageHash(structHash: Felt, chainId: Felt, account: Felt) -> Felt {
        let start = Constants.shared.prefixState(chainId: chainId)
        return Pedersen.hash(Pedersen.hash(Pedersen.hash(start, account), structHash), Felt(4))
    }

    /// The hash of the domain `{name: "Example DApp", chainId, version: "0.0.1"}`.
    public static func domainHash(chainId: Felt) -> Felt {
        let constants = Constants.shared
        return Pedersen.hash(elements: [constants.domainTypeHash, constants.name, chainId, constants.version])
    }

    /// The hash of the struct `Message(message)`: two Pedersen hashes, the first step of
    /// the fold (over the type hash) being computed once.
    public static func structHash(message: Felt) -> Felt {
        Pedersen.hash(Pedersen.hash(Constants.shared.messageTypeState, message), Felt(2))
    }

    /// The text the JS SDK puts in `message`: the first 31 characters of the keccak
    /// written as starknet.js `toString(16)` does (lowercase, no `0x`, no leading zeros).
    public static func messageText(signContentKeccak keccak: Felt) -> String {
        String(keccak.hexString.dropFirst(2).prefix(31))
    }

    /// `message` as a felt, as starknet.js 5.x encodes a `felt` field given a string
    /// (`getHex`): a string `BigInt` can parse (here: decimal digits only, since hex digits
    /// written without `0x` never form another BigInt literal) is that number, anything
    /// else its short-string encoding.
    public static func messageFelt(signContentKeccak keccak: Felt) -> Felt {
        let text = messageText(signContentKeccak: keccak)
        // 31 decimal digits are below 10^31 < p; 31 ASCII characters are a short string.
        if text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let number = UInt256(decimal: text)
        {
            return Felt(unchecked: number)
        }
        return Felt(shortString: text)!
    }

    /// The felts every message hash uses, computed once, and the fold's first steps for
    /// each chain id seen (a handful: the accepted chain ids).
    private final class Constants: Sendable {
        static let shared = Constants()

        let prefix = Felt(shortString: "StarkNet Message")!
        let name = Felt(shortString: "Example DApp")!
        let version = Felt(shortString: "0.0.1")!
        let domainTypeHash = StarknetKeccak.hash("StarkNetDomain(name:felt,chainId:felt,version:felt)")
        let messageTypeHash = StarknetKeccak.hash("Message(message:felt)")
        /// H(0, messageTypeHash): the first step of every struct hash.
        let messageTypeState: Felt
        /// H(H(0, prefix), domainHash(chainId)) by chain id, at most `maximumCached` of them.
        private let prefixStates = Mutex<[Felt: Felt]>([:])
        private static let maximumCached = 64

        private init() {
            messageTypeState = Pedersen.hash(.zero, messageTypeHash)
        }

        func prefixState(chainId: Felt) -> Felt {
            if let state = prefixStates.withLock({ $0[chainId] }) { return state }
            let state = Pedersen.hash(Pedersen.hash(.zero, prefix), StarknetTypedData.domainHash(chainId: chainId))
            prefixStates.withLock { states in
                if states.count < Self.maximumCached { states[chainId] = state }
            }
            return state
        }
    }
}
