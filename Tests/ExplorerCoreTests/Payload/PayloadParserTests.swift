// Tests of payload syntax: quoted text, escapes, hex, files, bare words, and every error message.

import Testing
@testable import ExplorerCore

/// The payload of `text`, or the error message.
private func decode(_ text: String) -> Result<Payload, ParseError> {
    Result { () throws(ParseError) in try PayloadParser.parse(text) }
}

private func bytes(_ text: String) -> [UInt8]? {
    try? decode(text).get().literalBytes
}

private func message(_ text: String) -> String? {
    guard case .failure(let error) = decode(text) else { return nil }
    return error.message
}

@Suite("Payload syntax")
struct PayloadParserTests {
    @Test("quoted text with every escape")
    func quotedEscapes() {
        #expect(bytes(#""\r\n\t\\\"\'\0\a\b\e\f\v""#) == [13, 10, 9, 92, 34, 39, 0, 7, 8, 27, 12, 11])
        #expect(bytes(#""GET / HTTP/1.1\r\nHost: x\r\n\r\n""#) == Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(bytes(#""\x00\x7f\xFF""#) == [0x00, 0x7F, 0xFF])
        #expect(bytes(#""\0123""#) == [0, 0x31, 0x32, 0x33])  // \0 is NUL; no octal
    }

    @Test("unicode escapes encode UTF-8")
    func unicodeEscapes() {
        #expect(bytes(#""\u{4F60}""#) == [0xE4, 0xBD, 0xA0])
        #expect(bytes(#""\u{41}\u{1F600}""#) == [0x41, 0xF0, 0x9F, 0x98, 0x80])
        #expect(bytes(#""\u{0}""#) == [0])
        #expect(bytes(#""\u{0010FFFF}""#) == [0xF4, 0x8F, 0xBF, 0xBF])
    }

    @Test("raw UTF-8 inside quotes is kept as is")
    func rawUTF8() {
        #expect(bytes(#""你好 é""#) == Array("你好 é".utf8))
    }

    @Test("hex tolerates blanks, colons, commas and 0x prefixes")
    func hex() {
        #expect(bytes(#"x"de ad be ef""#) == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(bytes(#"x"DEADBEEF""#) == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(bytes(#"x"de:ad:be:ef""#) == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(bytes(#"x"0xde 0xad, 0XBE,0xef""#) == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(bytes(#"X"0a""#) == [0x0A])
        #expect(bytes(#"x"0x0a0b""#) == [0x0A, 0x0B])
        #expect(bytes(#"x"a b""#) == [0xAB])  // digits pair across separators, like xxd -r -p
        #expect(bytes(#"x"""#) == [])
    }

    @Test("pieces concatenate; blanks between them are ignored")
    func pieces() throws {
        #expect(bytes(#"x"00 01" "tail""#) == [0, 1] + Array("tail".utf8))
        #expect(bytes(#""a"   "b"x"63""#) == Array("abc".utf8))
        let mixed = try PayloadParser.parse(#""head" @body.bin x"0d 0a""#)
        #expect(mixed.pieces == [.bytes(Array("head".utf8)), .file("body.bin"), .bytes([13, 10])])
        #expect(mixed.literalBytes == nil)
        #expect(!mixed.isEmpty)
    }

    @Test("files: @path and @\"path with spaces\"")
    func files() throws {
        #expect(try PayloadParser.parse("@request.bin").pieces == [.file("request.bin")])
        #expect(try PayloadParser.parse("@/tmp/a b").pieces == [.file("/tmp/a"), .bytes(Array("b".utf8))])
        #expect(try PayloadParser.parse(#"@"path with spaces/x.bin""#).pieces == [.file("path with spaces/x.bin")])
        #expect(try PayloadParser.parse(#"@"a\x20b""#).pieces == [.file("a b")])
        #expect(try PayloadParser.parse("@a @b").pieces == [.file("a"), .file("b")])
    }

    @Test("bare words: the rest of the line, escapes processed, quotes literal, trailing blanks dropped")
    func bareWords() {
        #expect(bytes(#"hello world\r\n"#) == Array("hello world\r\n".utf8))
        #expect(bytes("  hello  world   ") == Array("hello  world".utf8))
        #expect(bytes(#"say "hi" now"#) == Array(#"say "hi" now"#.utf8))
        #expect(bytes(#""a" b "c""#) == Array(#"ab "c""#.utf8))
        #expect(bytes(#"a\"b\x41"#) == Array(#"a"bA"#.utf8))
        #expect(bytes("xylophone") == Array("xylophone".utf8))
        #expect(bytes("user@example.org") == Array("user@example.org".utf8))
        #expect(bytes(#"tab\t"#) == [0x74, 0x61, 0x62, 0x09])  // an escaped blank is not trimmed
        #expect(bytes("a # not a comment") == Array("a # not a comment".utf8))
    }

    @Test("empty payloads")
    func empty() throws {
        #expect(try PayloadParser.parse("").isEmpty)
        #expect(try PayloadParser.parse("   ").isEmpty)
        #expect(try PayloadParser.parse(#""""#).isEmpty)
        #expect(try PayloadParser.parse(#""" x"""#).literalBytes == [])
    }

    @Test("payloads normalize: equal bytes compare equal however written")
    func normalization() throws {
        #expect(try PayloadParser.parse(#""ab""#) == Payload(utf8: "ab"))
        #expect(try PayloadParser.parse(#""a" "b""#) == Payload(utf8: "ab"))
        #expect(try PayloadParser.parse(#"x"61 62""#) == Payload(bytes: [0x61, 0x62]))
        #expect(Payload([.bytes([]), .bytes([1]), .bytes([2]), .file("f"), .bytes([])]).pieces == [.bytes([1, 2]), .file("f")])
    }

    @Test("quote errors name the column")
    func quoteErrors() {
        #expect(message(#""abc"#) == "unterminated quote starting at column 1")
        #expect(message(#"x"00" "abc\"#) == "unterminated quote starting at column 7")
        #expect(message(#""你好"#) == "unterminated quote starting at column 1")
        #expect(message(#""你" "x"#) == "unterminated quote starting at column 5")  // columns count characters
        #expect(message(#"x"abc"#) == "unterminated hex string starting at column 1")
        #expect(message(#"@"abc"#) == "unterminated quote starting at column 2")
    }

    @Test("hex errors quote the piece")
    func hexErrors() {
        #expect(message(#"x"zz""#) == #"invalid hex digit 'z' in x"zz""#)
        #expect(message(#"x"abc""#) == #"odd number of hex digits in x"abc""#)
        #expect(message(#"x"00 0""#) == #"odd number of hex digits in x"00 0""#)
        #expect(bytes(#"x"00 0x""#) == [0x00])  // a lone 0x prefix adds no digits
        #expect(message(#"x"de-ad""#) == #"invalid hex digit '-' in x"de-ad""#)
        #expect(message(#"x"dé""#) == #"invalid hex digit 'é' in x"dé""#)
        #expect(message("x\"0\u{1B}\"") == #"invalid hex digit '\x1b' in x"0\x1b""#)
        #expect(
            message(#"x"00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff zz""#)
                == #"invalid hex digit 'z' in x"00 11 22 33 44 55 66 77 88 99 aa bb cc…"#)
    }

    @Test("escape errors")
    func escapeErrors() {
        #expect(message(#""\q""#) == #"unknown escape \q"#)
        #expect(message(#"bare \q"#) == #"unknown escape \q"#)
        #expect(message(#""\é""#) == #"unknown escape \é"#)
        #expect(message(#"a\ b"#) == #"unknown escape \ followed by a blank at column 2"#)
        #expect(message(#"abc\"#) == #"incomplete escape \ at column 4"#)
        #expect(message(#""\x4g""#) == #"\xNN needs two hex digits, got \x4g"#)
        #expect(message(#""\x""#) == #"\xNN needs two hex digits, got \x""#)
        #expect(message(#""\u{110000}""#) == #"\u{110000} is not a Unicode scalar"#)
        #expect(message(#""\u{D800}""#) == #"\u{D800} is not a Unicode scalar"#)
        #expect(message(#""\u4F60""#) == #"\u needs braces, e.g. \u{4F60}"#)
        #expect(message(#""\u{}""#) == #"\u{…} needs 1 to 8 hex digits and a closing brace, got \u{}"#)
        #expect(message(#""\u{12g}""#) == #"\u{…} needs 1 to 8 hex digits and a closing brace, got \u{12g"#)
        #expect(message(#""\u{123456789}""#) == #"\u{…} needs 1 to 8 hex digits and a closing brace, got \u{123456789}"#)
    }

    @Test("file errors")
    func fileErrors() {
        #expect(message("@") == "expected a file name after @ at column 1")
        #expect(message(#""a" @ b"#) == "expected a file name after @ at column 5")
        #expect(message(#"@"""#) == "empty file name at column 1")
        #expect(message(#"@"\xff""#) == "file name at column 1 is not valid UTF-8")
    }

    @Test("messages never carry raw control characters")
    func safeMessages() {
        #expect(message("\"\\\u{1B}\"") == #"unknown escape \\x1b"#)
        #expect(message("\"\\\u{202E}\"") == #"unknown escape \\u{202E}"#)
    }
}
