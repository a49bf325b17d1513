/// A strict JSON reader for request bodies (RFC 8259).
///
/// Stricter than Foundation where it matters for a verifier whose audit log is
/// re-checked offline from the raw bytes: duplicate member names are an error (parsers
/// disagree on which one wins), strings must be valid UTF-8 without lone surrogates,
/// nesting is bounded, and nothing may follow the top-level value. Every failure is
/// 40001 with a constant message that names the problem, never the body's content.
public struct JSONReader {
    /// How deep arrays and objects may nest.
    public static let maximumDepth = 16

    private let bytes: [UInt8]
    private var index = 0

    /// Reads `body`, which must hold exactly one JSON object.
    public static func object(from body: [UInt8]) throws(RequestError) -> JSONObject {
        var reader = JSONReader(bytes: body)
        reader.skipWhitespace()
        guard reader.peek() == UInt8(ascii: "{") else {
            throw RequestError(.invalidJSON, "body must be a JSON object")
        }
        guard case .object(let object) = try reader.value(depth: 0) else { preconditionFailure() }
        reader.skipWhitespace()
        guard reader.index == body.count else { throw invalid("unexpected data after the JSON object") }
        return object
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private static func invalid(_ reason: String) -> RequestError {
        RequestError(.invalidJSON, "body is not valid JSON: \(reason)")
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ literal: StaticString) throws(RequestError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Self.invalid("unexpected end") }
        let matches = literal.withUTF8Buffer { expected in bytes[index..<index + count].elementsEqual(expected) }
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
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return JSONObject(members: members) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw Self.invalid("expected a member name") }
            let name = try string()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw Self.invalid("expected ':'") }
            index += 1
            let member = try value(depth: depth + 1)
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

    private mutating func string() throws(RequestError) -> String {
        index += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw Self.invalid("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw Self.invalid("string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0x00..<0x20:
                throw Self.invalid("control character in string")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(RequestError) {
        guard let byte = peek() else { throw Self.invalid("unterminated string") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
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
            utf8.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw Self.invalid("unknown escape")
        }
    }

    private mutating func hexQuad() throws(RequestError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Self.invalid("unterminated string") }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
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

    private mutating func number() throws(RequestError) -> JSONValue {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw Self.invalid("bad number")
        }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
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
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else { throw Self.invalid("bad number") }
        return .number(double)
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }
}
