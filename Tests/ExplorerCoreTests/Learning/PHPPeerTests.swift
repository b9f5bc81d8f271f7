// PHPPeerTests.swift — the test copies of the seed's PHP programs (Tests/Peers/php) work: each is
// run once against a plain Python or netcat peer on 127.0.0.1, so tests that use them as peers
// for sockpit stand on peers known to be right.

import Foundation
import Testing

@Suite(.enabled(if: PHPPeers.available, Comment(rawValue: PHPPeers.unavailableReason)))
struct PHPPeerTests {
    /// A Python client: connect, read the greeting, send the seed client's two lines, read to EOF.
    @Test func theSeedServerGreetsReadsAndAnswers() throws {
        let server = try PHPPeers.start("seed_server.php", ["127.0.0.1", "0", "1", "10"])
        let port = try #require(server.announcedNumber("port"), "\(server.transcript)")
        let client = try ScriptProcess("python3", ["-c", """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", \(port)), timeout=10)
            data = b""
            while "！\\n".encode() not in data:
                data += s.recv(4096)
            s.sendall(b"Ho\\r\\nfirst blood\\r\\n")
            while True:
                chunk = s.recv(4096)
                if not chunk: break
                data += chunk
            sys.stdout.buffer.write(data)
            """])
        #expect(client.finish() == 0, "\(client.transcript)")
        #expect(client.stdout == "测试成功！\n收到的信息:Ho\r\nfirst blood\r\n\n")
        #expect(server.finish() == 0, "\(server.transcript)")
        #expect(server.stdout.contains("测试成功了啊\n收到的信息:Ho\r\nfirst blood\r\n"), "\(server.transcript)")
    }

    /// A Python server that talks like the seed's: greet, read the two lines, answer, close.
    @Test func theSeedClientWritesAndReadsUntilTheClose() throws {
        let server = try ScriptProcess("python3", ["-c", """
            import socket, sys
            l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
            print("port", l.getsockname()[1], flush=True)
            l.settimeout(10)
            c, _ = l.accept(); c.settimeout(10)
            c.sendall("测试成功！\\n".encode())
            data = b""
            while not data.endswith(b"first blood\\r\\n"):
                data += c.recv(4096)
            c.sendall("收到的信息:".encode() + data)
            c.close()
            sys.stdout.buffer.write(b"heard " + data)
            """])
        let port = try #require(server.announcedNumber("port"), "\(server.transcript)")
        let client = try PHPPeers.start("seed_client.php", ["127.0.0.1", "\(port)", "10"])
        #expect(client.finish() == 0, "\(client.transcript)")
        #expect(client.stdout.hasPrefix("OK.\n试图连接 '127.0.0.1' 端口 '\(port)'...\n连接OK\n发送到服务器信息成功！\n"))
        let received = client.stdout.components(separatedBy: "接受的内容为:").dropFirst().joined()
            .replacingOccurrences(of: "接收服务器回传信息成功！\n", with: "")
        #expect(received == "测试成功！\n收到的信息:Ho\r\nfirst blood\r\n关闭SOCKET...\n关闭OK\n", "\(client.transcript)")
        #expect(server.finish() == 0, "\(server.transcript)")
        #expect(server.stdout.hasSuffix("heard Ho\r\nfirst blood\r\n"), "\(server.transcript)")
    }

    /// netcat sends a line; the seed's strrev server sends it back reversed and closes.
    @Test func theReverseServerAnswersNetcatReversed() throws {
        let server = try PHPPeers.start("seed_reverse.php", ["127.0.0.1", "0", "10"])
        let port = try #require(server.announcedNumber("port"), "\(server.transcript)")
        // netcat quits at once when its input ends (-q 0), which finish() does once the answer is in.
        let nc = try ScriptProcess("nc", ["-q", "0", "-w", "10", "127.0.0.1", "\(port)"])
        nc.write("  hello world \n")
        #expect(nc.waitFor { $0.stdout.contains("\n") }, "\(nc.transcript)")
        nc.finish()
        #expect(nc.stdout == "dlrow olleh\n")
        #expect(server.finish() == 0, "\(server.transcript)")
    }

    /// Two Python clients at once: each gets the banner and its own "OK ... " answers.
    @Test func theSelectServerServesTwoClientsAtOnce() throws {
        let server = try PHPPeers.start("seed_select.php", ["127.0.0.1", "0", "2", "15"])
        let port = try #require(server.announcedNumber("port"), "\(server.transcript)")
        let clients = try ScriptProcess("python3", ["-c", """
            import socket
            def until(s, needle):
                data = b""
                while needle not in data:
                    chunk = s.recv(4096)
                    if not chunk: break
                    data += chunk
                return data
            a = socket.create_connection(("127.0.0.1", \(port)), timeout=10)
            b = socket.create_connection(("127.0.0.1", \(port)), timeout=10)
            for s in (a, b):
                print(repr(until(s, b"reply back \\n")))
            b.sendall(b"from b\\n"); a.sendall(b"from a\\n")
            print(repr(until(a, b"from a\\n")), repr(until(b, b"from b\\n")))
            a.close(); b.close()
            """])
        #expect(clients.finish() == 0, "\(clients.transcript)")
        let banner = #"b'Welcome to php socket server version 1.0 \nEnter a message and press enter, and i shall reply back \n'"#
        #expect(clients.stdout == "\(banner)\n\(banner)\nb'OK ... from a\\n' b'OK ... from b\\n'\n")
        #expect(server.finish() == 0, "\(server.transcript)")
        #expect(server.stdout.components(separatedBy: "is now connected to us.").count == 3, "\(server.transcript)")
    }

    /// A Python sender gets "OK ... " back from the PHP receiver, and the PHP sender from a Python receiver.
    @Test func theUDPReceiverAndSenderTalkToPython() throws {
        let receiver = try PHPPeers.start("udp_receiver.php", ["127.0.0.1", "0", "1", "10"])
        let port = try #require(receiver.announcedNumber("port"), "\(receiver.transcript)")
        let sender = try ScriptProcess("python3", ["-c", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(10)
            s.sendto(b"hello udp", ("127.0.0.1", \(port)))
            print(s.recvfrom(65535)[0].decode(), s.getsockname()[1])
            """])
        #expect(sender.finish() == 0, "\(sender.transcript)")
        let senderPort = sender.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "?"
        #expect(sender.stdout == "OK ... hello udp \(senderPort)\n")
        #expect(receiver.finish() == 0, "\(receiver.transcript)")
        #expect(receiver.stdout.contains("from 127.0.0.1:\(senderPort) hello udp\n"), "\(receiver.transcript)")

        let echo = try ScriptProcess("python3", ["-c", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.settimeout(10)
            print("port", s.getsockname()[1], flush=True)
            data, peer = s.recvfrom(65535)
            s.sendto(b"OK ... " + data, peer)
            """])
        let echoPort = try #require(echo.announcedNumber("port"), "\(echo.transcript)")
        let php = try PHPPeers.start("udp_sender.php", ["127.0.0.1", "\(echoPort)", "ni hao", "10"])
        #expect(php.finish() == 0, "\(php.transcript)")
        #expect(php.stdout == "answer from 127.0.0.1:\(echoPort) OK ... ni hao\n")
        #expect(echo.finish() == 0, "\(echo.transcript)")
    }

    /// The seed's hand-written GET against Python's http.server.
    @Test func theHTTPClientGetsAPageFromPythonsServer() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-php-http-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("hello from python\n".utf8).write(to: root.appendingPathComponent("index.html"))
        let server = try ScriptProcess("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root.path])
        // SIGKILL: threads of the test runner may block SIGTERM, and a child inherits the signal mask.
        defer { kill(server.process.processIdentifier, SIGKILL); server.finish() }
        let found = try #require(server.httpServerPort(), "\(server.transcript)")
        let client = try PHPPeers.start("http_client.php", ["127.0.0.1", found, "/", "10"])
        #expect(client.finish() == 0, "\(client.transcript)")
        #expect(client.stdout.hasPrefix("HTTP/1.0 200 OK\r\n"), "\(client.transcript)")
        #expect(client.stdout.hasSuffix("\r\n\r\nhello from python\n"), "\(client.transcript)")
    }
}
