// JSONTextTests — JSON string quoting and Base64, with RFC 4648 test vectors.
import ExplorerCore
import Foundation
import Testing

@Suite("JSONText")
struct JSONTextTests {
    @Test func quotesAndBackslashes() {
        #expect(JSONText.quoted(#"say "hi" \ bye"#) == #""say \"hi\" \\ bye""#)
        #expect(JSONText.quoted("") == #""""#)
        #expect(JSONText.quoted("/ stays /") == #""/ stays /""#)
    }

    @Test func controlCharacters() {
        #expect(JSONText.quoted("\n\r\t\u{8}\u{C}") == #""\n\r\t\b\f""#)
        #expect(JSONText.quoted("\u{0}\u{1}\u{1B}\u{1F}") == #""\u0000\u0001\u001b\u001f""#)
        #expect(JSONText.quoted("del\u{7F}") == "\"del\u{7F}\"")  // RFC 8259 allows DEL raw
    }

    @Test func validUTF8PassesThrough() {
        #expect(JSONText.quoted("测试成功！😀 é e\u{301}") == "\"测试成功！😀 é e\u{301}\"")
    }

    @Test func illFormedUTF8BecomesReplacementCharacters() {
        var out: [UInt8] = []
        let bytes: [UInt8] = [0x61, 0xFF, 0xE4, 0xBD, 0x62, 0xED, 0xA0, 0x80]
        bytes.withUnsafeBytes { JSONText.appendQuoted($0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "\"a\u{FFFD}\u{FFFD}\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}\"")
    }

    @Test func appendsAfterExistingOutput() {
        var out = Array(#"{"text":"#.utf8)
        JSONText.appendQuoted("a\"b", to: &out)
        out.append(UInt8(ascii: "}"))
        #expect(String(decoding: out, as: UTF8.self) == #"{"text":"a\"b"}"#)
    }

    @Test func foundationParsesEveryQuotedString() throws {
        var rng = SeededGenerator(seed: 3)
        let pool: [Character] = ["a", "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "你", "😀", "\u{2028}", "/"]
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...20, using: &rng)).map { _ in pool.randomElement(using: &rng)! })
            let json = "[" + JSONText.quoted(text) + "]"
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            #expect(parsed == [text])
        }
    }
}

@Suite("Base64")
struct Base64Tests {
    static let rfc4648: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfc4648Vectors() {
        for (plain, encoded) in Self.rfc4648 {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
            #expect(Base64.encodedLength(plain.utf8.count) == encoded.utf8.count)
        }
    }

    @Test func allByteValuesAndTheHighAlphabet() {
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
        #expect(Base64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
        #expect(Base64.encode([0x00, 0x00, 0x00, 0x00]) == "AAAAAA==")
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
        #expect(Base64.encode(all) == Data(all).base64EncodedString())
    }

    @Test func randomRoundTripsMatchFoundation() {
        var rng = SeededGenerator(seed: 4)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(Base64.decode(encoded) == bytes)
        }
    }

    @Test func appendKeepsExistingOutput() {
        var out = Array("data_b64=".utf8)
        Array("foobar".utf8).withUnsafeBytes { Base64.append($0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == "data_b64=Zm9vYmFy")
    }

    @Test func strictDecodingRejects() {
        for bad in ["Z", "Zg", "Zg=", "Zm9vY", "Zg=a", "Z===", "====", "=Zg=", "Zm=v", "Zh==", "Zm9=",
                    "Zm9v\n", " Zm9v", "Zm-_", "Zm9vYmFy====", "Zg==Zg=="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
        #expect(Base64.decode([UInt8]()) == [])
    }
}
