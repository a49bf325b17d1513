/// A JSON value read by `JSONReader`: strict RFC 8259, integers kept apart from other
/// numbers, and, for arrays, where each element's bytes stand in the body.
///
/// Not `indirect`: arrays and objects already keep their contents on the heap, so no case
/// needs a box of its own, and reading a member costs no allocation beyond its payload.
public enum JSONValue: Sendable, Equatable {
    /// A string, unescaped.
    case string(String)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other number.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array; each element carries its byte range in the body.
    case array([JSONElement])
    /// An object.
    case object(JSONObject)

    /// The JSON type's name, for messages.
    var typeName: String {
        switch self {
        case .string: "a string"
        case .integer, .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// An element of a JSON array and the range of its bytes in the body.
public struct JSONElement: Sendable, Equatable {
    /// The value.
    public let value: JSONValue
    /// Where the value's bytes stand in the body that was read.
    public let byteRange: Range<Int>
}

/// A JSON object: its members by name. Duplicate names are rejected when reading.
public struct JSONObject: Sendable, Equatable {
    /// The members.
    public let members: [String: JSONValue]

    /// The member named `name`, if present.
    public subscript(name: String) -> JSONValue? { members[name] }

    /// A required string member: missing or `null` is 40002, another type 40003.
    public func string(_ name: String) throws(RequestError) -> String {
        guard let value = try optionalString(name) else { throw RequestError.missingField(name) }
        return value
    }

    /// An optional string member: absent or `null` is nil, another type 40003.
    public func optionalString(_ name: String) throws(RequestError) -> String? {
        switch members[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw RequestError(.invalidField, "field \(name) must be a string, found \(other.typeName)")
        }
    }

    /// A required integer member: missing or `null` is 40002; a string, a fraction or a
    /// number out of the 64-bit range is 40003.
    public func integer(_ name: String) throws(RequestError) -> Int64 {
        switch members[name] {
        case nil, .null?: throw RequestError.missingField(name)
        case .integer(let value)?: return value
        case let other?: throw RequestError(.invalidField, "field \(name) must be an integer, found \(other.typeName)")
        }
    }
}
