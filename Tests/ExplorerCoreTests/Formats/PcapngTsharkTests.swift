// PcapngTsharkTests — captures of real loopback traffic, written by PcapngWriter and read back by
// tshark and capinfos: every byte each way, the handshake, FIN and RST, no sequence anomalies, valid
// checksums, and the comments that name sockpit's sockets.

import ExplorerCore
import Foundation
import Glibc
import SocketKit
import Testing

@Suite(.enabled(if: CaptureTools.available, "needs tshark and capinfos (apt-get install tshark)"))
struct PcapngTsharkTests {
    /// The seed's exchange: the server greets with `测试成功！`, the client answers, the server
    /// echoes it back, closes, and the client closes too.
    @Test func seedExchangeFollowsByteExact() throws {
        let directory = try TemporaryDirectory()
        let greeting = Array("测试成功！\r\n".utf8), answer = Array("Ho\r\n".utf8), echo = Array("收到的信息:Ho\r\n\n".utf8)
        let connection = try LoopbackRecording(id: 3, endpoint: .ipv4("127.0.0.1", 0))
        try connection.exchange(mineSends: [], theirsSend: greeting)
        #expect(try connection.exchange(mineSends: answer, theirsSend: []) == answer)
        try connection.exchange(mineSends: [], theirsSend: echo)
        try connection.theirsFinish()
        connection.mineClose()
        let file = try CaptureTools.write(connection.events, to: directory)

        try CaptureTools.expectFollow(file, node0: answer, node1: greeting + echo,
                                      nodes: ["\(connection.socket.local!)", "\(connection.socket.remote!)"])
        try CaptureTools.expectNoAnomalies(file)
        // Handshake, three data segments each answered by an ACK, then FIN/ACK, ACK, FIN/ACK, ACK.
        let flags = try CaptureTools.tshark(file, ["-T", "fields", "-e", "tcp.flags.str"]).split(separator: "\n").map(String.init)
        #expect(flags.count == 3 + 6 + 4, "\(flags)")
        #expect(flags.first?.contains("S") == true && flags.last?.contains("A") == true, "\(flags)")
        let comment = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"])
        #expect(comment.hasPrefix("sockpit #3 is \(connection.socket.local!) (tcp, connected to \(connection.socket.remote!))"), "\(comment)")
        try CaptureTools.expectCleanFile(file)
    }

    /// 20 MB of seeded random bytes each way at once, in the chunks the kernel really gave.
    @Test func twentyMegabytesEachWay() throws {
        let directory = try TemporaryDirectory()
        let outgoing = seededBytes(20_000_000, seed: 12), incoming = seededBytes(20_000_000, seed: 21)
        let connection = try LoopbackRecording(id: 7, endpoint: .ipv4("127.0.0.1", 0))
        #expect(try connection.exchange(mineSends: outgoing, theirsSend: incoming) == outgoing)
        connection.mineClose()
        let file = try CaptureTools.write(connection.events, to: directory)

        try CaptureTools.expectFollow(file, node0: outgoing, node1: incoming)
        try CaptureTools.expectNoAnomalies(file)
        let lengths = try CaptureTools.tshark(file, ["-T", "fields", "-e", "ip.len", "-e", "tcp.len"]).split(separator: "\n")
            .map { $0.split(separator: "\t").compactMap { Int($0) } }
        #expect(lengths.allSatisfy { $0.count == 2 && $0[0] <= 65_535 && $0[1] <= PcapngWriter.maxSegmentIPv4 })
        #expect(lengths.contains { $0[1] == PcapngWriter.maxSegmentIPv4 }, "no read was split at the MSS")
        try CaptureTools.expectCleanFile(file)
    }

    /// The GET that sockpit's `http` sends, to Python's http.server, is an HTTP request to Wireshark.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func httpRequestToPythonServer() throws {
        let directory = try TemporaryDirectory()
        try directory.write("index.html", "hello from python\n")
        let port = closedPort()
        // The interpreter itself, not a wrapper (pyenv's shim forks): terminate must reach the server.
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", directory.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { CaptureTools.stop(server) }
        var connection: LoopbackRecording?
        for _ in 0 ..< 100 where connection == nil {  // python takes a moment to listen
            connection = try? LoopbackRecording(id: 2, connectingTo: .ipv4("127.0.0.1", port))
            if connection == nil { usleep(50_000) }
        }
        let http = try #require(connection, "python3 -m http.server never listened on \(port)")
        let request = Array("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: sockpit\r\nAccept: */*\r\nConnection: close\r\n\r\n".utf8)
        let response = try http.request(request)
        #expect(String(decoding: response, as: UTF8.self).hasSuffix("hello from python\n"))
        http.mineClose()
        let file = try CaptureTools.write(http.events, to: directory)

        let decodeAs = ["-d", "tcp.port==\(port),http"]
        let requests = try CaptureTools.tshark(file, decodeAs + ["-Y", "http.request", "-T", "fields", "-e", "http.request.method", "-e", "http.request.uri"])
        #expect(requests == "GET\t/index.html\n")
        let responses = try CaptureTools.tshark(file, decodeAs + ["-Y", "http.response", "-T", "fields", "-e", "http.response.code"])
        #expect(responses == "200\n")
        try CaptureTools.expectFollow(file, node0: request, node1: response)
        try CaptureTools.expectNoAnomalies(file)
        try CaptureTools.expectCleanFile(file)
    }

    /// A connection over ::1 is written as IPv6 with valid TCP checksums, split at the IPv6 MSS.
    @Test(.enabled(if: ipv6LoopbackAvailable())) func ipv6Connection() throws {
        let directory = try TemporaryDirectory()
        let outgoing = seededBytes(300_000, seed: 6), incoming = seededBytes(1_000_000, seed: 66)
        let connection = try LoopbackRecording(id: 4, endpoint: .ipv6("::1", 0), mineConnects: false)
        try connection.exchange(mineSends: outgoing, theirsSend: incoming)
        try connection.mineFinish()
        try connection.theirsFinish()
        connection.mineClose()
        let file = try CaptureTools.write(connection.events, to: directory)

        let addresses = Set(try CaptureTools.tshark(file, ["-T", "fields", "-e", "ipv6.src", "-e", "ipv6.dst"]).split(separator: "\n"))
        #expect(addresses == ["::1\t::1"])
        try CaptureTools.expectFollow(file, node0: incoming, node1: outgoing)  // the peer connected: node 0
        let lengths = try CaptureTools.tshark(file, ["-T", "fields", "-e", "tcp.len"]).split(separator: "\n").compactMap { Int($0) }
        #expect(lengths.max() ?? 0 <= PcapngWriter.maxSegmentIPv6)
        try CaptureTools.expectNoAnomalies(file)
        try CaptureTools.expectCleanFile(file)
    }

    /// A connection the peer resets ends in RST, the only warning Wireshark has.
    @Test func resetConnectionEndsInRST() throws {
        let directory = try TemporaryDirectory()
        let connection = try LoopbackRecording(id: 5, endpoint: .ipv4("127.0.0.1", 0))
        try connection.exchange(mineSends: Array("hello?\n".utf8), theirsSend: Array("bye\n".utf8))
        try connection.theirsReset()
        connection.mineClose()
        let file = try CaptureTools.write(connection.events, to: directory)

        let flags = try CaptureTools.tshark(file, ["-T", "fields", "-e", "tcp.flags.reset", "-e", "tcp.srcport"]).split(separator: "\n")
        #expect(flags.last == "1\t\(connection.socket.remote!.port!)", "\(flags)")
        #expect(flags.dropLast().allSatisfy { $0.hasPrefix("0\t") })
        try CaptureTools.expectNoAnomalies(file, allowing: ["Connection reset (RST)"])
        let warnings = try CaptureTools.expert(file).filter { $0.severity == "Warns" }.map(\.summary)
        #expect(warnings == ["Connection reset (RST)"])
        try CaptureTools.expectCleanFile(file)
    }

    /// A Unix stream becomes TCP over IPv4 between 127.1.0.N and 127.2.0.N; its first packet names
    /// the path and the id, and the interface says what the mapping is.
    @Test func unixConnectionIsMappedWithPathAndID() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("seed.sock")
        let connection = try LoopbackRecording(id: 9, endpoint: .unix(path))
        let outgoing = Array("测试成功！\r\n".utf8) + seededBytes(200_000, seed: 9), incoming = seededBytes(70_000, seed: 90)
        try connection.exchange(mineSends: outgoing, theirsSend: incoming)
        connection.mineClose()
        let file = try CaptureTools.write(connection.events, to: directory)

        try CaptureTools.expectFollow(file, node0: outgoing, node1: incoming, nodes: ["127.1.0.9:49152", "127.2.0.9:49152"])
        let comments = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"])
        #expect(comments == "sockpit #9 is 127.1.0.9:49152 (unix (unnamed) connected to \(path); mapped to TCP over IPv4)\n")
        try CaptureTools.expectNoAnomalies(file)
        let info = try CaptureTools.run(CaptureTools.capinfos, [file]).output
        #expect(info.contains("Name = sockpit-unix") && info.contains("127.1.H.L"), "\(info)")
        try CaptureTools.expectCleanFile(file)
    }

    /// Both ends of a `pair` are sockpit's: the stream is written once, from each end's sends, and
    /// both ids are named.
    @Test func socketpairIsOneStream() throws {
        let directory = try TemporaryDirectory()
        let pair = try LoopbackRecording(pairOf: 3, and: 4)
        let there = seededBytes(150_000, seed: 3), back = Array("测试成功！\r\n".utf8)
        #expect(try pair.exchange(mineSends: there, theirsSend: back) == there)
        pair.mineClose()
        try pair.awaitTheirsEOF()
        let file = try CaptureTools.write(pair.events, to: directory)

        try CaptureTools.expectFollow(file, node0: there, node1: back)
        let comments = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"]).split(separator: "\n")
        #expect(comments.count == 2 && comments[0].hasPrefix("sockpit #3 is 127.1.0.3:49152 (unix socketpair")
                && comments[1].hasPrefix("sockpit #4 is 127.2.0.3:49152 (unix socketpair; mapped to TCP over IPv4; the other end is #3"),
                "\(comments)")
        try CaptureTools.expectNoAnomalies(file)
        try CaptureTools.expectCleanFile(file)
    }

    /// A connection from sockpit to its own listener: both ends record every chunk, and the capture
    /// still shows each byte once, as a capture on `lo` would.
    @Test func connectionToOwnListenerIsWrittenOnce() throws {
        let directory = try TemporaryDirectory()
        let connection = try LoopbackRecording(id: 11, endpoint: .ipv4("127.0.0.1", 0), theirsID: 12)
        let there = seededBytes(3_000_000, seed: 11), back = seededBytes(2_000_000, seed: 12)
        try connection.exchange(mineSends: there, theirsSend: back)
        try connection.theirsClose()
        connection.mineClose()
        let file = try CaptureTools.write(connection.events, to: directory)

        try CaptureTools.expectFollow(file, node0: there, node1: back)
        try CaptureTools.expectNoAnomalies(file)
        let streams = try CaptureTools.tshark(file, ["-T", "fields", "-e", "tcp.stream"]).split(separator: "\n")
        #expect(Set(streams) == ["0"])
        try CaptureTools.expectCleanFile(file)
    }

    /// A connection that was open before recording started still gets a handshake, and says so.
    @Test func alreadyOpenConnectionGetsAHandshake() throws {
        let directory = try TemporaryDirectory()
        let socket = CaptureSocket(id: 6, transport: .tcp, local: .ipv4(address: [127, 0, 0, 1], port: 40_006),
                                   remote: .ipv4(address: [127, 0, 0, 1], port: 8025), initiator: .local)
        let start: Microseconds = 1_764_670_000_000_000
        let file = try CaptureTools.write([
            .opened(socket, .alreadyOpen, at: start),
            .received(socket: 6, bytes: Array("250 OK\r\n".utf8), at: start + 1_000),
            .sent(socket: 6, bytes: Array("QUIT\r\n".utf8), at: start + 2_000),
            .closed(socket: 6, at: start + 3_000),
        ], to: directory)
        let comment = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.comment"])
        #expect(comment.contains("already open when recording started: handshake written by sockpit"))
        try CaptureTools.expectFollow(file, node0: Array("QUIT\r\n".utf8), node1: Array("250 OK\r\n".utf8))
        try CaptureTools.expectNoAnomalies(file)
        try CaptureTools.expectCleanFile(file)
    }

    /// What tshark writes when it rewrites one of our files (its own section and interface options,
    /// our comments kept) reads back to the same sockets and chunks.
    @Test func readerReadsTsharksRewrite() throws {
        let directory = try TemporaryDirectory()
        let connection = try LoopbackRecording(id: 11, endpoint: .ipv4("127.0.0.1", 0), theirsID: 12)
        try connection.exchange(mineSends: seededBytes(300_000, seed: 1), theirsSend: Array("测试成功！\r\n".utf8))
        try connection.theirsClose()
        connection.mineClose()
        let file = try CaptureTools.write(connection.events, to: directory)
        let rewritten = directory.file("rewritten.pcapng")
        _ = try CaptureTools.tshark(file, ["-F", "pcapng", "-w", rewritten])

        let original = try CapturedSockets.read(pcapng: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        let again = try CapturedSockets.read(pcapng: Array(try Data(contentsOf: URL(fileURLWithPath: rewritten))))
        #expect(original.keys.sorted() == [11, 12] && again == original)
        #expect(original[11]?.received.map(\.bytes) == [Array("测试成功！\r\n".utf8)])
        #expect(original[12]?.received.flatMap(\.bytes) == seededBytes(300_000, seed: 1))
    }

    /// Offloaded TCP checksums are what `tcpdump -i lo` captures hold: tshark, which does not
    /// validate checksums unless asked, reports nothing; asked, it calls them bad, as for a capture
    /// on lo.
    @Test func offloadedChecksumsPassWithoutValidation() throws {
        let directory = try TemporaryDirectory()
        let connection = try LoopbackRecording(id: 2, endpoint: .ipv4("127.0.0.1", 0))
        try connection.exchange(mineSends: seededBytes(100_000, seed: 4), theirsSend: seededBytes(5_000, seed: 5))
        connection.mineClose()
        var options = PcapngWriter.Options()
        options.tcpChecksums = .offloaded
        let file = try CaptureTools.write(connection.events, to: directory, options: options)

        let plain = try CaptureTools.tshark(file, ["-q", "-z", "expert"] + CaptureTools.payloadAsData(file))
        #expect(!plain.contains("Errors") && !plain.contains("Warns"), "\(plain)")
        let validated = try CaptureTools.tshark(file, ["-T", "fields", "-e", "tcp.checksum.status"] + CaptureTools.validateChecksums)
        #expect(Set(validated.split(separator: "\n")) == ["0"])  // 0: bad, as on lo
        try CaptureTools.expectFollow(file, node0: seededBytes(100_000, seed: 4), node1: seededBytes(5_000, seed: 5))
    }
}
