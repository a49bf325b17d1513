import WalletCrypto

/// The account a did names: what `didkey`, `did_value` and line 2 of a signed text carry
/// (docs/protocol.md sections 2, 4 and 5).
///
/// Two addresses are equal when they name the same account, however they were written:
/// an Ethereum address as its 20 bytes (a mixed-case one must carry its EIP-55
/// checksum), a StarkNet address as a number (padding and case do not matter).
public enum DidAddress: Hashable, Sendable, CustomStringConvertible {
    /// An Ethereum account.
    case eth(EthereumAddress)
    /// A StarkNet account: its address, a felt.
    case starknet(Felt)

    /// Parses `text` as an address of `didType`.
    public init(parsing text: some StringProtocol, as didType: DidType) throws(CryptoError) {
        switch didType {
        case .eth: self = .eth(try EthereumAddress(parsing: text))
        case .starknet:
            let address = try Felt(hex: text)
            // StarkNet addresses are below 2^251 (the storage address range); zero is no account.
            guard address != .zero, address.value < Self.starknetAddressBound else {
                throw CryptoError(.feltOutOfRange, "a StarkNet address is a number from 1 to 2^251 - 1")
            }
            self = .starknet(address)
        }
    }

    /// 2^251, above every StarkNet address.
    private static let starknetAddressBound = UInt256(hex: "0x800000000000000000000000000000000000000000000000000000000000000")!

    /// The did type the address belongs to.
    public var didType: DidType {
        switch self {
        case .eth: .eth
        case .starknet: .starknet
        }
    }

    /// The form the service stores and answers: `0x` and 40 lowercase hex digits for eth,
    /// `0x` and 64 lowercase hex digits (zero-padded, as starknet.js pads addresses) for
    /// StarkNet.
    public var canonical: String {
        switch self {
        case .eth(let address): address.lowercased
        case .starknet(let address): address.paddedHexString
        }
    }

    /// The form people read: the EIP-55 checksummed address for eth, the padded hex for
    /// StarkNet.
    public var description: String {
        switch self {
        case .eth(let address): address.checksummed
        case .starknet(let address): address.paddedHexString
        }
    }

    /// What a field holding this kind of address must be, for error messages.
    static func expectation(_ didType: DidType) -> String {
        switch didType {
        case .eth: "an Ethereum address (40 hex digits; mixed case must be EIP-55)"
        case .starknet: "a StarkNet address (hex, at most 64 digits, a number from 1 to 2^251 - 1)"
        }
    }
}
