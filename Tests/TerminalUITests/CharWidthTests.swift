// Tests for CharWidth: CJK, combining marks, emoji, ASCII and control characters.
import Testing
@testable import TerminalUI

@Suite struct CharWidthTests {
    @Test func cjkIsTwoColumnsEach() {
        #expect(CharWidth.of("测试成功！") == 10)
        #expect(CharWidth.of(Character("测")) == 2)
        #expect(CharWidth.of(Character("！")) == 2)  // fullwidth exclamation mark
        #expect(CharWidth.of(Character("한")) == 2)  // Hangul syllable
        #expect(CharWidth.of(Character("カ")) == 2)
    }

    @Test func combiningMarkAddsNoWidth() {
        let decomposed = Character("e\u{301}")
        #expect(CharWidth.of(decomposed) == 1)
        #expect(CharWidth.of("e\u{301}") == 1)
        #expect(CharWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(CharWidth.of(Unicode.Scalar(0x200B)!) == 0)  // zero width space
    }

    @Test func emojiIsTwoColumns() {
        #expect(CharWidth.of(Character("😀")) == 2)
        #expect(CharWidth.of(Character("🚀")) == 2)
    }

    @Test func asciiAndBoxDrawingAreOneColumn() {
        #expect(CharWidth.of("hello") == 5)
        #expect(CharWidth.of(Character("─")) == 1)
        #expect(CharWidth.of(Character("…")) == 1)
        #expect(CharWidth.of(Character("é")) == 1)
    }

    @Test func controlCharactersAreRejected() {
        #expect(CharWidth.of(Character("\u{1B}")) == -1)
        #expect(CharWidth.of(Character("\t")) == -1)
        #expect(CharWidth.of(Character("\r\n")) == -1)
        #expect(CharWidth.of(Character("\u{7F}")) == -1)
        #expect(CharWidth.of(Character("\u{9B}")) == -1)  // C1 CSI
        #expect(CharWidth.of(Character("\u{2028}")) == -1)
        #expect(CharWidth.of("a\u{1B}b") == 2)  // strings count controls as 0
    }
}
