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

    /// The record file is flushed on the way out: it ends with the shutdown's own events.
    @Test(arguments: [(SIGTERM, 143), (SIGINT, 130), (SIGHUP, 129)] as [(Int32, Int32)])
    func aSignalFlushesTheRecordFile(signal: Int32, status: Int32) throws {
        let record = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-record-\(getpid())-\(signal)-\(UInt32.random(in: 0...UInt32.max)).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: record) }
        let sockpit = try SockpitProcess(["--headless", "-e", "record \(record)", "-e", "listen 127.0.0.1:0",
                                          "-e", "wait connected timeout=60", "-e", "sleep 60"])
        #expect(sockpit.waitForOutput("listening tcp 127.0.0.1:"), "stdout: \(sockpit.stdout)")
        let port = try #require(Self.listeningPort(in: sockpit.stdout))
        let peer = try #require(PeerSocket.connect(port: port))
        defer { peer.close() }
        peer.send(Array("last words".utf8))
        #expect(sockpit.waitForOutput("#2 < 10 \"last words\""), "stdout: \(sockpit.stdout)")
        sockpit.send(signal: signal)
        let result = sockpit.finish()
        #expect(result.status == status, "\(result)")
        #expect(peer.receive().eof, "the peer did not see the close")
        let lines = ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains(#""event":"recv""#) && $0.contains(#""data_b64":"bGFzdCB3b3Jkcw==""#) }, "\(lines)")
        #expect(lines.suffix(2).allSatisfy { $0.contains(#""event":"closed""#) && $0.contains(#""text":"closed (quit)""#) },
                "the shutdown's events are missing from the record: \(lines.suffix(3))")
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
