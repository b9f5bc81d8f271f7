// LogRowsTests.swift — how one log entry becomes rows: word wrap under the text column, escapes
// kept whole, over-long words cut, datagram headers on their own row.
import ExplorerCore
import SocketKit
import Testing
@testable import TerminalUI

@Suite struct LogRowsTests {
    func rows(_ entry: LogEntry, width: Int, mode: LogView = .text) -> [String] {
        var formatter = LogRowFormatter(width: width, mode: mode, timestamps: .off, startTime: 0, theme: .colored)
        return formatter.rows(entry).map(\.text)
    }

    func received(_ text: String, peer: SocketAddress? = nil) -> LogEntry {
        LogEntry(time: 0, socket: SocketID(2), kind: .recv, bytes: Array(text.utf8), peer: peer)
    }

    @Test func eventsWrapAtWordsUnderTheirText() {
        let entry = LogEntry(time: 0, socket: SocketID(2), kind: .accepted, text: "accepted 127.0.0.1:51234 via #1")
        #expect(rows(entry, width: 20) == ["#2 accepted ", "   127.0.0.1:51234 ", "   via #1"])
    }

    @Test func dataWrapsAtWordsAndKeepsItsSpacesInsideRows() {
        #expect(rows(received("one  two three\n"), width: 20) == [#"#2 ← 15  one  two "#, #"         three\n"#])
    }

    @Test func aSpaceAtASoftWrapIsNotDrawnAtTheStartOfTheNextRow() {
        #expect(rows(received("aaaaaaaaa bb"), width: 18) == ["#2 ← 12  aaaaaaaaa", "         bb"])
    }

    @Test func textThatDoesNotFitBesideAWideHeaderStartsOnTheNextRow() {
        #expect(rows(received("aaaaaaaaa bb"), width: 17) == ["#2 ← 12  ", "  aaaaaaaaa bb"])
        #expect(rows(received("a\nb\n"), width: 15) == ["#2 ← 4  ", #"  a\n"#, #"  b\n"#])
    }

    @Test func textThatFitsBesideAWideHeaderStaysOnItsRow() {
        #expect(rows(received("aaaaaaa"), width: 15) == ["#2 ← 7  aaaaaaa"])
        #expect(rows(received("aaaaaaa\n"), width: 15) == ["#2 ← 8  ", #"  aaaaaaa\n"#])
    }

    @Test func anEscapeMovesToTheNextRowWhole() {
        #expect(rows(received("abcdefghijklm\u{1B}n"), width: 24) == ["#2 ← 15  abcdefghijklm", #"         \x1bn"#])
    }

    @Test func aWordWiderThanTheRowIsCutByCharacters() {
        #expect(rows(received(String(repeating: "x", count: 30)), width: 20)
            == ["#2 ← 30  xxxxxxxxxxx", "         xxxxxxxxxxx", "         xxxxxxxx"])
    }

    @Test func cjkWrapsByColumnsNotCharacters() {
        // 测试成功！ is 10 columns: after the 9-column header only 5 characters of width 2 fit in 19.
        #expect(rows(received("测试成功！测试成功！"), width: 19) == ["#2 ← 30  测试成功！", "         测试成功！"])
    }

    @Test func aNewRowAfterEachLineBreakButNotAfterTheLast() {
        #expect(rows(received("a\nb\n"), width: 40) == [#"#2 ← 4  a\n"#, #"        b\n"#])
    }

    @Test func datagramHeadersNameThePeer() {
        let peer = SocketAddress(numericHost: "127.0.0.1", port: 41000)
        #expect(rows(received("ping\n", peer: peer), width: 80) == [#"#2 ← 5 from 127.0.0.1:41000  ping\n"#])
        #expect(rows(received("ping\n", peer: peer), width: 34) == ["#2 ← 5 from 127.0.0.1:41000  ", #"  ping\n"#])
        let sent = LogEntry(time: 0, socket: SocketID(2), kind: .send, bytes: Array("pong\n".utf8), peer: peer)
        #expect(rows(sent, width: 80) == [#"#2 → 5 to 127.0.0.1:41000  pong\n"#])
    }

    @Test func commandOutputWrapsAtWordsWithASmallIndent() {
        let entry = LogEntry(time: 0, socket: nil, kind: .output, text: "example.org → 93.184.216.34, 2606:2800:220:1::1")
        #expect(rows(entry, width: 30) == ["example.org → 93.184.216.34, ", "  2606:2800:220:1::1"])
    }

    @Test func theHexViewPutsTheHeaderAboveTheRows() {
        #expect(rows(received("GET / HTTP/1.1\r\n"), width: 80, mode: .hex) == [
            "#2 ← 16",
            "  00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|",
        ])
    }
}
