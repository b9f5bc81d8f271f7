// ClosedConnectionsTests.swift — issue 14 point 7: closed and failed connections move below the
// open ones, dimmed, and leave the list after a while or on F5; ↑/↓ keep a row of context at the
// list's edges. (Clicking a scrolled list: ListScrollTests.)
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct ClosedConnectionsTests {
    /// A listener and five peers; #3 closed at +5 s, #4 failed at +6 s, #2 selected.
    static var mixed: ScreenModel {
        var s = SessionBuilder()
        let listener = s.listen(port: 5000, at: 0.1)
        var peers: [SocketID] = []
        for index in 0..<5 { peers.append(s.accept(via: listener, peerPort: UInt16(50000 + index), at: 1 + Double(index))) }
        s.table.update(peers[1]) { $0.state = .closed; $0.closedAt = SessionBuilder.at(5) }
        s.table.update(peers[2]) { $0.state = .failed("recv: ECONNRESET (Connection reset by peer)"); $0.closedAt = SessionBuilder.at(6) }
        s.selected = peers[0]
        return s.model()
    }

    @Test func closedAndFailedMoveBelowTheOpenOnesDimmed() {
        let screen = ScreenRenderer.render(Self.mixed, ui: ui(), width: 80, height: 24)
        let rows = screen.lines[3...12].map { String($0.prefix(38)) }  // the sockets box
        #expect(rows == [
            "│▶#2 tcp :5000 ⇄ 127.0.0.1:50000 est │",
            "│   ↓0 B ↑0 B  via #1                │",
            "│ #5 tcp :5000 ⇄ 127.0.0.1:50003 est │",
            "│   ↓0 B ↑0 B  via #1                │",
            "│ #6 tcp :5000 ⇄ 127.0.0.1:50004 est │",
            "│   ↓0 B ↑0 B  via #1                │",
            "│ #3 tcp ⇄ 127.0.0.1:50001 closed    │",
            "│   ↓0 B ↑0 B  via #1                │",
            "│ #4 tcp ✗ 127.0.0.1:50002 error     │",
            "│   recv: ECONNRESET (Connection re… │",
        ])
        #expect(screen.lines[2].hasPrefix("├ Connections · 3 open of 5 ─"))
        #expect(style(of: "#3 tcp ⇄", in: screen) == Theme.colored.dim)
        #expect(style(of: "#4 tcp ✗", in: screen) == Theme.colored.dim)
        #expect(style(of: "#5 tcp :5000", in: screen) == Theme.colored.text)
    }

    @Test func closedConnectionsLeaveTheListAfterAWhile() {
        var model = Self.mixed
        var state = ui()
        model.now = SessionBuilder.at(5) + state.closed.linger - 1
        var order = ConnectionOrder(model.table)
        #expect(order.visible(state.closed, now: model.now) == [SocketID(2), SocketID(5), SocketID(6), SocketID(3), SocketID(4)])
        #expect(order.nextHideTime(state.closed, now: model.now!) == SessionBuilder.at(5) + state.closed.linger)
        model.now! += 1
        #expect(order.visible(state.closed, now: model.now) == [SocketID(2), SocketID(5), SocketID(6), SocketID(4)], "#3 closed a minute ago")
        #expect(order.hiddenCount(state.closed, now: model.now) == 1)
        let lines = ScreenRenderer.render(model, ui: state, width: 80, height: 24).lines
        #expect(lines[2].hasPrefix("├ Connections · 3 open · 1 hidden ─"), "\(lines[2])")
        // `showClosed` off (a later `set showclosed off`) hides them at once.
        state.closed.showClosed = false
        #expect(order.visible(state.closed, now: model.now) == [SocketID(2), SocketID(5), SocketID(6)])
        order.refresh(model.table)
        #expect(order.open == [SocketID(2), SocketID(5), SocketID(6)])
    }

    @Test func f5HidesTheClosedOnesAndShowsThemAgain() {
        var screen = Driver(Self.mixed, focus: .connections)
        screen.model.now = SessionBuilder.at(10)
        screen.press(.function(5))
        #expect(screen.ui.notice == "2 closed hidden — F5 shows them again")
        var lines = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines
        #expect(lines[2].hasPrefix("├ Connections · 3 open · 2 hidden ─"))
        #expect(!lines.map { $0.prefix(38) }.joined().contains("127.0.0.1:50001"), "the sockets box leaves #3 out")
        // A connection that closes later shows again.
        screen.model.table.update(SocketID(6)) { $0.state = .closed; $0.closedAt = SessionBuilder.at(11) }
        screen.model.now = SessionBuilder.at(12)
        lines = ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines
        #expect(lines.contains { $0.hasPrefix("│ #6 tcp ⇄ 127.0.0.1:50004 closed") })
        screen.press(.function(5))
        screen.press(.function(5))
        #expect(ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[2]
            .hasPrefix("├ Connections · 2 open of 5 ─"), "shown again, all three")
    }

    @Test func upAndDownKeepARowOfContextAtTheEdges() {
        // 20 peers at 80×24: 9 rows of connections; #21 selected at the bottom.
        var screen = Driver(Sessions.peers(20), focus: .connections)
        func firstShown() -> String {
            String(ScreenRenderer.render(screen.model, ui: screen.ui, width: 80, height: 24).lines[3].prefix(8))
        }
        #expect(firstShown() == "│ #13 tc")
        for _ in 0..<7 { screen.press(.up) }
        #expect(screen.model.selected == SocketID(14))
        #expect(firstShown() == "│ #13 tc", "the row above the selection still shows")
        screen.press(.up)
        #expect(screen.model.selected == SocketID(13))
        #expect(firstShown() == "│ #12 tc", "one row of context above")
        screen.press(.home)
        #expect(firstShown() == "│▶#2 tcp")
        for _ in 0..<7 { screen.press(.down) }
        #expect(screen.model.selected == SocketID(9))
        #expect(firstShown() == "│ #2 tcp", "#10 still shows under #9")
        screen.press(.down)
        #expect(screen.model.selected == SocketID(10))
        #expect(firstShown() == "│ #3 tcp", "one row of context below: #11 shows under #10")
    }
}
