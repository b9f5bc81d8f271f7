// StatusAndPeersTests.swift — issue 14 point 11 on the screen: a long `ok:` never hides the key
// hints, an error keeps the whole line, a long reply template is cut with … in the Listeners
// row, and peer colours (off by default) colour the ids while the data keeps its colours.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct StatusAndPeersTests {
    func statusLine(_ status: Status, width: Int = 80) -> String {
        var model = Sessions.threePeers
        model.status = status
        return ScreenRenderer.render(model, ui: ui(), width: width, height: 24).lines[23]
    }

    @Test func aLongOkIsCutAndTheHintsStay() {
        let line = statusLine(.ok("sent 1048576 bytes to #3 from @/tmp/a/rather/long/path/to/a/file/that/goes/on.bin"))
        #expect(line == " ok: sent 1048576 bytes to #3 from @/tmp/a/rath…  F1 help · Tab focus · F2 view ", "\(line)")
    }

    @Test func aLongErrorKeepsTheWholeLine() {
        let line = statusLine(.error("connect 127.0.0.1:9: ECONNREFUSED (Connection refused) after trying 3 addresses in turn"))
        #expect(line == " error: connect 127.0.0.1:9: ECONNREFUSED (Connection refused) after trying 3 … ", "\(line)")
        #expect(!line.contains("F1 help"))
    }

    @Test func aShortOkAndTheHints() {
        #expect(statusLine(.ok("selected #3")) == " ok: selected #3                                  F1 help · Tab focus · F2 view ")
    }

    @Test func aLongReplyTemplateIsCutNotDropped() {
        var s = SessionBuilder()
        s.listen(port: 5000, at: 0) { $0.reply = .template(Array("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n{data}".utf8)) }
        let entry = s.table.listeners[0]
        let row = ListenersPane.summary(entry, width: 40)
        #expect(row == #"#1 tcp 127.0.0.1:5000  ✓0  reply "HTTP/…"#, "\(row)")
        #expect(CharWidth.of(row) == 40)
        #expect(ListenersPane.summary(entry, width: 37) == #"#1 tcp 127.0.0.1:5000  ✓0  reply "HT…"#)
        #expect(ListenersPane.summary(entry, width: 36) == "#1 tcp 127.0.0.1:5000  bl 128  ✓0",
                "under 10 columns left the template gives way, as before")
        #expect(ListenersPane.summary(entry).hasSuffix(#"reply "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n{data}""#))
    }

    @Test func peerColoursColourTheIdsAndKeepTheDataColours() {
        let theme = Theme.colored
        let plain = ScreenRenderer.render(Sessions.threePeers, ui: ui(), width: 120, height: 40)
        let colored = ScreenRenderer.render(Sessions.threePeers, ui: ui { $0.peerColors = true }, width: 120, height: 40)
        #expect(plain.lines == colored.lines, "only colours change")
        let idInLog = try! #require(locate("#2 ← 17", in: colored))
        #expect(colored[x: idInLog.x, y: idInLog.y].style == theme.peerStyle(2))
        #expect(colored[x: idInLog.x + 3, y: idInLog.y].style == theme.dim, "the arrow keeps its style")
        #expect(plain[x: idInLog.x, y: idInLog.y].style == theme.dim)
        #expect(style(of: "first blood", in: colored) == theme.received)
        #expect(style(of: "Welcome", in: colored) == theme.sent)
        #expect(theme.peerStyle(2) != theme.peerStyle(3))
        let row = try! #require(locate("#4 tcp", in: colored))
        #expect(colored[x: row.x, y: row.y].style == theme.peerStyle(4), "the Connections row's id too")
        #expect(Theme.monochrome.peerStyle(2) == nil, "no colours, nothing to tell peers apart with")
    }
}
