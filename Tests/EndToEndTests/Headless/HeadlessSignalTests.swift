// HeadlessSignalTests.swift — a headless run ends cleanly on SIGTERM/SIGINT/SIGHUP (status 128+N,
// sockets closed), and without a terminal sockpit refuses the screen and points at --headless.

import Foundation
import Glibc
import Testing

@Suite struct HeadlessSignalTests {
    @Test(arguments: [(SIGTERM, 143), (SIGINT, 130), (SIGHUP, 129)] as [(Int32, Int32)])
    func aSignalEndsAWaitingRunAndClosesItsSockets(signal: Int32, status: Int32) throws {
        let sockpit = try SockpitProcess(["--headless", "-e", "listen 127.0.0.1:0", "-e", "wait connected timeout=60", "-e", "sleep 60"])
        #expect(sockpit.waitForOutput("listening tcp 127.0.0.1:"), "stdout: \(sockpit.stdout)")
        let port = try #require(Self.listeningPort(in: sockpit.stdout), "stdout: \(sockpit.stdout)")
        let peer = try #require(PeerSocket.connect(port: port))
        defer { peer.close() }
        #expect(sockpit.waitForOutput("#2 accepted"), "stdout: \(sockpit.stdout)")
        sockpit.send(signal: signal)
        let result = sockpit.finish()
        #expect(result.status == status, "\(result)")
        #expect(!result.timedOut)
        #expect(result.untimedLines.suffix(2).sorted() == ["#1 closed (quit)", "#2 closed (quit)"], "\(result)")
        let (bytes, eof) = peer.receive()
        #expect(bytes.isEmpty && eof, "the accepted connection was not closed")
        #expect(PeerSocket.connect(port: port) == nil, "the listener is still accepting")
    }

    @Test(arguments: [[String](), ["-e", "pair"], ["--script", "/dev/null"]])
    func withoutATerminalAndWithoutHeadlessItSaysToUseHeadless(arguments: [String]) throws {
        let result = try SockpitProcess.run(arguments) // stdin /dev/null, stdout a pipe
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.contains("--headless"), "\(result)")
    }

    @Test func helpNamesTheHeadlessOptions() throws {
        let result = try SockpitProcess.run(["--help"])
        #expect(result.status == 0, "\(result)")
        for option in ["--headless", "--script", "--json", "--keep-going", "-e"] {
            #expect(result.stdout.contains(option), "\(option) missing from --help")
        }
    }

    static func listeningPort(in stdout: String) -> UInt16? {
        guard let range = stdout.range(of: #"listening tcp 127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else { return nil }
        return UInt16(stdout[range].split(separator: ":").last!)
    }
}
