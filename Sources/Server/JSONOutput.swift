import NIOCore
import SignedFollow

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

    /// Appends bytes that are JSON text already, such as a ``UserCard``'s members.
    mutating func raw(bytes: [UInt8]) {
        buffer.writeBytes(bytes)
    }

    /// Appends a decimal integer, its digits written straight into the buffer.
    mutating func integer(_ value: some BinaryInteger) {
        guard let value = Int64(exactly: value) else {
            buffer.writeString(String(value))
            return
        }
        var magnitude = value.magnitude
        // 19 digits at most, and a minus sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(digits)[start...]))
        }
    }

    /// Appends `true` or `false`.
    mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    /// Appends `value`, or `null` when it is nil.
    mutating func integer(orNull value: Int64?) {
        if let value { integer(value) } else { raw("null") }
    }

    /// Appends `text` as a JSON string (RFC 8259), escaped as `JSONEncoder` escapes it
    /// (``JSONEscaping``).
    mutating func string(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in JSONEscaping.escape(utf8) { buffer.writeBytes($0) } }
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
}
