@_spi(Benchmarks) import SignedFollow
import Testing

/// The response code table of docs/protocol.md section 1.
@Suite("Error codes")
struct ErrorCodeTests {
    @Test("every code's first three digits are its HTTP status, and success is 200")
    func statusFromCode() {
        #expect(ErrorCode.ok.httpStatus == 200)
        for code in ErrorCode.all.dropFirst() {
            #expect((10000...99999).contains(code.rawValue), "\(code)")
            #expect(code.httpStatus == code.rawValue / 100, "\(code)")
            #expect([400, 401, 403, 404, 409, 413, 429, 500, 503].contains(code.httpStatus), "\(code)")
        }
    }

    @Test("the table has exactly the protocol's codes, each once")
    func table() {
        let numbers = ErrorCode.all.map(\.rawValue)
        #expect(
            numbers == [
                0, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40101, 40102, 40103, 40104, 40105, 40106,
                40301, 40302, 40303, 40304, 40401, 40402, 40901, 40902, 41301, 42901, 42902, 50001, 50301,
            ])
        #expect(Set(numbers).count == numbers.count)
        #expect(ErrorCode(rawValue: 40104) == .didSignatureMismatch)
        #expect(ErrorCode(rawValue: 40008) == nil)
    }
}
