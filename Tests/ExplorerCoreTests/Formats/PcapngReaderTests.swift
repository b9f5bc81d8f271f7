// PcapngReaderTests — the reader on files it did not write (a big-endian section built by hand,
// simple packets, nanosecond timestamps, Ethernet frames, unknown blocks), on damaged files, on input
// fed in pieces of any size; and the socket listing that `replay` will read.

import ExplorerCore
import SocketKit
import Testing

@Suite struct PcapngReaderTests {
    static let t0: Microseconds = 1_764_670_000_000_000

    @Test func readsABigEndianSectionWithNanosecondsSimplePacketsAndUnknownBlocks() throws {
        let frame = Self.ethernetUDPFrame(payload: Array("hi".utf8))
        var file = HandMadeFile(bigEndian: true)
        file.block(0x0A0D_0D0A, [0x1A, 0x2B, 0x3C, 0x4D, 0, 1, 0, 0] + [UInt8](repeating: 0xFF, count: 8)
                   + file.option(1, Array("made by hand".utf8)) + file.option(0, []))
        file.block(1, file.u16(1) + file.u16(0) + file.u32(65_535) + file.option(9, [9]) + file.option(2, Array("eth0".utf8)) + file.option(0, []))
        let nanoseconds: UInt64 = 1_764_670_000_123_456_789
        file.block(6, file.u32(0) + file.u32(UInt32(nanoseconds >> 32)) + file.u32(UInt32(nanoseconds & 0xFFFF_FFFF))
                   + file.u32(UInt32(frame.count)) + file.u32(UInt32(frame.count)) + file.padded(frame)
                   + file.option(1, Array("hello".utf8)) + file.option(0, []))
        file.block(3, file.u32(UInt32(frame.count)) + file.padded(frame))
        file.block(0xBAD, [1, 2, 3, 4])

        let blocks = try PcapngReader.blocks(in: file.bytes)
        #expect(blocks.count == 5)
        #expect(blocks[0] == .section(bigEndian: true, application: nil, comments: ["made by hand"]))
        guard case .interface(let interface) = blocks[1], case .packet(let packet) = blocks[2], case .packet(let simple) = blocks[3] else {
            Issue.record("unexpected blocks \(blocks)")
            return
        }
        #expect(interface.linkType == .ethernet && interface.name == "eth0" && interface.timestampResolution == 9)
        #expect(packet.time == 1_764_670_000_123_456 && packet.data == frame && packet.comments == ["hello"])
        #expect(simple.time == nil && simple.data == frame && simple.interfaceID == 0)
        #expect(blocks[4] == .other(type: 0xBAD))
        let decoded = try #require(PacketDecoder.decode(packet.data, linkType: packet.linkType))
        #expect(decoded.source == .ipv4(address: [10, 0, 0, 1], port: 1234) && decoded.destination == .ipv4(address: [10, 0, 0, 2], port: 53))
        #expect(Array(packet.data[decoded.payload]) == Array("hi".utf8))
    }

    @Test func aSecondSectionMayUseTheOtherByteOrder() throws {
        var bigEndian = HandMadeFile(bigEndian: true)
        bigEndian.block(0x0A0D_0D0A, [0x1A, 0x2B, 0x3C, 0x4D, 0, 1, 0, 0] + [UInt8](repeating: 0xFF, count: 8))
        bigEndian.block(1, bigEndian.u16(101) + bigEndian.u16(0) + bigEndian.u32(0))
        let ours = Self.capture([.opened(Self.tcp, .handshake, at: Self.t0)])
        let blocks = try PcapngReader.blocks(in: bigEndian.bytes + ours)
        let packets = blocks.compactMap { block -> PcapngPacket? in if case .packet(let p) = block { p } else { nil } }
        #expect(packets.count == 3 && packets.allSatisfy { $0.time == Self.t0 && $0.interfaceID == 0 })
        #expect(blocks.filter { if case .section = $0 { true } else { false } }.count == 2)
    }

    @Test func damagedFilesAreNamedErrors() throws {
        let good = Self.capture([.opened(Self.tcp, .handshake, at: Self.t0), .sent(socket: 3, bytes: [1, 2, 3], at: Self.t0)])
        let pcap: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0] + [UInt8](repeating: 0, count: 16)
        #expect(throws: PcapngError("not a pcapng file: it starts with block type 0xa1b2c3d4, not a section header")) {
            try PcapngReader.blocks(in: pcap)
        }
        #expect(throws: PcapngError("the file ends inside a block")) { try PcapngReader.blocks(in: Array(good.dropLast(3))) }
        var badLength = good
        let firstPacket = try #require(Self.offsetOfFirstPacket(good))
        badLength[firstPacket + 4] = 13
        #expect(throws: PcapngError("block at offset \(firstPacket) has an invalid length 13")) { try PcapngReader.blocks(in: badLength) }
        var badInterface = good
        badInterface[firstPacket + 8] = 5
        #expect(throws: PcapngError("packet at offset \(firstPacket) names interface 5, which is not described")) {
            try PcapngReader.blocks(in: badInterface)
        }
    }

    @Test func piecesOfAnySizeGiveTheSameBlocks() throws {
        let file = Self.capture([.opened(Self.tcp, .handshake, at: Self.t0), .received(socket: 3, bytes: seededBytes(150_000, seed: 8), at: Self.t0),
                                 .closed(socket: 3, at: Self.t0 + 9)])
        let whole = try PcapngReader.blocks(in: file)
        var generator = SeededGenerator(seed: 5)
        for _ in 0 ..< 3 {
            var reader = PcapngReader()
            var blocks: [PcapngBlock] = []
            var offset = 0
            while offset < file.count {
                let count = min(file.count - offset, Int.random(in: 1 ... 9_000, using: &generator))
                reader.append(file[offset ..< offset + count])
                offset += count
                while let block = try reader.next() { blocks.append(block) }
            }
            #expect(reader.isAtBlockBoundary && blocks == whole)
        }
    }

    /// What `replay FILE socket=#N` needs: every socket's chunks each way with their times, the
    /// chunk boundaries kept across segment splits; both ends of a connection between two of
    /// sockpit's own sockets; UDP datagrams with their peers; a Unix pair.
    @Test func capturedSocketsListChunksAndTimesPerSocket() throws {
        let accepted = CaptureSocket(id: 4, transport: .tcp, local: Self.server, remote: Self.client, initiator: .remote)
        let unnamed = SocketAddress.unix(path: "")
        let pairA = CaptureSocket(id: 5, transport: .unix, local: unnamed, remote: unnamed, otherEnd: 6)
        let pairB = CaptureSocket(id: 6, transport: .unix, local: unnamed, remote: unnamed, initiator: .remote, otherEnd: 5)
        let udp = CaptureSocket(id: 7, transport: .udp, local: .ipv4(address: [127, 0, 0, 1], port: 5353), remote: nil)
        let peer = SocketAddress.ipv4(address: [127, 0, 0, 1], port: 6000)
        let big = seededBytes(100_000, seed: 1), small = Array("ok\n".utf8), reply = seededBytes(70_000, seed: 2)
        let file = Self.capture([
            .opened(Self.tcp, .handshake, at: Self.t0), .sent(socket: 3, bytes: big, at: Self.t0 + 10),
            .opened(accepted, .handshake, at: Self.t0 + 11), .received(socket: 4, bytes: big, at: Self.t0 + 12),
            .sent(socket: 3, bytes: small, at: Self.t0 + 20), .received(socket: 4, bytes: small, at: Self.t0 + 21),
            .sent(socket: 4, bytes: reply, at: Self.t0 + 30), .received(socket: 3, bytes: reply, at: Self.t0 + 31),
            .opened(pairA, .handshake, at: Self.t0 + 40), .opened(pairB, .handshake, at: Self.t0 + 40),
            .sent(socket: 6, bytes: small, at: Self.t0 + 41), .received(socket: 5, bytes: small, at: Self.t0 + 42),
            .opened(udp, .handshake, at: Self.t0 + 50), .receivedDatagram(socket: 7, from: peer, bytes: [1], at: Self.t0 + 51),
            .sentDatagram(socket: 7, to: peer, bytes: [2, 2], at: Self.t0 + 52),
        ])
        let sockets = try CapturedSockets.read(pcapng: file)
        #expect(sockets.keys.sorted() == [3, 4, 5, 6, 7])
        let chunk = { (time: Microseconds, bytes: [UInt8]) in CapturedChunk(time: Self.t0 + time, bytes: bytes) }
        #expect(sockets[3]?.transport == .tcp && sockets[3]?.endpoint == Self.client)
        #expect(sockets[3]?.sent == [chunk(10, big), chunk(20, small)] && sockets[3]?.received == [chunk(30, reply)])
        #expect(sockets[4]?.sent == [chunk(30, reply)] && sockets[4]?.received == [chunk(10, big), chunk(20, small)])
        #expect(sockets[5]?.transport == .unix && sockets[5]?.sent == [] && sockets[5]?.received == [chunk(41, small)])
        #expect(sockets[6]?.sent == [chunk(41, small)])
        #expect(sockets[7]?.transport == .udp)
        #expect(sockets[7]?.received == [CapturedChunk(time: Self.t0 + 51, bytes: [1], peer: peer)])
        #expect(sockets[7]?.sent == [CapturedChunk(time: Self.t0 + 52, bytes: [2, 2], peer: peer)])
    }

    /// Damaged and random input never crashes the reader, the decoder or the reassembler: each
    /// file is read to its end or to a `PcapngError`.
    @Test func damagedInputNeverCrashes() throws {
        let good = Self.capture([
            .opened(Self.tcp, .handshake, at: Self.t0), .sent(socket: 3, bytes: seededBytes(3_000, seed: 1), at: Self.t0),
            .opened(CaptureSocket(id: 7, transport: .udp, local: Self.server, remote: nil), .handshake, at: Self.t0),
            .receivedDatagram(socket: 7, from: Self.client, bytes: [1, 2, 3], at: Self.t0), .reset(socket: 3, by: .local, at: Self.t0),
        ])
        var generator = SeededGenerator(seed: 99)
        var outcomes = (read: 0, failed: 0)
        for round in 0 ..< 3_000 {
            var file = good
            if round % 10 == 0 {
                file = seededBytes(Int.random(in: 0 ... 300, using: &generator), seed: UInt64(round))
                if round % 20 == 0 { file = Array(good.prefix(28)) + file }  // a real section header, then garbage
            } else {
                for _ in 0 ..< Int.random(in: 1 ... 8, using: &generator) {
                    file[Int.random(in: 0 ..< file.count, using: &generator)] = UInt8.random(in: 0 ... 255, using: &generator)
                }
                if round % 7 == 0 { file.removeLast(Int.random(in: 0 ..< file.count, using: &generator)) }
            }
            do {
                var reassembler = CaptureReassembler()
                var items = 0
                for block in try PcapngReader.blocks(in: file) {
                    if case .packet(let packet) = block { reassembler.add(packet) { _ in items += 1 } }
                }
                outcomes.read += 1
            } catch {
                #expect(!error.message.isEmpty)
                outcomes.failed += 1
            }
        }
        #expect(outcomes.read > 100 && outcomes.failed > 100, "\(outcomes)")
    }

    // MARK: Helpers

    static let client = SocketAddress.ipv4(address: [127, 0, 0, 1], port: 40_000)
    static let server = SocketAddress.ipv4(address: [127, 0, 0, 1], port: 5000)
    static let tcp = CaptureSocket(id: 3, transport: .tcp, local: client, remote: server)

    static func capture(_ events: [CaptureEvent]) -> [UInt8] {
        var writer = PcapngWriter()
        var buffer: [UInt8] = []
        writer.appendHeader(to: &buffer)
        for event in events { writer.append(event, to: &buffer) }
        return buffer
    }

    /// Where the first Enhanced Packet Block starts in one of our captures (little-endian).
    static func offsetOfFirstPacket(_ file: [UInt8]) -> Int? {
        var offset = 0
        while offset + 8 <= file.count {
            let type = UInt32(file[offset]) | UInt32(file[offset + 1]) << 8 | UInt32(file[offset + 2]) << 16 | UInt32(file[offset + 3]) << 24
            if type == 6 { return offset }
            offset += Int(file[offset + 4]) | Int(file[offset + 5]) << 8 | Int(file[offset + 6]) << 16 | Int(file[offset + 7]) << 24
        }
        return nil
    }

    /// An Ethernet frame with IPv4 10.0.0.1:1234 → 10.0.0.2:53 UDP (checksums not filled in).
    static func ethernetUDPFrame(payload: [UInt8]) -> [UInt8] {
        let udpLength = 8 + payload.count
        let ip: [UInt8] = [0x45, 0, UInt8((20 + udpLength) >> 8), UInt8((20 + udpLength) & 0xFF), 0, 0, 0x40, 0, 64, 17, 0, 0,
                           10, 0, 0, 1, 10, 0, 0, 2]
        let udp: [UInt8] = [0x04, 0xD2, 0, 53, UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0]
        return [UInt8](repeating: 0, count: 12) + [0x08, 0x00] + ip + udp + payload
    }
}

/// A pcapng file assembled by hand, in either byte order.
struct HandMadeFile {
    let bigEndian: Bool
    private(set) var bytes: [UInt8] = []

    init(bigEndian: Bool) { self.bigEndian = bigEndian }

    func u16(_ value: UInt16) -> [UInt8] {
        bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    func u32(_ value: UInt32) -> [UInt8] {
        let high = u16(UInt16(value >> 16)), low = u16(UInt16(value & 0xFFFF))
        return bigEndian ? high + low : low + high
    }

    func padded(_ value: [UInt8]) -> [UInt8] { value + [UInt8](repeating: 0, count: (4 - value.count % 4) % 4) }

    func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] { u16(code) + u16(UInt16(value.count)) + padded(value) }

    mutating func block(_ type: UInt32, _ body: [UInt8]) {
        let length = UInt32(12 + body.count)
        bytes += u32(type) + u32(length) + body + u32(length)
    }
}
