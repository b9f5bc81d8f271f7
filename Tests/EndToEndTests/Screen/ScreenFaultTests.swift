// ScreenFaultTests.swift — faults as a person at the screen meets them, in the real binary under
// tmux: the status line says what happened and the screen keeps answering; signals and a crash
// give the terminal back; tiny terminals and resize storms leave a sane layout.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenFaultTests {
    /// Starts sockpit in tmux and waits for its first frame.
    private func started(width: Int = 120, height: Int = 40, environment: String = "") throws -> TmuxScreen {
        let screen = try TmuxScreen(width: width, height: height, environment: environment)
        #expect(try screen.waitFor("Nothing has happened yet") != nil, "sockpit did not start")
        return screen
    }

    /// Types a line and presses Enter.
    private func enter(_ screen: TmuxScreen, _ line: String) throws {
        try screen.type(line)
        try screen.press("Enter")
    }

    /// The screen answers a command typed now, within `seconds`.
    private func expectResponsive(_ screen: TmuxScreen, within seconds: Double = 5, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let marker = "alive-\(UInt32.random(in: 0...UInt32.max))"
        try enter(screen, "echo \(marker)")
        #expect(try screen.waitFor("ok: \(marker)", timeout: seconds) != nil, "no answer within \(seconds) s", sourceLocation: sourceLocation)
    }

    @Test func aRefusedConnectShowsOnTheStatusLine() throws {
        let port = refusedPort()
        let screen = try started()
        try enter(screen, "connect 127.0.0.1:\(port)")
        let shown = try #require(try screen.waitFor("error: connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)"))
        #expect(shown.contains { $0.contains("#1 ✗ connect 127.0.0.1:\(port): ECONNREFUSED") }, "the log row")
        try expectResponsive(screen)
    }

    /// 100 MB for a peer that never reads: the queue grows and shows, `info` reports it, typing
    /// still works at once, and the stalled socket costs no CPU.
    @Test func aPeerThatNeverReadsLeavesTheScreenResponsive() throws {
        let (listener, port) = bindLoopback(Int32(SOCK_STREAM.rawValue))
        #expect(Glibc.listen(listener, 4) == 0)
        defer { Glibc.close(listener) }  // never accepts, never reads: the kernel holds the connection
        let screen = try started()
        let file = screen.directory.appendingPathComponent("100mb.bin").path
        #expect(FileManager.default.createFile(atPath: file, contents: nil) && truncate(file, 100_000_000) == 0)
        try enter(screen, "connect 127.0.0.1:\(port)")
        #expect(try screen.waitFor("ok: #1 connected to 127.0.0.1:\(port)") != nil)
        try enter(screen, "send @\(file)")
        let queued = try #require(try screen.waitFor("ok: queued 100000000 bytes for #1"))
        #expect(queued.contains { $0.contains("unsent") && $0.contains("MiB") }, "the Connections pane shows the queue")

        try expectResponsive(screen, within: 2)
        try enter(screen, "info #1")
        #expect(try screen.waitFor { $0.contains { $0.contains("sockpit queue") && $0.contains("bytes") } } != nil, "info shows the queue")
        // Once the rate sampler has seen the bytes stop (its last tick is within 2 s), a stalled
        // queue is idle: level-triggered EPOLLOUT must not wake the loop while the peer reads nothing.
        usleep(2_500_000)
        let pid = try #require(try screen.appPID())
        let cpuBefore = ProcessStat(pid: pid)?.cpuSeconds ?? 0
        usleep(1_000_000)
        let cpuAfter = ProcessStat(pid: pid)?.cpuSeconds ?? 0
        #expect(cpuAfter - cpuBefore < 0.1, "sockpit spun while the peer was not reading: \(cpuAfter - cpuBefore) s of CPU")
        try enter(screen, "reset #1")
        #expect(try screen.waitFor("ok: reset #1") != nil)
        try expectResponsive(screen)
    }

    /// 50 resizes within about a second, then a sane layout at the final size.
    @Test func fiftyResizesInASecond() throws {
        let screen = try started(width: 100, height: 30)
        try enter(screen, "pair")
        try enter(screen, "send 你好 resize storm")
        #expect(try screen.waitFor("#2 ← 19") != nil)
        let sizes = (0..<50).map { index in index % 2 == 0 ? "-x \(60 + index) -y \(16 + index % 13)" : "-x 120 -y 40" }
        let loop = sizes.map { "/usr/bin/tmux -L \(screen.server) resize-window -t s \($0); sleep 0.01" }.joined(separator: "; ")
        let started = Date()
        _ = ChildProcess.run(["/bin/bash", "-c", loop], outputPath: nil)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 3, "the 50 resizes took \(elapsed) s")
        try screen.resize(width: 80, height: 24)
        // A capture may catch a frame mid-redraw; within 10 s the screen must settle sane.
        let settled = try screen.waitFor { lines in
            lines.count >= 24 && lines.first?.hasPrefix("┌") == true && ScreenShape.columns(lines[0]) == 80
                && ScreenShape.problems(lines, width: 80).isEmpty && lines.contains { $0.contains("你好 resize storm") }
        }
        let last = try screen.capture()
        #expect(settled != nil, "never sane at 80×24 after the storm: \(ScreenShape.problems(last, width: 80))\n\(last.joined(separator: "\n"))")
        try expectResponsive(screen)
    }

    /// 20×6 is below the minimum: a short message that fits, keys still work, and growing back
    /// shows what was typed meanwhile.
    @Test func aTwentyBySixTerminal() throws {
        let screen = try TmuxScreen(width: 20, height: 6)
        let small = try #require(try screen.waitFor("terminal too small"))
        #expect(ScreenShape.problems(small, width: 20) == [])
        #expect(small.contains { $0.contains("20×6, need 40×12") }, "\(small)")
        try enter(screen, "listen 127.0.0.1:0")
        try screen.resize(width: 80, height: 24)
        let shown = try #require(try screen.waitFor("ok: #1 listening on tcp 127.0.0.1:"), "the command typed at 20×6 did not run:\n\(screen.shown)")
        #expect(ScreenShape.problems(shown, width: 80) == [])
        try expectResponsive(screen)
    }

    /// A Unix peer whose own path holds a title-changing escape: shown escaped, the title untouched.
    @Test func aHostileUnixPeerPathIsShownEscaped() throws {
        let screen = try started()
        let titleBefore = try screen.paneVariable("pane_title")
        let listenPath = screen.directory.appendingPathComponent("l.sock").path
        try enter(screen, "listen unix \(listenPath)")
        #expect(try screen.waitFor("listening unix") != nil)
        let name = Array("\(screen.directory.path)/\u{1b}]0;pwned\u{07}\u{1b}[2J".utf8)
        let fd = try #require(unixClient(boundTo: name, connectingTo: listenPath))
        defer { Glibc.close(fd) }
        let shown = try #require(try screen.waitFor(#"\x1b]0;pwned\x07\x1b[2J"#))
        #expect(try screen.paneVariable("pane_title") == titleBefore)
        #expect(shown.first?.hasPrefix("┌ Listeners") == true, "the screen was cleared")
        #expect(ScreenShape.problems(shown, width: 120) == [])
    }

    /// SIGINT, SIGTERM, SIGHUP from outside: the peer sees EOF, the record file holds the last
    /// events (written during shutdown), the terminal is given back, the status is 128+N.
    @Test(arguments: [(SIGINT, 130), (SIGTERM, 143), (SIGHUP, 129)] as [(Int32, Int32)])
    func aSignalClosesFlushesAndRestores(signal: Int32, status: Int32) throws {
        let screen = try started(width: 100, height: 30)
        let record = screen.directory.appendingPathComponent("record.jsonl").path
        try enter(screen, "record \(record)")
        #expect(try screen.waitFor("ok: recording to") != nil)
        try enter(screen, "listen 127.0.0.1:0")
        let listening = try #require(try screen.waitFor("listening tcp 127.0.0.1:"))
        let port = try #require(ScreenEndToEndTests.port(in: listening))
        let peer = try #require(PeerSocket.connect(port: port))
        defer { peer.close() }
        peer.send(Array("last words".utf8))
        #expect(try screen.waitFor("last words") != nil)

        kill(try #require(try screen.appPID()), signal)
        try screen.expectTerminalRestored(exitStatus: status)
        let (bytes, eof) = peer.receive()
        #expect(bytes.isEmpty && eof, "the peer did not see the connection close")
        let lines = (try? String(contentsOfFile: record, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        #expect(lines.contains { $0.contains(#""event":"recv""#) && $0.contains(#""data_b64":"bGFzdCB3b3Jkcw==""#) }, "\(lines)")
        #expect(lines.suffix(2).allSatisfy { $0.contains(#""event":"closed""#) && $0.contains(#""text":"closed (quit)""#) },
                "the shutdown's own events are missing: \(lines.suffix(3))")
    }

    /// A crash inside the program (test-only trigger) gives the terminal back first, then the
    /// Swift runtime's message and backtrace show on the restored screen.
    @Test func aCrashRestoresTheTerminalBeforeTheBacktrace() throws {
        let screen = try TmuxScreen(width: 120, height: 40, environment: "SOCKPIT_TEST_CRASH=1")
        let exit = try #require(screen.file("exit.txt", timeout: 30), "sockpit did not die")
        #expect(exit == "exit=132\n" || exit == "exit=133\n", "not killed by SIGILL/SIGTRAP: \(exit)")
        try screen.expectTerminalRestored(exitStatus: exit == "exit=132\n" ? 132 : 133)
        let history = try screen.tmux(["capture-pane", "-p", "-J", "-t", "s", "-S", "-200"])
        #expect(history.contains("Fatal error: SOCKPIT_TEST_CRASH=1: crashing on purpose after the first frame"), "\(history)")
        // Swift's backtracer prints "Program crashed" and a backtrace. Under ThreadSanitizer it is
        // off (SWIFT_BACKTRACE=enable=no, Tests/Sanitizers/swift-test.sh: it and TSan's clone
        // interceptor crash each other), and the runtime prints its plain stack trace instead.
        if ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"]?.contains("enable=no") == true {
            #expect(history.contains("Current stack trace:"), "no stack trace: \(history)")
        } else {
            #expect(history.contains("Program crashed") || history.contains("Backtrace"), "no backtrace: \(history)")
        }
        #expect(!history.contains("┌ Listeners"), "the screen was not given back before the report")
    }
}

/// A Unix stream socket bound to the raw bytes `name`, connected to `path`; nil on failure.
func unixClient(boundTo name: [UInt8], connectingTo path: String) -> Int32? {
    func address(_ bytes: [UInt8]) -> (sockaddr_un, socklen_t) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        return (address, socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count + 1))
    }
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
    var (local, localLength) = address(name)
    var (remote, remoteLength) = address(Array(path.utf8))
    let ok = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, localLength) } } == 0
        && withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, remoteLength) } } == 0
    if !ok { Glibc.close(fd) }
    return ok ? fd : nil
}
