// CaptureAddressing — which IP addresses a capture shows for a socket: its real ones where it has
// them (IPv4-mapped IPv6 written as the IPv4 it is, a wildcard bind shown as the loopback address
// the kernel really used), and synthetic IPv4 loopback addresses for Unix-domain streams.

import SocketKit

/// An IP address and port as they appear in a packet: 4 or 16 address bytes.
struct WireEndpoint: Hashable, Sendable, CustomStringConvertible {
    var address: [UInt8]
    var port: UInt16

    var isIPv6: Bool { address.count == 16 }

    /// The IP form of `socketAddress`; nil for a Unix path. `::ffff:a.b.c.d` becomes `a.b.c.d`: a
    /// dual-stack socket talking to an IPv4 peer sends IPv4 packets.
    init?(_ socketAddress: SocketAddress) {
        switch socketAddress {
        case .ipv4(let address, let port):
            self.init(address: address, port: port)
        case .ipv6(let address, let port, _):
            if address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
                self.init(address: Array(address[12...]), port: port)
            } else {
                self.init(address: address, port: port)
            }
        case .unix:
            return nil
        }
    }

    init(address: [UInt8], port: UInt16) {
        self.address = address
        self.port = port
    }

    var isWildcard: Bool { address.allSatisfy { $0 == 0 } }
    var isLoopback: Bool { isIPv6 ? address == Self.loopbackV6 : address.first == 127 }

    /// `127.0.0.1:5000` or `[::1]:80`, as sockpit prints addresses.
    var description: String { socketAddress.description }

    var socketAddress: SocketAddress {
        isIPv6 ? .ipv6(address: address, port: port, scopeID: 0) : .ipv4(address: address, port: port)
    }

    static let loopbackV4: [UInt8] = [127, 0, 0, 1]
    static let loopbackV6: [UInt8] = [UInt8](repeating: 0, count: 15) + [1]

    /// The address a socket bound to `local` really sends from when talking to `peer`. A wildcard
    /// (or unknown) local address becomes the loopback address when the peer is on loopback, which
    /// is the source the kernel picks; towards other peers the wildcard stays, as sockpit cannot know
    /// the route's source address. A local address of the other family than the peer's (a `::`
    /// socket talking IPv4) takes the peer's family.
    static func source(local: WireEndpoint?, towards peer: WireEndpoint) -> WireEndpoint {
        let port = local?.port ?? 0
        if let local, !local.isWildcard, local.isIPv6 == peer.isIPv6 { return local }
        if peer.isLoopback { return WireEndpoint(address: peer.isIPv6 ? loopbackV6 : loopbackV4, port: port) }
        return WireEndpoint(address: [UInt8](repeating: 0, count: peer.isIPv6 ? 16 : 4), port: port)
    }

    /// The wildcard addresses a socket receiving from `peer` might be bound to: `0.0.0.0:P`, and
    /// `[::]:P` (dual stack), for the duplicate check of datagrams between two sockpit sockets.
    func wildcards() -> [WireEndpoint] {
        [WireEndpoint(address: [0, 0, 0, 0], port: port), WireEndpoint(address: [UInt8](repeating: 0, count: 16), port: port)]
    }
}

/// Where a Unix-domain stream appears in a capture: TCP over IPv4 between two addresses derived
/// from the id of the sockpit socket the stream was first seen on (see DECISIONS.md, "Capture
/// files"). Its first packet's comment gives the path and the `#id`.
enum UnixStreamMapping {
    /// 127.1.H.L for that socket's end and 127.2.H.L for the other, H.L being the id's low 16 bits;
    /// both ports 49152 + the next 14 bits, so ids below 2^30 never share a stream.
    static func endpoints(socketID: Int) -> (own: WireEndpoint, other: WireEndpoint) {
        let id = UInt(truncatingIfNeeded: socketID)
        let high = UInt8(truncatingIfNeeded: id >> 8), low = UInt8(truncatingIfNeeded: id)
        let port = UInt16(49_152 + ((id >> 16) & 0x3FFF))
        return (WireEndpoint(address: [127, 1, high, low], port: port), WireEndpoint(address: [127, 2, high, low], port: port))
    }
}

/// Two values in order, as a dictionary key: a stream's two endpoints.
struct OrderedPair<Element: Hashable>: Hashable {
    let first: Element
    let second: Element
    init(_ first: Element, _ second: Element) {
        self.first = first
        self.second = second
    }
}
