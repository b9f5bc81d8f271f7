// ScreenStyleTests.swift — what the goldens' text cannot show: the styles of chosen cells (sent,
// received, events, escapes, errors, the selection bar, focus), wide cells and the cursor.
import ExplorerCore
import Testing
@testable import TerminalUI

/// Where `text` first appears on the screen, in cells (a wide character counts two columns).
func locate(_ text: String, in canvas: Canvas, from row: Int = 0) -> (x: Int, y: Int)? {
    let needle = Array(text)
    for y in row..<canvas.height {
        let cells = (0..<canvas.width).filter { !canvas[x: $0, y: y].isContinuation }
        let characters = cells.map { canvas[x: $0, y: y].character }
        guard needle.count <= characters.count else { continue }
        for start in 0...(characters.count - needle.count) where Array(characters[start..<(start + needle.count)]) == needle {
            return (cells[start], y)
        }
    }
    return nil
}

/// The style of the first cell of `text` on the screen.
func style(of text: String, in canvas: Canvas, sourceLocation: SourceLocation = #_sourceLocation) -> Style? {
    guard let at = locate(text, in: canvas) else {
        Issue.record("\"\(text)\" is not on the screen", sourceLocation: sourceLocation)
        return nil
    }
    return canvas[x: at.x, y: at.y].style
}

@Suite struct ScreenStyleTests {
    let theme = Theme.colored

    @Test func sentReceivedEventsAndEscapesHaveTheirOwnColours() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(), width: 120, height: 40)
        #expect(style(of: "Welcome", in: screen) == theme.sent)
        #expect(style(of: "first blood", in: screen) == theme.received)
        #expect(style(of: "accepted 127.0.0.1:51234", in: screen) == theme.event)
        #expect(style(of: "eof from peer", in: screen) == theme.event)
        #expect(style(of: #"\r"#, in: screen) == theme.escape)
        #expect(style(of: "+2.311 #2 → 22", in: screen) == theme.dim)
        #expect(Set([theme.sent, theme.received, theme.event, theme.escape, theme.error]).count == 5)
    }

    @Test func monochromeStillTellsSentReceivedEventsAndErrorsApart() {
        let mono = Theme.monochrome
        #expect(Set([mono.sent, mono.received, mono.event, mono.escape, mono.error]).count == 5)
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui { $0.theme = .monochrome }, width: 120, height: 40)
        #expect(style(of: "Welcome", in: screen) == mono.sent)
        #expect(style(of: "first blood", in: screen) == mono.received)
        #expect(style(of: "eof from peer", in: screen) == mono.event)
        let colours = (0..<40).flatMap { y in (0..<120).map { screen[x: $0, y: y].style } }.filter { $0.fg != .default || $0.bg != .default }
        #expect(colours.isEmpty)
    }

    @Test func peerEscapesAreStyledAsEscapesAndTheirTextAsReceived() {
        let screen = ScreenRenderer.render(Sessions.escapes, ui: ui(), width: 120, height: 40)
        #expect(style(of: #"\x1b]"#, in: screen) == theme.escape)
        #expect(style(of: "0;pwned", in: screen) == theme.received)
        #expect(style(of: #"\x07"#, in: screen) == theme.escape)
        #expect(style(of: "red", in: screen) == theme.received)
    }

    @Test func failuresAreErrorsEverywhere() {
        let screen = ScreenRenderer.render(Sessions.failedConnect, ui: ui(), width: 120, height: 40)
        #expect(style(of: "connect: ECONNREFUSED", in: screen) == theme.error)  // the row under #1
        #expect(style(of: "✗ connect 127.0.0.1:9", in: screen) == theme.error)  // the log
        #expect(style(of: "error: connect", in: screen) == theme.statusError)
        #expect(style(of: "F1 help", in: screen) == theme.hint)
    }

    @Test func theSelectedRowIsABarAcrossTheFocusedList() throws {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(focus: .connections), width: 80, height: 24)
        let row = try #require(locate("▶#3", in: screen))
        #expect((1...36).allSatisfy { screen[x: $0, y: row.y].style == theme.selection })
        #expect(screen[x: 0, y: row.y].style == theme.borderFocused)
        #expect(screen[x: 37, y: row.y].style == theme.borderFocused)
        #expect(style(of: "#2 tcp", in: screen) == theme.text)
        #expect(style(of: "#4 tcp", in: screen) == theme.dim)  // closed
        #expect(style(of: "↓17 B", in: screen) == theme.dim)
    }

    @Test func theSelectionIsOnlyMarkedWhenItsListIsNotFocused() throws {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(focus: .prompt), width: 80, height: 24)
        let row = try #require(locate("▶#3", in: screen))
        #expect((1...36).allSatisfy { screen[x: $0, y: row.y].style == theme.text })
    }

    @Test func theFocusedPaneHasABrightBorderAndAHighlightedTitle() {
        let log = ScreenRenderer.render(Sessions.threePeers, ui: ui(focus: .log), width: 80, height: 24)
        #expect(log[x: 38, y: 0].style == theme.borderFocused)  // ┌ of the log
        #expect(log[x: 0, y: 0].style == theme.border)
        #expect(style(of: "Log · all", in: log) == theme.selection)
        #expect(style(of: "Listeners", in: log) == theme.title)

        let connections = ScreenRenderer.render(Sessions.threePeers, ui: ui(focus: .connections), width: 80, height: 24)
        #expect(connections[x: 0, y: 0].style == theme.borderFocused)
        #expect(style(of: "Connections", in: connections) == theme.selection)
        #expect(style(of: "Listeners", in: connections) == theme.title)
        #expect(connections[x: 38, y: 0].style == theme.border)
    }

    @Test func statusOkIsGreenAndHintsAreDim() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(), width: 80, height: 24)
        #expect(style(of: "ok: selected #3", in: screen) == theme.statusOk)
        #expect(style(of: "F1 help · Tab focus", in: screen) == theme.hint)
        #expect(style(of: "#3 ›", in: screen) == theme.prompt)
    }

    @Test func cjkTakesTwoCellsAndTheBorderStaysInItsColumn() throws {
        let screen = ScreenRenderer.render(Sessions.cjk, ui: ui(), width: 80, height: 24)
        let at = try #require(locate("测试成功！", in: screen))
        for offset in stride(from: 0, to: 10, by: 2) {
            #expect(!screen[x: at.x + offset, y: at.y].isContinuation)
            #expect(screen[x: at.x + offset + 1, y: at.y].isContinuation)
        }
        #expect(screen[x: at.x + 10, y: at.y].character == "\\")
        #expect(screen[x: 79, y: at.y].character == "│")
        #expect(screen[x: at.x, y: at.y].style == theme.received)
    }

    @Test func theCursorSitsInThePromptOnlyWhileItHasTheFocus() {
        var typing = UIState()
        for key: Key in [.char("s"), .char("e"), .char("n"), .char("d")] { _ = typing.editor.handle(key) }
        let prompt = ScreenRenderer.render(Sessions.threePeers, ui: typing, width: 80, height: 24)
        #expect(prompt.cursor?.x == 10 && prompt.cursor?.y == 22)  // " #3 › send" and after it
        typing.focus = .log
        #expect(ScreenRenderer.render(Sessions.threePeers, ui: typing, width: 80, height: 24).cursor == nil)
        typing.focus = .prompt
        typing.helpVisible = true
        #expect(ScreenRenderer.render(Sessions.threePeers, ui: typing, width: 80, height: 24).cursor == nil)
    }
}
