// PcapngDatagramTests — UDP in captures: real datagrams on loopback, one packet each between the
// real ends (an unconnected socket with several peers, a wildcard-bound socket, two of sockpit's
// sockets talking, IPv6), read back by tshark with checksum validation on.

import ExplorerCore
import Foundation
import Glibc
import SocketKit
import Testing

@Suite(.enabled(if: CaptureTools.available, "needs tshark and capinfos (apt-get install tshark)"))
struct PcapngDatagramTests {
    private let system = SystemCalls()

    @Test func datagramsOnePerPacketWithTheirPeers() throws {
        let directory = try TemporaryDirectory()
        var events: [CaptureEvent] = []
        // #7: unconnected, on 127.0.0.1; #8: on the wildcard address. Both sockpit's.
        let seven = try udpSocket(bind: .ipv4(address: [127, 0, 0, 1], port: 0))
        let eight = try udpSocket(bind: .ipv4(address: [0, 0, 0, 0], port: 0))
        defer { close(seven.fd); close(eight.fd) }
        events.append(.opened(CaptureSocket(id: 7, transport: .udp, local: seven.address, remote: nil), .handshake, at: WallClock.now()))
        events.append(.opened(CaptureSocket(id: 8, transport: .udp, local: eight.address, remote: nil), .handshake, at: WallClock.now()))
        let peerA = try PeerDatagramSocket(), peerB = try PeerDatagramSocket()
        let sevenPort = seven.address.port!, eightPort = eight.address.port!

        peerA.send(Array("one".utf8), to: sevenPort)
        peerB.send(Array("two".utf8), to: sevenPort)
        for _ in 0 ..< 2 {
            let (bytes, sender) = try receive(seven.fd)
            events.append(.receivedDatagram(socket: 7, from: sender, bytes: bytes, at: WallClock.now()))
        }
        for (peer, text) in [(peerA, "to A"), (peerB, "to B")] {
            let target = SocketAddress.ipv4(address: [127, 0, 0, 1], port: peer.port)
            try send(seven.fd, Array(text.utf8), to: target)
            events.append(.sentDatagram(socket: 7, to: target, bytes: Array(text.utf8), at: WallClock.now()))
            #expect(peer.receive()?.bytes == Array(text.utf8))
        }
        // #8 to #7: both sockets record it; the capture has it once.
        let toSeven = SocketAddress.ipv4(address: [127, 0, 0, 1], port: sevenPort)
        try send(eight.fd, Array("from 8".utf8), to: toSeven)
        events.append(.sentDatagram(socket: 8, to: toSeven, bytes: Array("from 8".utf8), at: WallClock.now()))
        let (bytes, sender) = try receive(seven.fd)
        #expect(sender == .ipv4(address: [127, 0, 0, 1], port: eightPort))
        events.append(.receivedDatagram(socket: 7, from: sender, bytes: bytes, at: WallClock.now()))
        events.append(.closed(socket: 7, at: WallClock.now()))
        events.append(.closed(socket: 8, at: WallClock.now()))
        let file = try CaptureTools.write(events, to: directory)

        let rows = try CaptureTools.tshark(file, ["-T", "fields", "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport",
                                                  "-e", "udp.payload"]).split(separator: "\n").map(String.init)
        let hex = { (text: String) in text.utf8.map { String(format: "%02x", $0) }.joined() }
        #expect(rows == [
            "127.0.0.1\t\(peerA.port)\t127.0.0.1\t\(sevenPort)\t\(hex("one"))",
            "127.0.0.1\t\(peerB.port)\t127.0.0.1\t\(sevenPort)\t\(hex("two"))",
            "127.0.0.1\t\(sevenPort)\t127.0.0.1\t\(peerA.port)\t\(hex("to A"))",
            "127.0.0.1\t\(sevenPort)\t127.0.0.1\t\(peerB.port)\t\(hex("to B"))",
            "127.0.0.1\t\(eightPort)\t127.0.0.1\t\(sevenPort)\t\(hex("from 8"))",
        ])
        let comments = try CaptureTools.tshark(file, ["-Y", "frame.comment", "-T", "fields", "-e", "frame.number", "-e", "frame.comment"])
        #expect(comments == "1\tsockpit #7 is 127.0.0.1:\(sevenPort) (udp)\n5\tsockpit #8 is 127.0.0.1:\(eightPort) (udp)\n")
        try CaptureTools.expectNoAnomalies(file)
        try CaptureTools.expectCleanFile(file)
    }

    /// UDP checksums are always computed (over IPv6 they are mandatory), even with TCP's offloaded.
    @Test(.enabled(if: ipv6LoopbackAvailable())) func ipv6DatagramsCarryChecksums() throws {
        let directory = try TemporaryDirectory()
        let loopback = [UInt8](repeating: 0, count: 15) + [1]
        let mine = try udpSocket(bind: .ipv6(address: loopback, port: 0, scopeID: 0))
        let peer = try udpSocket(bind: .ipv6(address: loopback, port: 0, scopeID: 0))
        defer { close(mine.fd); close(peer.fd) }
        var events: [CaptureEvent] = [.opened(CaptureSocket(id: 2, transport: .udp, local: mine.address, remote: nil), .handshake, at: WallClock.now())]
        let payload = seededBytes(1_200, seed: 2)
        try send(peer.fd, payload, to: mine.address)
        let (bytes, sender) = try receive(mine.fd)
        events.append(.receivedDatagram(socket: 2, from: sender, bytes: bytes, at: WallClock.now()))
        try send(mine.fd, Array(bytes.reversed()), to: sender)
        events.append(.sentDatagram(socket: 2, to: sender, bytes: Array(bytes.reversed()), at: WallClock.now()))
        var options = PcapngWriter.Options()
        options.tcpChecksums = .offloaded
        let file = try CaptureTools.write(events, to: directory, options: options)

        let rows = try CaptureTools.tshark(file, CaptureTools.validateChecksums + ["-T", "fields", "-e", "ipv6.src", "-e", "udp.srcport",
                                                                                  "-e", "udp.checksum.status", "-e", "udp.length"])
        #expect(rows == "::1\t\(peer.address.port!)\t1\t1208\n::1\t\(mine.address.port!)\t1\t1208\n")  // status 1: good
        try CaptureTools.expectNoAnomalies(file)
    }

    // MARK: Real UDP sockets through SocketKit

    private func udpSocket(bind address: SocketAddress) throws -> (fd: Int32, address: SocketAddress) {
        let fd = try system.openSocket(family: address.family, transport: .udp)
        try system.bind(fd, to: address)
        return (fd, try #require(try system.localAddress(fd)))
    }

    private func send(_ fd: Int32, _ bytes: [UInt8], to address: SocketAddress) throws {
        let sent = try bytes.withUnsafeBytes { raw throws(SystemError) in try system.send(fd, raw, to: address) }
        #expect(sent == bytes.count)
    }

    /// One datagram within 5 s.
    private func receive(_ fd: Int32) throws -> ([UInt8], SocketAddress) {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 5000) == 1 else { throw PeerError("no datagram within 5 s") }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let result = try buffer.withUnsafeMutableBytes { raw throws(SystemError) in try system.receiveFrom(fd, into: raw) }
        let (count, sender, _) = try #require(result)
        return (Array(buffer[0 ..< count]), try #require(sender))
    }
}
