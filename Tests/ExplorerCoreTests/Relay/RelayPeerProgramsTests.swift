// RelayPeerProgramsTests — third-party programs on both sides of a relay: curl through it to
// Python's http.server, and the test copies of the seed's PHP server and client (Tests/Peers/php).
// The engine steps on the test's thread while the programs run.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite("relay with real programs")
struct RelayPeerProgramsTests {
    /// Steps the session until `program` exits (bounded), then collects its output.
    private func finish(_ program: ScriptProcess, stepping session: EngineSession, timeout: Double = 20) -> Int32 {
        session.pump(until: { !program.process.isRunning }, timeout: timeout)
        return program.finish(timeout: 5)
    }

    @Test("curl through a relay to python3 -m http.server gets the page; the request and answer are logged with their directions",
          .enabled(if: ScriptProcess.find("curl") != nil && ScriptProcess.find("python3") != nil))
    func curlThroughRelay() throws {
        let root = try TemporaryDirectory()
        try root.write("index.html", "hello through the relay\n")
        let server = try ScriptProcess("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root.path])
        defer { kill(server.process.processIdentifier, SIGKILL); server.finish() }
        let serverPort = try #require(server.httpServerPort(), "\(server.transcript)")
        let session = try EngineSession()
        #expect(session.status("relay 0 127.0.0.1:\(serverPort)").ok)
        let curl = try ScriptProcess("curl", ["-sS", "--max-time", "10", "http://127.0.0.1:\(session.port(of: 1))/index.html"])
        #expect(finish(curl, stepping: session) == 0, "\(curl.transcript)")
        #expect(curl.stdout == "hello through the relay\n")
        #expect(session.lines.contains { $0.hasPrefix("#2 < ") && $0.contains(#"c→s #3 "GET /index.html HTTP/1.1\r\n"#) }, "\(session.lines)")
        #expect(session.lines.contains { $0.hasPrefix("#3 < ") && $0.contains("s→c #2") && $0.contains("HTTP/1.0 200 OK") }, "\(session.lines)")
    }

    @Test("the seed's PHP client talks to the seed's PHP server through a relay, both ways",
          .enabled(if: PHPPeers.available, Comment(rawValue: PHPPeers.unavailableReason)))
    func seedProgramsThroughRelay() throws {
        let server = try PHPPeers.start("seed_server.php", ["127.0.0.1", "0", "1", "10"])
        let serverPort = try #require(server.announcedNumber("port"), "\(server.transcript)")
        let session = try EngineSession()
        #expect(session.status("relay 0 127.0.0.1:\(serverPort)").ok)
        let client = try PHPPeers.start("seed_client.php", ["127.0.0.1", "\(session.port(of: 1))", "10"])
        #expect(finish(client, stepping: session) == 0, "\(client.transcript)")
        #expect(client.stdout.contains("接受的内容为:测试成功！\n"), "\(client.transcript)")
        #expect(client.stdout.contains("收到的信息:Ho\r\nfirst blood\r\n"), "\(client.transcript)")
        #expect(server.finish() == 0, "\(server.transcript)")
        #expect(session.lines.contains { $0.hasPrefix("#3 < ") && $0.contains("s→c #2") && $0.contains("测试成功！") }, "\(session.lines)")
        #expect(session.lines.contains(#"#2 < 17 c→s #3 "Ho\r\nfirst blood\r\n""#), "\(session.lines)")
    }
}
