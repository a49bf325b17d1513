import WalletCrypto

/// The account a did names: what `didkey`, `did_value` and line 2 of a signed text carry
/// (PROTOCOL.md sections 2, 4 and 5).
///
/// Two addresses are equal when they name the same account, however they were written:
/// an Ethereum address as its 20 bytes (a mixed-case one must carry its EIP-55
/// checksum), a StarkNet address as a number (padding and case do not matter).
public enum DidAddress: Hashable, Sendable, CustomStringConvertible {
    /// An Ethereum account.
    case eth(EthereumAddress)

    /// Parses `text` as an address of `didType`.
    public init(parsing text: some StringProtocol, as didType: DidType) throws(CryptoError) {
        switch didType {
        case .eth: self = .eth(try EthereumAddress(parsing: text))
        case .starknet: throw CryptoError(.invalidHex, "StarkNet addresses are not supported")
        }
    }

    /// The did type the address belongs to.
    public var didType: DidType {
        switch self {
        case .eth: .eth
        }
    }

    /// The form the service stores and answers: `0x` and 40 lowercase hex digits for eth.
    public var canonical: String {
        switch self {
        case .eth(let address): address.lowercased
        }
    }

    /// The form people read: the EIP-55 checksummed address for eth.
    public var description: String {
        switch self {
        case .eth(let address): address.checksummed
        }
    }

    /// What a field holding this kind of address must be, for error messages.
    static func expectation(_ didType: DidType) -> String {
        switch didType {
        case .eth: "an Ethereum address (40 hex digits; mixed case must be EIP-55)"
        case .starknet: "a StarkNet address (a felt in hex, at most 64 digits, below the field prime)"
        }
    }
}
