import NIOCore

/// A `data` payload that writes its own JSON.
///
/// Every answer used to go through Foundation's `JSONEncoder` (`.sortedKeys`,
/// `.withoutEscapingSlashes`), which cost more than a whole `follow_status` read
/// (BENCHMARKS.md, "Read path"). A payload writes the same bytes by hand: its members in
/// the byte order of their names (what `.sortedKeys` gives), strings escaped as
/// ``JSONOutput/string(_:)`` says. It stays `Encodable` so that a test can hold every
/// payload to `JSONEncoder`'s bytes.
protocol JSONBody: Encodable, Sendable {
    /// Writes the payload as one JSON value.
    func write(to json: inout JSONOutput)
    /// About how many bytes ``write(to:)`` writes, so that the buffer is sized once.
    var estimatedSize: Int { get }
}

extension JSONBody {
    /// Small payloads: a few short members.
    var estimatedSize: Int { 128 }
}

/// JSON text appended to a `ByteBuffer`, the body of the response.
struct JSONOutput {
    /// The text so far.
    private(set) var buffer: ByteBuffer

    /// Empty, with room for `capacity` bytes before it grows.
    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Appends `text` as is: punctuation and member names, written with their quotes.
    mutating func raw(_ text: StaticString) {
        buffer.writeStaticString(text)
    }

    /// Appends a decimal integer.
    mutating func integer(_ value: some BinaryInteger) {
        buffer.writeString(String(value))
    }

    /// Appends `true` or `false`.
    mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// Appends `value`, or `null` when it is nil.
    mutating func integer(orNull value: Int64?) {
        if let value { integer(value) } else { raw("null") }
    }

    /// Appends `text` as a JSON string (RFC 8259), escaped as `JSONEncoder` escapes it:
    /// `"` and `\` with a backslash; backspace, tab, line feed, form feed and carriage
    /// return as `\b` `\t` `\n` `\f` `\r`; the other control characters as `\u00xx`
    /// (lowercase hex); everything else, `/` and non-ASCII UTF-8 included, as is.
    mutating func string(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[start..<index])))
                writeEscaped(byte)
                start = index + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[start...])))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Appends `values` as an array, each written by `write`.
    mutating func array<Element>(_ values: [Element], _ write: (Element, inout JSONOutput) -> Void) {
        buffer.writeInteger(UInt8(ascii: "["))
        for (position, value) in values.enumerated() {
            if position > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            write(value, &self)
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x08: raw("\\b")
        case 0x09: raw("\\t")
        case 0x0A: raw("\\n")
        case 0x0C: raw("\\f")
        case 0x0D: raw("\\r")
        default:
            raw("\\u00")
            buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
            buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
