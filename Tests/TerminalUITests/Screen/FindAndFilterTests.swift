// FindAndFilterTests.swift — issue 14 points 3 and 4 on the screen: `find` highlights the bytes it
// matched (text and hex views), says `match 1/N` and F6 / Shift-F6 walk the matches; `filter` by
// direction, kind and content shows only what passes, named in the log's title.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct FindAndFilterTests {
    let theme = Theme.colored

    func received(_ text: String, sequence: UInt64 = 0) -> LogEntry {
        var entry = LogEntry(time: 0, socket: SocketID(2), kind: .recv, bytes: Array(text.utf8))
        entry.sequence = sequence
        return entry
    }

    /// The texts drawn in the match style, in order.
    func highlighted(_ rows: [LogRow]) -> [String] {
        rows.flatMap(\.spans).filter { $0.style == theme.selection || $0.style.underline }.map(\.text)
    }

    @Test func textViewHighlightsTheMatchedBytesOnly() throws {
        var formatter = LogRowFormatter(width: 60, mode: .text, timestamps: .off, startTime: 0, theme: theme,
                                        search: try LogSearch(regex: #"HTTP/1\.[01] [45]\d\d"#))
        let rows = formatter.rows(received("HTTP/1.1 404 Not Found\r\nHTTP/1.0 200 OK\r\n"))
        let marked = highlighted(rows)
        // The header is marked (the entry holds a match), then exactly the matched bytes.
        #expect(marked.joined().hasSuffix("HTTP/1.1 404"), "\(marked)")
        #expect(!marked.joined().contains("200"), "\(marked)")
        #expect(!marked.joined().contains("Not"))
    }

    @Test func hexViewHighlightsTheMatchedCellsAndCharacters() {
        var formatter = LogRowFormatter(width: 80, mode: .hex, timestamps: .off, startTime: 0, theme: theme,
                                        search: LogSearch(bytes: Array("OK".utf8)))
        let rows = formatter.rows(received("HTTP/1.0 200 OK\r\n"))
        let marked = highlighted(Array(rows.dropFirst()))  // the header row is marked whole
        #expect(marked == ["4f 4b", "OK"], "\(rows.map(\.text))")
    }

    @Test func theCurrentMatchIsDrawnStronger() {
        var formatter = LogRowFormatter(width: 60, mode: .text, timestamps: .off, startTime: 0, theme: theme,
                                        search: LogSearch(bytes: Array("ab".utf8)))
        formatter.current = LogMatch(sequence: 7, range: 3..<5)
        let spans = formatter.rows(received("ab ab ab", sequence: 7)).flatMap(\.spans)
        let strong = spans.filter { $0.style.underline && $0.style.bold }
        #expect(strong.map(\.text) == ["ab"])
        let plain = spans.filter { $0.style == theme.selection }.map(\.text).joined()
        #expect(plain == "#2 ← 8  abab", "the header, the first match and the last: \(spans)")
        #expect(spans.filter { $0.style == theme.received }.map(\.text) == [" ", " "], "only the blanks between matches are plain")
    }

    static var threeMatches: ScreenModel {
        var s = SessionBuilder()
        let listener = s.listen(port: 5000, at: 0)
        let peer = s.accept(via: listener, peerPort: 40000, at: 0.1)
        for i in 0..<30 {
            if i % 10 == 3 { s.received(peer, "needle \(i)\n", at: 1 + Double(i) / 10) } else { s.sent(peer, "hay \(i)\n", at: 1 + Double(i) / 10) }
        }
        return s.model { $0.view.search = LogSearch(bytes: Array("needle".utf8)) }
    }

    func title(_ screen: Driver) -> String {
        ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[0]
    }

    @Test func findJumpsToTheNewestMatchAndF6WalksTheOthers() throws {
        var screen = Driver(Self.threeMatches)
        ScreenController.startFind(ui: &screen.ui, model: screen.model)
        let newest = try #require(screen.ui.find)
        #expect(newest.title == "match 1/3")
        #expect(title(screen).contains("match 1/3"), "\(title(screen))")
        #expect(screen.ui.logScroll?.bottomSequence == newest.current.sequence)
        let entry = try #require(screen.model.log.entry(sequence: newest.current.sequence))
        #expect(String(decoding: entry.bytes, as: UTF8.self) == "needle 23\n")
        screen.press(.function(6))
        #expect(screen.ui.find?.title == "match 2/3")
        #expect(screen.ui.find.map { $0.current.sequence < newest.current.sequence } == true, "F6 goes back in time")
        screen.press(.function(6), .function(6))
        #expect(screen.ui.find?.title == "match 1/3", "wraps around")
        screen.press(.function(18))
        #expect(screen.ui.find?.title == "match 3/3", "Shift-F6 walks the other way")
        let rendered = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24)
        #expect(rendered.lines.contains { $0.contains("needle 3") }, "the oldest match is on screen:\n\(rendered.lines.joined(separator: "\n"))")
    }

    @Test func f6WithoutASearchSaysWhatToDo() {
        var screen = Driver(Sessions.threePeers)
        screen.press(.function(6))
        #expect(screen.ui.notice == "nothing to walk: find TEXT or find /REGEX/ first")
    }

    @Test func aFilterByDirectionShowsOnlyThatDirectionAndNamesItInTheTitle() {
        var model = Self.threeMatches
        model.view.search = nil
        model.view.logFilter = LogFilter(direction: .recv)
        let screen = ScreenRenderer.render(model, ui: UIState(), width: 80, height: 24).lines
        #expect(screen[0].contains("Log · received · text · follow"), "\(screen[0])")
        #expect(screen.contains { $0.contains("needle 13") })
        #expect(!screen.contains { $0.contains("hay ") }, "\(screen.joined(separator: "\n"))")
    }

    @Test func filtersCombine() throws {
        var model = Self.threeMatches
        model.view.search = nil
        model.view.logFilter = LogFilter(socket: SocketID(1), direction: .send, content: try LogSearch(regex: #"hay 2\d"#))
        let screen = ScreenRenderer.render(model, ui: UIState(), width: 120, height: 24).lines
        #expect(screen[0].contains(#"Log · #1 · sent · /hay 2\d/ · text"#), "\(screen[0])")
        let shown = screen.dropFirst().filter { $0.contains("hay ") }
        #expect(shown.count == 9, "hay 20…29 without 23:\n\(screen.joined(separator: "\n"))")
        #expect(!screen.contains { $0.contains("hay 19") || $0.contains("needle") })
    }
}
