import Testing
import WalletCrypto

/// One generated change to a member or header of a signed request (issue 6): an edit of
/// its text, a move of its number, or a change of its JSON shape. Positions are taken
/// modulo the length of the value they apply to, so one mutation applies to any value.
enum FieldMutation: Sendable, Equatable, CustomTestStringConvertible {
    /// An edit of a text value (a string member or a header).
    case text(TextEdit)
    /// An integer member moved by a non-zero number of milliseconds.
    case delta(Int64)
    /// An edit of an integer member's JSON text (it may stop being a number, or JSON).
    case numberText(TextEdit)
    /// The member or header left out.
    case removed
    /// The member sent as JSON `null`.
    case null
    /// The member sent as another JSON type: a string as a number, a number as a string.
    case retyped

    var testDescription: String {
        switch self {
        case .text(let edit): "text \(edit)"
        case .delta(let delta): "delta \(delta)"
        case .numberText(let edit): "number text \(edit)"
        case .removed: "removed"
        case .null: "null"
        case .retyped: "retyped"
        }
    }
}

/// An edit at one position of a text. Every edit changes the text it applies to (a
/// replacement by the same byte takes the next byte instead).
struct TextEdit: Sendable, Equatable, CustomStringConvertible {
    /// What the edit does at `position`.
    enum Kind: String, Sendable, CaseIterable {
        /// The byte at the position replaced by `byte`.
        case replace
        /// `byte` inserted before the position (or at the end).
        case insert
        /// The byte at the position deleted.
        case delete
        /// Bit `bit` flipped in the decoded bytes of a hex or base64 value, re-encoded
        /// (hex in lowercase after the same prefix); in a plain text, bit `bit % 7` of the
        /// byte (it stays ASCII).
        case flipEncodedBit
        /// The case of the first letter at or after the position toggled.
        case toggleCase
        /// Every letter after the value's prefix upper-cased (hex digits `a`-`f` for hex).
        case upperCase
    }

    var kind: Kind
    /// Where, modulo the length.
    var position: Int
    /// The ASCII byte a replacement or insertion writes (0 to 127).
    var byte: UInt8
    /// Which bit a flip flips (0 to 7).
    var bit: Int

    var description: String { "\(kind.rawValue) at \(position) byte \(byte) bit \(bit)" }

    /// `text` edited, where `encoding` says how a decoded bit flip re-encodes; nil when the
    /// edit cannot change `text` (no letter to toggle, nothing to upper-case, nothing to
    /// delete).
    func applied(to text: String, encoding: TextEncoding) -> String? {
        var bytes = Array(text.utf8)
        switch kind {
        case .replace:
            guard !bytes.isEmpty else { return nil }
            let index = position % bytes.count
            bytes[index] = byte == bytes[index] ? (byte + 1) % 128 : byte
        case .insert:
            bytes.insert(byte, at: position % (bytes.count + 1))
        case .delete:
            guard !bytes.isEmpty else { return nil }
            bytes.remove(at: position % bytes.count)
        case .flipEncodedBit:
            return encoding.flippingBit(of: text, at: position, bit: bit)
        case .toggleCase:
            guard let index = bytes.indices.lazy.map({ ($0 + position) % bytes.count }).first(where: { bytes[$0].isASCIILetter })
            else { return nil }
            bytes[index] ^= 0x20
        case .upperCase:
            let start = encoding.prefix.utf8.count
            let upper = bytes.enumerated().map { index, byte in
                index >= start && (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
            }
            guard upper != bytes else { return nil }
            bytes = upper
        }
        // Edits of ASCII values by ASCII bytes stay valid UTF-8; the raw-body test flips
        // bytes into invalid UTF-8 instead.
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// How a text value encodes bytes, for edits that flip a decoded bit.
enum TextEncoding: Sendable, Equatable {
    /// Free text: bits flip in its ASCII bytes.
    case plain
    /// Hex digits after `prefix` (`0x`, `eth:0x` or nothing).
    case hex(prefix: String)
    /// Standard base64 with padding.
    case base64

    /// What comes before the encoded bytes.
    var prefix: String {
        if case .hex(let prefix) = self { return prefix }
        return ""
    }

    /// `text` with one bit flipped, re-encoded; nil when `text` holds no bytes to flip.
    func flippingBit(of text: String, at position: Int, bit: Int) -> String? {
        switch self {
        case .plain:
            var bytes = Array(text.utf8)
            guard !bytes.isEmpty else { return nil }
            bytes[position % bytes.count] ^= UInt8(1) << (bit % 7)
            return String(decoding: bytes, as: UTF8.self)
        case .hex(let prefix):
            guard text.hasPrefix(prefix), var bytes = try? Hex.decode(text.dropFirst(prefix.count)), !bytes.isEmpty
            else { return nil }
            bytes[position % bytes.count] ^= UInt8(1) << bit
            return prefix + Hex.encode(bytes)
        case .base64:
            guard var bytes = try? Base64.decode(text), !bytes.isEmpty else { return nil }
            bytes[position % bytes.count] ^= UInt8(1) << bit
            return Base64.encode(bytes)
        }
    }
}

extension UInt8 {
    /// `A`-`Z` or `a`-`z`.
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
}
