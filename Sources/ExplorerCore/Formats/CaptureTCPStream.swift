// CaptureTCPStream — one TCP connection (or a Unix stream mapped to one) as the capture writer
// writes it: both ends' sequence numbers, a header template per direction, and the segments of a
// handshake, of data with the ACK that answers it, of a FIN or a RST.

/// TCP flag bits.
enum TCPFlags {
    static let fin: UInt8 = 0x01
    static let syn: UInt8 = 0x02
    static let rst: UInt8 = 0x04
    static let psh: UInt8 = 0x08
    static let ack: UInt8 = 0x10
}

/// A connection's state in the capture. End 0 is the socket the stream was first opened for; end 1
/// its peer (which may be sockpit's too: a `pair`, or a connection to its own listener).
struct CaptureTCPStream {
    struct End {
        let endpoint: WireEndpoint
        /// The IP and TCP headers of a segment from this end, with everything fixed filled in.
        let template: [UInt8]
        /// Pseudo-header sum of segments from this end (addresses and protocol).
        let pseudoHeader: InternetChecksum
        var nextSequence: UInt32
        var identification: UInt16 = 0
        var finished = false
        /// sockpit's socket at this end, while it is open.
        var socket: Int?
        /// True once one of sockpit's sockets has been this end: its own events write what it sends.
        var isSockpit = false
    }

    /// The window every segment advertises: 65535 scaled by 2^7 (the shift Linux uses), about
    /// 8 MiB, more than the bytes ever in flight between two ACKs (`PcapngWriter.ackEverySegments`).
    static let window: UInt16 = 0xFFFF
    static let windowShift: UInt8 = 7
    static let headerSize = 20
    /// MSS (4 bytes), NOP, window scale (3 bytes): the options of SYN and SYN/ACK.
    static let synOptionsSize = 8

    private(set) var ends: [End]
    /// The sockpit socket the stream was opened for (end 0).
    let owner: Int
    let interface: UInt32
    let maxSegment: Int
    let checksums: PcapngWriter.TCPChecksums
    private(set) var wasReset = false
    /// Comments for the next packet of this stream (an end that joined after the handshake).
    var pendingComments: [String] = []

    init(interface: UInt32, endpoints: (WireEndpoint, WireEndpoint), owner: Int, tcpChecksums: PcapngWriter.TCPChecksums) {
        self.interface = interface
        self.owner = owner
        checksums = tcpChecksums
        maxSegment = endpoints.0.isIPv6 ? PcapngWriter.maxSegmentIPv6 : PcapngWriter.maxSegmentIPv4
        ends = [
            Self.end(from: endpoints.0, to: endpoints.1, socket: owner, sequence: Self.initialSequence(owner, 0)),
            Self.end(from: endpoints.1, to: endpoints.0, socket: nil, sequence: Self.initialSequence(owner, 1)),
        ]
    }

    /// Initial sequence numbers: fixed per stream (files repeat exactly), spread over the whole
    /// 32-bit space (so wrap-around occurs, as it does on the wire).
    static func initialSequence(_ seed: Int, _ end: Int) -> UInt32 {
        var z = UInt64(bitPattern: Int64(seed)) &* 2 &+ UInt64(end) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt32(truncatingIfNeeded: z ^ (z >> 31))
    }

    private static func end(from source: WireEndpoint, to destination: WireEndpoint, socket: Int?, sequence: UInt32) -> End {
        let ipSize = source.isIPv6 ? PacketBlock.ipv6HeaderSize : PacketBlock.ipv4HeaderSize
        var template = [UInt8](repeating: 0, count: ipSize + headerSize)
        template.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            _ = PacketBlock.writeIPHeader(p, source: source, destination: destination, protocol: PacketBlock.tcpProtocol,
                                          payloadLength: headerSize, identification: 0)
            let tcp = UnsafeMutableRawPointer(p + ipSize)
            tcp.storeBytes(of: source.port.bigEndian, toByteOffset: 0, as: UInt16.self)
            tcp.storeBytes(of: destination.port.bigEndian, toByteOffset: 2, as: UInt16.self)
            tcp.storeBytes(of: UInt8(headerSize / 4) << 4, toByteOffset: 12, as: UInt8.self)
            tcp.storeBytes(of: window.bigEndian, toByteOffset: 14, as: UInt16.self)
        }
        let pseudo = PacketBlock.pseudoHeaderSum(source: source, destination: destination, protocol: PacketBlock.tcpProtocol)
        return End(endpoint: source, template: template, pseudoHeader: pseudo, nextSequence: sequence, socket: socket,
                   isSockpit: socket != nil)
    }

    /// Makes `socket` this end's socket (nil: it closed).
    mutating func attach(socket: Int?, at end: Int) {
        ends[end].socket = socket
        if socket != nil { ends[end].isSockpit = true }
    }

    /// True when neither end is one of sockpit's open sockets any more.
    var isDetached: Bool { ends[0].socket == nil && ends[1].socket == nil }

    // MARK: What a connection does

    /// SYN from `initiator`, SYN/ACK, ACK; `comments` go on the SYN.
    mutating func appendHandshake(initiator: Int, time: Microseconds, comments: [String], to out: inout [UInt8]) {
        appendSegment(from: initiator, flags: TCPFlags.syn, time: time, comments: comments, to: &out)
        appendSegment(from: 1 - initiator, flags: TCPFlags.syn | TCPFlags.ack, time: time, to: &out)
        appendSegment(from: initiator, flags: TCPFlags.ack, time: time, to: &out)
    }

    /// `bytes` from end `from` in segments of at most `maxSegment` bytes, PSH on the last (so a
    /// reader finds the chunk's end), and an ACK from the other end after the last and after every
    /// `PcapngWriter.ackEverySegments` segments. Nothing once that end has sent FIN or either RST.
    /// Returns false when the bytes could not be written for that reason.
    mutating func appendData(from end: Int, _ bytes: UnsafeBufferPointer<UInt8>, time: Microseconds, to out: inout [UInt8]) -> Bool {
        guard !wasReset, !ends[end].finished else { return false }
        guard !bytes.isEmpty else { return true }
        let segments = (bytes.count + maxSegment - 1) / maxSegment
        let acks = segments / PcapngWriter.ackEverySegments + 1
        PacketBlock.ensureRoom(bytes.count + (segments + acks) * (PacketBlock.scratchSize - 20), in: &out)
        var offset = 0
        var unacknowledged = 0
        while offset < bytes.count {
            let count = min(maxSegment, bytes.count - offset)
            let last = offset + count == bytes.count
            let segment = UnsafeBufferPointer(rebasing: bytes[offset ..< offset + count])
            appendSegment(from: end, flags: TCPFlags.ack | (last ? TCPFlags.psh : 0), payload: segment, time: time, to: &out)
            offset += count
            unacknowledged += 1
            if last || unacknowledged == PcapngWriter.ackEverySegments {
                appendSegment(from: 1 - end, flags: TCPFlags.ack, time: time, to: &out)
                unacknowledged = 0
            }
        }
        return true
    }

    /// FIN/ACK from `end` and the other end's ACK, once per end; nothing after a reset.
    mutating func appendFin(from end: Int, time: Microseconds, to out: inout [UInt8]) {
        guard !wasReset, !ends[end].finished else { return }
        appendSegment(from: end, flags: TCPFlags.fin | TCPFlags.ack, time: time, to: &out)
        ends[end].finished = true
        appendSegment(from: 1 - end, flags: TCPFlags.ack, time: time, to: &out)
    }

    /// RST/ACK from `end`: the connection is over.
    mutating func appendReset(from end: Int, time: Microseconds, to out: inout [UInt8]) {
        guard !wasReset else { return }
        appendSegment(from: end, flags: TCPFlags.rst | TCPFlags.ack, time: time, to: &out)
        wasReset = true
    }

    // MARK: One segment

    private mutating func appendSegment(from end: Int, flags: UInt8, payload: UnsafeBufferPointer<UInt8> = .init(start: nil, count: 0),
                                        time: Microseconds, comments: [String] = [], to out: inout [UInt8]) {
        var comments = comments
        if !pendingComments.isEmpty {
            comments = pendingComments + comments
            pendingComments = []
        }
        let optionsSize = flags & TCPFlags.syn != 0 ? Self.synOptionsSize : 0
        let tcpLength = Self.headerSize + optionsSize + payload.count
        let sequence = ends[end].nextSequence
        let acknowledgement = flags & TCPFlags.ack != 0 ? ends[1 - end].nextSequence : 0
        let identification = ends[end].identification
        let isIPv6 = ends[end].endpoint.isIPv6
        let ipSize = isIPv6 ? PacketBlock.ipv6HeaderSize : PacketBlock.ipv4HeaderSize
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: PacketBlock.scratchSize) { buffer in
            let scratch = buffer.baseAddress!
            let ip = scratch + Pcapng.enhancedPacketHeaderSize
            ends[end].template.withUnsafeBufferPointer { ip.update(from: $0.baseAddress!, count: $0.count) }
            let ipRaw = UnsafeMutableRawPointer(ip)
            if isIPv6 {
                ipRaw.storeBytes(of: UInt16(tcpLength).bigEndian, toByteOffset: 4, as: UInt16.self)
            } else {
                ipRaw.storeBytes(of: UInt16(ipSize + tcpLength).bigEndian, toByteOffset: 2, as: UInt16.self)
                ipRaw.storeBytes(of: identification.bigEndian, toByteOffset: 4, as: UInt16.self)
                ipRaw.storeBytes(of: UInt16(0), toByteOffset: 10, as: UInt16.self)
                var sum = InternetChecksum()
                sum.add(UnsafeRawBufferPointer(start: ip, count: ipSize))
                ipRaw.storeBytes(of: sum.checksum, toByteOffset: 10, as: UInt16.self)
            }
            let tcp = ip + ipSize
            let tcpRaw = UnsafeMutableRawPointer(tcp)
            tcpRaw.storeBytes(of: sequence.bigEndian, toByteOffset: 4, as: UInt32.self)
            tcpRaw.storeBytes(of: acknowledgement.bigEndian, toByteOffset: 8, as: UInt32.self)
            tcp[12] = UInt8((Self.headerSize + optionsSize) / 4) << 4
            tcp[13] = flags
            if optionsSize > 0 {
                let mss = UInt16(maxSegment)
                let options: [UInt8] = [2, 4, UInt8(mss >> 8), UInt8(mss & 0xFF), 1, 3, 3, Self.windowShift]
                options.withUnsafeBufferPointer { (tcp + Self.headerSize).update(from: $0.baseAddress!, count: optionsSize) }
            }
            var sum = ends[end].pseudoHeader
            sum.add(networkOrder: UInt16(tcpLength))
            if checksums == .computed {
                sum.add(UnsafeRawBufferPointer(start: tcp, count: Self.headerSize + optionsSize))
                sum.add(UnsafeRawBufferPointer(payload))
                tcpRaw.storeBytes(of: sum.checksum, toByteOffset: 16, as: UInt16.self)
            } else {
                tcpRaw.storeBytes(of: ~sum.checksum, toByteOffset: 16, as: UInt16.self)  // the folded pseudo-header sum
            }
            PacketBlock.append(scratch: scratch, headerCount: ipSize + Self.headerSize + optionsSize, payload: payload,
                               interface: interface, time: time, comments: comments, to: &out)
        }
        let consumed = UInt32(payload.count) + (flags & (TCPFlags.syn | TCPFlags.fin) != 0 ? 1 : 0)
        ends[end].nextSequence &+= consumed
        ends[end].identification &+= 1
    }
}
