import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Server
@_spi(Benchmarks) import SignedFollow
import Testing

/// `openapi.yaml` at the repository root against the service: the document describes
/// exactly the routes the router registers, and every code of docs/protocol.md section 1.
@Suite("OpenAPI document")
struct OpenAPITests {
    /// A route as `METHOD path`, the path without its leading and trailing "/": the
    /// router's `RouterPath` prints `/api/following` for `/api/following/`, and both
    /// forms match the same requests.
    struct Route: Hashable, Comparable, CustomStringConvertible {
        let method: String
        let path: String

        init(method: String, path: String) {
            self.method = method.uppercased()
            var path = Substring(path)
            while path.hasPrefix("/") { path = path.dropFirst() }
            while path.hasSuffix("/") { path = path.dropLast() }
            self.path = String(path)
        }

        var description: String { "\(method) /\(path)" }

        static func < (lhs: Route, rhs: Route) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
    }

    /// The text of `openapi.yaml`, found two directories up from this file.
    static func document() throws -> String {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Tests/SignedFollowTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // the repository
        return try String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
    }

    /// The operations under the top-level `paths:` key: each path at exactly two spaces of
    /// indent (`  /api/following/:`), each operation at exactly four (`    post:`).
    static func documentedRoutes(_ document: String) -> [Route] {
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var routes: [Route] = []
        var inPaths = false
        var path: String?
        for rawLine in document.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let content = line.drop(while: { $0 == " " })
            if content.isEmpty || content.hasPrefix("#") { continue }
            let indent = line.count - content.count
            if indent == 0 {
                inPaths = content.hasPrefix("paths:")
                path = nil
                continue
            }
            guard inPaths, content.hasSuffix(":") else { continue }
            let key = content.dropLast().trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            if indent == 2 {
                path = key.hasPrefix("/") ? key : nil
            } else if indent == 4, let path, methods.contains(key) {
                routes.append(Route(method: key, path: path))
            }
        }
        return routes
    }

    /// The routes of a service's router, without the `OPTIONS` and `HEAD` that middleware
    /// and the server answer for every path.
    static func registeredRoutes() throws -> [Route] {
        let path = temporaryStorePath()
        defer { removeStoreFiles(path) }
        let (service, _) = try TestService.makeService(databasePath: path)
        let routes = service.router().routes
        try service.store.close()
        return
            routes
            .filter { $0.method != .options && $0.method != .head }
            .map { Route(method: $0.method.rawValue, path: "\($0.path)") }
    }

    @Test("openapi.yaml describes exactly the routes the router registers")
    func routesMatch() throws {
        let documented = Self.documentedRoutes(try Self.document())
        let registered = try Self.registeredRoutes()
        #expect(!documented.isEmpty, "no operation found under paths: in openapi.yaml")
        #expect(!registered.isEmpty, "the router has no routes")
        #expect(Set(documented).count == documented.count, "an operation is listed twice in openapi.yaml")

        let missingFromDocument = Set(registered).subtracting(documented).sorted()
        let missingFromRouter = Set(documented).subtracting(registered).sorted()
        #expect(missingFromDocument.isEmpty, "in the router but not in openapi.yaml: \(missingFromDocument.map(\.description))")
        #expect(missingFromRouter.isEmpty, "in openapi.yaml but not in the router: \(missingFromRouter.map(\.description))")
    }

    @Test("the line parser reads paths and operations, and nothing outside paths:")
    func parser() {
        let document = """
            openapi: 3.0.3
            info:
              title: x
            paths:
              /api/following/:
                post:
                  responses:
                    '200':
                      description: |
                        get:
                    get: not an operation at this depth
              '/healthz':
                # a comment
                get:
                parameters:
            components:
              /not/a/path:
                get:
            """
        #expect(
            Self.documentedRoutes(document) == [
                Route(method: "POST", path: "/api/following/"), Route(method: "GET", path: "/healthz"),
            ])
    }

    @Test("the document's error table and ErrorCode enum hold every code, with its HTTP status, and no other")
    func errorCodes() throws {
        let document = try Self.document()
        let lines = document.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // Rows of the table in the ErrorCode schema's description: `| code | HTTP | when |`.
        var table: [Int: Int] = [:]
        for line in lines where line.hasPrefix("|") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, let code = Int(cells[0]), let status = Int(cells[1]) else { continue }
            let previous = table.updateValue(status, forKey: code)
            #expect(previous == nil, "code \(code) is listed twice in the table")
        }
        let enumItems = Set(lines.compactMap { $0.hasPrefix("- ") ? Int($0.dropFirst(2)) : nil })
        for code in ErrorCode.all {
            #expect(table[code.rawValue] == code.httpStatus, "code \(code) with HTTP \(code.httpStatus) is not in the table")
            #expect(enumItems.contains(code.rawValue), "code \(code) is not in the ErrorCode enum")
        }
        let extra = Set(table.keys).subtracting(ErrorCode.all.map(\.rawValue)).sorted()
        #expect(extra.isEmpty, "codes in openapi.yaml that ErrorCode.all does not have: \(extra)")
    }
}
