// StepModeTests.swift — PRODUCT.md §7's step commands against the seed's own programs (their PHP
// copies in Tests/Peers/php) on 127.0.0.1: a server built one call at a time serving the seed's
// client, a client built one call at a time against the seed's strrev server, both byte-exact; the
// table's state between calls; pending connections before `accept`.

import ExplorerCore
import Foundation
import Testing

@Suite(.enabled(if: PHPPeers.available, Comment(rawValue: PHPPeers.unavailableReason)))
struct StepModeTests {
    /// socket, bind, listen, (the seed's client connects and waits in the backlog), accept, write
    /// the greeting, read its two lines, write the answer, close: the seed's server, by hand.
    @Test func aServerBuiltStepByStepServesTheSeedsClient() throws {
        let session = try EngineSession()
        #expect(session.run("socket tcp").allOK)
        #expect(session.entry(1)?.state == .created)
        #expect(session.entry(1)?.step?.fd != nil)
        #expect(session.engine.table.listenerIDs.contains(SocketID(1)))
        #expect(session.run("bind #1 127.0.0.1:0").allOK)
        #expect(session.entry(1)?.state == .bound)
        let port = session.port(of: 1)
        #expect(port != 0)
        #expect(session.run("listen #1 backlog=4").allOK)
        #expect(session.entry(1)?.state == .listening)
        #expect(session.entry(1)?.backlog == 4)

        let client = try PHPPeers.start("seed_client.php", ["127.0.0.1", "\(port)", "10"])
        // The kernel completes the handshake by itself: the client waits in the backlog, shown
        // before any accept, and nothing is accepted yet.
        #expect(session.pump(until: { session.entry(1)?.pendingAccepts == 1 }), "\(client.transcript)")
        #expect(session.engine.table.count == 1)
        #expect(!session.lines(containing: "#1 1 waiting in the backlog: the kernel completed the handshake").isEmpty)

        #expect(session.run("accept #1").allOK)
        #expect(session.entry(2)?.state == .established)
        #expect(session.entry(2)?.paused == true)
        #expect(session.entry(1)?.pendingAccepts == 0)
        #expect(session.run(#"write "测试成功！\n""#).allOK)
        // A blocking read waits for the client's lines; TCP may deliver them in pieces.
        let lines = Array("Ho\r\nfirst blood\r\n".utf8)
        for _ in 0..<5 where session.bytes(.recv, on: 2).count < lines.count {
            #expect(session.run("read #2").allOK)
        }
        #expect(session.bytes(.recv, on: 2) == lines)
        #expect(session.run(#"write #2 "收到的信息:Ho\r\nfirst blood\r\n""#).allOK)
        #expect(session.run("close #2", "close #1").allOK)

        #expect(client.finish() == 0, "\(client.transcript)")
        let received = client.stdout.components(separatedBy: "接受的内容为:").dropFirst().joined()
            .replacingOccurrences(of: "接收服务器回传信息成功！\n", with: "")
        #expect(received == "测试成功！\n收到的信息:Ho\r\nfirst blood\r\n关闭SOCKET...\n关闭OK\n", "\(client.transcript)")
        #expect(session.entry(1)?.state == .closed)
    }

    /// socket, connect (blocking: waits for the handshake), write a line, read the reversed line,
    /// read again: 0 bytes, the seed's server closed.
    @Test func aClientBuiltStepByStepTalksToTheSeedsReverseServer() throws {
        let server = try PHPPeers.start("seed_reverse.php", ["127.0.0.1", "0", "10"])
        let port = try #require(server.announcedNumber("port"), "\(server.transcript)")
        let session = try EngineSession()
        #expect(session.run("socket tcp", "connect #1 127.0.0.1:\(port)").allOK)
        #expect(session.entry(1)?.state == .established)
        #expect(session.engine.table.connectionIDs.contains(SocketID(1)))
        #expect(!session.engine.table.listenerIDs.contains(SocketID(1)))
        #expect(session.run(#"write "  hello world \n""#).allOK)
        #expect(session.lastStatus?.message == "wrote 15 bytes to #1")
        let answer = Array("dlrow olleh\n".utf8)
        for _ in 0..<5 where session.bytes(.recv, on: 1).count < answer.count {
            #expect(session.run("read").allOK)
        }
        #expect(session.bytes(.recv, on: 1) == answer)
        for _ in 0..<3 where session.lastStatus?.message.contains("0 bytes") != true {
            #expect(session.run("read").allOK)
        }
        #expect(session.lastStatus?.message == "read #1: 0 bytes: the peer closed its side (socket_read returns '')")
        #expect(session.entry(1)?.state == .halfClosedIn)
        #expect(session.run("close").allOK)
        #expect(server.finish() == 0, "\(server.transcript)")
    }

    /// A Unix stream socket one call at a time: the path is the address, and closing the
    /// listener removes the file it made.
    @Test func unixStepByStep() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("step.sock")
        let session = try EngineSession()
        #expect(session.run("socket unix", "bind #1 \(path)", "listen #1", "socket unix", "connect #2 \(path)", "accept").allOK)
        #expect(session.entry(3)?.parent == SocketID(1))
        #expect(session.run("write #2 hello", "read #3").allOK)
        #expect(session.bytes(.recv, on: 3) == Array("hello".utf8))
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(session.run("close #1").allOK)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// A UDP datagram one call at a time: bind two sockets, write one to the other, read it whole
    /// with its sender.
    @Test func udpStepByStep() throws {
        let session = try EngineSession()
        #expect(session.run("socket udp", "bind #1 127.0.0.1:0", "socket udp", "bind #2 127.0.0.1:0").allOK)
        let receiver = session.port(of: 1)
        let sender = session.port(of: 2)
        #expect(session.run("write #2 to=127.0.0.1:\(receiver) hello udp").allOK)
        #expect(session.run("read #1").allOK)
        #expect(session.bytes(.recv, on: 1) == Array("hello udp".utf8))
        #expect(session.lastStatus?.message == "read 9 bytes from #1 (from 127.0.0.1:\(sender))")
        #expect(session.entry(1)?.lastPeer?.port == sender)
    }
}
