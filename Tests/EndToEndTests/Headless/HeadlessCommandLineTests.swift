// HeadlessCommandLineTests.swift — the built sockpit run headless: -e, --script, commands from a
// pipe, the one-line-per-event text format, exit statuses, --keep-going, quit, timestamps.

import Foundation
import SocketKit
import Testing

@Suite struct HeadlessCommandLineTests {
    @Test func repeatedDashEAreRunInOrderAndLogOneLinePerEvent() throws {
        let result = try SockpitProcess.run(["--headless", "-e", "pair", "-e", #"send "Ho\r\nfirst blood\r\n""#, "-e", "wait #2 data"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        #expect(result.lines.allSatisfy(HeadlessFormat.hasClock), "\(result)")
        #expect(result.untimedLines == [
            "#1 paired with #2 (socketpair AF_UNIX SOCK_STREAM)",
            "#2 paired with #1",
            #"#1 > 17 "Ho\r\nfirst blood\r\n""#,
            #"#2 < 17 "Ho\r\nfirst blood\r\n""#,
            "#2 closed (quit)",
            "#1 closed (quit)",
        ], "\(result)")
    }

    /// The seed's client against the seed's greeting server: connect, send, read until the server closes.
    @Test func talksToARealServerUntilItCloses() throws {
        let heard = HeardBytes()
        let server = PeerServer { peer in
            peer.send(Array("测试成功！\n".utf8))
            let request = peer.receive(until: { $0.count >= 17 }).bytes
            heard.set(request)
            peer.send(Array("收到的信息:".utf8) + request)
        }
        defer { server.stop() }
        let result = try SockpitProcess.run([
            "--headless", "-e", "connect 127.0.0.1:\(server.port)", "-e", #"send "Ho\r\nfirst blood\r\n""#, "-e", "wait closed",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(heard.bytes == Array("Ho\r\nfirst blood\r\n".utf8))
        let lines = result.untimedLines
        #expect(lines.first == "#1 connecting tcp to 127.0.0.1:\(server.port)")
        #expect(lines.contains(#"#1 > 17 "Ho\r\nfirst blood\r\n""#), "\(result)")
        // However the kernel splits what the server sent, all of it is logged as received text.
        let received = lines.filter { $0.hasPrefix("#1 < ") }.map { line in
            line.drop { $0 != "\"" }.dropFirst().dropLast()
        }.joined()
        #expect(received == #"测试成功！\n收到的信息:Ho\r\nfirst blood\r\n"#, "\(result)")
        #expect(lines.contains("#1 eof from peer"), "\(result)")
        #expect(lines.last == "#1 closed", "\(result)")
    }

    @Test func timestampsOffDropsTheClock() throws {
        let result = try SockpitProcess.run(["--headless", "-e", "set timestamps off", "-e", "pair", "-e", "send hi", "-e", "wait #2 data"])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == [
            "#1 paired with #2 (socketpair AF_UNIX SOCK_STREAM)",
            "#2 paired with #1",
            #"#1 > 2 "hi""#,
            #"#2 < 2 "hi""#,
            "#2 closed (quit)",
            "#1 closed (quit)",
        ], "\(result)")
    }

    @Test func aScriptFileRunsWithCommentsAndBlankLines() throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write("session.txt", """
            # the seed's socketpair, from a file
            pair

              # an indented comment
            send "from a file"
            wait #2 data
            """)
        let result = try SockpitProcess.run(["--headless", "--script", script])
        #expect(result.status == 0, "\(result)")
        #expect(result.untimedLines.contains(#"#2 < 11 "from a file""#), "\(result)")
        #expect(!result.stdout.contains("comment"))
    }

    @Test func anErrorInAScriptNamesTheFileAndLineAndStopsThere() throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write("broken.txt", """
            # line 1
            echo before

            frobnicate #1
            echo after
            """)
        let result = try SockpitProcess.run(["--headless", "--script", script])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "error: \(script):4: unknown command \"frobnicate\"\n")
        #expect(result.lines == ["before"], "\(result)")
    }

    @Test func aMissingScriptFileIsAUsageError() throws {
        let result = try SockpitProcess.run(["--headless", "--script", "/nonexistent/sockpit-script.txt"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr == "error: --script open /nonexistent/sockpit-script.txt: ENOENT (No such file or directory)\n")
        #expect(result.stdout == "")
    }

    @Test func commandsComeFromStandardInputWhenItIsAPipe() throws {
        let result = try SockpitProcess.run(["--headless"], input: .text("pair\nsend hello\nwait #2 data\nquit\n"))
        #expect(result.status == 0, "\(result)")
        #expect(result.untimedLines.contains(#"#2 < 5 "hello""#), "\(result)")
    }

    @Test func commandsComeFromStandardInputWhenItIsAFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("commands.txt", "# redirected from a file\npair\nsend hello\n")
        let result = try SockpitProcess.run(["--headless"], input: .file(file), timeout: 20)
        #expect(!result.timedOut, "\(result)")
        #expect(result.status == 0, "\(result)")
        #expect(result.untimedLines.contains(#"#1 > 5 "hello""#), "\(result)")
    }

    /// Lines from a pipe run as they arrive, not at end of file.
    @Test func pipedCommandsRunAsTheyArrive() throws {
        let sockpit = try SockpitProcess(["--headless"], input: .pipe)
        sockpit.write("pair\nsend a\n")
        #expect(sockpit.waitForOutput(#"#2 < 1 "a""#), "stdout so far: \(sockpit.stdout)")
        sockpit.write("echo still reading\n")
        #expect(sockpit.waitForOutput("still reading"), "stdout so far: \(sockpit.stdout)")
        let result = sockpit.finish() // closes stdin: end of script
        #expect(result.status == 0, "\(result)")
        #expect(result.untimedLines.suffix(2) == ["#2 closed (quit)", "#1 closed (quit)"], "\(result)")
    }

    @Test func aFailedCommandFromStandardInputStopsTheRun() throws {
        let result = try SockpitProcess.run(["--headless"], input: .text("echo first\nbogus\necho after\n"))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "error: unknown command \"bogus\"\n")
        #expect(result.lines == ["first"], "\(result)")
    }

    @Test func exitStatusIsOneAndTheErrorGoesToStderrWhenACommandFails() throws {
        let port = refusedPort()
        let result = try SockpitProcess.run(["--headless", "-e", "connect 127.0.0.1:\(port)", "-e", "echo after"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "error: connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)\n")
        #expect(!result.stdout.contains("after"), "\(result)")
        #expect(result.untimedLines == [
            "#1 connecting tcp to 127.0.0.1:\(port)",
            "#1 ✗ connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)",
        ], "\(result)")
    }

    @Test func keepGoingRunsPastErrorsAndStillExitsOne() throws {
        let port = refusedPort()
        let result = try SockpitProcess.run([
            "--headless", "--keep-going", "-e", "connect 127.0.0.1:\(port)", "-e", "echo after", "-e", #"send #9 "x""#, "-e", "echo end",
        ])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == """
            error: connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)
            error: send: no socket #9

            """)
        #expect(result.lines.suffix(2) == ["after", "end"], "\(result)")
    }

    @Test func everyCommandSucceedingExitsZeroWithNothingOnStderr() throws {
        let result = try SockpitProcess.run(["--headless", "-e", "listen 127.0.0.1:0", "-e", "echo done"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        #expect(result.untimedLines.first?.hasPrefix("#1 listening tcp 127.0.0.1:") == true, "\(result)")
        #expect(result.lines.contains("done"))
    }

    @Test func quitStopsTheScriptEarly() throws {
        let result = try SockpitProcess.run(["--headless", "-e", "echo one", "-e", "quit", "-e", "echo two"])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == ["one"], "\(result)")
        #expect(result.stderr == "")
    }

    /// A script whose last command finishes at once must end (it used to wait in epoll forever).
    @Test(arguments: [["listen 127.0.0.1:0"], ["listen udp 127.0.0.1:0"], ["pair"], ["echo hi"], ["pair", #"send "x""#]])
    func aScriptOfInstantCommandsEndsAtOnce(commands: [String]) throws {
        let started = Date()
        let result = try SockpitProcess.run(["--headless"] + commands.flatMap { ["-e", $0] }, timeout: 20)
        #expect(!result.timedOut, "\(result)")
        #expect(result.status == 0, "\(result)")
        #expect(Date().timeIntervalSince(started) < 10)
    }
}

/// Bytes a peer thread hands to the test.
final class HeardBytes: Sendable {
    private let storage = ThreadLock<[UInt8]>([])
    func set(_ bytes: [UInt8]) { storage.withLock { $0 = bytes } }
    var bytes: [UInt8] { storage.withLock { $0 } }
}

/// A directory under /tmp removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    var path: String { url.path }

    /// Writes `text` to `name` in the directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }
}
