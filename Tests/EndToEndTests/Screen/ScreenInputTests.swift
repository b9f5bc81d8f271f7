// ScreenInputTests.swift — issue 14 points 8, 10 and 12 in the real binary under tmux: a
// bracketed paste lands in the prompt as one line and sends exactly once; quitting with sockets
// open asks; the init file runs before -e unless --no-init.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenInputTests {
    private func enter(_ screen: TmuxScreen, _ line: String) throws {
        try screen.type(line)
        try screen.press("Enter")
    }

    @Test func aPasteIsOneLineWithTheEolEscapesAndSendsOnce() throws {
        let heard = HeardBytes()
        let server = PeerServer { peer in
            heard.set(peer.receive(until: { $0.count >= 27 }).bytes)
        }
        defer { server.stop() }
        let screen = try TmuxScreen(width: 100, height: 30)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try enter(screen, "connect 127.0.0.1:\(server.port)")
        #expect(try screen.waitFor("connected to 127.0.0.1:\(server.port)") != nil)
        try enter(screen, "set eol crlf")
        #expect(try screen.waitFor("ok: eol = crlf") != nil)
        try screen.type("send ")
        try screen.paste("GET / HTTP/1.1\nHost: x\n\n")
        let pasted = try #require(try screen.waitFor(#"send GET / HTTP/1.1\r\nHost: x\r\n\r\n"#),
                                  "\(screen.shown)")
        #expect(!pasted.contains { $0.contains("ok: sent") }, "a pasted line break ran the line")
        // While the line is at the prompt the status line shows send's syntax (nothing ran since).
        #expect(pasted.contains { $0.contains("send [TARGET] [to=HOST:PORT] PAYLOAD") }, "nothing ran since")
        #expect(!pasted.contains { $0.contains(" → 27") })
        try screen.press("Enter")
        #expect(try screen.waitFor("ok: sent 27 bytes to #1") != nil)
        #expect(server.waitForSessions(1))
        #expect(heard.bytes == Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
    }

    /// 300 lines pasted at once (more than one read's worth for the terminal): still one line,
    /// and the peer gets every byte, line breaks where they were.
    @Test func aLongPasteArrivesWhole() throws {
        let lines = (1...300).map { String(format: "line %03d", $0) }
        let expected = Array(lines.map { $0 + "\n" }.joined().utf8)
        let heard = HeardBytes()
        let server = PeerServer { peer in heard.set(peer.receive(until: { $0.count >= expected.count }).bytes) }
        defer { server.stop() }
        let screen = try TmuxScreen(width: 100, height: 30)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try enter(screen, "connect 127.0.0.1:\(server.port)")
        #expect(try screen.waitFor("connected to 127.0.0.1:\(server.port)") != nil)
        try screen.type("send ")
        try screen.paste(lines.joined(separator: "\n") + "\n")
        #expect(try screen.waitFor(#"line 300\n"#) != nil, "\(screen.shown)")
        try screen.press("Enter")
        #expect(try screen.waitFor("ok: sent \(expected.count) bytes to #1") != nil, "\(screen.shown)")
        #expect(server.waitForSessions(1))
        #expect(heard.bytes == expected)
    }

    @Test func quittingWithSocketsOpenAsksOnce() throws {
        let screen = try TmuxScreen(width: 100, height: 30)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try enter(screen, "listen 127.0.0.1:0")
        #expect(try screen.waitFor("listening tcp") != nil)
        try screen.press("C-d")
        #expect(try screen.waitFor("1 listener open — quit? y/n") != nil)
        try screen.type("n")
        #expect(try screen.waitFor { !$0.contains { $0.contains("quit? y/n") } } != nil)
        try enter(screen, "exit")
        #expect(try screen.waitFor("1 listener open — quit? y/n") != nil)
        try screen.press("Escape")
        // (Escape and a letter in one burst are an Alt chord: wait for the question to go first.)
        #expect(try screen.waitFor { !$0.contains { $0.contains("quit? y/n") } } != nil)
        try enter(screen, "quit")
        #expect(try screen.waitFor("1 listener open — quit? y/n") != nil)
        try screen.type("y")
        try screen.expectTerminalRestored(exitStatus: 0)
    }

    @Test(arguments: ["second Ctrl-D", "quit!"])
    func aSecondCtrlDOrQuitBangQuitsAtOnce(way: String) throws {
        let screen = try TmuxScreen(width: 100, height: 30)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try enter(screen, "pair")
        #expect(try screen.waitFor("paired") != nil)
        if way == "quit!" {
            try enter(screen, "quit!")
        } else {
            try screen.press("C-d")
            #expect(try screen.waitFor("2 connections open — quit? y/n") != nil)
            try screen.press("C-d")
        }
        try screen.expectTerminalRestored(exitStatus: 0)
    }

    @Test func theInitFileRunsBeforeDashEUnlessNoInit() throws {
        let initFile = "set timestamps off\necho from the init file\nbogus-command\n"
        let screen = try TmuxScreen(width: 100, height: 30, arguments: "-e 'echo from dash e'", initFile: initFile)
        let shown = try #require(try screen.waitFor("ok: from dash e"), "\(screen.shown)")
        let initRow = try #require(shown.firstIndex { $0.contains("│ from the init file") }, "\(shown.joined(separator: "\n"))")
        let dashRow = try #require(shown.firstIndex { $0.contains("│ from dash e") })
        #expect(initRow < dashRow, "the init file runs first")
        #expect(!shown.contains { $0.range(of: #"\d\d:\d\d:\d\d\.\d{3} "#, options: .regularExpression) != nil },
                "set timestamps off from the init file took effect")
        let plain = try TmuxScreen(width: 100, height: 30, arguments: "--no-init -e 'echo from dash e'", initFile: initFile)
        let without = try #require(try plain.waitFor("ok: from dash e"))
        #expect(!without.contains { $0.contains("from the init file") })
    }
}
