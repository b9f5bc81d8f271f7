// SanitizerTests — the sanitizer policy, case by case, with literal expected renderings.
import ExplorerCore
import Testing

/// Bytes of a string literal, for inputs that mix text and raw bytes.
private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite("Sanitizer.escape")
struct SanitizerEscapeTests {
    @Test func clearScreenSequence() {
        #expect(Sanitizer.escape(bytes("\u{1B}[2J")) == #"\x1b[2J"#)
    }

    @Test func osc0WindowTitle() {
        #expect(Sanitizer.escape(bytes("\u{1B}]0;pwned\u{07}")) == #"\x1b]0;pwned\x07"#)
    }

    @Test func osc52ClipboardWithBellAndStringTerminator() {
        #expect(Sanitizer.escape(bytes("\u{1B}]52;c;cm0gLXJmIH4=\u{07}")) == #"\x1b]52;c;cm0gLXJmIH4=\x07"#)
        #expect(Sanitizer.escape(bytes("\u{1B}]52;c;aGk=\u{1B}\\")) == #"\x1b]52;c;aGk=\x1b\\"#)
    }

    @Test func osc8Hyperlink() {
        let input = "\u{1B}]8;;http://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\"
        #expect(Sanitizer.escape(bytes(input)) == #"\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"#)
    }

    @Test func csiAsRawC1ByteAndAsEncodedU009B() {
        #expect(Sanitizer.escape([0x9B, 0x32, 0x4A]) == #"\x9b2J"#)
        #expect(Sanitizer.escape([0xC2, 0x9B, 0x32, 0x4A]) == #"\u{009B}2J"#)
        #expect(Sanitizer.escape([0xC2, 0x80, 0xC2, 0x9F, 0xC2, 0xA0]) == "\\u{0080}\\u{009F}\u{A0}")
    }

    @Test func bidiOverrideAndIsolates() {
        #expect(Sanitizer.escape(bytes("abc\u{202E}fed")) == #"abc\u{202E}fed"#)
        #expect(Sanitizer.escape(bytes("\u{2066}x\u{2069}\u{061C}\u{200E}")) == #"\u{2066}x\u{2069}\u{061C}\u{200E}"#)
    }

    @Test func invisibleAndFormatCharacters() {
        let input = "a\u{200B}b\u{FEFF}c\u{AD}d\u{2060}e\u{2028}f\u{2029}g\u{180E}h\u{FFF9}"
        #expect(Sanitizer.escape(bytes(input)) == #"a\u{200B}b\u{FEFF}c\u{00AD}d\u{2060}e\u{2028}f\u{2029}g\u{180E}h\u{FFF9}"#)
    }

    @Test func tagsVariationSelectorsAndNoncharacters() {
        #expect(Sanitizer.escape(bytes("\u{E0041}\u{E007F}")) == #"\u{E0041}\u{E007F}"#)
        #expect(Sanitizer.escape(bytes("\u{2764}\u{FE0F}\u{E0100}")) == "\u{2764}\\u{FE0F}\\u{E0100}")
        #expect(Sanitizer.escape([0xEF, 0xBF, 0xBE, 0xEF, 0xBF, 0xBF]) == #"\u{FFFE}\u{FFFF}"#)
        #expect(Sanitizer.escape([0xF4, 0x8F, 0xBF, 0xBF]) == #"\u{10FFFF}"#)
        #expect(Sanitizer.escape([0xEF, 0xB7, 0x90]) == #"\u{FDD0}"#)
    }

    @Test func loneContinuationByte() {
        #expect(Sanitizer.escape([0x41, 0x80, 0x42]) == #"A\x80B"#)
        #expect(Sanitizer.escape([0xBF]) == #"\xbf"#)
    }

    @Test func illFormedUTF8IsEscapedBytePerByte() {
        #expect(Sanitizer.escape([0xC0, 0xAF]) == #"\xc0\xaf"#)  // overlong "/"
        #expect(Sanitizer.escape([0xE0, 0x80, 0xAF]) == #"\xe0\x80\xaf"#)  // overlong, 3 bytes
        #expect(Sanitizer.escape([0xF0, 0x82, 0x82, 0xAC]) == #"\xf0\x82\x82\xac"#)  // overlong, 4 bytes
        #expect(Sanitizer.escape([0xED, 0xA0, 0x80]) == #"\xed\xa0\x80"#)  // surrogate U+D800
        #expect(Sanitizer.escape([0xED, 0xBF, 0xBF]) == #"\xed\xbf\xbf"#)  // surrogate U+DFFF
        #expect(Sanitizer.escape([0xF4, 0x90, 0x80, 0x80]) == #"\xf4\x90\x80\x80"#)  // U+110000
        #expect(Sanitizer.escape([0xF5, 0xFF, 0xFE]) == #"\xf5\xff\xfe"#)
        #expect(Sanitizer.escape([0xE4, 0xBD]) == #"\xe4\xbd"#)  // truncated at the end
        #expect(Sanitizer.escape([0xE4, 0xBD, 0x41]) == #"\xe4\xbdA"#)  // truncated mid-stream
        #expect(Sanitizer.escape([0xF0, 0x9F, 0x98]) == #"\xf0\x9f\x98"#)
    }

    @Test func controlBytes() {
        #expect(Sanitizer.escape([0x00]) == #"\x00"#)
        #expect(Sanitizer.escape([0x61, 0x00, 0x62]) == #"a\x00b"#)
        #expect(Sanitizer.escape([0x09, 0x0D, 0x0A, 0x0B, 0x0C, 0x08, 0x7F, 0x1F]) == #"\t\r\n\x0b\x0c\x08\x7f\x1f"#)
    }

    @Test func chineseWithCRLF() {
        #expect(Sanitizer.escape(bytes("测试成功！\r\n")) == #"测试成功！\r\n"#)
    }

    @Test func backslashIsDoubled() {
        #expect(Sanitizer.escape(bytes(#"C:\dir\x1b"#)) == #"C:\\dir\\x1b"#)
        #expect(Sanitizer.escape([0x5C]) == #"\\"#)
    }

    @Test func visibleUnicodePasses() {
        let text = "😀 👍🏽 café e\u{0301} Ελληνικά 한국어 \u{E000}"
        #expect(Sanitizer.escape(bytes(text)) == text)
    }

    @Test func zeroWidthJoinerInEmojiSequenceIsShown() {
        #expect(Sanitizer.escape(bytes("👨\u{200D}👩")) == "👨\\u{200D}👩")
    }

    @Test func oneMegabyteLineWithoutNewline() {
        let line = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        let out = Sanitizer.escape(line)
        #expect(out.utf8.count == 1 << 20)
        #expect(out.utf8.allSatisfy { $0 == UInt8(ascii: "a") })
        let escaped = Sanitizer.escape([UInt8](repeating: 0x1B, count: 1 << 20))
        #expect(escaped.utf8.count == 4 << 20)
        #expect(escaped.hasPrefix(#"\x1b\x1b"#))
    }

    /// The screen's renderer on the same 1 MB line: no row break anywhere, escapes kept apart.
    @Test func oneMegabyteLineWithoutNewlineAsPieces() {
        var line = [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20)
        for index in stride(from: 0, to: line.count, by: 4096) { line[index] = 0x1B }
        let pieces = Sanitizer.pieces(line)
        #expect(!pieces.contains(.lineBreak))
        #expect(pieces.count == 512, "256 escapes, each followed by a run of 4095 letters")
        #expect(pieces.first == .escape(#"\x1b"#))
        #expect(pieces.dropFirst().first == .text(String(repeating: "A", count: 4095)))
        #expect(pieces.map(\.rendered).joined() == Sanitizer.escape(line))
    }

    @Test func emptyInput() {
        #expect(Sanitizer.escape([UInt8]()) == "")
        #expect(Sanitizer.pieces([UInt8]()) == [])
    }

    @Test func nonContiguousCollection() {
        let input = bytes("a\u{1B}b").reversed()
        #expect(Sanitizer.escape(input) == #"b\x1ba"#)
    }

    @Test func appendKeepsExistingOutput() {
        var out = Array("> ".utf8)
        let input: [UInt8] = [0x68, 0x69, 0x0A]
        input.withUnsafeBytes { Sanitizer.append($0, to: &out) }
        input.withUnsafeBytes { Sanitizer.append($0, to: &out) }
        #expect(String(decoding: out, as: UTF8.self) == #"> hi\nhi\n"#)
    }

    @Test func appendLongerThanItsScratchArea() {
        var input: [UInt8] = []
        for i in 0..<100_000 { input.append(i % 7 == 0 ? 0x1B : UInt8(0x41 + i % 26)) }
        var out: [UInt8] = []
        input.withUnsafeBytes { Sanitizer.append($0, to: &out) }
        var expected = ""
        for i in 0..<100_000 { expected += i % 7 == 0 ? #"\x1b"# : String(UnicodeScalar(UInt8(0x41 + i % 26))) }
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }
}

@Suite("Sanitizer.clean")
struct SanitizerCleanTests {
    @Test func peerControlledStrings() {
        #expect(Sanitizer.clean("evil\u{1B}[31m.example") == #"evil\x1b[31m.example"#)
        #expect(Sanitizer.clean("line1\nline2") == #"line1\nline2"#)
        #expect(Sanitizer.clean("bad\u{202E}txt.exe") == #"bad\u{202E}txt.exe"#)
        #expect(Sanitizer.clean("例え.jp") == "例え.jp")
    }
}

@Suite("Sanitizer.pieces")
struct SanitizerPiecesTests {
    @Test func textEscapesAndLineBreaks() {
        let pieces = Sanitizer.pieces(bytes("a\u{1B}[1mb\r\nc\\d\n"))
        #expect(pieces == [
            .text("a"), .escape(#"\x1b"#), .text("[1mb"), .escape(#"\r"#), .lineBreak,
            .text(#"c\\d"#), .lineBreak,
        ])
    }

    @Test func adjacentEscapesMerge() {
        let pieces = Sanitizer.pieces([0x00, 0x01, 0xC2, 0x9B, 0xFF, 0x41, 0x0A, 0x0A])
        #expect(pieces == [.escape(#"\x00\x01\u{009B}\xff"#), .text("A"), .lineBreak, .lineBreak])
    }

    @Test func renderedPiecesSpellTheOneLineEscape() {
        let input = bytes("GET / HTTP/1.1\r\nHost: 例\u{200B}\r\n\r\n\u{7F}")
        let joined = Sanitizer.pieces(input).map(\.rendered).joined()
        #expect(joined == #"GET / HTTP/1.1\r\nHost: 例\u{200B}\r\n\r\n\x7f"#)
        #expect(joined == Sanitizer.escape(input))
    }
}

@Suite("Sanitizer.isHidden")
struct SanitizerHiddenSetTests {
    @Test func listedRangesAreHiddenAndNeighboursAreNot() {
        let hidden: [UInt32] = [
            0x80, 0x9F, 0xAD, 0x61C, 0x180E, 0x200B, 0x200F, 0x2028, 0x202E, 0x2060, 0x2064,
            0x2066, 0x2069, 0xFE00, 0xFE0F, 0xFEFF, 0xFFF9, 0xFFFB, 0xFFFE, 0xFFFF, 0x1FFFE,
            0xE0000, 0xE007F, 0xE0100, 0xE01EF, 0x10FFFF,
        ]
        let visible: [UInt32] = [
            0x7E, 0xA0, 0xAC, 0xAE, 0x61B, 0x200A, 0x2010, 0x2027, 0x202F, 0x2070, 0xFDFF,
            0xFEFE, 0xFF00, 0xFFF8, 0xFFFC, 0xFFFD, 0xE000, 0x1F600, 0xE0080, 0xE01F0, 0x10FFFD,
        ]
        for s in hidden { #expect(Sanitizer.isHidden(s), "U+\(String(s, radix: 16))") }
        for s in visible { #expect(!Sanitizer.isHidden(s), "U+\(String(s, radix: 16))") }
    }
}
