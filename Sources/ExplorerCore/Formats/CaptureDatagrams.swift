// CaptureDatagrams — the UDP side of the capture writer: each datagram one packet between the
// socket's address and its real peer (an unconnected socket talks to many), written once even when
// both ends are sockpit's.

import SocketKit

/// sockpit's UDP sockets in a capture and the packets of their datagrams.
struct CaptureDatagrams {
    private struct Socket {
        var local: WireEndpoint?
        var remote: WireEndpoint?
        /// True once a packet's comment has named this socket.
        var named = false
        var identification: UInt16 = 0
    }

    private var sockets: [Int: Socket] = [:]
    /// Each open socket by its (normalized, possibly wildcard) local address.
    private var byLocal: [WireEndpoint: Int] = [:]

    /// Adds a UDP socket, or updates its addresses. False when an address is not IP.
    mutating func open(_ socket: CaptureSocket) -> Bool {
        let local = socket.local.flatMap(WireEndpoint.init)
        let remote = socket.remote.flatMap(WireEndpoint.init)
        if (socket.local != nil && local == nil) || (socket.remote != nil && remote == nil) { return false }
        var entry = sockets[socket.id] ?? Socket()
        if let old = entry.local, byLocal[old] == socket.id { byLocal[old] = nil }
        entry.local = local
        entry.remote = remote
        sockets[socket.id] = entry
        if let local { byLocal[local] = socket.id }
        return true
    }

    /// True when `id` is an open UDP socket of the capture.
    func knows(_ id: Int) -> Bool { sockets[id] != nil }

    /// Forgets a UDP socket; false when `id` is not one.
    mutating func close(_ id: Int) -> Bool {
        guard let entry = sockets.removeValue(forKey: id) else { return false }
        if let local = entry.local, byLocal[local] == id { byLocal[local] = nil }
        return true
    }

    /// A datagram from socket `id` to `peer` (nil: its connected peer). False when unknown.
    mutating func sent(_ id: Int, to peer: SocketAddress?, _ bytes: [UInt8], at time: Microseconds, interface: UInt32,
                       to out: inout [UInt8]) -> Bool {
        guard let entry = sockets[id], let destination = peer.flatMap(WireEndpoint.init) ?? entry.remote else { return false }
        let source = WireEndpoint.source(local: entry.local, towards: destination)
        var comments = name(id, as: source)
        if let receiver = owner(of: destination), receiver != id { comments += name(receiver, as: destination) }
        append(bytes, from: source, to: destination, socket: id, interface: interface, time: time, comments: comments, out: &out)
        return true
    }

    /// A datagram socket `id` received from `peer`. Nothing is written when the sender is one of
    /// sockpit's UDP sockets: its `sent` already wrote the packet. False when unknown.
    mutating func received(_ id: Int, from peer: SocketAddress, _ bytes: [UInt8], at time: Microseconds, interface: UInt32,
                           to out: inout [UInt8]) -> Bool {
        guard let entry = sockets[id], let source = WireEndpoint(peer) else { return false }
        if owner(of: source) != nil { return true }
        let destination = WireEndpoint.source(local: entry.local, towards: source)
        append(bytes, from: source, to: destination, socket: id, interface: interface, time: time,
               comments: name(id, as: destination), out: &out)
        return true
    }

    /// The comment naming socket `id` the first time one of its packets is written.
    private mutating func name(_ id: Int, as endpoint: WireEndpoint) -> [String] {
        guard let entry = sockets[id], !entry.named else { return [] }
        sockets[id]!.named = true
        let detail = entry.remote.map { "udp, connected to \($0)" } ?? "udp"
        return [CaptureComment.identity(socket: id, is: endpoint, detail: detail)]
    }

    /// The sockpit UDP socket bound to `endpoint`, exactly or through a wildcard.
    private func owner(of endpoint: WireEndpoint) -> Int? {
        if let id = byLocal[endpoint] { return id }
        for wildcard in endpoint.wildcards() { if let id = byLocal[wildcard] { return id } }
        return nil
    }

    private mutating func append(_ bytes: [UInt8], from source: WireEndpoint, to destination: WireEndpoint, socket id: Int,
                                 interface: UInt32, time: Microseconds, comments: [String], out: inout [UInt8]) {
        var comments = comments
        let limit = source.isIPv6 ? PcapngWriter.maxDatagramIPv6 : PcapngWriter.maxDatagramIPv4
        let count = min(bytes.count, limit)
        if count < bytes.count { comments.append("datagram of \(bytes.count) bytes cut to \(count), the most an IP packet holds") }
        let identification = sockets[id]?.identification ?? 0
        sockets[id]?.identification &+= 1
        let udpLength = 8 + count
        bytes.withUnsafeBufferPointer { all in
            let payload = UnsafeBufferPointer(rebasing: all[0 ..< count])
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: PacketBlock.scratchSize) { buffer in
                let scratch = buffer.baseAddress!
                let ip = scratch + Pcapng.enhancedPacketHeaderSize
                let ipSize = PacketBlock.writeIPHeader(ip, source: source, destination: destination, protocol: PacketBlock.udpProtocol,
                                                       payloadLength: udpLength, identification: identification)
                let udp = UnsafeMutableRawPointer(ip + ipSize)
                udp.storeBytes(of: source.port.bigEndian, toByteOffset: 0, as: UInt16.self)
                udp.storeBytes(of: destination.port.bigEndian, toByteOffset: 2, as: UInt16.self)
                udp.storeBytes(of: UInt16(udpLength).bigEndian, toByteOffset: 4, as: UInt16.self)
                udp.storeBytes(of: UInt16(0), toByteOffset: 6, as: UInt16.self)
                var sum = PacketBlock.pseudoHeaderSum(source: source, destination: destination, protocol: PacketBlock.udpProtocol)
                sum.add(networkOrder: UInt16(udpLength))
                sum.add(UnsafeRawBufferPointer(start: udp, count: 8))
                sum.add(UnsafeRawBufferPointer(payload))
                // A computed zero is sent as all ones: zero means "no checksum" (RFC 768).
                let checksum = sum.checksum
                udp.storeBytes(of: checksum == 0 ? 0xFFFF : checksum, toByteOffset: 6, as: UInt16.self)
                PacketBlock.append(scratch: scratch, headerCount: ipSize + 8, payload: payload, interface: interface,
                                   time: time, comments: comments, to: &out)
            }
        }
    }
}
