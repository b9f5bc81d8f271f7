// CapturedSockets — sockpit's sockets as a capture file shows them: each one's chunks each way,
// with their times (and a datagram's peer). What `replay FILE socket=#N` reads from a pcapng file
// written by sockpit, whose packet comments name the sockets and whose PSH flags end the chunks.

import SocketKit

/// One chunk a socket sent or received: one `send`/`recv` of a stream, or one datagram.
public struct CapturedChunk: Sendable, Equatable {
    /// Microseconds since the epoch.
    public var time: Microseconds
    public var bytes: [UInt8]
    /// UDP: the other end of the datagram. nil for streams.
    public var peer: SocketAddress?

    public init(time: Microseconds, bytes: [UInt8], peer: SocketAddress? = nil) {
        self.time = time
        self.bytes = bytes
        self.peer = peer
    }
}

/// A socket of the capture with everything it sent and received, in order.
public struct CapturedSocket: Sendable, Equatable {
    public let id: Int
    public var transport: Transport
    /// Its address as the packets show it (for a mapped Unix socket, the synthetic one).
    public var endpoint: SocketAddress
    public var sent: [CapturedChunk] = []
    public var received: [CapturedChunk] = []
}

/// Collects sockets and their chunks from the items of a `CaptureReassembler`.
public struct CapturedSockets {
    /// Sockets by id, complete once every item has been added and `finish` called.
    public private(set) var sockets: [Int: CapturedSocket] = [:]
    /// Chunks of each stream direction (stream, fromInitiator), the last perhaps still open. They
    /// are kept by stream, not by socket, because an end of a stream may be named after its first
    /// bytes (the accepted side of a connection to sockpit's own listener).
    private var streamChunks: [StreamDirection: [CapturedChunk]] = [:]
    private var openChunk: Set<StreamDirection> = []
    private var streamOwners: [Int: [(socket: Int, isInitiator: Bool)]] = [:]
    /// UDP sockets by the endpoint their comment named (the latest socket wins: ports are reused).
    private var datagramOwners: [SocketAddress: Int] = [:]

    public init() {}

    /// Reads a whole sockpit pcapng file in memory.
    public static func read(pcapng bytes: [UInt8]) throws(PcapngError) -> [Int: CapturedSocket] {
        var collected = CapturedSockets()
        var reassembler = CaptureReassembler()
        for block in try PcapngReader.blocks(in: bytes) {
            if case .packet(let packet) = block { reassembler.add(packet) { collected.add($0) } }
        }
        collected.finish()
        return collected.sockets
    }

    public mutating func add(_ item: CaptureReassembler.Item) {
        switch item {
        case .socketNamed(let socket, let endpoint, let transport, let stream, let isInitiator):
            if let stream {
                streamOwners[stream, default: []].append((socket, isInitiator))
                sockets[socket] = CapturedSocket(id: socket, transport: transport ?? .tcp, endpoint: endpoint)
            } else {
                datagramOwners[endpoint] = socket
                if sockets[socket] == nil { sockets[socket] = CapturedSocket(id: socket, transport: .udp, endpoint: endpoint) }
            }
        case .streamBytes(let stream, let fromInitiator, let bytes, let time, let endsChunk):
            let key = StreamDirection(stream: stream, fromInitiator: fromInitiator)
            if openChunk.contains(key) {
                streamChunks[key]![streamChunks[key]!.count - 1].bytes += bytes
            } else {
                streamChunks[key, default: []].append(CapturedChunk(time: time, bytes: Array(bytes)))
                openChunk.insert(key)
            }
            if endsChunk { openChunk.remove(key) }
        case .datagram(let source, let destination, let bytes, let time):
            if let id = datagramOwners[source] { sockets[id]?.sent.append(CapturedChunk(time: time, bytes: Array(bytes), peer: destination)) }
            if let id = datagramOwners[destination] {
                sockets[id]?.received.append(CapturedChunk(time: time, bytes: Array(bytes), peer: source))
            }
        case .streamEnded(let stream, let fromInitiator, _):
            openChunk.remove(StreamDirection(stream: stream, fromInitiator: fromInitiator))
        }
    }

    /// Gives each stream socket its stream's chunks: what its end sent, and what the other sent.
    public mutating func finish() {
        for (stream, owners) in streamOwners {
            for owner in owners {
                sockets[owner.socket]?.sent = streamChunks[StreamDirection(stream: stream, fromInitiator: owner.isInitiator)] ?? []
                sockets[owner.socket]?.received = streamChunks[StreamDirection(stream: stream, fromInitiator: !owner.isInitiator)] ?? []
            }
        }
        openChunk = []
    }
}

private struct StreamDirection: Hashable {
    let stream: Int
    let fromInitiator: Bool
}
