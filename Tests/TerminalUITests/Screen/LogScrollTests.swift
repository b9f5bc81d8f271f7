// LogScrollTests.swift — scrolling the log by rows never skips or repeats a row: every window
// the pane shows is a contiguous slice of all the log's rows, whatever the step and the filter.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct LogScrollTests {
    /// The chatty session plus one chunk taller than the pane (40 lines) and a sent multi-line reply.
    static var tall: ScreenModel {
        var model = Sessions.chatty
        var log = model.log
        let peer = SocketID(2)
        let lines = (1...40).map { "row \($0)\n" }.joined()
        log.append(LogEntry(time: SessionBuilder.at(30), socket: peer, kind: .recv, bytes: Array(lines.utf8)))
        log.append(LogEntry(time: SessionBuilder.at(31), socket: peer, kind: .send, bytes: Array("ok\r\nthanks\r\n".utf8)))
        log.append(LogEntry(time: SessionBuilder.at(32), socket: SocketID(3), kind: .eof, text: "eof from peer"))
        model.log = log
        return model
    }

    let width = 38, height = 20

    /// Every row of the log that passes the filter, oldest first.
    func allRows(_ model: ScreenModel) -> [String] {
        var formatter = LogPane.makeFormatter(model, width: width, theme: .colored)
        var rows: [String] = []
        let check = model.view.logFilter.checker()
        model.log.forEach { entry in
            if LogPane.passes(entry, model, check) { rows += formatter.rows(entry).map(\.text) }
        }
        return rows
    }

    func window(_ model: ScreenModel, _ scroll: LogScroll?) -> [String] {
        var formatter = LogPane.makeFormatter(model, width: width, theme: .colored)
        return LogPane.visibleRows(model, scroll: scroll, height: height, formatter: &formatter).map(\.text)
    }

    func up(_ model: ScreenModel, _ scroll: LogScroll?, _ rows: Int) -> LogScroll? {
        LogPane.scrollUp(model, from: scroll, rows: rows, height: height, width: width, theme: .colored)
    }

    func down(_ model: ScreenModel, _ scroll: LogScroll?, _ rows: Int) -> LogScroll? {
        LogPane.scrollDown(model, from: scroll, rows: rows, width: width, theme: .colored)
    }

    @Test(arguments: [nil, SocketID(2), SocketID(1)])
    func oneRowAtATimeShowsEverySliceOnceUpAndDown(filter: SocketID?) {
        var model = Self.tall
        model.view.filter = filter
        let all = allRows(model)
        #expect(all.count > height * 3)
        let bottom = all.count - height
        #expect(window(model, nil) == Array(all[bottom...]))
        var scroll: LogScroll? = nil
        for step in 1...bottom {
            scroll = up(model, scroll, 1)
            #expect(scroll != nil)
            #expect(window(model, scroll) == Array(all[(bottom - step)..<(all.count - step)]), "up \(step)")
        }
        #expect(up(model, scroll, 1) == scroll, "the top stays the top")
        for step in 1...bottom {
            scroll = down(model, scroll, 1)
            #expect(window(model, scroll) == Array(all[step..<(step + height)]), "down \(step)")
        }
        #expect(scroll == nil, "back at the bottom: following again")
    }

    @Test(arguments: [1, 3, 7, 19, 25])
    func upByNThenDownByNReturnsToFollowing(rows: Int) {
        let model = Self.tall
        let all = allRows(model)
        #expect(3 * rows <= all.count - height)
        func slice(hidden: Int) -> [String] { Array(all[(all.count - height - hidden)..<(all.count - hidden)]) }
        var scroll: LogScroll? = nil
        for step in 1...3 {
            scroll = up(model, scroll, rows)
            #expect(window(model, scroll) == slice(hidden: step * rows), "up \(step)×\(rows)")
        }
        for step in (0..<3).reversed() {
            scroll = down(model, scroll, rows)
            #expect(window(model, scroll) == slice(hidden: step * rows), "down to \(step)×\(rows)")
        }
        #expect(scroll == nil)
    }

    @Test func pagingOverlapsByOneRow() {
        let model = Self.tall
        let page = height - 1
        let before = window(model, nil)
        let scroll = up(model, nil, page)
        let after = window(model, scroll)
        #expect(after.last == before.first, "the old top row is the new bottom row")
        #expect(window(model, down(model, scroll, page)) == before)
    }

    @Test func topShowsTheOldestRowsAndFitsWhenEverythingFits() {
        let model = Self.tall
        let top = LogPane.top(model, height: height, width: width, theme: .colored)
        #expect(window(model, top) == Array(allRows(model).prefix(height)))
        #expect(LogPane.top(Sessions.cjk, height: height, width: width, theme: .colored) == nil)
        #expect(up(Sessions.cjk, nil, 1) == nil, "a log that fits has nothing to scroll: it keeps following")
        #expect(up(Sessions.cjk, nil, 19) == nil)
    }

    @Test func anEntryTallerThanThePaneScrollsThroughItsOwnRows() {
        let model = Self.tall
        let all = allRows(model)
        let first = all.firstIndex { $0.hasSuffix(#"row 1\n"#) }!
        let last = all.firstIndex { $0.hasSuffix(#"row 40\n"#) }!
        #expect(last - first == 39)
        // Scrolled so the chunk's 40th row is at the bottom, then up 10: rows 11…30 of the chunk.
        let hiddenBelow = all.count - 1 - last
        let scroll = up(model, up(model, nil, hiddenBelow), 10)
        let shown = window(model, scroll)
        #expect(shown.first!.hasSuffix(#"row 11\n"#))
        #expect(shown.last!.hasSuffix(#"row 30\n"#))
    }
}
