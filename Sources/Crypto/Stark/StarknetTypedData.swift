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
        Pedersen.hash(elements: [Constants.shared.prefix, domainHash(chainId: chainId), account, structHash(message: message)])
    }

    /// The hash of the domain `{name: "Example DApp", chainId, version: "0.0.1"}`.
    public static func domainHash(chainId: Felt) -> Felt {
        let constants = Constants.shared
        return Pedersen.hash(elements: [constants.domainTypeHash, constants.name, chainId, constants.version])
    }

    /// The hash of the struct `Message(message)`.
    public static func structHash(message: Felt) -> Felt {
        Pedersen.hash(elements: [Constants.shared.messageTypeHash, message])
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

    /// The felts every message hash uses, computed once.
    private struct Constants: Sendable {
        static let shared = Constants()

        let prefix = Felt(shortString: "StarkNet Message")!
        let name = Felt(shortString: "Example DApp")!
        let version = Felt(shortString: "0.0.1")!
        let domainTypeHash = StarknetKeccak.hash("StarkNetDomain(name:felt,chainId:felt,version:felt)")
        let messageTypeHash = StarknetKeccak.hash("Message(message:felt)")
    }
}
