// CompletionSyntaxTests.swift — issue 14 point 9: Tab offers what the command's declared syntax
// expects at the cursor (from the registry), and the status line shows the syntax while typing.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct CompletionSyntaxTests {
    /// Listener #1 (open), peers #2 (open) and #3 (closed).
    static var model: ScreenModel {
        var s = SessionBuilder()
        let listener = s.listen(port: 5000, at: 0)
        _ = s.accept(via: listener, peerPort: 40000, at: 0.1)
        _ = s.accept(via: listener, peerPort: 40001, at: 0.2) { $0.state = .closed }
        return s.model()
    }

    static let files: [String: [String]] = ["": ["notes.txt", "out/"], "out/": ["a.log"]]

    func complete(_ line: String) -> Completion {
        let source = ScreenController.completionSource(Self.model, listPaths: { Self.files[$0] ?? [] })
        return Completer.complete(line: line, cursor: line.count, source: source)
    }

    @Test func scanOffersHostsNotItsOption() {
        #expect(complete("scan ").candidates == ["127.0.0.1", "::1", "localhost"])
        #expect(complete("scan 127.0.0.1 ").candidates == [], "PORTS: nothing to offer, and not timeout= yet")
        #expect(complete("scan 127.0.0.1 80 ") == Completion(line: "scan 127.0.0.1 80 timeout=", cursor: 26))
        #expect(complete("scan 127.0.0.1 80 ti") == Completion(line: "scan 127.0.0.1 80 timeout=", cursor: 26))
    }

    @Test func setOffersTheValuesOfTheSetting() {
        #expect(complete("set eol ").candidates == ["cr", "crlf", "lf"])
        #expect(complete("set eol c") == Completion(line: "set eol cr", cursor: 10, candidates: ["cr", "crlf"]))
        #expect(complete("set mouse o").candidates == ["off", "on"])
        #expect(complete("set pe") == Completion(line: "set peercolors ", cursor: 15))
    }

    @Test func selectAndCloseOfferOpenSocketsOnly() {
        #expect(complete("close ").candidates == ["#1", "#2"], "#3 is closed")
        #expect(complete("close #").candidates == ["#1", "#2"])
        #expect(complete("accept ") == Completion(line: "accept #1 ", cursor: 10), "listeners only")
    }

    @Test func fileArgumentsCompletePathsFromTheRegistry() {
        #expect(complete("save o") == Completion(line: "save out/", cursor: 9))
        #expect(complete("record out/") == Completion(line: "record out/a.log ", cursor: 17))
        #expect(complete("source n") == Completion(line: "source notes.txt ", cursor: 17))
    }

    @Test func optionValuesComplete() {
        #expect(complete("listen 5000 accept=m") == Completion(line: "listen 5000 accept=manual ", cursor: 26))
    }

    @Test func theStatusLineShowsTheSyntaxWhileTyping() {
        var screen = Driver(Self.model)
        screen.type("scan 127")
        let status = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[23]
        #expect(status.contains("scan HOST PORTS [timeout=SEC]"), "\(status)")
        screen.press(.ctrl("u"))
        #expect(PromptLine.syntaxHint(screen.ui) == nil)
    }
}
