import Foundation
import SignedFollow
import SignedFollowClient

/// A request as a dApp sends it, written as one JSON object: what `sign` prints,
/// `gen-load` writes a line of, and `explain` reads.
///
/// `{"method": "POST", "path": "/api/following/", "headers": {"web3mq-request-pubkey":
/// "...", "didkey": "..."}, "body": {...}}`: the body is written last and verbatim, so its
/// bytes are exactly the bytes to send (a tool can cut them out after `"body":`). A
/// captured request may also carry its body as a JSON string of the exact text.
struct RequestDocument: Sendable {
    /// `POST` or `GET`.
    var method: String
    /// The path, with its query string for a GET.
    var path: String
    /// The signed headers ("" when absent).
    var headers: RequestHeaders
    /// The exact body bytes (empty for a GET).
    var body: [UInt8]

    /// A POST of `request` to `path`.
    init(post request: SignedRequest, to path: String) {
        self.init(method: "POST", path: path, headers: request.headers, body: request.body)
    }

    init(method: String, path: String, headers: RequestHeaders, body: [UInt8]) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// The document as one line of JSON (the body verbatim, last).
    var json: String {
        var headerMembers: [(name: String, value: JSONScalar)] = []
        if !headers.requestPubkey.isEmpty { headerMembers.append(("web3mq-request-pubkey", .string(headers.requestPubkey))) }
        if !headers.didkey.isEmpty { headerMembers.append(("didkey", .string(headers.didkey))) }
        var members: [(name: String, value: JSONScalar)] = [
            ("method", .string(method)), ("path", .string(path)),
            ("headers", .raw(String(decoding: JSONWriter.object(headerMembers), as: UTF8.self))),
        ]
        if !body.isEmpty { members.append(("body", .raw(String(decoding: body, as: UTF8.self)))) }
        return String(decoding: JSONWriter.object(members), as: UTF8.self)
    }

    /// The equivalent `curl` command line against `server`.
    func curl(server: String) -> String {
        var words = ["curl", "-sS"]
        if method != "GET" { words += ["-X", method] }
        words.append(Self.shellQuoted(server.trimmingSuffix("/") + path))
        if !body.isEmpty { words += ["-H", Self.shellQuoted("content-type: application/json")] }
        if !headers.requestPubkey.isEmpty {
            words += ["-H", Self.shellQuoted("web3mq-request-pubkey: " + headers.requestPubkey)]
        }
        if !headers.didkey.isEmpty { words += ["-H", Self.shellQuoted("didkey: " + headers.didkey)] }
        if !body.isEmpty { words += ["--data-raw", Self.shellQuoted(String(decoding: body, as: UTF8.self))] }
        return words.joined(separator: " ")
    }

    /// Reads a document: `headers` names are matched without regard to case, and `body`
    /// may be an object (its members re-encoded; values are what the checks read) or a
    /// string holding the exact body text.
    init(json data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CLIError("the request file is not a JSON object with method, path, headers and body")
        }
        var headers = RequestHeaders(requestPubkey: "", didkey: "")
        if let fields = object["headers"] as? [String: Any] {
            for (name, value) in fields {
                guard let value = value as? String else { throw CLIError("header \(name) must be a string") }
                switch name.lowercased() {
                case "web3mq-request-pubkey": headers.requestPubkey = value
                case "didkey": headers.didkey = value
                default: continue
                }
            }
        } else if object["headers"] != nil {
            throw CLIError("headers must be an object of header names to values")
        }
        let body: [UInt8]
        switch object["body"] {
        case let text as String: body = Array(text.utf8)
        case _? where object["body"] is [String: Any]:
            // The object's own bytes, as they stand in the file.
            guard let raw = Self.rawMember("body", of: Array(data)) else { throw CLIError("cannot find the body's bytes") }
            body = Array(raw)
        case nil: body = []
        default: throw CLIError("body must be the request's JSON object or a string of its exact text")
        }
        self.init(
            method: object["method"] as? String ?? "POST", path: object["path"] as? String ?? "/api/following/",
            headers: headers, body: body)
    }

    /// The bytes of the value of the top-level member `name` in `json`, a valid JSON object.
    static func rawMember(_ name: String, of json: [UInt8]) -> ArraySlice<UInt8>? {
        var index = json.firstIndex(of: UInt8(ascii: "{")).map { $0 + 1 } ?? json.endIndex
        while index < json.endIndex {
            index = skipSpace(json, index)
            guard index < json.endIndex, json[index] == UInt8(ascii: "\"") else { return nil }
            let keyEnd = skipValue(json, index)
            let key = json[(index + 1)..<(keyEnd - 1)]
            index = skipSpace(json, keyEnd)
            guard index < json.endIndex, json[index] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(json, index + 1)
            let valueEnd = skipValue(json, valueStart)
            if key.elementsEqual(name.utf8) { return json[valueStart..<valueEnd] }
            index = skipSpace(json, valueEnd)
            guard index < json.endIndex, json[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
        return nil
    }

    private static func skipSpace(_ json: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < json.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(json[index]) { index += 1 }
        return index
    }

    /// The index after the value that starts at `start`: a string, an object or array
    /// (brackets counted outside strings), or a literal or number.
    private static func skipValue(_ json: [UInt8], _ start: Int) -> Int {
        var index = start, depth = 0, inString = false
        while index < json.endIndex {
            let byte = json[index]
            index += 1
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return index }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index - 1 }
                depth -= 1
                if depth == 0 { return index }
            case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D: if depth == 0 { return index - 1 }
            default: continue
            }
        }
        return index
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension String {
    /// The string without one trailing `suffix`.
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
