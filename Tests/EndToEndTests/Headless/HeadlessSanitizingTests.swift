// HeadlessSanitizingTests.swift — no byte a peer sends reaches stdout raw: control bytes, escape
// sequences, C1 controls and invalid UTF-8 appear as visible escapes; CJK stays text.

import Foundation
import Glibc
import Testing

@Suite struct HeadlessSanitizingTests {
    /// A terminal title sequence, a raw C1 CSI byte, an encoded C1 CSI, invalid UTF-8, DEL, NUL, a
    /// bidi override, then Chinese text and CRLF.
    static let hostile: [UInt8] = Array("\u{1b}]0;title\u{07}".utf8) + [0x9b, 0x32, 0x4a] + [0xc2, 0x9b, 0x33, 0x4a]
        + [0xff, 0xfe, 0x7f, 0x00] + Array("\u{202E}abc测试成功！\r\n".utf8)
    static let rendered = #"\x1b]0;title\x07\x9b2J\u{009B}3J\xff\xfe\x7f\x00\u{202E}abc测试成功！\r\n"#

    @Test func whatAPeerSendsIsEscapedAndCJKIsText() throws {
        let server = PeerServer { peer in peer.send(Self.hostile) }
        defer { server.stop() }
        let result = try SockpitProcess.run(["--headless", "-e", "connect 127.0.0.1:\(server.port)", "-e", "wait closed"])
        #expect(result.status == 0, "\(result)")
        expectNoRawControls(result.stdoutBytes)
        let received = result.untimedLines.filter { $0.hasPrefix("#1 < ") }.map { line in
            String(line.drop { $0 != "\"" }.dropFirst().dropLast())
        }.joined()
        #expect(received == Self.rendered, "\(result)")
        #expect(result.stdout.contains("测试成功！"))
    }

    @Test func jsonTextIsEscapedTooAndTheBytesSurviveInBase64() throws {
        let server = PeerServer { peer in peer.send(Self.hostile) }
        defer { server.stop() }
        let result = try SockpitProcess.run(["--headless", "--json", "-e", "connect 127.0.0.1:\(server.port)", "-e", "wait closed"])
        #expect(result.status == 0, "\(result)")
        expectNoRawControls(result.stdoutBytes)
        let data = result.jsonEvents.filter { $0.event == "recv" }
        #expect(data.flatMap { $0.data ?? [] } == Self.hostile)
        #expect(data.map { $0.text ?? "" }.joined() == Self.rendered)
    }

    /// A Unix peer names its own path: an escape sequence in it reaches stdout escaped, in text
    /// and in JSON, and is never decoded to U+FFFD.
    @Test(arguments: [false, true])
    func aHostileUnixPeerPathIsEscaped(json: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-san-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let listenPath = directory.appendingPathComponent("l.sock").path
        let sockpit = try SockpitProcess(["--headless"] + (json ? ["--json"] : []) + ["-e", "listen unix \(listenPath)", "-e", "wait connected", "-e", "wait closed"])
        #expect(sockpit.waitForOutput("l.sock"), "\(sockpit.stdout)")
        let name = Array("\(directory.path)/\u{1b}]0;pwned\u{07}\u{202E}".utf8) + [0xff]
        let fd = try #require(unixClient(boundTo: name, connectingTo: listenPath))
        _ = Array("bye".utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(fd)
        let result = sockpit.finish()
        #expect(result.status == 0, "\(result)")
        expectNoRawControls(result.stdoutBytes)
        #expect(!result.stdout.contains("\u{FFFD}"))
        let shown = #"\#(directory.path)/\x1b]0;pwned\x07\u{202E}\xff"#
        if json {
            #expect(result.jsonEvents.contains { $0.event == "accepted" && $0.text == "accepted \(shown) via #1" }, "\(result)")
        } else {
            #expect(result.untimedLines.contains("#2 accepted \(shown) via #1"), "\(result)")
        }
    }

    /// stdout must be valid UTF-8 whose only control character is the line feed, with no C1 or bidi controls.
    private func expectNoRawControls(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            Issue.record("stdout is not valid UTF-8", sourceLocation: sourceLocation)
            return
        }
        let forbidden = text.unicodeScalars.filter { scalar in
            let value = scalar.value
            return (value < 0x20 && value != 0x0a) || (0x7f...0x9f).contains(value)
                || (0x202a...0x202e).contains(value) || (0x2066...0x2069).contains(value)
        }
        #expect(forbidden.isEmpty, "raw controls on stdout: \(forbidden.map { String($0.value, radix: 16) })", sourceLocation: sourceLocation)
    }
}
