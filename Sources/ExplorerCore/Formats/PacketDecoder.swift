// PacketDecoder — reads the IP and TCP/UDP headers of a captured packet: addresses, ports, TCP
// sequence numbers and flags, and where the payload is. Knows raw IP (what sockpit writes) and the
// link layers tcpdump writes on Linux (Ethernet, Linux cooked v1 and v2).

import SocketKit

/// The transport part of a decoded packet.
public enum DecodedTransport: Sendable, Equatable {
    case tcp(sequence: UInt32, acknowledgement: UInt32, flags: UInt8)
    case udp
}

/// A TCP segment or UDP datagram taken out of a captured packet.
public struct DecodedPacket: Sendable, Equatable {
    public var source: SocketAddress
    public var destination: SocketAddress
    public var transport: DecodedTransport
    /// Where the payload lies in the packet's data.
    public var payload: Range<Int>

    public var isSYN: Bool { flag(TCPFlags.syn) }
    public var isFIN: Bool { flag(TCPFlags.fin) }
    public var isRST: Bool { flag(TCPFlags.rst) }
    public var isPSH: Bool { flag(TCPFlags.psh) }
    public var isACK: Bool { flag(TCPFlags.ack) }

    private func flag(_ bit: UInt8) -> Bool {
        if case .tcp(_, _, let flags) = transport { return flags & bit != 0 }
        return false
    }
}

/// Decodes captured packets; nil for anything that is not an unfragmented IPv4/IPv6 TCP or UDP
/// packet whose headers were captured whole.
public enum PacketDecoder {
    public static func decode(_ data: [UInt8], linkType: LinkType) -> DecodedPacket? {
        guard let ipStart = ipOffset(data, linkType) else { return nil }
        return data.withUnsafeBytes { decodeIP($0, from: ipStart) }
    }

    /// Where the IP header starts for this link type; nil when the frame carries something else.
    private static func ipOffset(_ data: [UInt8], _ linkType: LinkType) -> Int? {
        func etherType(at offset: Int) -> UInt16? {
            data.count >= offset + 2 ? UInt16(data[offset]) << 8 | UInt16(data[offset + 1]) : nil
        }
        func ifIP(_ type: UInt16?, _ offset: Int) -> Int? { type == 0x0800 || type == 0x86DD ? offset : nil }
        switch linkType {
        case .raw, .ipv4, .ipv6: return 0
        case .ethernet:
            if etherType(at: 12) == 0x8100 { return ifIP(etherType(at: 16), 18) }  // one VLAN tag
            return ifIP(etherType(at: 12), 14)
        case .linuxCooked: return ifIP(etherType(at: 14), 16)
        case .linuxCooked2: return ifIP(etherType(at: 0), 20)
        default: return nil
        }
    }

    private static func decodeIP(_ p: UnsafeRawBufferPointer, from start: Int) -> DecodedPacket? {
        guard p.count > start else { return nil }
        let version = p[start] >> 4
        var proto: UInt8
        var transportStart: Int
        var end: Int
        var source: [UInt8], destination: [UInt8]
        if version == 4 {
            let headerLength = Int(p[start] & 0x0F) * 4
            guard headerLength >= 20, p.count >= start + headerLength else { return nil }
            let total = Int(be16(p, start + 2))
            let fragment = be16(p, start + 6)
            guard fragment & 0x3FFF == 0 else { return nil }  // more fragments, or not the first
            proto = p[start + 9]
            source = Array(p[start + 12 ..< start + 16])
            destination = Array(p[start + 16 ..< start + 20])
            transportStart = start + headerLength
            end = min(p.count, start + total)
        } else if version == 6 {
            guard p.count >= start + 40 else { return nil }
            end = min(p.count, start + 40 + Int(be16(p, start + 4)))
            proto = p[start + 6]
            source = Array(p[start + 8 ..< start + 24])
            destination = Array(p[start + 24 ..< start + 40])
            transportStart = start + 40
            // Hop-by-hop, routing and destination options headers; a fragment header ends the search.
            while [0, 43, 60].contains(proto), transportStart + 8 <= end {
                proto = p[transportStart]
                transportStart += (Int(p[transportStart + 1]) + 1) * 8
            }
        } else {
            return nil
        }
        let v6 = version == 6
        func address(_ bytes: [UInt8], _ port: UInt16) -> SocketAddress {
            v6 ? .ipv6(address: bytes, port: port, scopeID: 0) : .ipv4(address: bytes, port: port)
        }
        switch proto {
        case PacketBlock.tcpProtocol:
            guard transportStart + 20 <= end else { return nil }
            let offset = Int(p[transportStart + 12] >> 4) * 4
            guard offset >= 20, transportStart + offset <= end else { return nil }
            return DecodedPacket(source: address(source, be16(p, transportStart)),
                                 destination: address(destination, be16(p, transportStart + 2)),
                                 transport: .tcp(sequence: be32(p, transportStart + 4), acknowledgement: be32(p, transportStart + 8),
                                                 flags: p[transportStart + 13]),
                                 payload: transportStart + offset ..< end)
        case PacketBlock.udpProtocol:
            guard transportStart + 8 <= end else { return nil }
            let length = Int(be16(p, transportStart + 4))
            guard length >= 8 else { return nil }
            return DecodedPacket(source: address(source, be16(p, transportStart)),
                                 destination: address(destination, be16(p, transportStart + 2)),
                                 transport: .udp, payload: transportStart + 8 ..< min(end, transportStart + length))
        default:
            return nil
        }
    }

    private static func be16(_ p: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(p[offset]) << 8 | UInt16(p[offset + 1])
    }

    private static func be32(_ p: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(be16(p, offset)) << 16 | UInt32(be16(p, offset + 2))
    }
}
