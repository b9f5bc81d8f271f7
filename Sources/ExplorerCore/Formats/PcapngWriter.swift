// PcapngWriter — turns sockpit's capture events into a pcapng file that Wireshark and tshark read:
// each TCP or Unix connection a real TCP stream, each datagram a UDP packet between its real ends.
// Pure: it appends to the caller's buffer and never does I/O; the caller writes the buffer out.

import SocketKit

/// Writes a pcapng capture from `CaptureEvent`s.
///
/// ```swift
/// var writer = PcapngWriter()
/// var buffer: [UInt8] = []
/// writer.append(.opened(socket, .handshake, at: t), to: &buffer)
/// writer.append(.received(socket: 3, bytes: chunk, at: t), to: &buffer)
/// // write `buffer` out, then `buffer.removeAll(keepingCapacity: true)` and go on
/// ```
///
/// The file starts with a Section Header Block (written by the first `append`, or by
/// `appendHeader`); an Interface Description Block is written before the first packet of each kind
/// of link: real TCP/UDP sockets (`LINKTYPE_RAW`, IPv4 and IPv6 alike) and Unix streams mapped to
/// TCP over IPv4. Timestamps never go backwards: an event older than the one before is written at
/// the same time as that one.
public struct PcapngWriter {
    /// The largest TCP payload in one segment: what a 16-bit IPv4 total length holds after the IP
    /// and TCP headers (65535 − 40), and for IPv6 the loopback MTU (65536) less both headers.
    public static let maxSegmentIPv4 = 65_495
    public static let maxSegmentIPv6 = 65_476
    /// The largest UDP payload in one packet (65535 − headers); longer datagrams are cut.
    public static let maxDatagramIPv4 = 65_507
    public static let maxDatagramIPv6 = 65_527
    /// A long chunk gets an ACK after this many segments (about 1 MiB), besides the one after its
    /// last segment, so the bytes in flight stay below the advertised window.
    public static let ackEverySegments = 16

    public struct Options: Sendable {
        /// How TCP checksums are written. UDP checksums are always computed (datagrams are small,
        /// and IPv6 requires them); IPv4 header checksums are always valid.
        public var tcpChecksums = TCPChecksums.computed
        /// The Section Header's application name.
        public var application = "sockpit"
        public init() {}
    }

    /// What a TCP segment's checksum field holds.
    public enum TCPChecksums: Sendable {
        /// The real checksum: one more pass over each payload (about half the writer's speed, see
        /// DECISIONS.md); valid when Wireshark's checksum validation is turned on.
        case computed
        /// The pseudo-header sum that Linux leaves for the device to finish (CHECKSUM_PARTIAL), as
        /// `tcpdump -i lo` captures show it: no pass over the payload. Wireshark does not check
        /// checksums by default; with validation on it reports them as offloaded-looking bad ones.
        case offloaded
    }

    /// Events that named no open socket of the right kind, or data after that side's FIN or a
    /// reset. They write nothing.
    public private(set) var ignoredEvents = 0

    private let options: Options
    private var headerWritten = false
    private var interfaces: [InterfaceKind: UInt32] = [:]
    private var lastTime: Microseconds = 0
    private var streams: [Int: CaptureTCPStream] = [:]
    private var nextStreamKey = 0
    /// Which stream, and which end of it, each open stream socket is.
    private var streamEnds: [Int: (stream: Int, end: Int)] = [:]
    /// Open TCP streams by their two endpoints (end 0, end 1): finds the other end of a connection
    /// between two of sockpit's own sockets.
    private var streamsByEndpoints: [OrderedPair<WireEndpoint>: Int] = [:]
    /// Closed loopback streams kept for a late other end, oldest first (see `close`).
    private var lingering: [Int] = []
    private var datagrams = CaptureDatagrams()

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Appends the Section Header Block if it has not been written yet (a capture with no events
    /// is still a valid file).
    public mutating func appendHeader(to out: inout [UInt8]) {
        guard !headerWritten else { return }
        headerWritten = true
        PcapngEncoding.appendSectionHeader(application: options.application, to: &out)
    }

    /// Appends the packets that `event` means.
    public mutating func append(_ event: CaptureEvent, to out: inout [UInt8]) {
        appendHeader(to: &out)
        switch event {
        case .opened(let socket, let opening, let time):
            open(socket, opening, at: advance(time), to: &out)
        case .sent(let id, let bytes, let time):
            data(id, from: .local, bytes, at: advance(time), to: &out)
        case .received(let id, let bytes, let time):
            data(id, from: .remote, bytes, at: advance(time), to: &out)
        case .sentDatagram(let id, let peer, let bytes, let time):
            let time = advance(time)
            guard datagrams.knows(id) else { ignoredEvents += 1; return }
            let interface = interface(.ip, &out)
            if !datagrams.sent(id, to: peer, bytes, at: time, interface: interface, to: &out) { ignoredEvents += 1 }
        case .receivedDatagram(let id, let peer, let bytes, let time):
            let time = advance(time)
            guard datagrams.knows(id) else { ignoredEvents += 1; return }
            let interface = interface(.ip, &out)
            if !datagrams.received(id, from: peer, bytes, at: time, interface: interface, to: &out) { ignoredEvents += 1 }
        case .finished(let id, let side, let time):
            let time = advance(time)
            if let (key, end) = target(of: id, side: side) { streams[key]!.appendFin(from: end, time: time, to: &out) }
        case .reset(let id, let side, let time):
            let time = advance(time)
            if let (key, end) = target(of: id, side: side) { streams[key]!.appendReset(from: end, time: time, to: &out) }
        case .closed(let id, let time):
            close(id, at: advance(time), to: &out)
        }
    }

    // MARK: Streams

    private mutating func open(_ socket: CaptureSocket, _ opening: CaptureOpening, at time: Microseconds, to out: inout [UInt8]) {
        if socket.transport == .udp {
            if !datagrams.open(socket) { ignoredEvents += 1 }
            return
        }
        guard streamEnds[socket.id] == nil else { ignoredEvents += 1; return }
        if attachToOtherEnd(socket, opening) { return }
        let endpoints: (WireEndpoint, WireEndpoint)
        let kind: InterfaceKind
        if socket.transport == .unix {
            let mapped = UnixStreamMapping.endpoints(socketID: socket.id)
            endpoints = (mapped.own, mapped.other)
            kind = .unix
        } else {
            guard let remote = socket.remote.flatMap(WireEndpoint.init) else { ignoredEvents += 1; return }
            endpoints = (WireEndpoint.source(local: socket.local.flatMap(WireEndpoint.init), towards: remote), remote)
            kind = .ip
        }
        let key = nextStreamKey
        nextStreamKey += 1
        var stream = CaptureTCPStream(interface: interface(kind, &out), endpoints: endpoints, owner: socket.id,
                                      tcpChecksums: options.tcpChecksums)
        let comment = CaptureComment.identity(socket: socket.id, is: endpoints.0,
                                              detail: CaptureComment.streamDetail(socket, opening: opening, otherEndName: nil))
        stream.appendHandshake(initiator: socket.initiator == .local ? 0 : 1, time: time, comments: [comment], to: &out)
        streams[key] = stream
        streamEnds[socket.id] = (key, 0)
        if kind == .ip { streamsByEndpoints[OrderedPair(endpoints.0, endpoints.1)] = key }
    }

    /// A socket whose peer is one of sockpit's own sockets already in the capture becomes end 1 of
    /// that socket's stream: the packets are written once, as a capture on the wire shows them.
    private mutating func attachToOtherEnd(_ socket: CaptureSocket, _ opening: CaptureOpening) -> Bool {
        var found: Int?
        if let other = socket.otherEnd, let place = streamEnds[other], place.end == 0 {
            found = place.stream
        }
        if found == nil, socket.transport == .tcp, let remote = socket.remote.flatMap(WireEndpoint.init) {
            let local = WireEndpoint.source(local: socket.local.flatMap(WireEndpoint.init), towards: remote)
            found = streamsByEndpoints[OrderedPair(remote, local)]
        }
        guard let key = found, var stream = streams[key], !stream.ends[1].isSockpit, stream.owner != socket.id else { return false }
        let detail = CaptureComment.streamDetail(socket, opening: opening, otherEndName: "#\(stream.owner)")
        stream.pendingComments.append(CaptureComment.identity(socket: socket.id, is: stream.ends[1].endpoint, detail: detail))
        stream.attach(socket: socket.id, at: 1)
        streams[key] = stream
        streamEnds[socket.id] = (key, 1)
        return true
    }

    private mutating func data(_ id: Int, from side: CaptureSide, _ bytes: [UInt8], at time: Microseconds, to out: inout [UInt8]) {
        guard let (key, end) = target(of: id, side: side) else { return }
        let written = bytes.withUnsafeBufferPointer { streams[key]!.appendData(from: end, $0, time: time, to: &out) }
        if !written { ignoredEvents += 1 }
    }

    /// The stream of socket `id` and the end that `side` means; nil (counted as ignored) for an
    /// unknown socket. Also nil, silently, for an event about the other end when that end is
    /// sockpit's socket too: each side's own sends and FINs write the packets, so nothing is
    /// written twice.
    private mutating func target(of id: Int, side: CaptureSide) -> (stream: Int, end: Int)? {
        guard let place = streamEnds[id] else { ignoredEvents += 1; return nil }
        let end = side == .local ? place.end : 1 - place.end
        if side == .remote, streams[place.stream]?.ends[end].isSockpit == true { return nil }
        return (place.stream, end)
    }

    private mutating func close(_ id: Int, at time: Microseconds, to out: inout [UInt8]) {
        if datagrams.close(id) { return }
        guard let place = streamEnds.removeValue(forKey: id) else { ignoredEvents += 1; return }
        streams[place.stream]!.appendFin(from: place.end, time: time, to: &out)
        streams[place.stream]!.attach(socket: nil, at: place.end)
        guard let stream = streams[place.stream], stream.isDetached else { return }
        if stream.ends[1].isSockpit || !stream.ends[1].endpoint.isLoopback {
            forget(place.stream)
        } else {
            // Its other end may be sockpit's own listener, whose accept has not been reported yet:
            // keep it findable for a while, so that socket joins it instead of writing it twice.
            lingering.append(place.stream)
            if lingering.count > Self.lingeringLimit { forget(lingering.removeFirst()) }
        }
    }

    /// How many closed loopback streams stay findable by a late-accepted other end.
    static let lingeringLimit = 256

    private mutating func forget(_ key: Int) {
        guard let stream = streams.removeValue(forKey: key) else { return }
        let pair = OrderedPair(stream.ends[0].endpoint, stream.ends[1].endpoint)
        if streamsByEndpoints[pair] == key { streamsByEndpoints[pair] = nil }
    }

    // MARK: Time and interfaces

    /// Timestamps never go backwards in the file.
    private mutating func advance(_ time: Microseconds) -> Microseconds {
        lastTime = max(lastTime, time)
        return lastTime
    }

    private mutating func interface(_ kind: InterfaceKind, _ out: inout [UInt8]) -> UInt32 {
        if let id = interfaces[kind] { return id }
        let id = UInt32(interfaces.count)
        interfaces[kind] = id
        PcapngEncoding.appendInterfaceDescription(linkType: .raw, name: kind.name, description: kind.description, to: &out)
        return id
    }
}

/// The kinds of link a sockpit capture has, one Interface Description each.
enum InterfaceKind: Hashable {
    case ip, unix

    var name: String {
        switch self {
        case .ip: "sockpit"
        case .unix: "sockpit-unix"
        }
    }

    var description: String {
        switch self {
        case .ip: "sockpit's TCP and UDP sockets, with their real addresses and ports"
        case .unix: "sockpit's Unix-domain stream sockets as TCP over IPv4 between 127.1.H.L and 127.2.H.L "
            + "(H.L: the low 16 bits of the socket id); each connection's first packet names the path and the #id"
        }
    }
}
