/// A strict JSON reader for request bodies (RFC 8259).
///
/// Stricter than Foundation where it matters for a verifier whose audit log is
/// re-checked offline from the raw bytes: duplicate member names are an error (parsers
/// disagree on which one wins), strings must be valid UTF-8 without lone surrogates,
/// nesting is bounded, and nothing may follow the top-level value. Every failure is
/// 40001 with a constant message that names the problem, never the body's content.
///
/// The reader walks the body's bytes through a buffer pointer that lives only for the
/// duration of `object(from:)`; every read is guarded against the buffer's count (release
/// builds do not bounds-check buffer pointers). Strings are scanned eight bytes at a
/// time; one without escapes becomes a String straight from the body's bytes, and only
/// strings that are not ASCII go through UTF-8 validation.
public struct JSONReader {
    /// How deep arrays and objects may nest.
    public static let maximumDepth = 16

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// Reads `body`, which must hold exactly one JSON object.
    public static func object(from body: [UInt8]) throws(RequestError) -> JSONObject {
        try body.withUnsafeBufferPointer { (buffer) throws(RequestError) -> JSONObject in
            var reader = JSONReader(bytes: buffer)
            reader.skipWhitespace()
            guard reader.peek() == UInt8(ascii: "{") else {
                throw RequestError(.invalidJSON, "body must be a JSON object")
            }
            guard case .object(let object) = try reader.value(depth: 0) else { preconditionFailure() }
            reader.skipWhitespace()
            guard reader.index == buffer.count else { throw invalid("unexpected data after the JSON object") }
            return object
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private static func invalid(_ reason: String) -> RequestError {
        RequestError(.invalidJSON, "body is not valid JSON: \(reason)")
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// The bytes `range` of the body; `range` must lie within it.
    private func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString) throws(RequestError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Self.invalid("unexpected end") }
        let matches = literal.withUTF8Buffer { expected in slice(index..<index + count).elementsEqual(expected) }
        guard matches else { throw Self.invalid("unknown literal") }
        index += count
    }

    private mutating func value(depth: Int) throws(RequestError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw Self.invalid("nested too deeply") }
        skipWhitespace()
        guard let byte = peek() else { throw Self.invalid("unexpected end") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try object(depth: depth))
        case UInt8(ascii: "["): return .array(try array(depth: depth))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw Self.invalid("unexpected character")
        }
    }

    private mutating func object(depth: Int) throws(RequestError) -> JSONObject {
        index += 1  // {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return JSONObject(members: [:]) }
        // Request bodies have up to a dozen members: reserving for 8 saves the rehashing
        // of growing from empty (1, 3, 6 members) on every request.
        var members = [String: JSONValue](minimumCapacity: 8)
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw Self.invalid("expected a member name") }
            let name = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw Self.invalid("expected ':'") }
            index += 1
            let member = try value(depth: depth + 1)
            // Keys compare as Strings (canonical equivalence), so "é" and "e\u0301" are
            // duplicates, as are "a" and "\u0061".
            guard members.updateValue(member, forKey: name) == nil else {
                throw Self.invalid("duplicate member name")
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ",")?: index += 1
            case UInt8(ascii: "}")?: index += 1; return JSONObject(members: members)
            default: throw Self.invalid("expected ',' or '}'")
            }
        }
    }

    private mutating func array(depth: Int) throws(RequestError) -> [JSONElement] {
        index += 1  // [
        var elements: [JSONElement] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return elements }
        while true {
            skipWhitespace()
            let start = index
            let element = try value(depth: depth + 1)
            elements.append(JSONElement(value: element, byteRange: start..<index))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ",")?: index += 1
            case UInt8(ascii: "]")?: index += 1; return elements
            default: throw Self.invalid("expected ',' or ']'")
            }
        }
    }

    // MARK: - Strings

    /// Advances past string bytes that stand for themselves: anything but a quote, a
    /// backslash or a control character. Returns the bitwise or of the bytes passed, whose
    /// high bit says whether any of them was not ASCII.
    private mutating func skipLiteralStringBytes() -> UInt8 {
        // A local cursor: stores to `index` through `self` could alias the bytes read
        // through the pointer as far as the optimiser knows, and would stay in the loop.
        var cursor = index
        defer { index = cursor }
        let count = bytes.count
        // Eight bytes at a time while none of them needs a closer look.
        var seenWords: UInt64 = 0
        if let base = bytes.baseAddress {
            while count - cursor >= 8 {
                let word = UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self)
                guard !Self.needsAttention(word) else { break }
                seenWords |= word
                cursor += 8
            }
        }
        seenWords |= seenWords >> 32
        seenWords |= seenWords >> 16
        seenWords |= seenWords >> 8
        var seen = UInt8(truncatingIfNeeded: seenWords)
        // Then byte by byte, up to the byte that needs attention or the end.
        while cursor < count {
            let byte = bytes[cursor]
            guard byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
            seen |= byte
            cursor += 1
        }
        return seen
    }

    /// Whether any of the eight bytes in `word` is a quote, a backslash or a control
    /// character (the classic "has a zero byte" and "has a byte less than n" tests, exact
    /// about whether one exists, though not about which).
    private static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highBits != 0 }
        let hasControl = (word &- ones &* 0x20) & ~word & highBits != 0
        return hasControl || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\""))))
            || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\\"))))
    }

    /// A string's UTF-8 bytes, unescaped, as a String: 40001 when they are not valid UTF-8.
    ///
    /// ASCII, the usual case, is valid UTF-8 as it stands and skips validation (whose
    /// generic entry point, `String(validating:as:)`, costs a runtime metadata lookup per
    /// call); `String(decoding:as:)` then copies it unchanged.
    private static func text(_ utf8: UnsafeBufferPointer<UInt8>, isASCII: Bool) throws(RequestError) -> String {
        if isASCII { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw invalid("string is not valid UTF-8")
        }
        return text
    }

    /// Reads a string at the opening quote. Errors come in the order a byte-by-byte reader
    /// meets them (unterminated, control character, bad escape), and UTF-8 validity is
    /// checked last, over the unescaped bytes.
    private mutating func string() throws(RequestError) -> String {
        index += 1  // opening quote
        var runStart = index
        var seen = skipLiteralStringBytes()
        guard index < bytes.count else { throw Self.invalid("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            // No escapes: the text is the bytes between the quotes.
            let text = try Self.text(slice(runStart..<index), isASCII: seen < 0x80)
            index += 1
            return text
        }
        // Escapes: copy the literal runs and the escaped bytes. An escape never writes more
        // bytes than it reads, so what is left of the body bounds the unescaped length.
        var utf8: [UInt8] = []
        utf8.reserveCapacity(Swift.min(bytes.count - runStart, Self.maximumReservedStringBytes))
        while true {
            guard index < bytes.count else { throw Self.invalid("unterminated string") }
            let byte = bytes[index]
            utf8.append(contentsOf: slice(runStart..<index))
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try utf8.withUnsafeBufferPointer { (buffer) throws(RequestError) -> String in
                    try Self.text(buffer, isASCII: seen < 0x80)
                }
            case UInt8(ascii: "\\"):
                seen |= try escape(into: &utf8)
            default:  // below 0x20
                throw Self.invalid("control character in string")
            }
            runStart = index
            seen |= skipLiteralStringBytes()
        }
    }

    /// The most an escaped string reserves up front; longer ones grow as they are read.
    private static let maximumReservedStringBytes = 4096

    /// Reads the escape after a backslash and appends its UTF-8 bytes to `utf8`. Returns
    /// the bitwise or of the bytes appended.
    private mutating func escape(into utf8: inout [UInt8]) throws(RequestError) -> UInt8 {
        guard let byte = peek() else { throw Self.invalid("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte); return byte
        case UInt8(ascii: "b"): utf8.append(0x08); return 0x08
        case UInt8(ascii: "f"): utf8.append(0x0C); return 0x0C
        case UInt8(ascii: "n"): utf8.append(0x0A); return 0x0A
        case UInt8(ascii: "r"): utf8.append(0x0D); return 0x0D
        case UInt8(ascii: "t"): utf8.append(0x09); return 0x09
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek() == UInt8(ascii: "\\") else { throw Self.invalid("lone surrogate") }
                index += 1
                guard peek() == UInt8(ascii: "u") else { throw Self.invalid("lone surrogate") }
                index += 1
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low) else { throw Self.invalid("lone surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw Self.invalid("lone surrogate")
            }
            // Not a surrogate and at most 0x10FFFF, so always a scalar.
            var appended: UInt8 = 0
            UTF8.encode(Unicode.Scalar(scalar)!) {
                utf8.append($0); appended |= $0
            }
            return appended
        default:
            throw Self.invalid("unknown escape")
        }
    }

    private mutating func hexQuad() throws(RequestError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Self.invalid("unterminated string") }
        var value: UInt32 = 0
        for byte in slice(index..<index + 4) {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Self.invalid("bad \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    // MARK: - Numbers

    private mutating func number() throws(RequestError) -> JSONValue {
        let start = index
        let negative = peek() == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw Self.invalid("bad number")
        }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        let integerEnd = index
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw Self.invalid("bad number") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw Self.invalid("bad number") }
        }
        if isInteger, let integer = Self.integer(slice((negative ? start + 1 : start)..<integerEnd), negative: negative) {
            return .integer(integer)
        }
        let text = String(decoding: slice(start..<index), as: UTF8.self)
        guard let double = Double(text), double.isFinite else { throw Self.invalid("bad number") }
        return .number(double)
    }

    /// The value of ASCII `digits` (at least one), negated when `negative`; nil when it
    /// does not fit in 64 bits (the caller then reads it as a Double, as `Int64(_:)` would
    /// have refused it).
    private static func integer(_ digits: UnsafeBufferPointer<UInt8>, negative: Bool) -> Int64? {
        // Accumulated as a negative number, whose range includes Int64.min.
        var value: Int64 = 0
        for byte in digits {
            let (scaled, overflowedMultiplying) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowedSubtracting) = scaled.subtractingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
            guard !overflowedMultiplying, !overflowedSubtracting else { return nil }
            value = sum
        }
        if negative { return value }
        let (positive, overflowed) = Int64(0).subtractingReportingOverflow(value)
        return overflowed ? nil : positive
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }
}
