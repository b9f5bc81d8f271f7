// LayoutKeysTests.swift — issue 14 point 6: the split moves by keys and is kept in UI state, any
// pane zooms to the whole body and back, low panes give each connection one row, the log wraps
// between tokens (never inside an address), and the hex view gets 8 or 16 bytes a row when the
// pane allows.
import ExplorerCore
import SocketKit
import Testing
@testable import TerminalUI

@Suite struct LayoutKeysTests {
    func layout(_ screen: Driver) -> Layout { Layout.of(screen.model, screen.ui, width: screen.width, height: screen.height)! }

    @Test func shiftArrowsMoveTheSplitAndKeepItInUIState() {
        var screen = Driver()
        #expect(layout(screen).socketsBox.width == 38, "automatic at 80 columns")
        screen.press(.shiftRight)
        #expect(screen.ui.split == 53)
        #expect(layout(screen).socketsBox.width == 42)
        screen.press(.shiftLeft, .shiftLeft)
        #expect(layout(screen).socketsBox.width == 34)
        #expect(layout(screen).logBox.x == 34 && layout(screen).logBox.maxX == 80)
        for _ in 0..<20 { screen.press(.shiftLeft) }
        #expect(layout(screen).socketsBox.width == Layout.minimumSocketsWidth, "never narrower than the minimum")
        for _ in 0..<20 { screen.press(.shiftRight) }
        #expect(layout(screen).logBox.width == Layout.minimumLogWidth)
        // A split set from outside (a later `set split 25`) is used as is.
        screen.ui.split = 25
        #expect(layout(screen).socketsBox.width == 24 && layout(screen).logBox.width == 56)
    }

    @Test func stackedTheSplitMovesWithShiftUpAndDown() {
        var screen = Driver()
        screen.width = 60
        screen.height = 30
        #expect(layout(screen).stacked)
        let top = layout(screen).socketsBox.height
        screen.press(.shiftDown)
        #expect(layout(screen).socketsBox.height > top)
        screen.press(.shiftUp, .shiftUp)
        #expect(layout(screen).socketsBox.height < top)
        #expect(layout(screen).logBox.y == layout(screen).socketsBox.maxY)
    }

    @Test func f4ZoomsTheFocusedPaneAndBack() {
        var screen = Driver()
        screen.press(.function(4))
        #expect(screen.ui.zoom == .log, "from the prompt the log zooms")
        let zoomed = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines
        #expect(zoomed[0].hasPrefix("┌ Log · all · text · follow · zoomed ─"))
        #expect(zoomed[0].count == 80 && zoomed[0].hasSuffix("┐"))
        #expect(!zoomed.joined().contains("Listeners"))
        screen.press(.function(4))
        #expect(screen.ui.zoom == nil)
        screen.press(.tab, .tab)
        #expect(screen.ui.focus == .connections)
        screen.press(.char("\\"))
        #expect(screen.ui.zoom == .connections, "\\ outside the prompt zooms too")
        let list = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines
        #expect(list[0].hasPrefix("┌ Connections · 2 open of 3 · zoomed ─"), "\(list[0])")
        #expect(list[1].hasPrefix("│ #2 tcp :5000 ⇄ 127.0.0.1:51234 est"), "\(list[1])")
        #expect(!list.joined().contains("Log ·"))
        // While zoomed, Tab goes between the prompt and the zoomed pane.
        screen.press(.tab)
        #expect(screen.ui.focus == .prompt)
        screen.press(.tab)
        #expect(screen.ui.focus == .connections)
        screen.press(.char("\\"))
        #expect(screen.ui.zoom == nil)
    }

    @Test func aZoomedLogIsTheWholeBody() {
        var screen = Driver(Sessions.threePeers)
        screen.ui.zoom = .log
        assertScreen(ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 12), [
            "┌ Log · all · text · follow · zoomed ──────────────────────────────────────────┐",
            #"│ +2.900 #2 ← 17  Ho\r\n                                                       │"#,
            #"│                 first blood\r\n                                              │"#,
            "│ +3.500 #3 accepted 127.0.0.1:51236 via #1                                    │",
            #"│ +3.501 #3 → 22  Welcome to the server\n                                      │"#,
            "│ +4.000 #4 accepted 127.0.0.1:51240 via #1                                    │",
            #"│ +4.001 #4 → 22  Welcome to the server\n                                      │"#,
            "│ +4.250 #4 eof from peer                                                      │",
            "│ +4.251 #4 closed                                                             │",
            "└──────────────────────────────────────────────────────────────────────────────┘",
            " #3 ›                                                                           ",
            " ok: selected #3                                  F1 help · Tab focus · F2 view ",
        ])
    }

    @Test func aZoomedListTakesClicksAndPagesWithPgUpPgDn() {
        var screen = Driver(Sessions.peers(30))
        screen.ui.zoom = .connections
        screen.ui.focus = .connections
        // Two rows each from row 1: the 10 connections #22…#31 show, #31 selected at the bottom.
        #expect(screen.click(x: 5, y: 1) == [.select(SocketID(22))])
        #expect(screen.press(.pageUp) == [.select(SocketID(12))], "a page is the 10 rows shown")
        #expect(screen.ui.logScroll == nil, "the hidden log does not scroll")
    }

    @Test func lowPanesGiveEachConnectionOneRow() {
        #expect(ConnectionsPane.rowsPerConnection(height: 18, count: 20) == 2)
        #expect(ConnectionsPane.rowsPerConnection(height: 8, count: 4) == 2, "all fit in two rows each")
        #expect(ConnectionsPane.rowsPerConnection(height: 8, count: 5) == 1)
        let lines = ScreenRenderer.render(Sessions.peers(8), ui: ui(), width: 80, height: 14).lines
        assertScreen(ScreenRenderer.render(Sessions.peers(8), ui: ui(), width: 80, height: 14), [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│ #1 tcp 127.0.0.1:5000  bl 128  ✓8  ││ +1.300 #5 accepted 127.0.0.1:50003 via │",
            "├ Connections · 8 ───────────────────┤│           #1                           │",
            "│ #2 tcp :5000 ⇄ 127.0.0.1:50000 est ││ +1.400 #6 accepted 127.0.0.1:50004 via │",
            "│ #3 tcp :5000 ⇄ 127.0.0.1:50001 est ││           #1                           │",
            "│ #4 tcp :5000 ⇄ 127.0.0.1:50002 est ││ +1.500 #7 accepted 127.0.0.1:50005 via │",
            "│ #5 tcp :5000 ⇄ 127.0.0.1:50003 est ││           #1                           │",
            "│ #6 tcp :5000 ⇄ 127.0.0.1:50004 est ││ +1.600 #8 accepted 127.0.0.1:50006 via │",
            "│ #7 tcp :5000 ⇄ 127.0.0.1:50005 est ││           #1                           │",
            "│ #8 tcp :5000 ⇄ 127.0.0.1:50006 est ││ +1.700 #9 accepted 127.0.0.1:50007 via │",
            "│▶#9 tcp :5000 ⇄ 127.0.0.1:50007 est ││           #1                           │",
            "└────────────────────────────────────┘└────────────────────────────────────────┘",
            " #9 ›                                                                           ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
        #expect(lines.count == 14)
    }

    @Test func theOneRowShowsCountersWhenThereIsRoom() {
        var entry = SocketEntry(id: SocketID(3), transport: .tcp, role: .outgoing, state: .established, requested: "", openedAt: 0)
        entry.remote = SocketAddress(numericHost: "127.0.0.1", port: 80)
        entry.bytesIn = 17
        entry.bytesOut = 60
        #expect(ConnectionsPane.oneRow(entry, width: 60) == "#3 tcp ⇄ 127.0.0.1:80 est  ↓17 B ↑60 B")
        #expect(ConnectionsPane.oneRow(entry, width: 30) == "#3 tcp ⇄ 127.0.0.1:80 est")
    }

    @Test func wrappingNeverSplitsAnAddress() {
        var formatter = LogRowFormatter(width: 38, mode: .text, timestamps: .relative, startTime: 0, theme: .colored)
        let datagram = LogEntry(time: 1_500_000, socket: SocketID(1), kind: .recv, bytes: Array("GET /\r\n".utf8),
                                peer: SocketAddress(numericHost: "127.0.0.1", port: 47328))
        #expect(formatter.rows(datagram).map(\.text) == ["+1.500 #1 ← 7 from 127.0.0.1:47328  ", #"  GET /\r\n"#])
        formatter.width = 30
        #expect(formatter.rows(datagram).map(\.text) == ["+1.500 #1 ← 7 from ", "  127.0.0.1:47328  ", #"  GET /\r\n"#])
        let event = LogEntry(time: 2_000_000, socket: SocketID(14), kind: .accepted, text: "accepted 127.0.0.1:51234 via #1")
        formatter.width = 26
        #expect(formatter.rows(event).map(\.text) == ["+2.000 #14 accepted ", "           127.0.0.1:51234", "           via #1"])
    }

    @Test func theHexViewFitsEightOrSixteenBytesWhenThePaneAllows() {
        func perRow(_ width: Int) -> Int {
            var formatter = LogRowFormatter(width: width, mode: .hex, timestamps: .off, startTime: 0, theme: .colored)
            let entry = LogEntry(time: 0, socket: SocketID(1), kind: .recv, bytes: Array(repeating: 0x41, count: 40))
            let row = formatter.rows(entry)[1].text
            return row.split(separator: "|")[1].count
        }
        #expect(perRow(46) == 8, "8 bytes without the indent rather than 4 with it")
        #expect(perRow(48) == 8)
        #expect(perRow(78) == 16)
        #expect(perRow(45) == 4)
        // The automatic split gives the hex view at 80 columns the 46 columns 8 bytes need.
        var screen = Driver(Sessions.http(view: .hex))
        #expect(layout(screen).log.width == 46)
        screen.model.view.mode = .text
        #expect(layout(screen).log.width == 39, "the text view keeps the usual split")
        screen.ui.split = 50
        screen.model.view.mode = .hex
        #expect(layout(screen).log.width == 37, "a split the user chose is kept")
    }
}
