// LessonScreenWidthTests.swift — the learning texts measured the way the screen draws them
// (CharWidth, glibc's wcwidth): every lesson line and every `help php` line fits its budget, and
// the conservative measure the texts are wrapped by never counts fewer columns than the screen.

import Testing
@testable import ExplorerCore
import TerminalUI

@Suite struct LessonScreenWidthTests {
    static var lessonLines: [String] {
        LessonLanguage.allCases.flatMap { language in
            LessonText.listing(language) + Lessons.all.flatMap { LessonText.all($0, language) }
        }
    }

    @Test func lessonLinesFitSeventySixColumnsOnScreen() {
        let lines = Self.lessonLines
        #expect(lines.count > 200)
        for line in lines {
            #expect(CharWidth.of(line) <= LessonText.width, "\(CharWidth.of(line)) columns: \(line)")
            #expect(line.unicodeScalars.allSatisfy { CharWidth.of($0) >= 0 }, "a character the screen cannot draw: \(line)")
            #expect(TextWrap.width(line) >= CharWidth.of(line), "the wrapper undercounts: \(line)")
        }
        // Chinese really is there, two columns a character.
        #expect(lines.contains { CharWidth.of($0) > $0.count })
    }

    @Test func helpPHPFitsOneHundredColumnsOnScreen() throws {
        var lines = PHPHelp.lines()
        for name in PHPFunctionTable.seedNames { lines += try PHPHelp.lines(for: name) }
        for line in lines {
            #expect(CharWidth.of(line) <= PHPHelp.width, "\(CharWidth.of(line)) columns: \(line)")
            #expect(TextWrap.width(line) >= CharWidth.of(line), "the wrapper undercounts: \(line)")
        }
    }
}
