/// How answers escape a string in JSON: the bytes `JSONEncoder` writes (RFC 8259).
///
/// `"` and `\` take a backslash; backspace, tab, line feed, form feed and carriage return
/// are written `\b` `\t` `\n` `\f` `\r`; the other control characters `\u00xx` (lowercase
/// hex); everything else, `/` and non-ASCII UTF-8 included, as is. The server's answers
/// and the list members a ``UserCard`` writes once both escape through here, so they
/// cannot differ.
public enum JSONEscaping {
    /// Hands the JSON string body of `utf8` (without its quotes) to `write`, in order: runs
    /// of bytes that need no escape as they are, and each escape.
    @inlinable
    public static func escape(_ utf8: UnsafeBufferPointer<UInt8>, _ write: (UnsafeRawBufferPointer) -> Void) {
        guard let base = utf8.baseAddress else { return }
        var start = 0
        for index in 0..<utf8.count {
            let byte = base[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if index > start { write(UnsafeRawBufferPointer(start: base + start, count: index - start)) }
            withEscape(of: byte, write)
            start = index + 1
        }
        if utf8.count > start { write(UnsafeRawBufferPointer(start: base + start, count: utf8.count - start)) }
    }

    /// Hands the escape of `byte` (a control character, `"` or `\`) to `write`.
    @usableFromInline
    static func withEscape(of byte: UInt8, _ write: (UnsafeRawBufferPointer) -> Void) {
        let short: UInt8? =
            switch byte {
            case UInt8(ascii: "\""): UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): UInt8(ascii: "\\")
            case 0x08: UInt8(ascii: "b")
            case 0x09: UInt8(ascii: "t")
            case 0x0A: UInt8(ascii: "n")
            case 0x0C: UInt8(ascii: "f")
            case 0x0D: UInt8(ascii: "r")
            default: nil
            }
        if let short {
            withUnsafeBytes(of: (UInt8(ascii: "\\"), short)) { write($0) }
        } else {
            let hex: (UInt8) -> UInt8 = { $0 < 10 ? UInt8(ascii: "0") + $0 : UInt8(ascii: "a") + $0 - 10 }
            let escape = (
                UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex(byte >> 4), hex(byte & 0x0F)
            )
            withUnsafeBytes(of: escape) { write($0) }
        }
    }

    /// `text` as a JSON string, with its quotes, appended to `output`.
    public static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in escape(utf8) { output.append(contentsOf: $0) } }
        output.append(UInt8(ascii: "\""))
    }
}
