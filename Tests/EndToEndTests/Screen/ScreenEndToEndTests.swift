// ScreenEndToEndTests.swift — what a person sees: the real binary in tmux, peers on 127.0.0.1.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenEndToEndTests {
    /// listen; a peer connects and sends 测试成功！\r\n: the panes and the log show it, aligned.
    @Test func listenAndReceiveChinese() throws {
        let screen = try TmuxScreen(width: 120, height: 40)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try screen.type("listen 127.0.0.1:0")
        try screen.press("Enter")
        let listening = try #require(try screen.waitFor("listening tcp 127.0.0.1:"))
        let port = try #require(Self.port(in: listening))
        let peer = try #require(PeerSocket.connect(port: port))
        defer { peer.close() }
        peer.send(Array("测试成功！\r\n".utf8))
        let shown = try #require(try screen.waitFor("测试成功！\\r\\n"))
        #expect(shown.contains { $0.contains("✓1") }, "listener counts the peer")
        #expect(shown.contains { $0.contains("⇄ 127.0.0.1:") && $0.contains("est") }, "connection row")
        #expect(shown.contains { $0.contains("↓17 B") }, "bytes in")
        let row = try #require(shown.first { $0.contains("测试成功！") })
        #expect(row.contains("← 17  测试成功！\\r\\n"))
        #expect(ScreenShape.problems(shown, width: 120) == [])
    }

    /// connect to a peer and send from the prompt: the peer receives exactly those bytes.
    @Test func connectAndSendFromThePrompt() throws {
        let heard = HeardBytes()
        let server = PeerServer { peer in heard.set(peer.receive(until: { $0.count >= 20 }).bytes) }
        defer { server.stop() }
        let screen = try TmuxScreen(width: 120, height: 40)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try screen.type("connect 127.0.0.1:\(server.port)")
        try screen.press("Enter")
        #expect(try screen.waitFor("connected to 127.0.0.1:\(server.port)") != nil)
        try screen.type(#"send "GET / HTTP/1.0\r\n\r\n" x"00 ff""#)
        try screen.press("Enter")
        #expect(try screen.waitFor("ok: sent 20 bytes to #1") != nil)
        #expect(server.waitForSessions(1))
        #expect(heard.bytes == Array("GET / HTTP/1.0\r\n\r\n".utf8) + [0x00, 0xff])
    }

    /// F2 switches the log to hexdump -C style rows.
    @Test func f2ShowsHexRows() throws {
        let screen = try TmuxScreen(width: 120, height: 40)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try screen.type("pair")
        try screen.press("Enter")
        try screen.type("send GET / HTTP/1.1")
        try screen.press("Enter")
        #expect(try screen.waitFor("#2 ← 14") != nil)
        try screen.press("F2")
        // tmux can be captured between the title's redraw and the rows' (one frame is many writes),
        // so wait for the hex rows themselves; the title alone is not the frame.
        let first = "00000000  47 45 54 20  2f 20 48 54  |GET / HT|"
        let second = "00000008  54 50 2f 31  2e 31        |TP/1.1|"
        let hex = try screen.waitFor { lines in lines.contains { $0.contains("Log · all · hex") } && lines.contains { $0.contains(second) } }
        let last = try screen.capture().joined(separator: "\n")
        // 8 bytes a row fit this pane (16 need 78 columns), with hexdump -C's gap after half a row.
        #expect(hex?.contains { $0.contains(first) } == true, "\(last)")
        #expect(hex?.contains { $0.contains(second) } == true, "\(last)")
    }

    /// 120×40 → 80×24 → 60×20: always a sane layout (nothing wider than the terminal, boxes closed).
    @Test func resizingKeepsTheLayoutSane() throws {
        let screen = try TmuxScreen(width: 120, height: 40)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try screen.type("pair")
        try screen.press("Enter")
        try screen.type("send 你好 hello")
        try screen.press("Enter")
        #expect(try screen.waitFor("#2 ← 12") != nil)
        for (width, height) in [(80, 24), (60, 20), (120, 40)] {
            try screen.resize(width: width, height: height)
            // Right after a resize tmux shows the old frame clipped to the new size (boxes cut open);
            // wait for sockpit's own redraw, which must be sane and still show the log.
            let settled = try screen.waitFor { lines in
                lines.count >= height && lines.first?.hasPrefix("┌") == true && ScreenShape.problems(lines, width: width) == []
                    && lines.contains { $0.contains("你好 hello") } && lines.contains { $0.contains("Connections") }
            }
            let last = try screen.capture().joined(separator: "\n")
            #expect(settled != nil, "no sane frame at \(width)×\(height):\n\(last)")
        }
        try screen.resize(width: 30, height: 8)
        #expect(try screen.waitFor("terminal too small") != nil)
    }

    /// A hostile peer's escape sequences change neither the title nor the screen; they show escaped.
    @Test func hostilePeerCannotTouchTheTerminal() throws {
        let screen = try TmuxScreen(width: 120, height: 40)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        let titleBefore = try screen.paneVariable("pane_title")
        try screen.type("listen 127.0.0.1:0")
        try screen.press("Enter")
        let listening = try #require(try screen.waitFor("listening tcp 127.0.0.1:"))
        let port = try #require(Self.port(in: listening))
        let peer = try #require(PeerSocket.connect(port: port))
        defer { peer.close() }
        peer.send(Array("\u{1b}]0;pwned\u{07}\u{1b}[2J\u{1b}[31mred".utf8))
        let shown = try #require(try screen.waitFor(#"\x1b]0;pwned\x07\x1b[2J\x1b[31mred"#))
        #expect(try screen.paneVariable("pane_title") == titleBefore)
        #expect(try screen.paneVariable("pane_title") != "pwned")
        #expect(shown.first?.hasPrefix("┌ Listeners") == true, "the screen was not cleared")
        #expect(ScreenShape.problems(shown, width: 120) == [])
    }

    /// Ctrl-C twice quits; the terminal is given back (alternate screen off, echo and icanon on).
    @Test func ctrlCTwiceQuitsAndRestoresTheTerminal() throws {
        let screen = try TmuxScreen(width: 100, height: 30)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        #expect(try screen.paneVariable("alternate_on") == "1")
        try screen.type("listen 127.0.0.1:0")
        try screen.press("Enter")
        #expect(try screen.waitFor("listening tcp") != nil)
        try screen.press("C-c")
        #expect(try screen.waitFor("press Ctrl-C again to quit") != nil)
        try screen.press("C-c")
        let exit = try #require(screen.file("exit.txt"))
        #expect(exit.contains("exit=0"))
        let modes = try #require(screen.file("stty.txt"))
        #expect(modes.contains(" echo ") || modes.contains(" echo\n"), "\(modes)")
        #expect(modes.contains("icanon"))
        #expect(!modes.contains("-echo "))
        #expect(!modes.contains("-icanon"))
        #expect(try screen.paneVariable("alternate_on") == "0")
    }

    /// Without a terminal sockpit says to use --headless and exits 2, instead of spinning.
    @Test func withoutATerminalItSaysToUseHeadless() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try SockpitBinary.location.get())
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(String(decoding: data, as: UTF8.self).contains("--headless"))
    }

    static func port(in screen: [String]) -> UInt16? {
        for line in screen {
            guard let range = line.range(of: "listening tcp 127.0.0.1:") else { continue }
            let digits = line[range.upperBound...].prefix { $0.isNumber }
            return UInt16(digits)
        }
        return nil
    }
}
