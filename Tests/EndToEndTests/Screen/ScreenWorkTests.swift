// ScreenWorkTests.swift — issue 14 points 1, 3, 4, 5, 6 and 9 in the real binary under tmux: the
// target stays put as peers connect, find highlights and walks its matches, filter narrows the
// log, set split moves the panes, Tab completes from the syntax, copy reaches tmux's clipboard.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenWorkTests {
    @Test func theTargetStaysPutAsPeersConnect() throws {
        let screen = try TmuxScreen.started()
        let port = try screen.listenOnLoopback()
        var peers: [PeerSocket] = []
        defer { peers.forEach { $0.close() } }
        for count in 1...3 {
            peers.append(try #require(PeerSocket.connect(port: port)))
            #expect(try screen.waitFor { $0.contains { $0.contains("│ #\(count + 1) tcp") || $0.contains("│▶#\(count + 1) tcp") } } != nil,
                    "\(screen.shown)")
        }
        try screen.enter("select #3")
        #expect(try screen.waitFor { $0[22].hasPrefix(" #3 ›") } != nil)
        peers.append(try #require(PeerSocket.connect(port: port)))
        #expect(try screen.waitFor { $0.contains { $0.contains("#5") } } != nil, "\(screen.shown)")
        let after = try screen.capture()
        #expect(after[22].hasPrefix(" #3 ›"), "the new peer did not take the target: \(after[22])")
        try screen.enter("sendl to-three")
        let got = peers[1].receive { $0.count >= 9 }
        #expect(String(decoding: got.bytes, as: UTF8.self) == "to-three\n")
    }

    @Test func findCountsHighlightsAndWalksMatches() throws {
        let screen = try TmuxScreen.started()
        try screen.enter("pair")
        for line in [#"send "HTTP/1.1 404 Not Found\r\n""#, #"send "HTTP/1.1 200 OK\r\n""#, #"send "HTTP/1.0 500 Oops\r\n""#] {
            try screen.enter(line)
        }
        #expect(try screen.waitFor("500 Oops") != nil)
        try screen.enter(#"find /HTTP\/1\.[01] [45]\d\d/"#)
        let found = try #require(try screen.waitFor { $0[0].contains("match 1/4") }, "\(screen.shown)")
        #expect(found[23].contains("4 matches in 4"), "\(found[23])")
        try screen.press("F6")
        #expect(try screen.waitFor { $0[0].contains("match 2/4") } != nil, "\(screen.shown)")
        try screen.press("S-F6")
        #expect(try screen.waitFor { $0[0].contains("match 1/4") } != nil, "Shift-F6 goes back: \(screen.shown)")
        try screen.enter("filter #2 received")
        #expect(try screen.waitFor { $0[0].contains("Log · #2 · received") } != nil, "\(screen.shown)")
        let filtered = try screen.capture()
        #expect(!filtered.contains { $0.contains("#1 → ") }, "only what #2 received: \(filtered.joined(separator: "\n"))")
    }

    @Test func setSplitMovesThePanesAndTabCompletesFromTheSyntax() throws {
        let screen = try TmuxScreen.started()
        try screen.enter("pair")
        func corner(_ lines: [String]) -> Int? {
            lines.first.flatMap { line in line.firstIndex(of: "┐").map { line.distance(from: line.startIndex, to: $0) } }
        }
        #expect(try screen.waitFor { corner($0) == 37 } != nil)
        try screen.enter("set split 40")
        #expect(try screen.waitFor { corner($0) == 31 } != nil, "\(screen.shown)")
        try screen.enter("set split")
        #expect(try screen.waitFor("ok: split = 40%") != nil)
        try screen.type("set eol ")
        try screen.press("Tab")
        #expect(try screen.waitFor { $0[23].contains("cr  crlf  lf") } != nil, "\(screen.shown)")
        try screen.press("C-u")
        try screen.type("scan 127.0.0.1 ")
        #expect(try screen.waitFor { $0[23].contains("scan HOST PORTS [timeout=SEC]") } != nil, "the syntax hint: \(screen.shown)")
    }

    @Test func copyReachesTheTerminalsClipboard() throws {
        let screen = try TmuxScreen.started()
        _ = try screen.tmux(["set-option", "-g", "set-clipboard", "on"])
        try screen.enter("pair")
        try screen.enter("send copied over OSC 52")
        #expect(try screen.waitFor("#2 ← 18") != nil)
        try screen.enter("copy #2")
        #expect(try screen.waitFor("ok: copied 18 bytes (#2's received bytes)") != nil, "\(screen.shown)")
        let deadline = Date().addingTimeInterval(5)
        var buffer = ""
        while Date() < deadline {
            buffer = (try? screen.tmux(["show-buffer"])) ?? ""
            if buffer.contains("copied over OSC 52") { break }
            usleep(50_000)
        }
        #expect(buffer == "copied over OSC 52", "tmux's buffer: \(buffer)")
    }
}

extension ScreenWorkTests {
    /// `set mouse off` turns mouse reporting off in the terminal (tmux's pane flag says so), and on again.
    @Test func setMouseOffGivesTheTerminalItsSelectionBack() throws {
        let screen = try TmuxScreen.started()
        #expect(try screen.paneVariable("mouse_standard_flag") == "1" || screen.paneVariable("mouse_any_flag") == "1")
        try screen.enter("set mouse off")
        #expect(try screen.waitFor("ok: mouse = off") != nil)
        let deadline = Date().addingTimeInterval(5)
        var flags = ""
        repeat {
            flags = (try screen.paneVariable("mouse_standard_flag")) + (try screen.paneVariable("mouse_any_flag"))
            if flags == "00" { break }
            usleep(50_000)
        } while Date() < deadline
        #expect(flags == "00", "mouse reporting still on: \(flags)")
        try screen.enter("set mouse on")
        #expect(try screen.waitFor("ok: mouse = on") != nil)
        #expect(try screen.paneVariable("mouse_standard_flag") == "1" || screen.paneVariable("mouse_any_flag") == "1")
    }
}
