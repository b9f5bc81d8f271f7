// ScreenLayoutKeysTests.swift — issue 14 points 2, 6 and 7 in the real binary under tmux: the log
// scrolls from anywhere and follows again, the split moves, panes zoom, the hex view fits 8 bytes
// a row at 80×24, closed connections move down and hide, a click in a scrolled list stays put.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenLayoutKeysTests {
    @Test func theLogScrollsFromAnywhereAndFollowsAgain() throws {
        let screen = try TmuxScreen.started()
        let port = try screen.listenOnLoopback()
        let peer = try #require(PeerSocket.connect(port: port))
        defer { peer.close() }
        for index in 1...40 {
            peer.send(Array("line \(index)\n".utf8))
            usleep(3_000)
        }
        #expect(try screen.waitFor("line 40") != nil)
        try screen.type("send hi")
        try screen.press("PageUp")
        let scrolled = try #require(try screen.waitFor { $0[0].contains("· scrolled · ") && $0[0].contains(" newer") },
                                    "title: \(screen.shown)")
        #expect(scrolled[22].hasPrefix(" #2 › send hi"), "the prompt keeps its text: \(scrolled[22])")
        // PgDn from a list: back to the bottom, following.
        try screen.press("C-u")
        try screen.press("Tab")
        try screen.press("PageDown")
        try screen.press("PageDown")
        #expect(try screen.waitFor { $0[0].contains("Log · all · text · follow") } != nil, "title: \(screen.shown)")
        // End on an empty prompt follows.
        try screen.press("Escape")
        try screen.press("PageUp")
        #expect(try screen.waitFor { $0[0].contains("· scrolled ·") } != nil)
        try screen.press("End")
        #expect(try screen.waitFor { $0[0].contains("· follow") && $0[23].contains("ok: following new entries") } != nil)
        // Ctrl-End follows with text on the prompt, which stays.
        try screen.press("PageUp")
        try screen.type("info")
        #expect(try screen.waitFor { $0[0].contains("· scrolled ·") } != nil)
        try screen.press("C-End")
        let following = try #require(try screen.waitFor { $0[0].contains("· follow") })
        #expect(following[22].hasPrefix(" #2 › info"))
        peer.send(Array("line 41 arrives while following\n".utf8))
        #expect(try screen.waitFor("line 41 arrives while following") != nil)
    }

    @Test func theSplitMovesPanesZoomAndResizingKeepsItSane() throws {
        let screen = try TmuxScreen.started()
        try screen.enter("pair")
        try screen.enter("send GET / HTTP/1.1")
        #expect(try screen.waitFor("#2 ← 14") != nil)
        func corner(_ lines: [String]) -> Int? { lines.first.flatMap { $0.firstIndex(of: "┐") }.map { lines[0].distance(from: lines[0].startIndex, to: $0) } }
        #expect(corner(try screen.capture()) == 37)
        // The hex view at 80×24 shows 8 bytes a row (the automatic split gives it the columns).
        try screen.press("F2")
        // Wait for the rows, not the title: a capture can fall between the two within one frame.
        let row = "00000000  47 45 54 20  2f 20 48 54  |GET / HT|"
        let hex = try screen.waitFor { lines in lines.contains { $0.contains("Log · all · hex") } && lines.contains { $0.contains(row) } }
        #expect(hex != nil, "\(screen.shown)")
        try screen.press("F2")
        try screen.press("F2")
        #expect(try screen.waitFor { corner($0) == 37 && $0[0].contains("Log · all · text") } != nil, "\(screen.shown)")
        try screen.press("S-Right")
        #expect(try screen.waitFor { corner($0) == 41 } != nil, "\(screen.shown)")
        try screen.press("S-Left")
        try screen.press("S-Left")
        #expect(try screen.waitFor { corner($0) == 33 } != nil, "\(screen.shown)")
        // F4 zooms the log; it stays zoomed and sane through a resize; F4 again restores.
        try screen.press("F4")
        let zoomed = try #require(try screen.waitFor { $0[0].hasPrefix("┌ Log · all · text · follow · zoomed") })
        #expect(!zoomed.joined().contains("Listeners"))
        #expect(ScreenShape.problems(zoomed, width: 80) == [])
        try screen.resize(width: 100, height: 30)
        let wider = try screen.waitFor { $0.count >= 30 && ScreenShape.columns($0[0]) == 100 && $0[0].hasPrefix("┌ Log") && ScreenShape.problems($0, width: 100) == [] }
        #expect(wider != nil, "\(screen.shown)")
        try screen.press("F4")
        #expect(try screen.waitFor { $0[0].hasPrefix("┌ Listeners") && ScreenShape.problems($0, width: 100) == [] } != nil)
        // The Connections list zooms from its own focus with `\`.
        try screen.press("Tab")
        try screen.press("Tab")
        try screen.type("\\")
        #expect(try screen.waitFor { $0[0].hasPrefix("┌ Connections · 2 · zoomed") } != nil, "\(screen.shown)")
    }

    @Test func closedConnectionsMoveBelowTheOpenOnesAndF5HidesThem() throws {
        let screen = try TmuxScreen.started()
        let port = try screen.listenOnLoopback()
        var peers: [PeerSocket] = []
        for index in 0..<4 {
            peers.append(try #require(PeerSocket.connect(port: port)))
            #expect(try screen.waitFor("✓\(index + 1)") != nil)
        }
        // Each descriptor is closed once: tests run in parallel, and a number closed twice may by
        // then belong to another test's socket.
        defer { peers[2...].forEach { $0.close() } }
        peers[0].close()
        peers[1].close()
        let shown = try #require(try screen.waitFor("Connections · 2 open of 4"))
        let rows = shown[3...10].map { String($0.prefix(38)) }
        #expect(rows[0].contains("#4 tcp") && rows[0].contains(" est"), "\(rows)")
        #expect(rows[2].contains("#5 tcp") && rows[2].contains(" est"), "\(rows)")
        #expect(rows[4].contains("#2 tcp") && rows[4].contains("closed"), "\(rows)")
        #expect(rows[6].contains("#3 tcp") && rows[6].contains("closed"), "\(rows)")
        try screen.press("F5")
        let hidden = try #require(try screen.waitFor("Connections · 2 open · 2 hidden"))
        #expect(!hidden[3...10].contains { $0.prefix(38).contains("closed") }, "\(hidden.joined(separator: "\n"))")
        #expect(hidden[23].contains("2 closed hidden — F5 shows them again"))
        try screen.press("F5")
        #expect(try screen.waitFor("Connections · 2 open of 4") != nil)
    }

    @Test func aClickInAScrolledListSelectsTheRowAndDoesNotScroll() throws {
        let screen = try TmuxScreen.started()
        let port = try screen.listenOnLoopback()
        var peers: [PeerSocket] = []
        defer { peers.forEach { $0.close() } }
        for index in 0..<12 {
            peers.append(try #require(PeerSocket.connect(port: port)))
            #expect(try screen.waitFor("✓\(index + 1)") != nil)
        }
        // The first peer stays the target (point 1); selecting the newest scrolls the list to it.
        try screen.enter("select #13")
        // 12 peers, 9 rows: the list is scrolled to its end, #5 in the first row.
        let before = try #require(try screen.waitFor { $0[3].hasPrefix("│ #5 tcp") && $0[19].hasPrefix("│▶#13 tcp") },
                                  "\(screen.shown)")
        #expect(before[21].contains(" 4–12 of 12 "), "\(before[21])")
        try screen.click(x: 10, y: 3)
        let after = try #require(try screen.waitFor { $0[3].hasPrefix("│▶#5 tcp") }, "\(screen.shown)")
        #expect(after[19].hasPrefix("│ #13 tcp"), "the list moved under the click: \(after[19])")
        #expect(after[21].contains(" 4–12 of 12 "), "\(after[21])")
        #expect(after[22].hasPrefix(" #5 ›"))
        // ↑ from the first visible row scrolls by one, keeping a row of context above.
        try screen.press("Up")
        #expect(try screen.waitFor { $0[3].hasPrefix("│ #3 tcp") && $0[5].hasPrefix("│▶#4 tcp") } != nil,
                "\(screen.shown)")
    }
}
