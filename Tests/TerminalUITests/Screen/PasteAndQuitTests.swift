// PasteAndQuitTests.swift — issue 14 points 8 and 10: a bracketed paste goes into the prompt as
// one line (line breaks as the eol setting's escape), never runs; Ctrl-D, `quit` and `exit` with
// sockets open ask once, `quit!` and a second Ctrl-D quit at once.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct PasteTests {
    @Test func lineBreaksBecomeTheEolEscape() {
        #expect(PasteText.escaped("GET / HTTP/1.1\nHost: x\n\n", eol: .lf) == #"GET / HTTP/1.1\nHost: x\n\n"#)
        #expect(PasteText.escaped("GET / HTTP/1.1\nHost: x\n\n", eol: .crlf) == #"GET / HTTP/1.1\r\nHost: x\r\n\r\n"#)
        #expect(PasteText.escaped("a\r\nb\rc", eol: .lf) == #"a\nb\nc"#, "CR LF, LF and CR are one line break each")
        #expect(PasteText.escaped("a\r\nb\rc", eol: .crlf) == #"a\r\nb\r\nc"#)
    }

    @Test func otherInvisibleCharactersBecomeEscapesAndTheRestStaysAsTyped() {
        #expect(PasteText.escaped("col1\tcol2", eol: .lf) == #"col1\tcol2"#)
        #expect(PasteText.escaped("\u{1B}[31mred\u{7F}", eol: .lf) == #"\x1b[31mred\x7f"#)
        #expect(PasteText.escaped("a\u{200D}b\u{85}", eol: .lf) == #"a\u{200D}b\u{0085}"#)
        #expect(PasteText.escaped(#"send "hi\r\n" 你好"#, eol: .crlf) == #"send "hi\r\n" 你好"#, "backslashes are the user's own")
    }

    @Test func aPasteGoesIntoThePromptAndNeverRuns() {
        var screen = Driver(focus: .connections)
        screen.type("send ")
        screen.ui.focus = .log
        #expect(screen.press(.paste("GET / HTTP/1.1\nHost: x\n\n")) == [])
        #expect(screen.ui.focus == .prompt)
        #expect(screen.ui.editor.line == #"send GET / HTTP/1.1\nHost: x\n\n"#)
        screen.model.eol = .crlf
        screen.press(.ctrl("u"))
        screen.press(.paste("a\nb\n"))
        #expect(screen.ui.editor.line == #"a\r\nb\r\n"#)
        #expect(screen.press(.enter) == [.run(#"a\r\nb\r\n"#)], "Enter runs it, once")
    }

    @Test func aPasteTooLongForThePromptIsCutAndSaysSo() {
        var screen = Driver()
        screen.press(.paste(String(repeating: "x", count: LineEditor.maxLength + 10)))
        #expect(screen.ui.editor.text.count == LineEditor.maxLength)
        #expect(screen.ui.notice == "paste cut: the prompt holds 4096 characters")
    }
}

@Suite struct QuitTests {
    func status(_ screen: Driver) -> String {
        ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[23]
    }

    @Test func theQuestionCountsWhatIsOpen() {
        #expect(Sessions.threePeers.openSummary == "1 listener, 2 connections open")
        #expect(Sessions.peers(1).openSummary == "1 listener, 1 connection open")
        #expect(Sessions.empty.openSummary == nil)
        var s = SessionBuilder()
        s.listen(port: 1, at: 0)
        s.listen(port: 2, at: 0)
        #expect(s.model().openSummary == "2 listeners open")
    }

    @Test func ctrlDWithSocketsOpenAsksYesQuits() {
        var screen = Driver()
        #expect(screen.press(.ctrl("d")) == [])
        #expect(screen.ui.quitAsked)
        #expect(status(screen).hasPrefix(" 1 listener, 2 connections open — quit? y/n"))
        #expect(screen.press(.char("y")) == [.quit])
    }

    @Test func noOrEscapeDropsTheQuestionAndAnotherKeyDoesItsWork() {
        var screen = Driver()
        screen.press(.ctrl("d"))
        #expect(screen.press(.char("n")) == [])
        #expect(!screen.ui.quitAsked && screen.ui.notice == nil)
        #expect(screen.ui.editor.line == "", "n answered the question, it is not typed")
        screen.press(.ctrl("d"))
        #expect(screen.press(.escape) == [])
        #expect(!screen.ui.quitAsked)
        screen.press(.ctrl("d"))
        screen.press(.char("s"))
        #expect(!screen.ui.quitAsked)
        #expect(screen.ui.editor.line == "s", "any other key is itself")
    }

    @Test func aSecondCtrlDQuitsAtOnce() {
        var screen = Driver()
        screen.press(.ctrl("d"))
        #expect(screen.press(.ctrl("d")) == [.quit])
    }

    @Test(arguments: ["quit", "exit", "q", "  quit  ", "QUIT"])
    func quitAndItsAliasesAsk(line: String) {
        var screen = Driver()
        screen.type(line)
        #expect(screen.press(.enter) == [], "\(line) ran at once")
        #expect(screen.ui.quitAsked)
        #expect(screen.ui.editor.history.entries.last == line, "the line is in the history like any other")
        #expect(screen.press(.char("Y")) == [.quit])
    }

    @Test func quitBangQuitsAtOnce() {
        var screen = Driver()
        screen.type("quit!")
        #expect(screen.press(.enter) == [.quit])
    }

    @Test func withNothingOpenEverythingQuitsAtOnce() {
        var screen = Driver(Sessions.empty)
        #expect(screen.press(.ctrl("d")) == [.quit])
        screen.type("quit")
        #expect(screen.press(.enter) == [.quit])
        screen.type("exit")
        #expect(screen.press(.enter) == [.quit])
    }

    @Test func otherLinesRunAndAClosedSessionDoesNotCount() {
        var screen = Driver()
        screen.type("quit now")
        #expect(screen.press(.enter) == [.run("quit now")], "not the quit command: the engine answers")
        var model = Sessions.threePeers
        for id in model.table.order { model.table.update(id) { $0.state = .closed } }
        #expect(model.openSummary == nil)
    }

    @Test func ctrlCTwiceStillQuitsWithSocketsOpen() {
        var screen = Driver()
        screen.press(.ctrl("c"))
        #expect(screen.press(.ctrl("c")) == [.quit])
    }
}
