// Tests for Canvas: writing, clipping, wide-character rules, boxes and separators.
import Testing
@testable import TerminalUI

@Suite struct CanvasTests {
    @Test func putWritesTextAndReturnsColumns() {
        var c = Canvas(width: 8, height: 2)
        #expect(c.put("hello", x: 1, y: 0) == 5)
        assertScreen(c, [" hello  ", "        "])
    }

    @Test func putClipsAtTheEdgeAndMaxWidth() {
        var c = Canvas(width: 6, height: 2)
        #expect(c.put("abcdefgh", x: 2, y: 0) == 4)
        #expect(c.put("abcdefgh", x: 0, y: 1, maxWidth: 3) == 3)
        #expect(c.put("zz", x: 0, y: 5) == 0)
        assertScreen(c, ["  abcd", "abc   "])
    }

    @Test func putWithNegativeXShowsTheVisiblePart() {
        var c = Canvas(width: 5, height: 2)
        c.put("abcdef", x: -2, y: 0)
        c.put("测试x", x: -1, y: 1)  // 测 straddles the left edge: its visible half is blanked
        assertScreen(c, ["cdef ", " 试x "])
    }

    @Test func cjkLinesReadNaturally() {
        var c = Canvas(width: 12, height: 1)
        #expect(c.put("测试成功！", x: 1, y: 0) == 10)
        assertScreen(c, [" 测试成功！ "])
        #expect(c[x: 1, y: 0].character == "测")
        #expect(c[x: 2, y: 0].isContinuation)
        #expect(!c[x: 3, y: 0].isContinuation)
    }

    @Test func wideCharacterThatDoesNotFitBecomesASpace() {
        var c = Canvas(width: 5, height: 2)
        #expect(c.put("ab测", x: 2, y: 0) == 3)
        #expect(c.put("测试", x: 0, y: 1, maxWidth: 3) == 3)
        assertScreen(c, ["  ab ", "测   "])
        #expect(!c[x: 4, y: 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var c = Canvas(lines: ["测试成功"])
        c.put("x", x: 1, y: 0)  // right half of 测
        c.put("y", x: 4, y: 0)  // left half of 成
        assertScreen(c, [" x试y 功"])
        #expect(c[x: 5, y: 0] == Cell(" "))
    }

    @Test func wideOverWideShiftedByOne() {
        var c = Canvas(lines: ["测试成"])
        c.put("功", x: 1, y: 0)  // covers the right half of 测 and the left half of 试
        assertScreen(c, [" 功 成"])
        #expect(c[x: 2, y: 0].isContinuation)
        #expect(!c[x: 3, y: 0].isContinuation)
    }

    @Test func controlCharactersNeverEnterTheBuffer() {
        var c = Canvas(width: 8, height: 1)
        c.put("a\u{1B}[2Jb\r\n", x: 0, y: 0)
        assertScreen(c, ["a?[2Jb? "])
    }

    @Test func standaloneZeroWidthIsDroppedCombiningIsKept() {
        var c = Canvas(width: 4, height: 1)
        #expect(c.put("\u{200B}e\u{301}x", x: 0, y: 0) == 2)
        assertScreen(c, ["e\u{301}x  "])
    }

    @Test func fillRespectsRectAndStyle() {
        var c = Canvas(width: 5, height: 3)
        let style = Style(fg: .red, reverse: true)
        c.fill(Rect(x: 3, y: 1, width: 5, height: 5), style: style, with: "#")
        assertScreen(c, ["     ", "   ##", "   ##"])
        #expect(c[x: 3, y: 1].style == style)
        #expect(c[x: 2, y: 1].style == .plain)
    }

    @Test func fillOverAWideCharacterBlanksItsOutsideHalf() {
        var c = Canvas(lines: ["测试"])
        c.fill(Rect(x: 1, y: 0, width: 2, height: 1), with: ".")
        assertScreen(c, [" .. "])
    }

    @Test func boxWithTitleAtTwentyColumns() {
        var c = Canvas(width: 20, height: 4)
        c.box(c.bounds, title: "Listeners")
        assertScreen(c, [
            "┌ Listeners ───────┐",
            "│                  │",
            "│                  │",
            "└──────────────────┘",
        ])
    }

    @Test func boxTitleIsClippedAndNeverTouchesCorners() {
        var c = Canvas(width: 20, height: 3)
        c.box(c.bounds, title: "Connections and more stuff")
        assertScreen(c, [
            "┌ Connections and… ┐",
            "│                  │",
            "└──────────────────┘",
        ])
    }

    @Test func boxTitleWithCJKIsClippedByColumns() {
        var c = Canvas(width: 12, height: 2)
        c.box(c.bounds, title: "测试成功！")
        assertScreen(c, [
            "┌ 测试成… ─┐",
            "└──────────┘",
        ])
    }

    @Test func tinyBoxes() {
        var c = Canvas(width: 5, height: 3)
        c.box(Rect(x: 0, y: 0, width: 5, height: 3), title: "Log")
        assertScreen(c, ["┌ … ┐", "│   │", "└───┘"])
        var d = Canvas(width: 4, height: 2)
        d.box(d.bounds, title: "Log")
        assertScreen(d, ["┌──┐", "└──┘"])
        var e = Canvas(width: 3, height: 1)
        e.box(e.bounds, title: "x")
        assertScreen(e, ["   "])
    }

    @Test func titleStyleAppliesToTheTitleOnly() {
        var c = Canvas(width: 10, height: 2)
        let border = Style(fg: .brightBlack), title = Style(bold: true)
        c.box(c.bounds, title: "Log", style: border, titleStyle: title)
        #expect(c[x: 1, y: 0].style == border)
        #expect(c[x: 2, y: 0].style == title)
        #expect(c[x: 4, y: 0].style == title)
        #expect(c[x: 5, y: 0].style == border)
    }

    @Test func separatorJoinsTheBox() {
        var c = Canvas(width: 20, height: 5)
        c.box(c.bounds, title: "Listeners")
        c.separator(y: 2, in: c.bounds, title: "Connections")
        assertScreen(c, [
            "┌ Listeners ───────┐",
            "│                  │",
            "├ Connections ─────┤",
            "│                  │",
            "└──────────────────┘",
        ])
    }

    @Test func sideBySideBoxesLikeTheProductFigure() {
        var c = Canvas(width: 24, height: 3)
        let (left, right) = c.bounds.splitColumns(at: 10)
        c.box(left, title: "Conns")
        c.box(right, title: "Log · all")
        c.put("#3 测试", x: left.x + 1, y: 1, maxWidth: left.width - 2)
        c.put("← 17 Ho\\r\\n", x: right.x + 1, y: 1, maxWidth: right.width - 2)
        assertScreen(c, [
            "┌ Conns ─┐┌ Log · all ─┐",
            "│#3 测试 ││← 17 Ho\\r\\n │",
            "└────────┘└────────────┘",
        ])
    }

    @Test func truncateAddsEllipsis() {
        #expect(Canvas.truncate("abcdef", toWidth: 6) == "abcdef")
        #expect(Canvas.truncate("abcdef", toWidth: 4) == "abc…")
        #expect(Canvas.truncate("测试成功", toWidth: 4) == "测…")
        #expect(Canvas.truncate("abc", toWidth: 0) == "")
    }

    @Test func initFromLinesAndEquality() {
        let a = Canvas(lines: ["ab", "测"])
        #expect(a.width == 2 && a.height == 2)
        var b = Canvas(width: 2, height: 2)
        b.put("ab", x: 0, y: 0)
        b.put("测", x: 0, y: 1)
        #expect(a == b)
        b.cursor = (x: 1, y: 1)
        #expect(a != b)
    }
}
