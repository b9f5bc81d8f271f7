// ScreenControllerTests.swift — keys and clicks against the pure controller: focus, selection,
// views, filtering, log scrolling, quitting, help and the mouse, on the 80×24 three-peer session.
import ExplorerCore
import Testing
@testable import TerminalUI

/// A screen being driven: the controller's UI state plus the model, with `.select` actions
/// applied the way the program loop applies them (the engine's selection is the model's).
struct Driver {
    var model: ScreenModel
    var ui: UIState
    var width = 80, height = 24

    init(_ model: ScreenModel = Sessions.threePeers, focus: Focus = .prompt) {
        self.model = model
        self.ui = UIState()
        self.ui.focus = focus
    }

    @discardableResult
    mutating func press(_ keys: Key...) -> [ScreenAction] {
        var all: [ScreenAction] = []
        for key in keys {
            let actions = ScreenController.handle(key, ui: &ui, model: model, width: width, height: height)
            for case .select(let id) in actions { model.selected = id }
            all += actions
        }
        return all
    }

    mutating func type(_ text: String) {
        for character in text { press(.char(character)) }
    }

    mutating func click(x: Int, y: Int) -> [ScreenAction] { press(.mouse(x: x, y: y, button: .left)) }

    var log: Rect { Layout.compute(width: width, height: height, listenerCount: model.table.listeners.count)!.log }
}

@Suite struct ScreenControllerTests {
    // MARK: Focus

    @Test func tabAndShiftTabCycleTheFocusFromAnEmptyPrompt() {
        var screen = Driver()
        var seen: [Focus] = []
        for _ in 0..<4 {
            #expect(screen.press(.tab) == [])
            seen.append(screen.ui.focus)
        }
        #expect(seen == [.listeners, .connections, .log, .prompt])
        seen = []
        for _ in 0..<4 {
            screen.press(.backTab)
            seen.append(screen.ui.focus)
        }
        #expect(seen == [.log, .connections, .listeners, .prompt])
    }

    @Test func tabCompletesWhenThePromptHasText() {
        var screen = Driver()
        screen.type("lis")
        #expect(screen.press(.tab) == [])
        #expect(screen.ui.focus == .prompt)
        #expect(screen.ui.editor.line == "listen ")
        screen.press(.ctrl("u"), .tab)
        #expect(screen.ui.focus == .listeners, "an emptied prompt gives Tab back to focus")
    }

    @Test func tabCompletesSocketIDsAndShowsAmbiguousCandidates() {
        var screen = Driver()
        screen.type("send #")
        screen.press(.tab)
        #expect(screen.ui.candidates == ["#1", "#2", "#3"], "send offers open sockets: #4 is closed")
        #expect(screen.ui.focus == .prompt)
        screen.press(.char("3"))
        #expect(screen.ui.candidates.isEmpty, "the next key clears the candidates")
    }

    // MARK: Lists

    @Test func upAndDownMoveTheSelectionWithinTheFocusedList() {
        var screen = Driver(focus: .connections)
        #expect(screen.model.selected == SocketID(3))
        #expect(screen.press(.up) == [.select(SocketID(2))])
        #expect(screen.press(.up) == [.select(SocketID(2))], "the first row stays selected")
        #expect(screen.press(.down, .down) == [.select(SocketID(3)), .select(SocketID(4))])
        #expect(screen.press(.down) == [.select(SocketID(4))], "the last row stays selected")
        #expect(screen.press(.home) == [.select(SocketID(2))])
        #expect(screen.press(.end) == [.select(SocketID(4))])
        #expect(screen.ui.focus == .connections)
    }

    @Test func theListenersListSelectsListenersOnly() {
        var screen = Driver(focus: .listeners)
        #expect(screen.press(.down) == [.select(SocketID(1))], "from a connection, ↓ starts at the first listener")
        #expect(screen.press(.down, .up) == [.select(SocketID(1)), .select(SocketID(1))])
    }

    @Test func enterMakesTheRowTheTargetAndReturnsToThePrompt() {
        var screen = Driver(focus: .connections)
        screen.press(.up)
        #expect(screen.press(.enter) == [.select(SocketID(2))])
        #expect(screen.ui.focus == .prompt)
        #expect(screen.model.selected == SocketID(2))
        let prompt = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[22]
        #expect(prompt.hasPrefix(" #2 › "))
    }

    @Test func typingInAListGoesToThePrompt() {
        var screen = Driver(focus: .connections)
        screen.type("send hi")
        #expect(screen.ui.focus == .prompt)
        #expect(screen.ui.editor.line == "send hi")
        #expect(screen.model.selected == SocketID(3), "letters do not move the selection")
        #expect(screen.press(.enter) == [.run("send hi")])
    }

    @Test func escapeInAPaneReturnsToThePrompt() {
        var screen = Driver(focus: .log)
        screen.press(.escape)
        #expect(screen.ui.focus == .prompt)
    }

    // MARK: View and filter

    @Test func f2CyclesTheView() {
        var screen = Driver()
        #expect(screen.press(.function(2)) == [.run("view hex")])
        screen.model.view.mode = .hex
        #expect(screen.press(.function(2)) == [.run("view both")])
        screen.model.view.mode = .both
        #expect(screen.press(.function(2)) == [.run("view text")])
    }

    @Test func f3FiltersToTheSelectedSocketAndBack() {
        var screen = Driver(focus: .connections)
        #expect(screen.press(.function(3)) == [.run("filter #3")])
        screen.model.view.filter = SocketID(3)
        #expect(screen.press(.function(3)) == [.run("filter all")])
        screen.model.view.filter = nil
        screen.model.selected = nil
        #expect(screen.press(.function(3)) == [.run("filter all")], "nothing selected: show everything")
    }

    // MARK: Log scrolling

    @Test func pageUpPageDownHomeEndScrollTheLog() {
        var screen = Driver(LogScrollTests.tall, focus: .log)
        let log = screen.log
        let page = log.height - 1
        screen.press(.pageUp)
        #expect(screen.ui.logScroll == LogPane.scrollUp(screen.model, from: nil, rows: page, height: log.height, width: log.width, theme: .colored))
        screen.press(.pageUp)
        let twoPages = screen.ui.logScroll
        #expect(twoPages == LogPane.scrollUp(screen.model, from: nil, rows: 2 * page, height: log.height, width: log.width, theme: .colored))
        screen.press(.pageDown, .pageDown)
        #expect(screen.ui.logScroll == nil, "two pages down from two pages up: following again")
        screen.press(.home)
        #expect(screen.ui.logScroll == LogPane.top(screen.model, height: log.height, width: log.width, theme: .colored))
        #expect(screen.ui.logScroll != nil)
        #expect(screen.press(.end) == [.run("follow")])
        #expect(screen.ui.logScroll == nil)
    }

    @Test func arrowsAndTheWheelScrollTheLogByOneRow() {
        var screen = Driver(LogScrollTests.tall, focus: .log)
        let log = screen.log
        screen.press(.up, .up, .up)
        #expect(screen.ui.logScroll == LogPane.scrollUp(screen.model, from: nil, rows: 3, height: log.height, width: log.width, theme: .colored))
        screen.press(.down, .down, .down)
        #expect(screen.ui.logScroll == nil)
        screen.press(.mouse(x: 50, y: 10, button: .wheelUp))
        #expect(screen.ui.logScroll == LogPane.scrollUp(screen.model, from: nil, rows: 1, height: log.height, width: log.width, theme: .colored))
        screen.press(.mouse(x: 50, y: 10, button: .wheelDown))
        #expect(screen.ui.logScroll == nil)
    }

    @Test func pageUpFromThePromptScrollsTheLogWithoutLeavingThePrompt() {
        var screen = Driver(LogScrollTests.tall)
        screen.type("send")
        screen.press(.pageUp)
        #expect(screen.ui.logScroll != nil)
        #expect(screen.ui.focus == .prompt)
        #expect(screen.ui.editor.line == "send")
        let title = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[0]
        #expect(title.contains("Log · all · text · scrolled"))
    }

    // MARK: Quitting

    @Test func ctrlCClearsThePromptThenArmsThenQuits() {
        var screen = Driver()
        screen.type("send hi")
        #expect(screen.press(.ctrl("c")) == [])
        #expect(screen.ui.editor.line == "")
        #expect(!screen.ui.quitArmed)
        #expect(screen.press(.ctrl("c")) == [])
        #expect(screen.ui.quitArmed)
        let status = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[23]
        #expect(status.hasPrefix(" press Ctrl-C again to quit"))
        #expect(screen.press(.ctrl("c")) == [.quit])
    }

    @Test func anotherKeyDisarmsCtrlC() {
        var screen = Driver()
        screen.press(.ctrl("c"))
        #expect(screen.ui.quitArmed)
        screen.press(.char("x"))
        #expect(!screen.ui.quitArmed)
        #expect(screen.ui.notice == nil)
        screen.press(.ctrl("u"))
        #expect(screen.press(.ctrl("c")) == [], "armed again, not quitting")
    }

    @Test func ctrlCInAListClearsAndArmsLikeThePrompt() {
        var screen = Driver(focus: .connections)
        #expect(screen.press(.ctrl("c")) == [])
        #expect(screen.ui.focus == .prompt)
        #expect(screen.press(.ctrl("c")) == [.quit])
    }

    @Test func ctrlDQuitsOnlyOnAnEmptyPrompt() {
        var screen = Driver()
        screen.type("ab")
        screen.press(.left)
        #expect(screen.press(.ctrl("d")) == [])
        #expect(screen.ui.editor.line == "a", "on text Ctrl-D deletes under the cursor")
        screen.press(.backspace)
        // Sockets are open in this session: the first Ctrl-D asks (issue 14 point 10), the second quits.
        #expect(screen.press(.ctrl("d")) == [])
        #expect(screen.press(.ctrl("d")) == [.quit])
    }

    // MARK: Help

    @Test func questionMarkOutsideThePromptOpensHelpAndEscapeClosesIt() {
        var screen = Driver(focus: .connections)
        screen.press(.char("?"))
        #expect(screen.ui.helpVisible)
        #expect(ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[0].hasPrefix("┌ Help"))
        screen.press(.escape)
        #expect(!screen.ui.helpVisible)
        #expect(screen.ui.focus == .connections, "closing help leaves the focus where it was")
    }

    @Test func questionMarkInThePromptIsJustACharacter() {
        var screen = Driver()
        screen.type("help ?")
        #expect(!screen.ui.helpVisible)
        #expect(screen.ui.editor.line == "help ?")
    }

    @Test func f1OpensHelpAnywhereAndTheHelpScrollsWithinItsLength() {
        var screen = Driver()
        screen.press(.function(1))
        #expect(screen.ui.helpVisible)
        screen.press(.end)
        let last = HelpOverlay.maxOffset(screenWidth: 80, screenHeight: 24)
        #expect(last > 0)
        #expect(screen.ui.helpOffset == last)
        screen.press(.pageDown, .down)
        #expect(screen.ui.helpOffset == last)
        screen.press(.home, .down, .down)
        #expect(screen.ui.helpOffset == 2)
        screen.press(.pageUp)
        #expect(screen.ui.helpOffset == 0)
        // The last page ends with the last line of the help.
        screen.press(.end)
        let bottom = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[21]
        #expect(bottom == "│     the end of the line                                                      │")
        screen.press(.function(1))
        #expect(!screen.ui.helpVisible)
    }

    @Test func keysWhileHelpIsOpenDoNothingElse() {
        var screen = Driver()
        screen.press(.function(1))
        #expect(screen.press(.char("x"), .function(2), .tab) == [])
        #expect(screen.ui.editor.line == "")
        #expect(screen.ui.focus == .prompt)
    }

    // MARK: Mouse

    @Test func clicksSelectRowsAndFocusPanes() {
        var screen = Driver()
        // 80×24: listener #1 on row 1; connections #2, #3, #4 on rows 3–4, 5–6, 7–8; the log from column 38.
        #expect(screen.click(x: 10, y: 1) == [.select(SocketID(1))])
        #expect(screen.ui.focus == .listeners)
        #expect(screen.click(x: 10, y: 8) == [.select(SocketID(4))], "a connection's second row selects it too")
        #expect(screen.ui.focus == .connections)
        #expect(screen.click(x: 10, y: 3) == [.select(SocketID(2))])
        #expect(screen.click(x: 10, y: 15) == [], "below the last row: focus only")
        #expect(screen.ui.focus == .connections)
        #expect(screen.click(x: 50, y: 10) == [])
        #expect(screen.ui.focus == .log)
        #expect(screen.click(x: 20, y: 22) == [])
        #expect(screen.ui.focus == .prompt)
        #expect(screen.click(x: 0, y: 2) == [], "the separator's left end")
        #expect(screen.ui.focus == .listeners)
    }

    @Test func rightClicksAndClicksOnATooSmallScreenDoNothing() {
        var screen = Driver()
        #expect(screen.press(.mouse(x: 10, y: 1, button: .right)) == [])
        #expect(screen.ui.focus == .prompt)
        screen.width = 30
        #expect(screen.click(x: 10, y: 1) == [])
        #expect(screen.ui.focus == .prompt)
    }
}
