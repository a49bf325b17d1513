import SignedFollow

/// A JSON value to write: what request builders and tests put in a body.
public enum JSONScalar: Sendable, Equatable {
    /// A string, escaped as RFC 8259 requires.
    case string(String)
    /// An integer.
    case integer(Int64)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// Raw JSON text, written as is (for tests that send other types).
    case raw(String)
}

/// Writes a JSON object with members in the given order, so a builder knows the exact
/// bytes it sends. Strings are escaped by `JSONEscaping`, the service's one escaper.
public enum JSONWriter {
    /// `{"name":value,...}` for `members`, in order.
    public static func object(_ members: [(name: String, value: JSONScalar)]) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        for (position, member) in members.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            JSONEscaping.appendString(member.name, to: &output)
            output.append(UInt8(ascii: ":"))
            switch member.value {
            case .string(let text): JSONEscaping.appendString(text, to: &output)
            case .integer(let value): output.append(contentsOf: String(value).utf8)
            case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
            case .null: output.append(contentsOf: "null".utf8)
            case .raw(let json): output.append(contentsOf: json.utf8)
            }
        }
        output.append(UInt8(ascii: "}"))
        return output
    }
}
