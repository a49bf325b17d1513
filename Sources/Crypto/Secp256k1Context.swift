import CSecp256k1

/// The one libsecp256k1 context of the process, created and randomised on first use.
///
/// libsecp256k1 functions take the context as `const` for signing, verifying and
/// recovering, so one context serves all threads at once; creating one per call (as
/// some wrappers do) costs more than a recovery.
final class Secp256k1Context: @unchecked Sendable {
    /// The process-wide context.
    static let shared = Secp256k1Context()

    /// The `secp256k1_context *`.
    let pointer: OpaquePointer

    private init() {
        guard let context = secp256k1_context_create(csecp256k1_context_none()) else {
            fatalError("secp256k1_context_create failed")
        }
        // Blinding against side channels for signing; needs 32 fresh random bytes once.
        var generator = SystemRandomNumberGenerator()
        var seed = (
            generator.next() as UInt64, generator.next() as UInt64, generator.next() as UInt64, generator.next() as UInt64
        )
        let randomised = withUnsafeBytes(of: &seed) { secp256k1_context_randomize(context, $0.baseAddress) }
        precondition(randomised == 1, "secp256k1_context_randomize failed")
        pointer = context
    }
}

/// The order n of the secp256k1 group, big-endian.
let secp256k1Order = Bytes32(hexLiteral: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")

/// n / 2, rounded down: the largest `s` the low-s rule accepts.
let secp256k1HalfOrder = Bytes32(hexLiteral: "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0")
