// PcapngWriterTests — the writer's packets read back with sockpit's own reader and decoder, and
// checked field by field: segment sizes and flags, sequence and acknowledgement numbers, checksums
// (against a naive RFC 1071 sum written here), timestamps, interfaces, addresses, ignored events.

import ExplorerCore
import SocketKit
import Testing

@Suite struct PcapngWriterTests {
    static let client = SocketAddress.ipv4(address: [127, 0, 0, 1], port: 40_000)
    static let server = SocketAddress.ipv4(address: [127, 0, 0, 1], port: 5000)
    static let tcp = CaptureSocket(id: 3, transport: .tcp, local: client, remote: server)
    static let t0: Microseconds = 1_764_670_000_000_000

    @Test func readsSplitAtTheMSSWithPSHOnTheLastAndOneACK() throws {
        for (socket, mss) in [(Self.tcp, PcapngWriter.maxSegmentIPv4), (Self.tcpOverIPv6(id: 3), PcapngWriter.maxSegmentIPv6)] {
            let packets = try decoded([.opened(socket, .handshake, at: Self.t0),
                                       .received(socket: 3, bytes: seededBytes(200_000, seed: 1), at: Self.t0 + 5)])
            let data = packets.dropFirst(3)
            let fromServer = data.filter { $0.decoded.source == socket.remote }
            #expect(fromServer.map(\.payload.count) == [mss, mss, mss, 200_000 - 3 * mss])
            #expect(fromServer.map(\.decoded.isPSH) == [false, false, false, true])
            #expect(data.count == 5)
            let ack = try #require(data.last)
            #expect(ack.decoded.source == socket.local && ack.payload.isEmpty && ack.decoded.isACK && !ack.decoded.isPSH)
            #expect(acknowledgement(ack) == sequence(fromServer.last!) &+ UInt32(fromServer.last!.payload.count))
        }
    }

    @Test func longChunksGetAnACKEverySixteenSegments() throws {
        let count = 20 * PcapngWriter.maxSegmentIPv4
        let packets = try decoded([.opened(Self.tcp, .handshake, at: Self.t0), .sent(socket: 3, bytes: seededBytes(count, seed: 2), at: Self.t0)])
        let kinds = packets.dropFirst(3).map { $0.payload.isEmpty ? "A" : "D" }.joined()
        #expect(kinds == String(repeating: "D", count: 16) + "A" + String(repeating: "D", count: 4) + "A")
    }

    /// The handshake starts each side's numbers; data advances them by its length, FIN by one, and
    /// every ACK acknowledges exactly what the other side has sent.
    @Test func sequenceNumbersAdvanceWithTheBytes() throws {
        let packets = try decoded([
            .opened(Self.tcp, .handshake, at: Self.t0),
            .sent(socket: 3, bytes: Array(repeating: 1, count: 10), at: Self.t0 + 1),
            .received(socket: 3, bytes: Array(repeating: 2, count: 100_000), at: Self.t0 + 2),
            .finished(socket: 3, by: .local, at: Self.t0 + 3),
            .received(socket: 3, bytes: Array(repeating: 3, count: 7), at: Self.t0 + 4),
            .closed(socket: 3, at: Self.t0 + 5),
        ])
        var next: [SocketAddress: UInt32] = [:]
        for packet in packets {
            let source = packet.decoded.source, destination = packet.decoded.destination
            if packet.decoded.isSYN {
                next[source] = sequence(packet) &+ 1
            } else {
                #expect(sequence(packet) == next[source], "frame \(packet.number)")
                next[source]! &+= UInt32(packet.payload.count) + (packet.decoded.isFIN ? 1 : 0)
            }
            if packet.decoded.isACK, let expected = next[destination] { #expect(acknowledgement(packet) == expected, "frame \(packet.number)") }
        }
        // SYN, SYN/ACK, ACK; 10 bytes + ACK; two segments + ACK; FIN + ACK; 7 bytes + ACK; nothing more (FIN already sent).
        #expect(packets.count == 3 + 2 + 3 + 2 + 2)
        #expect(packets.filter(\.decoded.isFIN).count == 1)
    }

    @Test func checksumsAreValid() throws {
        let udp = CaptureSocket(id: 8, transport: .udp, local: .ipv4(address: [127, 0, 0, 1], port: 5353), remote: nil)
        let events: [CaptureEvent] = [
            .opened(Self.tcp, .handshake, at: Self.t0), .opened(Self.tcpOverIPv6(id: 13), .handshake, at: Self.t0),
            .opened(udp, .handshake, at: Self.t0),
            .sent(socket: 3, bytes: seededBytes(70_001, seed: 3), at: Self.t0), .received(socket: 3, bytes: [0xFF], at: Self.t0),
            .received(socket: 3, bytes: seededBytes(333, seed: 4), at: Self.t0), .reset(socket: 3, by: .remote, at: Self.t0),
            .receivedDatagram(socket: 8, from: Self.server, bytes: seededBytes(513, seed: 5), at: Self.t0),
            .sentDatagram(socket: 8, to: Self.server, bytes: [], at: Self.t0),
            .sentDatagram(socket: 8, to: .ipv6(address: Self.loopback6, port: 53, scopeID: 0), bytes: [1, 2, 3], at: Self.t0),
        ]
        let packets = try decoded(events)
        #expect(packets.count == 3 + 3 + 3 + 2 + 2 + 1 + 3)
        for packet in packets {
            #expect(NaiveChecksum.isValid(packet.data), "frame \(packet.number)")
        }
        var options = PcapngWriter.Options()
        options.tcpChecksums = .offloaded
        for packet in try decoded(events, options: options) {
            if case .udp = packet.decoded.transport {
                #expect(NaiveChecksum.isValid(packet.data), "frame \(packet.number)")
            } else {
                #expect(NaiveChecksum.storedTCPChecksum(packet.data) == NaiveChecksum.pseudoHeaderSum(packet.data), "frame \(packet.number)")
            }
        }
    }

    @Test func timestampsNeverGoBackwards() throws {
        let packets = try decoded([
            .opened(Self.tcp, .handshake, at: Self.t0 + 1_000),
            .sent(socket: 3, bytes: [1], at: Self.t0 + 2_000),
            .received(socket: 3, bytes: [2], at: Self.t0 + 1_500),  // an older event
            .received(socket: 3, bytes: [3], at: Self.t0 + 2_345),
        ])
        #expect(packets.map(\.time) == [1_000, 1_000, 1_000, 2_000, 2_000, 2_000, 2_000, 2_345, 2_345].map { Self.t0 + $0 })
    }

    @Test func eventsAboutNoOpenSocketAreCountedAndWriteNothing() throws {
        var writer = PcapngWriter()
        var header: [UInt8] = []
        writer.appendHeader(to: &header)
        var buffer = header
        writer.append(.sent(socket: 9, bytes: [1], at: Self.t0), to: &buffer)
        writer.append(.closed(socket: 9, at: Self.t0), to: &buffer)
        writer.append(.sentDatagram(socket: 3, to: Self.server, bytes: [1], at: Self.t0), to: &buffer)
        #expect(buffer == header && writer.ignoredEvents == 3)
        writer.append(.opened(Self.tcp, .handshake, at: Self.t0), to: &buffer)
        writer.append(.finished(socket: 3, by: .local, at: Self.t0), to: &buffer)
        let afterFIN = buffer
        writer.append(.sent(socket: 3, bytes: [1], at: Self.t0), to: &buffer)  // after our FIN: impossible
        writer.append(.opened(Self.tcp, .handshake, at: Self.t0), to: &buffer)  // opened twice
        #expect(buffer == afterFIN && writer.ignoredEvents == 5)
    }

    @Test func oneInterfacePerKindOfLinkUsed() throws {
        let unix = CaptureSocket(id: 5, transport: .unix, local: .unix(path: ""), remote: .unix(path: "/tmp/x.sock"))
        let cases: [([CaptureEvent], [String])] = [
            ([.opened(Self.tcp, .handshake, at: Self.t0)], ["sockpit"]),
            ([.opened(unix, .handshake, at: Self.t0)], ["sockpit-unix"]),
            ([.opened(unix, .handshake, at: Self.t0), .opened(Self.tcp, .handshake, at: Self.t0),
              .opened(Self.tcpOverIPv6(id: 13), .handshake, at: Self.t0)],
             ["sockpit-unix", "sockpit"]),
            ([], []),
        ]
        for (events, names) in cases {
            let blocks = try PcapngReader.blocks(in: write(events))
            let interfaces = blocks.compactMap { block -> PcapngInterface? in if case .interface(let i) = block { i } else { nil } }
            #expect(interfaces.map(\.name) == names)
            #expect(interfaces.allSatisfy { $0.linkType == .raw && $0.timestampResolution == 6 })
            #expect(blocks.first == .section(bigEndian: false, application: "sockpit", comments: []))
        }
    }

    /// A dual-stack socket's IPv4-mapped addresses are written as IPv4; a wildcard-bound UDP socket
    /// talking to a loopback peer is written from the loopback address the kernel used.
    @Test func mappedAndWildcardAddresses() throws {
        let mapped = { (port: UInt16) in SocketAddress.ipv6(address: [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 127, 0, 0, 1], port: port, scopeID: 0) }
        let accepted = CaptureSocket(id: 4, transport: .tcp, local: mapped(8080), remote: mapped(50_000), initiator: .remote)
        let udp = CaptureSocket(id: 6, transport: .udp, local: .ipv4(address: [0, 0, 0, 0], port: 6000), remote: nil)
        let packets = try decoded([.opened(accepted, .handshake, at: Self.t0), .opened(udp, .handshake, at: Self.t0),
                                   .receivedDatagram(socket: 6, from: Self.server, bytes: [7], at: Self.t0)])
        #expect(packets[0].decoded.source == .ipv4(address: [127, 0, 0, 1], port: 50_000) && packets[0].decoded.isSYN)
        #expect(packets[0].decoded.destination == .ipv4(address: [127, 0, 0, 1], port: 8080))
        #expect(packets[3].decoded.destination == .ipv4(address: [127, 0, 0, 1], port: 6000))
    }

    // MARK: Helpers

    static let loopback6 = [UInt8](repeating: 0, count: 15) + [1]
    static func tcpOverIPv6(id: Int) -> CaptureSocket {
        CaptureSocket(id: id, transport: .tcp, local: .ipv6(address: loopback6, port: 40_000, scopeID: 0),
                      remote: .ipv6(address: loopback6, port: 5000, scopeID: 0))
    }

    struct Packet {
        var number: Int
        var time: Microseconds?
        var data: [UInt8]
        var decoded: DecodedPacket
        var payload: ArraySlice<UInt8> { data[decoded.payload] }
    }

    private func write(_ events: [CaptureEvent], options: PcapngWriter.Options = .init()) -> [UInt8] {
        var writer = PcapngWriter(options: options)
        var buffer: [UInt8] = []
        writer.appendHeader(to: &buffer)
        for event in events { writer.append(event, to: &buffer) }
        return buffer
    }

    private func decoded(_ events: [CaptureEvent], options: PcapngWriter.Options = .init()) throws -> [Packet] {
        var packets: [Packet] = []
        for block in try PcapngReader.blocks(in: write(events, options: options)) {
            guard case .packet(let packet) = block else { continue }
            let decoded = try #require(PacketDecoder.decode(packet.data, linkType: packet.linkType))
            packets.append(Packet(number: packets.count + 1, time: packet.time, data: packet.data, decoded: decoded))
        }
        return packets
    }

    private func sequence(_ packet: Packet) -> UInt32 {
        if case .tcp(let sequence, _, _) = packet.decoded.transport { return sequence }
        return 0
    }

    private func acknowledgement(_ packet: Packet) -> UInt32 {
        if case .tcp(_, let acknowledgement, _) = packet.decoded.transport { return acknowledgement }
        return 0
    }
}

/// RFC 1071 the slow, obvious way: 16-bit big-endian words, end-around carry. Independent of the
/// writer's word-at-a-time sum.
enum NaiveChecksum {
    static func sum(_ bytes: ArraySlice<UInt8>, initial: UInt32 = 0) -> UInt32 {
        var total = initial
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let high = UInt32(bytes[index]) << 8
            let low = index + 1 < bytes.endIndex ? UInt32(bytes[index + 1]) : 0
            total += high | low
            index += 2
        }
        while total > 0xFFFF { total = (total & 0xFFFF) + (total >> 16) }
        return total
    }

    /// The IP header checksum (IPv4) and the TCP or UDP checksum of a raw IP packet verify.
    static func isValid(_ packet: [UInt8]) -> Bool {
        let (start, pseudo) = layout(packet)
        if packet[0] >> 4 == 4 && sum(packet[0 ..< 20]) != 0xFFFF { return false }
        let total = sum(packet[start...], initial: pseudo)
        return total == 0xFFFF
    }

    /// The TCP checksum field as stored, and the folded pseudo-header sum it holds when offloaded.
    static func storedTCPChecksum(_ packet: [UInt8]) -> UInt32 {
        let start = layout(packet).start
        return UInt32(packet[start + 16]) << 8 | UInt32(packet[start + 17])
    }

    static func pseudoHeaderSum(_ packet: [UInt8]) -> UInt32 { layout(packet).pseudo }

    /// Where the transport header starts and the pseudo-header's sum.
    private static func layout(_ packet: [UInt8]) -> (start: Int, pseudo: UInt32) {
        let v6 = packet[0] >> 4 == 6
        let start = v6 ? 40 : 20
        let addresses = v6 ? packet[8 ..< 40] : packet[12 ..< 20]
        let proto = UInt32(v6 ? packet[6] : packet[9])
        let length = UInt32(packet.count - start)
        return (start, sum(addresses, initial: proto + length))
    }
}
