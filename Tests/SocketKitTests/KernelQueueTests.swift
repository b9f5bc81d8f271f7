// KernelQueueTests.swift — what the kernel says about a connection: TCP_INFO's state and sizes,
// and the queue ioctls (bytes unread, not yet acknowledged, not yet sent, dropped datagrams).

import Glibc
import SocketKit
import Testing

@Suite struct TCPInfoTests {
    @Test func aConnectedSocketIsEstablished() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        let client = try system.tcpInfo(link.client)
        #expect(client.state == "ESTABLISHED")
        #expect(client.sendMSS > 0)
        #expect(client.unacked == 0)
        #expect(try system.tcpInfo(link.server).state == "ESTABLISHED")
    }

    @Test func aListenerIsListening() throws {
        let system = SystemCalls()
        let listener = try openListener(system)
        defer { system.close(listener) }
        #expect(try system.tcpInfo(listener).state == "LISTEN")
    }

    @Test func thePeerClosingLeavesUsInCloseWait() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { system.close(link.client); system.close(link.listener) }
        system.close(link.server)
        #expect(try system.receiveBytes(link.client) == [])
        #expect(try system.tcpInfo(link.client).state == "CLOSE_WAIT")
    }

    @Test func aFreshSocketIsClosedAndAUnixSocketHasNoTCPInfo() throws {
        let system = SystemCalls()
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        #expect(try system.tcpInfo(fd).state == "CLOSE")
        let (a, b) = try system.socketPair()
        defer { system.close(a); system.close(b) }
        let error = #expect(throws: SystemError.self) { try system.tcpInfo(a) }
        #expect(error?.call == "getsockopt")
    }
}

@Suite struct KernelQueueTests {
    @Test func bytesWaitingToBeReadAreCounted() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        #expect(system.bytesUnread(link.server) == 0)
        #expect(try system.send(link.client, bytes("Ho\r\nfirst blood\r\n")) == 17)
        waitReady(link.server, POLLIN)
        #expect(system.bytesUnread(link.server) == 17)
        _ = try system.receiveBytes(link.server)
        #expect(system.bytesUnread(link.server) == 0)
    }

    @Test func aConnectionWithNothingInFlightHasEmptySendQueues() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        #expect(system.bytesUnacknowledged(link.client) == 0)
        #expect(system.bytesUnsent(link.client) == 0)
    }

    /// A peer that never reads closes its window: what we queue after that is neither sent nor acknowledged.
    @Test func aStalledPeerLeavesBytesUnsentAndUnacknowledged() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        let chunk = [UInt8](repeating: 0x62, count: 65536)
        var queued = 0
        for _ in 0..<10_000 {
            guard let sent = try system.send(link.client, chunk) else { break }
            queued += sent
        }
        let unacknowledged = try #require(system.bytesUnacknowledged(link.client))
        let unsent = try #require(system.bytesUnsent(link.client))
        let unread = try #require(system.bytesUnread(link.server))
        #expect(unacknowledged > 0)
        #expect(unsent > 0)
        #expect(unsent <= unacknowledged)
        #expect(unread > 0)
        // Bytes already in the peer's queue may not be acknowledged yet, so the two can overlap.
        #expect(unacknowledged <= queued)
        #expect(unread <= queued)
        #expect(unacknowledged + unread >= queued)
    }

    @Test func aUDPSocketReportsTheNextDatagramAndNoDrops() throws {
        let system = SystemCalls()
        let receiver = try system.openSocket(family: AF_INET, transport: .udp)
        let sender = try system.openSocket(family: AF_INET, transport: .udp)
        defer { system.close(receiver); system.close(sender) }
        try system.bind(receiver, to: .loopbackV4)
        let target = try #require(try system.localAddress(receiver))
        #expect(system.droppedDatagrams(receiver) == 0)
        for payload in ["twelve bytes", "abc"] {
            _ = try bytes(payload).withUnsafeBytes { raw throws(SystemError) in try system.send(sender, raw, to: target) }
        }
        waitReady(receiver, POLLIN)
        #expect(system.bytesUnread(receiver) == 12) // SIOCINQ on UDP: the size of the next datagram
    }

    @Test func queriesOnABadDescriptorSayNil() {
        let system = SystemCalls()
        #expect(system.bytesUnread(-1) == nil)
        #expect(system.bytesUnacknowledged(-1) == nil)
        #expect(system.bytesUnsent(-1) == nil)
        #expect(system.droppedDatagrams(-1) == nil)
    }
}
