import Foundation
import PropertyBased
@_spi(Benchmarks) import SignedFollow
import SignedFollowClient

/// The generators of the mutation tests: edits, number moves and shape changes, weighted
/// so that most trials edit the value's text (where the interesting cases are).
enum MutationGen {
    /// How many times the default trials to run: `SIGNED_FOLLOW_MUTATION_TRIALS` (default 1).
    static let trialFactor = max(1, Int(ProcessInfo.processInfo.environment["SIGNED_FOLLOW_MUTATION_TRIALS"] ?? "") ?? 1)

    /// Any edit of a text value.
    static let textEdit = zip(
        Gen<TextEdit.Kind>.case, Gen.int(in: 0...4095), Gen.uint8(in: 0...127), Gen.int(in: 0...7)
    ).map { kind, position, byte, bit in TextEdit(kind: kind, position: position, byte: byte, bit: bit) }

    /// Bytes that make an integer's JSON text interesting: digits, signs, a fraction or an
    /// exponent, JSON white space, and bytes that end a number or break the JSON.
    static let numberBytes = Array("0123456789-+.eE \t\n\r\"a,}".utf8)

    /// An edit of an integer's JSON text: a byte of ``numberBytes`` replaced, inserted, or
    /// a byte deleted.
    static let numberEdit = zip(
        Gen.int(in: 0...2), Gen.int(in: 0...4095), Gen.int(in: 0...(numberBytes.count - 1))
    ).map { kind, position, byte in
        TextEdit(kind: [.replace, .insert, .delete][kind], position: position, byte: numberBytes[byte], bit: 0)
    }

    /// A mutation of a string member: mostly text edits, sometimes the member removed, set
    /// to null, or sent as a number.
    static let stringMember = zip(Gen.int(in: 0...19), textEdit).map { selector, edit -> FieldMutation in
        switch selector {
        case 0: .removed
        case 1: .null
        case 2: .retyped
        default: .text(edit)
        }
    }

    /// A mutation of an integer member: a move of up to 10 minutes either way, an edit of
    /// its JSON text, or a change of shape.
    static let integerMember = zip(
        Gen.int(in: 0...19), Gen.int64(in: 1...600_000), Gen.bool, numberEdit
    ).map { selector, magnitude, negative, edit -> FieldMutation in
        switch selector {
        case 0: .removed
        case 1: .null
        case 2: .retyped
        case 3...10: .numberText(edit)
        default: .delta(negative ? -magnitude : magnitude)
        }
    }

    /// A mutation of a header: a text edit, sometimes the header left out.
    static let header = zip(Gen.int(in: 0...19), textEdit).map { selector, edit -> FieldMutation in
        selector == 0 ? .removed : .text(edit)
    }

    /// The mutations that apply to `field`, by where it travels and what it holds.
    static func mutation(for field: SignedField) -> Generator<FieldMutation, AnySequence<Any>> {
        switch (field.place, field.shape) {
        case (.member, .text): stringMember.eraseToAny()
        case (.member, .integer): integerMember.eraseToAny()
        default: header.eraseToAny()
        }
    }

    /// A client's choices for a valid request: every layout, wallet word, date layout,
    /// signature form and address case of docs/protocol.md section 5, each action of a follow,
    /// and the main key or the session key.
    static let clientChoice = zip(
        Gen<SignContentLayout>.case, Gen.int(in: 0...2), Gen<IssuedAt.Layout>.case,
        Gen<SignatureForm>.case, Gen<AddressForm>.case, Gen.int(in: 0...2), Gen.bool
    ).map { layout, walletWord, issuedAt, signatureForm, addressForm, action, mainKey in
        var style = ClientStyle()
        style.layout = layout
        style.walletWord = ["eth", "Ethereum", "MetaMask"][walletWord]
        style.issuedAt = issuedAt
        style.signatureForm = signatureForm
        style.addressForm = addressForm
        return ClientChoice(style: style, action: ["follow", "cancel", "unfollow"][action], mainKey: mainKey)
    }

    /// One byte of a body changed: `mask` (never 0) XORed into the byte at `position`
    /// modulo the length.
    static let byteFlip = zip(Gen.int(in: 0...65_535), Gen.uint8(in: 1...255)).map { position, mask in
        ByteFlip(position: position, mask: mask)
    }
}

/// A raw body byte XORed with a non-zero mask.
struct ByteFlip: Sendable, Equatable, CustomStringConvertible {
    /// Where, modulo the body's length.
    var position: Int
    /// What is XORed in (1 to 255).
    var mask: UInt8

    var description: String { "byte \(position) ^ 0x\(String(mask, radix: 16))" }
}
