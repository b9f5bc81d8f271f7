// CaptureEvent — what a capture writer is told: sockets with their real addresses, and what happened
// on them, as plain values that know nothing of the engine.

import SocketKit

/// One of sockpit's sockets, as a capture needs to know it.
public struct CaptureSocket: Sendable, Equatable {
    /// sockpit's socket id (the N of `#N`).
    public var id: Int
    /// `tcp`, `udp` or `unix` (a Unix-domain stream).
    public var transport: Transport
    /// This socket's own address (`getsockname`). For UDP the bound address, perhaps a wildcard.
    /// Unix: the path, empty when unnamed. nil when unknown.
    public var local: SocketAddress?
    /// The peer (`getpeername`): for TCP and Unix always; for UDP only when connected.
    public var remote: SocketAddress?
    /// Which end opened the connection (sent the SYN): `.local` after `connect` or for the first
    /// socket of a `pair`, `.remote` for an accepted one. Ignored for UDP.
    public var initiator: CaptureSide
    /// sockpit's id of the socket at the other end, when that end is sockpit's too: the other half
    /// of a `pair`, or the accepted side of a connection to sockpit's own Unix listener. TCP over IP
    /// finds its other end by itself (mirrored addresses); giving it does no harm.
    public var otherEnd: Int?
    /// Said in the comment of the connection's first packet, e.g. `TLS plaintext (TLSv1.3)`.
    public var note: String?

    public init(id: Int, transport: Transport, local: SocketAddress?, remote: SocketAddress?,
                initiator: CaptureSide = .local, otherEnd: Int? = nil, note: String? = nil) {
        self.id = id
        self.transport = transport
        self.local = local
        self.remote = remote
        self.initiator = initiator
        self.otherEnd = otherEnd
        self.note = note
    }
}

/// An end of a connection, seen from the socket an event is about.
public enum CaptureSide: Sendable, Equatable {
    /// The socket itself (sockpit's end).
    case local
    /// Its peer.
    case remote
}

/// How a connection came to be in the capture.
public enum CaptureOpening: Sendable, Equatable {
    /// It connected or was accepted while recording: its handshake is written at the event's time.
    case handshake
    /// It was already open when recording started (or its start is no longer in the log): a
    /// handshake is written anyway, so that Wireshark follows the stream, and its comment says so.
    case alreadyOpen
}

/// One thing that happened, with its wall-clock time in microseconds since the Unix epoch.
///
/// A socket must be `opened` before anything else is said about it; events about unknown or
/// closed sockets are counted in `PcapngWriter.ignoredEvents` and otherwise ignored.
public enum CaptureEvent: Sendable, Equatable {
    /// A socket joins the capture. TCP and Unix streams get a handshake (see `CaptureOpening`); UDP
    /// writes nothing until its first datagram. Opening a UDP socket again updates its addresses
    /// (the kernel binds it on its first send).
    case opened(CaptureSocket, CaptureOpening, at: Microseconds)
    /// Stream bytes this socket sent (one chunk: one `send`, or one read from a file).
    case sent(socket: Int, bytes: [UInt8], at: Microseconds)
    /// Stream bytes this socket received (one chunk: one `recv`).
    case received(socket: Int, bytes: [UInt8], at: Microseconds)
    /// A datagram this UDP socket sent, to `to` (nil: its connected peer).
    case sentDatagram(socket: Int, to: SocketAddress?, bytes: [UInt8], at: Microseconds)
    /// A datagram this UDP socket received from `from`.
    case receivedDatagram(socket: Int, from: SocketAddress, bytes: [UInt8], at: Microseconds)
    /// A FIN: `.local` after `shutdown wr`, `.remote` at the peer's EOF.
    case finished(socket: Int, by: CaptureSide, at: Microseconds)
    /// A reset: `.local` for sockpit's `reset`, `.remote` for ECONNRESET. Ends the connection.
    case reset(socket: Int, by: CaptureSide, at: Microseconds)
    /// The socket was closed: a stream sends its FIN now if it has not yet. Ends the socket.
    case closed(socket: Int, at: Microseconds)
}
