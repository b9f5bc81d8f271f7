// FollowKeysTests.swift — issue 14 point 2: PgUp/PgDn scroll the log from anywhere, PgDn at the
// bottom follows again, End on an empty prompt and Ctrl-End anywhere follow, and while scrolled
// the title counts the newer entries.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct FollowKeysTests {
    func title(_ screen: Driver) -> String {
        ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[0]
    }

    @Test(arguments: [Focus.prompt, .listeners, .connections, .log])
    func pageUpAndDownScrollTheLogFromAnywhere(focus: Focus) {
        var screen = Driver(LogScrollTests.tall, focus: focus)
        let before = screen.model.selected
        #expect(screen.press(.pageUp) == [])
        #expect(screen.ui.logScroll != nil)
        #expect(screen.ui.focus == focus, "the focus stays where it was")
        #expect(screen.model.selected == before, "a list does not page its selection")
        screen.press(.pageUp)
        screen.press(.pageDown)
        #expect(screen.ui.logScroll != nil)
        screen.press(.pageDown)
        #expect(screen.ui.logScroll == nil, "PgDn at the bottom follows again")
        #expect(title(screen).contains("Log · all · text · follow"))
    }

    @Test func endOnAnEmptyPromptFollowsAndOnTextMovesTheCursor() {
        var screen = Driver(LogScrollTests.tall)
        screen.press(.pageUp)
        screen.type("send hi")
        screen.press(.home)
        #expect(screen.press(.end) == [], "on text End is the editor's")
        #expect(screen.ui.editor.cursor == 7)
        #expect(screen.ui.logScroll != nil)
        screen.press(.ctrl("u"))
        #expect(screen.press(.end) == [.run("follow")])
        #expect(screen.ui.logScroll == nil)
    }

    @Test(arguments: [Focus.prompt, .listeners, .connections, .log])
    func ctrlEndFollowsFromAnywhere(focus: Focus) {
        var screen = Driver(LogScrollTests.tall, focus: focus)
        screen.press(.pageUp)
        if focus == .prompt { screen.type("send hi") }
        #expect(screen.press(.ctrlEnd) == [.run("follow")])
        #expect(screen.ui.logScroll == nil)
        #expect(screen.ui.focus == focus)
        if focus == .prompt { #expect(screen.ui.editor.line == "send hi", "the line is kept") }
    }

    @Test func whileScrolledTheTitleCountsTheNewerEntries() {
        var screen = Driver(LogScrollTests.tall)
        screen.press(.pageUp)
        let scroll = try! #require(screen.ui.logScroll)
        let newer = screen.model.log.nextSequence - 1 - scroll.bottomSequence
        #expect(newer > 0)
        #expect(title(screen).contains("Log · all · text · scrolled · \(newer) newer"), "\(title(screen))")
    }

    @Test func throughAFilterOnlyMatchingEntriesCount() {
        var model = LogScrollTests.tall
        model.view.filter = SocketID(3)
        // Anchored at the first entry: #3's entries after it are its accepted event, its 20 replies and its eof.
        let first = model.log.firstSequence
        #expect(LogPane.title(model, scroll: LogScroll(bottomSequence: first)).hasSuffix("scrolled · 22 newer"))
        #expect(LogPane.title(model, scroll: LogScroll(bottomSequence: model.log.nextSequence - 1)).hasSuffix("scrolled · 0 newer"))
    }

    @Test func aHugeFilteredTailIsCountedUpToALimit() {
        var s = SessionBuilder()
        let listener = s.listen(port: 5000, at: 0)
        let a = s.accept(via: listener, peerPort: 50001, at: 0.1)
        for index in 0..<(LogPane.newerCountLimit + 5) { s.received(a, "x", at: 1 + Double(index) / 1e6) }
        var model = s.model()
        model.view.filter = listener
        let title = LogPane.title(model, scroll: LogScroll(bottomSequence: 0))
        #expect(title.hasSuffix("scrolled · \(LogPane.newerCountLimit)+ newer"), "\(title)")
    }

    @Test func theHelpSaysWhatTheKeysDo() {
        let keys = HelpOverlay.keys.map { "\($0.keys) \($0.action)" }.joined(separator: "\n")
        #expect(keys.contains("PgUp PgDn scroll the log from anywhere; PgDn at the bottom follows new data again"))
        #expect(keys.contains("End on an empty prompt, Ctrl-End anywhere (or `follow`): follow new data"))
        #expect(!keys.contains("PgUp PgDn Home End scroll the log; End (or `follow`) follows new data"))
    }
}
