// Tests for LineEditor: every editing key, history with the draft, the length limit, scrolling.
import Testing
@testable import TerminalUI

@Suite struct LineEditorTests {
    /// An editor holding `text` with the cursor at `cursor` (default: the end).
    func editor(_ text: String, cursor: Int? = nil, history: [String] = []) -> LineEditor {
        var e = LineEditor(history: History(entries: history))
        e.replace(text: text, cursor: cursor ?? text.count)
        return e
    }

    func press(_ e: inout LineEditor, _ keys: Key...) -> [LineEditor.Action] {
        keys.map { e.handle($0) }
    }

    func type(_ e: inout LineEditor, _ text: String) {
        for c in text { _ = e.handle(.char(c)) }
    }

    @Test func typingInsertsAtTheCursor() {
        var e = LineEditor()
        type(&e, "sd 测")
        _ = press(&e, .left, .left, .left)
        type(&e, "en")
        #expect(e.line == "send 测")
        #expect(e.cursor == 3)
    }

    @Test func cursorMovement() {
        var e = editor("hello")
        _ = press(&e, .home)
        #expect(e.cursor == 0)
        _ = press(&e, .right, .ctrl("f"))
        #expect(e.cursor == 2)
        _ = press(&e, .ctrl("b"))
        #expect(e.cursor == 1)
        _ = press(&e, .end)
        #expect(e.cursor == 5)
        _ = press(&e, .right)
        #expect(e.cursor == 5)
        _ = press(&e, .ctrl("a"))
        #expect(e.cursor == 0)
        _ = press(&e, .left)
        #expect(e.cursor == 0)
        _ = press(&e, .ctrl("e"))
        #expect(e.cursor == 5)
    }

    @Test func wordMovement() {
        var e = editor("send #3 hello-world")
        _ = press(&e, .wordLeft)
        #expect(e.cursor == 14)
        _ = press(&e, .wordLeft, .wordLeft)
        #expect(e.cursor == 6)
        _ = press(&e, .wordRight)
        #expect(e.cursor == 7)
    }

    @Test func backspaceDeleteAndCtrlD() {
        var e = editor("abcd", cursor: 2)
        _ = press(&e, .backspace)
        #expect(e.line == "acd" && e.cursor == 1)
        _ = press(&e, .delete)
        #expect(e.line == "ad" && e.cursor == 1)
        #expect(press(&e, .ctrl("d")) == [.none])
        #expect(e.line == "a" && e.cursor == 1)
        #expect(press(&e, .ctrl("d"), .delete) == [.none, .none])  // at the end: nothing to delete
        #expect(e.line == "a")
        _ = press(&e, .home, .backspace)
        #expect(e.line == "a")
    }

    @Test func ctrlDOnAnEmptyLineEndsInput() {
        var e = LineEditor()
        #expect(e.handle(.ctrl("d")) == .endOfInput)
    }

    @Test func killAndYank() {
        var e = editor("send #3 hello", cursor: 7)
        _ = press(&e, .ctrl("k"))
        #expect(e.line == "send #3" && e.killBuffer == Array(" hello"))
        _ = press(&e, .ctrl("a"), .ctrl("y"))
        #expect(e.line == " hellosend #3" && e.cursor == 6)
        _ = press(&e, .ctrl("u"))
        #expect(e.line == "send #3" && e.cursor == 0 && e.killBuffer == Array(" hello"))
        _ = press(&e, .end, .ctrl("w"))
        #expect(e.line == "send " && e.killBuffer == Array("#3"))
        _ = press(&e, .ctrl("w"))
        #expect(e.line == "" && e.killBuffer == Array("send "))
    }

    @Test func ctrlWTakesAPathInOneStroke() {
        var e = editor("source  ~/dir/file.txt  ")
        _ = press(&e, .ctrl("w"))
        #expect(e.line == "source  ")
    }

    @Test func enterSubmitsClearsAndRecords() {
        var e = editor("listen 5000")
        #expect(e.handle(.enter) == .submit("listen 5000"))
        #expect(e.line == "" && e.cursor == 0)
        #expect(e.history.entries == ["listen 5000"])
        #expect(e.handle(.enter) == .submit(""))
        #expect(e.history.entries == ["listen 5000"])
    }

    @Test func ctrlCClearsThenInterrupts() {
        var e = editor("oops")
        #expect(e.handle(.ctrl("c")) == .cancel)
        #expect(e.line == "")
        #expect(e.handle(.ctrl("c")) == .interrupt)
    }

    @Test func tabAsksForCompletionAndOtherKeysAreRouted() {
        var e = editor("lis")
        #expect(press(&e, .tab, .function(1), .pageUp, .escape, .ctrl("l"), .resize)
            == [.complete, .unhandled, .unhandled, .unhandled, .unhandled, .unhandled])
        #expect(e.line == "lis")
    }

    @Test func historyBrowsingPreservesTheDraft() {
        var e = editor("draft", history: ["one", "two"])
        _ = press(&e, .up)
        #expect(e.line == "two" && e.cursor == 3)
        _ = press(&e, .up)
        #expect(e.line == "one")
        _ = press(&e, .up)
        #expect(e.line == "one")
        _ = press(&e, .down)
        #expect(e.line == "two")
        _ = press(&e, .down)
        #expect(e.line == "draft" && e.cursor == 5)
        _ = press(&e, .down)
        #expect(e.line == "draft")
    }

    @Test func historyUpWithEmptyHistoryKeepsTheLine() {
        var e = editor("abc")
        _ = press(&e, .up)
        #expect(e.line == "abc")
    }

    @Test func editingARecalledEntryAndSubmitting() {
        var e = editor("", history: ["send hi"])
        _ = press(&e, .up)
        type(&e, "!")
        #expect(e.handle(.enter) == .submit("send hi!"))
        #expect(e.history.entries == ["send hi", "send hi!"])
        _ = press(&e, .up, .up, .down, .down)
        #expect(e.line == "")
    }

    @Test func maximumLengthRefusesExtraInput() {
        var e = editor(String(repeating: "a", count: LineEditor.maxLength - 1))
        #expect(e.handle(.char("b")) == .none)
        #expect(e.handle(.char("c")) == .refused)
        #expect(e.text.count == 4096 && e.text.last == "b")
        var f = editor(String(repeating: "a", count: 4094), cursor: 0)
        #expect(f.insert("xyz") == .refused)
        #expect(f.text.count == 4096 && f.line.hasPrefix("xyaaa") && f.cursor == 2)
    }

    @Test func controlCharactersAreNotInserted() {
        var e = LineEditor()
        #expect(e.insert("a\u{1B}b\tc") == .none)
        #expect(e.line == "abc")
    }

    @Test func visibleWhenEverythingFits() {
        let e = editor("send hi", cursor: 2)
        let v = e.visible(width: 10)
        #expect(v.text == "send hi" && v.cursorColumn == 2)
        let end = editor("0123456789", cursor: 9).visible(width: 10)
        #expect(end.text == "0123456789" && end.cursorColumn == 9)
    }

    @Test func visibleScrollsByHalfPagesToKeepTheCursorInView() {
        let text = "abcdefghijklmnopqrstuvwxyz"
        let atEnd = editor(text).visible(width: 10)  // cursor column 26 → start at column 20
        #expect(atEnd.text == "uvwxyz" && atEnd.cursorColumn == 6)
        let at10 = editor(text, cursor: 10).visible(width: 10)  // start at column 5
        #expect(at10.text == "fghijklmno" && at10.cursorColumn == 5)
        let at14 = editor(text, cursor: 14).visible(width: 10)  // still the same page
        #expect(at14.text == "fghijklmno" && at14.cursorColumn == 9)
        let at15 = editor(text, cursor: 15).visible(width: 10)
        #expect(at15.text == "klmnopqrst" && at15.cursorColumn == 5)
    }

    @Test func visibleScrollsCJKByColumns() {
        let text = "测试成功测试成功"  // 16 columns
        let atEnd = editor(text).visible(width: 7)  // cursor column 16, step 3 → start column 12
        #expect(atEnd.text == "成功" && atEnd.cursorColumn == 4)
        let at3 = editor(text, cursor: 3).visible(width: 7)  // cursor column 6 fits at start 0
        #expect(at3.text == "测试成" && at3.cursorColumn == 6)
        let at4 = editor(text, cursor: 4).visible(width: 7)  // column 8 → start column 3, rounded up to 成 at column 4
        #expect(at4.text == "成功测" && at4.cursorColumn == 4)
    }

    @Test func visibleOfZeroWidth() {
        #expect(editor("abc").visible(width: 0) == ("", 0))
    }
}
