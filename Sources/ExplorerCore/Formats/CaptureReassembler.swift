// CaptureReassembler — rebuilds each TCP stream's bytes per direction from captured packets, in
// order and without duplicates, numbering streams as Wireshark does (`tcp.stream`); lists UDP
// datagrams; and reports the comments that name sockpit's sockets. Streams what it finds to a
// callback, so a capture of any size is read in bounded memory.

import SocketKit

/// Turns captured packets into stream bytes, datagrams and socket names.
public struct CaptureReassembler {
    /// What the packets carried, in file order.
    public enum Item: Sendable, Equatable {
        /// The next bytes of stream `stream` from its initiator (or from the other end); `endsChunk`
        /// when the segment had PSH, which sockpit sets on the last segment of each chunk.
        case streamBytes(stream: Int, fromInitiator: Bool, bytes: ArraySlice<UInt8>, time: Microseconds, endsChunk: Bool)
        /// One UDP datagram.
        case datagram(source: SocketAddress, destination: SocketAddress, bytes: ArraySlice<UInt8>, time: Microseconds)
        /// A sockpit comment naming socket `socket` as one end of a packet: of stream `stream`
        /// (nil for UDP), the packet's source or destination.
        /// `transport` is what the comment says the socket is (a mapped Unix stream says `unix`).
        case socketNamed(socket: Int, endpoint: SocketAddress, transport: Transport?, stream: Int?, isInitiator: Bool)
        /// A FIN or RST of stream `stream`.
        case streamEnded(stream: Int, fromInitiator: Bool, reset: Bool)
    }

    /// A TCP stream seen in the capture.
    public struct Stream: Sendable, Equatable {
        public let index: Int
        /// The end that sent the stream's first packet (the SYN when the handshake was captured).
        public let initiator: SocketAddress
        public let acceptor: SocketAddress
        /// Payload bytes delivered, from the initiator and from the acceptor.
        public internal(set) var bytesFromInitiator = 0
        public internal(set) var bytesFromAcceptor = 0
        var next: [UInt32?] = [nil, nil]
        var finished = [false, false]
        var wasReset = false
        var isOver: Bool { wasReset || (finished[0] && finished[1]) }
    }

    public private(set) var streams: [Stream] = []
    /// Bytes that sequence numbers say are missing (segments not captured).
    public private(set) var missingBytes = 0
    /// Packets that were not TCP or UDP over IP.
    public private(set) var undecodedPackets = 0
    private var active: [OrderedPair<SocketAddress>: Int] = [:]

    public init() {}

    /// Reads one packet and reports what it carried.
    public mutating func add(_ packet: PcapngPacket, _ emit: (Item) -> Void) {
        guard let decoded = PacketDecoder.decode(packet.data, linkType: packet.linkType) else {
            undecodedPackets += 1
            return
        }
        let time = packet.time ?? 0
        let payload = packet.data[decoded.payload]
        guard case .tcp(let sequence, _, _) = decoded.transport else {
            name(packet.comments, decoded, stream: nil, fromInitiator: true, emit)
            emit(.datagram(source: decoded.source, destination: decoded.destination, bytes: payload, time: time))
            return
        }
        let (index, fromInitiator) = stream(for: decoded)
        name(packet.comments, decoded, stream: index, fromInitiator: fromInitiator, emit)
        let side = fromInitiator ? 0 : 1
        var start = sequence
        if decoded.isSYN {
            streams[index].next[side] = sequence &+ 1
            start &+= 1
        }
        let expected = streams[index].next[side] ?? start
        var delivered = payload
        let ahead = Int32(bitPattern: start &- expected)
        if ahead > 0 {
            missingBytes += Int(ahead)
        } else if ahead < 0 {
            delivered = delivered.dropFirst(-Int(ahead))  // already delivered: a retransmission
        }
        if !delivered.isEmpty {
            if fromInitiator { streams[index].bytesFromInitiator += delivered.count } else { streams[index].bytesFromAcceptor += delivered.count }
            emit(.streamBytes(stream: index, fromInitiator: fromInitiator, bytes: delivered, time: time, endsChunk: decoded.isPSH))
        }
        let end = start &+ UInt32(payload.count)
        if ahead >= 0 || Int32(bitPattern: end &- expected) > 0 { streams[index].next[side] = end }
        if decoded.isFIN && !streams[index].finished[side] {
            streams[index].finished[side] = true
            streams[index].next[side] = (streams[index].next[side] ?? end) &+ 1
            emit(.streamEnded(stream: index, fromInitiator: fromInitiator, reset: false))
        }
        if decoded.isRST && !streams[index].wasReset {
            streams[index].wasReset = true
            emit(.streamEnded(stream: index, fromInitiator: fromInitiator, reset: true))
        }
    }

    /// The stream a segment belongs to, and whether it comes from the initiator. A new stream
    /// starts at the first packet between two endpoints, and at a SYN after the previous
    /// connection between them ended (the ports were reused), as Wireshark counts them.
    private mutating func stream(for packet: DecodedPacket) -> (Int, Bool) {
        let forward = OrderedPair(packet.source, packet.destination)
        let backward = OrderedPair(packet.destination, packet.source)
        let isNewSYN = packet.isSYN && !packet.isACK
        if let index = active[forward], !(isNewSYN && streams[index].isOver) { return (index, true) }
        if let index = active[backward], !(isNewSYN && streams[index].isOver) { return (index, false) }
        active[backward] = nil
        let index = streams.count
        streams.append(Stream(index: index, initiator: packet.source, acceptor: packet.destination))
        active[forward] = index
        return (index, true)
    }

    private func name(_ comments: [String], _ packet: DecodedPacket, stream: Int?, fromInitiator: Bool, _ emit: (Item) -> Void) {
        for comment in comments {
            guard let (socket, endpoint, transport) = CaptureComment.parseIdentity(comment) else { continue }
            if endpoint == packet.source.description {
                emit(.socketNamed(socket: socket, endpoint: packet.source, transport: transport, stream: stream, isInitiator: fromInitiator))
            } else if endpoint == packet.destination.description {
                emit(.socketNamed(socket: socket, endpoint: packet.destination, transport: transport, stream: stream,
                                  isInitiator: !fromInitiator))
            }
        }
    }

    /// Reads a capture from `read`, which fills its argument with the next bytes and returns how
    /// many (0 at the end): the file is never held whole. `emit` gets every item in order.
    public static func read(_ read: (inout [UInt8]) throws -> Int, _ emit: (Item) -> Void) throws -> CaptureReassembler {
        var reader = PcapngReader()
        var reassembler = CaptureReassembler()
        var piece = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try read(&piece)
            if count == 0 { break }
            reader.append(piece[0 ..< count])
            while let block = try reader.next() {
                if case .packet(let packet) = block { reassembler.add(packet, emit) }
            }
        }
        guard reader.isAtBlockBoundary else { throw PcapngError("the file ends inside a block") }
        return reassembler
    }
}
