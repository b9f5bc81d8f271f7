// RecordPcapngTests — `record FILE.pcapng` and `save FILE pcapng` in real sessions: what sockpit's
// sockets really sent and received, read back by tshark byte for byte (TCP over IPv4 and IPv6,
// UDP datagrams, a `pair`, an `http` GET, a reset), with no sequence anomalies.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite(.enabled(if: CaptureTools.available, "needs tshark and capinfos (apt-get install tshark)"))
struct RecordPcapngTests {
    /// The seed's exchange between sockpit's own listener and its own connection: one stream, each
    /// byte once, though both ends log it.
    @Test func seedExchangeBetweenOwnSocketsIsOneStream() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("seed.pcapng")
        let session = try EngineSession()
        #expect(session.status("record \(file)") == Status.ok("recording to \(file) (pcapng)"))
        #expect(session.run(["listen 127.0.0.1:0 reply=\"收到的信息:{data}\"", "banner #1 \"测试成功！\\r\\n\""]).allOK)
        #expect(session.run(["connect 127.0.0.1:\(session.port(of: 1))", "expect #2 \"测试成功！\\r\\n\"",
                             "send #2 \"Ho\\r\\n\"", "expect #2 \"收到的信息:Ho\"", "close #2"]).allOK)
        #expect(session.pump(until: { session.entry(3)?.state == .closed }))
        #expect(session.status("record off").ok)

        try CaptureTools.expectFollow(file, node0: session.bytes(.send, on: 2), node1: session.bytes(.recv, on: 2))
        #expect(session.bytes(.send, on: 2) == Array("Ho\r\n".utf8))
        #expect(session.bytes(.recv, on: 2) == Array("测试成功！\r\n收到的信息:Ho\r\n".utf8))
        let streams = try CaptureTools.tshark(file, ["-T", "fields", "-e", "tcp.stream"]).split(separator: "\n")
        #expect(Set(streams) == ["0"], "\(streams)")
        try CaptureTools.expectNoAnomalies(file)
        try CaptureTools.expectCleanFile(file)
    }

    /// Two megabytes of random bytes each way with a third-party peer, ending in the peer's RST;
    /// a `.pcapng` record started while the connection was already open.
    @Test func largeBinaryBothWaysThenPeerReset() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("big.pcapng")
        let outgoing = seededBytes(2_000_000, seed: 5), incoming = seededBytes(2_000_000, seed: 6)
        try Data(outgoing).write(to: URL(fileURLWithPath: directory.file("out.bin")))
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        #expect(session.status("record \(file)").ok)
        #expect(session.status("send @\(directory.file("out.bin"))").ok)
        peer.send(incoming)
        #expect(byteDifference(session.read(peer, count: outgoing.count, timeout: 30), outgoing) == nil)
        #expect(session.pumpUntilReceived(incoming.count, on: 1, timeout: 30))
        peer.reset()
        #expect(session.pump(until: { session.entry(1)?.state.isOpen == false }))
        #expect(session.status("record off").ok)

        try CaptureTools.expectFollow(file, node0: outgoing, node1: incoming)
        try CaptureTools.expectNoAnomalies(file, allowing: ["Connection reset (RST)"])
        let flags = try CaptureTools.tshark(file, ["-T", "fields", "-e", "tcp.flags.str"]).split(separator: "\n")
        #expect(flags.last?.contains("R") == true, "\(flags.suffix(3))")
        let comment = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"])
        #expect(comment.contains("sockpit #1"), "\(comment)")
    }

    /// An IPv6 connection stays IPv6.
    @Test func ipv6ConnectionIsIPv6() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("v6.pcapng")
        let session = try EngineSession()
        #expect(session.run(["record \(file)", "listen [::1]:0 reply=echo"]).allOK)
        #expect(session.run(["connect [::1]:\(session.port(of: 1))", "send #2 \"over six\"", "expect #2 \"over six\"", "close #2"]).allOK)
        #expect(session.pump(until: { session.entry(3)?.state == .closed }))
        #expect(session.status("record off").ok)
        try CaptureTools.expectFollow(file, node0: Array("over six".utf8), node1: Array("over six".utf8))
        let versions = try CaptureTools.tshark(file, ["-T", "fields", "-e", "ipv6.src"]).split(separator: "\n")
        #expect(!versions.isEmpty && versions.allSatisfy { $0 == "::1" }, "\(versions)")
        try CaptureTools.expectNoAnomalies(file)
    }

    /// UDP: each datagram one packet, with its real peer, both ways.
    @Test func udpDatagramsOnePerPacket() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("udp.pcapng")
        let peer = try PeerDatagramSocket()
        let session = try EngineSession()
        #expect(session.run(["record \(file)", "listen udp 127.0.0.1:0"]).allOK)
        let port = session.port(of: 1)
        for text in ["one", "two two", "three three three"] { peer.send(Array(text.utf8), to: port) }
        #expect(session.pump(until: { session.entry(1)?.datagramsIn == 3 }))
        #expect(session.status("send #1 \"back\"").ok)
        #expect(peer.receive()?.bytes == Array("back".utf8))
        #expect(session.status("record off").ok)
        let rows = try CaptureTools.tshark(file, ["-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "data.data",
                                                  "-d", "udp.port==\(port),data"]).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let hex = { (text: String) in Array(text.utf8).map { String(format: "%02x", $0) }.joined() }
        #expect(rows.count == 4, "\(rows)")
        #expect(rows.map { $0.last ?? "" } == ["one", "two two", "three three three", "back"].map(hex), "\(rows)")
        #expect(rows.prefix(3).allSatisfy { $0.count == 3 && $0[1] == "\(port)" }, "\(rows)")
        #expect(rows.last?.first == "\(port)")
    }

    /// A relay's two connections, each with every byte both ways: a chunk logged once where it
    /// arrived is sent on the other leg too; a held chunk only once forwarded (as is or edited), a
    /// dropped one never; the client's FIN is passed on, so both streams end cleanly.
    @Test func relayLegsCarryWhatWasForwarded() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("relay.pcapng")
        let server = try PeerServer { peer in
            let request = peer.receiveUntilEOF()
            peer.send("got \(request.count) bytes")
            peer.close()
        }
        defer { server.stop() }
        let session = try EngineSession()
        #expect(session.status("record \(file)").ok)
        #expect(session.status("relay 0 127.0.0.1:\(server.port)").ok)
        let client = try PeerConnection.connect(port: session.port(of: 1))
        defer { client.close() }
        #expect(session.pump(until: { session.entry(3)?.state == .established }))
        #expect(session.status("intercept #2 up").ok)
        for (chunk, release) in [("hello", "forward"), ("world!", #"forward "EDITED""#), ("bye", "drop")] {
            client.send(chunk)
            #expect(session.pump(until: { session.entry(2)?.relay?.heldChunks == 1 }), "\(session.lines)")
            #expect(session.status(release).ok)
        }
        #expect(session.status("intercept #2 off").ok)
        client.send(" and more")
        client.shutdownWrite()
        let answer = session.readUntilClosed(client)
        #expect(answer.bytes == Array("got 20 bytes".utf8), "\(session.lines)")
        #expect(session.pump(until: { session.entry(2)?.state == .closed && session.entry(3)?.state == .closed }), "\(session.lines)")
        #expect(session.status("record off").ok)

        // Stream 0: the client and #2; stream 1: #3 and the server.
        try CaptureTools.expectFollow(file, stream: 0, node0: Array("helloworld!bye and more".utf8), node1: Array("got 20 bytes".utf8))
        try CaptureTools.expectFollow(file, stream: 1, node0: Array("helloEDITED and more".utf8), node1: Array("got 20 bytes".utf8))
        try CaptureTools.expectNoAnomalies(file)
        let fins = try CaptureTools.tshark(file, ["-Y", "tcp.flags.fin == 1", "-T", "fields", "-e", "tcp.stream"]).split(separator: "\n")
        #expect(fins.sorted() == ["0", "0", "1", "1"], "\(fins)")
        let comments = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"])
        // The client leg's stream begins at its accept, before it is linked: its relay listener
        // says where it goes. The server leg's names the client leg.
        let clientLeg = "relay client leg of #1, forwards to the server leg it connects to 127.0.0.1:\(server.port)"
        #expect(comments.contains("sockpit #2 is ") && comments.contains(clientLeg), "\(comments)")
        #expect(comments.contains("sockpit #3 is ") && comments.contains("relay leg, forwards to #2"), "\(comments)")
    }

    /// A UDP relay: the client's datagram to the relay's port, the same bytes from the server leg
    /// to the server, the answer back to the leg, and the answer from the relay's port to the client.
    @Test func udpRelayCarriesEachDatagramBothWays() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("udprelay.pcapng")
        let server = try PeerDatagramSocket()
        Thread.detachNewThread {
            guard let (bytes, port) = server.receive() else { return }
            server.send(Array("echo:".utf8) + bytes, to: port)
        }
        let session = try EngineSession()
        #expect(session.status("record \(file)").ok)
        #expect(session.status("relay udp 0 udp 127.0.0.1:\(server.port)").ok)
        let relayPort = session.port(of: 1)
        let client = try PeerDatagramSocket()
        let answer = Shared<[UInt8]?>(nil)
        Thread.detachNewThread { answer.set(client.receive()?.bytes) }
        client.send(Array("one".utf8), to: relayPort)
        #expect(session.pump(until: { answer.current != nil }), "\(session.lines)")
        #expect(answer.current == Array("echo:one".utf8))
        #expect(session.status("record off").ok)
        let rows = try CaptureTools.tshark(file, ["-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "data.data",
                                                  "-d", "udp.port==\(relayPort),data", "-d", "udp.port==\(server.port),data"])
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let hex = { (text: String) in Array(text.utf8).map { String(format: "%02x", $0) }.joined() }
        #expect(rows.map { $0.last ?? "" } == ["one", "one", "echo:one", "echo:one"].map(hex), "\(rows)")
        guard rows.count == 4, rows.allSatisfy({ $0.count == 3 }) else { return }
        #expect(rows[0][0] == "\(client.port)" && rows[0][1] == "\(relayPort)", "\(rows)")
        #expect(rows[1][1] == "\(server.port)" && rows[2][0] == "\(server.port)" && rows[1][0] == rows[2][1], "\(rows)")
        #expect(rows[3][0] == "\(relayPort)" && rows[3][1] == "\(client.port)", "\(rows)")
    }

    /// `save FILE pcapng` of a `pair`: a Unix stream as TCP, both directions.
    @Test func saveOfAPair() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("pair.cap")
        let session = try EngineSession()
        #expect(session.run(["pair", "send #1 \"ping\\n\"", "send #2 \"pong\\n\""]).allOK)
        #expect(session.pumpUntilReceived(5, on: 1) && session.pumpUntilReceived(5, on: 2))
        let status = session.status("save \(file) pcapng")
        #expect(status.ok && status.message.contains("pcapng"), "\(status)")
        try CaptureTools.expectFollow(file, node0: Array("ping\n".utf8), node1: Array("pong\n".utf8))
        let comment = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"])
        #expect(comment.contains("#1") && comment.contains("#2") && comment.contains("unix"), "\(comment)")
        try CaptureTools.expectNoAnomalies(file)
    }

    /// The GET of `http` is an HTTP request to Wireshark, and its answer a response.
    @Test func httpGetIsAnHTTPRequest() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("http.pcapng")
        let server = try HTTPPeer()
        defer { server.stop() }
        let session = try EngineSession()
        #expect(session.status("record \(file)").ok)
        #expect(session.status("http 127.0.0.1:\(server.port) /index.html").ok)
        #expect(session.pump(until: { session.entry(1)?.state.isOpen == false }))
        #expect(session.status("record off").ok)
        let requests = try CaptureTools.tshark(file, ["-d", "tcp.port==\(server.port),http", "-Y", "http.request",
                                                      "-T", "fields", "-e", "http.request.method", "-e", "http.request.uri"])
        #expect(requests == "GET\t/index.html\n", "\(requests)")
        try CaptureTools.expectNoAnomalies(file)
    }

    /// A Unix connection to sockpit's own Unix listener: one mapped stream, each byte once.
    @Test func unixConnectionToOwnListenerIsOneStream() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("unix.pcapng")
        let session = try EngineSession()
        #expect(session.run(["record \(file)", "listen unix \(directory.file("s.sock")) reply=echo",
                             "connect unix \(directory.file("s.sock"))", "send #2 \"via a path\"", "expect #2 \"via a path\"",
                             "close #2"]).allOK)
        #expect(session.pump(until: { session.entry(3)?.state.isOpen == false }))
        #expect(session.status("record off").ok)
        try CaptureTools.expectFollow(file, node0: Array("via a path".utf8), node1: Array("via a path".utf8))
        let streams = try CaptureTools.tshark(file, ["-T", "fields", "-e", "tcp.stream"]).split(separator: "\n")
        #expect(Set(streams) == ["0"], "\(streams)")
        let comments = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"])
        #expect(comments.contains("#2") && comments.contains("#3") && comments.contains("s.sock"), "\(comments)")
        try CaptureTools.expectNoAnomalies(file)
    }
}
