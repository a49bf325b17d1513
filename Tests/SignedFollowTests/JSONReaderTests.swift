@_spi(Benchmarks) import SignedFollow
import Testing

/// Edge cases of the strict JSON reader: escapes, surrogates, UTF-8, duplicate names
/// (including names that differ only in how they are written), numbers at the edges of
/// 64 bits, and array elements' byte ranges. Special bytes are placed at every offset of
/// strings long enough to cross the reader's eight-byte scanning.
@Suite("JSON reader")
struct JSONReaderTests {
    /// The object in `bytes`, or the code it is rejected with.
    static func read(_ bytes: [UInt8]) -> Result<JSONObject, RequestError> {
        Result { () throws(RequestError) -> JSONObject in try JSONReader.object(from: bytes) }
    }

    static func read(_ text: String) -> Result<JSONObject, RequestError> { read(Array(text.utf8)) }

    /// The code `bytes` is rejected with, nil when it is read.
    static func rejection(_ bytes: [UInt8]) -> Int? {
        switch read(bytes) {
        case .success: nil
        case .failure(let error): error.code.rawValue
        }
    }

    static func rejection(_ text: String) -> Int? { rejection(Array(text.utf8)) }

    /// The string member `k` of `text`, nil when `text` is rejected or `k` is not a string.
    static func stringMember(_ text: String) -> String? { stringMember(Array(text.utf8)) }

    static func stringMember(_ bytes: [UInt8]) -> String? {
        guard case .success(let object) = read(bytes), case .string(let value)? = object["k"] else { return nil }
        return value
    }

    @Test("escapes are unescaped")
    func escapes() {
        #expect(Self.stringMember(#"{"k":"\"\\\/\b\f\n\r\t"}"#) == "\"\\/\u{8}\u{C}\n\r\t")
        #expect(Self.stringMember(#"{"k":"\u0041\u00e9\u20AC\u0000"}"#) == "A\u{E9}\u{20AC}\u{0}")
        #expect(Self.stringMember(#"{"k":"\ud83d\ude00 \uDBFF\uDFFF"}"#) == "\u{1F600} \u{10FFFF}")
        #expect(Self.stringMember(#"{"k":""}"#) == "")
        #expect(Self.stringMember("{\"k\":\"h\u{E9}llo \u{1F600}\"}") == "h\u{E9}llo \u{1F600}")
    }

    @Test("bad escapes and lone surrogates are 40001")
    func badEscapes() {
        for body in [
            #"{"k":"\x"}"#, #"{"k":"\u12"}"#, #"{"k":"\u12G4"}"#, #"{"k":"\"#,
            #"{"k":"\ud800"}"#, #"{"k":"\udc00"}"#, #"{"k":"\ud800\u0041"}"#, #"{"k":"\ud800x"}"#,
            #"{"k":"\ud800\n"}"#, #"{"k":"\udbff\udbff"}"#, #"{"\ud800":1}"#,
        ] {
            #expect(Self.rejection(body) == 40001, "\(body)")
        }
    }

    @Test("invalid UTF-8 is 40001, in values and in names, short or long")
    func invalidUTF8() {
        let invalid: [[UInt8]] = [
            [0xC3], [0x80], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        ]
        for sequence in invalid {
            for padding in [0, 3, 8, 13] {
                let text = Array(repeating: UInt8(ascii: "a"), count: padding) + sequence
                #expect(Self.rejection(Array(#"{"k":""#.utf8) + text + Array(#""}"#.utf8)) == 40001)
                #expect(Self.rejection(Array(#"{"k":"\n"#.utf8) + text + Array(#""}"#.utf8)) == 40001)
                #expect(Self.rejection(Array(#"{""#.utf8) + text + Array(#"":1}"#.utf8)) == 40001)
            }
        }
    }

    @Test("a special byte at every offset of a long string")
    func everyOffset() {
        for offset in 0..<24 {
            let before = String(repeating: "a", count: offset), after = String(repeating: "b", count: 24 - offset)
            #expect(Self.stringMember("{\"k\":\"\(before)\\n\(after)\"}") == before + "\n" + after)
            #expect(Self.stringMember("{\"k\":\"\(before)\u{E9}\(after)\"}") == before + "\u{E9}" + after)
            #expect(Self.stringMember("{\"k\":\"\(before)\"}") == before)
            #expect(Self.rejection("{\"k\":\"\(before)\u{1F}\(after)\"}") == 40001)
            #expect(Self.rejection("{\"k\":\"\(before)\n\(after)\"}") == 40001)
            #expect(Self.rejection("{\"k\":\"\(before)\u{0}\(after)\"}") == 40001)
            #expect(Self.rejection("{\"k\":\"\(before)") == 40001)
            #expect(Self.stringMember("{\"k\":\"\(before)\u{7F}~ \(after)\"}") == before + "\u{7F}~ " + after)
        }
    }

    @Test("duplicate names are 40001 however they are written")
    func duplicateNames() {
        #expect(Self.rejection(#"{"a":1,"a":2}"#) == 40001)
        #expect(Self.rejection(#"{"a":1,"\u0061":2}"#) == 40001)
        #expect(Self.rejection(#"{"\u0061":1,"a":2}"#) == 40001)
        #expect(Self.rejection(#"{"a\n":1,"a\u000a":2}"#) == 40001)
        // Names compare as Strings: canonically equivalent spellings are the same name.
        #expect(Self.rejection("{\"\u{E9}\":1,\"e\u{301}\":2}") == 40001)
        #expect(Self.rejection(#"{"\u00e9":1,"e\u0301":2}"#) == 40001)
        #expect(Self.rejection(#"{"a":{"a":1},"b":{"a":1}}"#) == nil)
        #expect(Self.rejection(#"{"a":1,"A":2,"a ":3}"#) == nil)
    }

    @Test("integers keep 64 bits; beyond, they are numbers")
    func numbers() throws {
        let object = try Self.read(
            #"{"max":9223372036854775807,"min":-9223372036854775808,"over":9223372036854775808,"under":-9223372036854775809,"zero":-0,"fraction":0.5,"exponent":1E+2}"#
        ).get()
        #expect(object["max"] == .integer(.max))
        #expect(object["min"] == .integer(.min))
        #expect(object["over"] == .number(9223372036854775808))
        #expect(object["under"] == .number(-9223372036854775809))
        #expect(object["zero"] == .integer(0))
        #expect(object["fraction"] == .number(0.5))
        #expect(object["exponent"] == .number(100))
        for body in [#"{"k":01}"#, #"{"k":1.}"#, #"{"k":-}"#, #"{"k":1e}"#, #"{"k":1e400}"#, #"{"k":+1}"#, #"{"k":.5}"#] {
            #expect(Self.rejection(body) == 40001, "\(body)")
        }
    }

    @Test("array elements carry their byte ranges")
    func byteRanges() throws {
        let text = #"{"k":[ 1 , "a\"b" ,{"x":[]}, true,null ]}"#
        let object = try Self.read(text).get()
        guard case .array(let elements)? = object["k"] else { Issue.record("not an array"); return }
        let bytes = Array(text.utf8)
        #expect(
            elements.map { String(decoding: bytes[$0.byteRange], as: UTF8.self) } == [
                "1", #""a\"b""#, #"{"x":[]}"#, "true", "null",
            ])
        #expect(elements[1].value == .string("a\"b"))
    }

    @Test("structure errors are 40001")
    func structure() {
        for body in [
            "", " ", "[]", "{", "{}x", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{"a":1 "b":2}"#, "{a:1}", #"{"a":tru}"#,
            #"{"a":nul}"#,
        ] {
            #expect(Self.rejection(body) == 40001, "\(body)")
        }
        #expect(Self.rejection(" {} \n") == nil)
        let deep = String(repeating: "[", count: 17) + String(repeating: "]", count: 17)
        #expect(Self.rejection("{\"k\":\(deep)}") == 40001)
    }
}
