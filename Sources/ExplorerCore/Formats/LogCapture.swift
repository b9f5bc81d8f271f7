// LogCapture — sockpit's log entries as a pcapng capture (`record FILE pcapng`, `save FILE pcapng`):
// each entry becomes the capture events it means (a connect or accept opens a TCP stream, data is
// sent or received, eof/shutdown/reset/close end it), written by a `PcapngWriter`. The addresses come
// from the socket table, looked up when a socket first appears in the capture.
//
// A relay logs each chunk once, where it arrives; the capture writes it twice, received on that
// leg and sent on the other at the same moment (a held chunk only when it is forwarded: then it
// is logged as sent on the other leg).

import SocketKit

/// Translates log entries into pcapng bytes.
struct LogCapture {
    /// The socket table's entry for an id (nil once it has left the table).
    typealias Lookup = (SocketID) -> SocketEntry?

    private var writer: PcapngWriter
    private let lookup: Lookup
    /// Sockets already opened in the capture, with the local address they were opened with (a UDP
    /// socket is bound by its first send: it is opened again when its address changes).
    private var opened: [Int: SocketAddress?] = [:]
    /// Entries about sockets the capture cannot show: no longer in the table (a save after
    /// `keepclosed` folded them), listeners, or still connecting.
    private(set) var skippedEntries = 0
    /// Unix streams to or from one of sockpit's own listeners whose other end has not opened yet,
    /// by the listener's path: connecting ends (`true`) or accepted ends (`false`), oldest first.
    /// Their addresses do not say which two belong together (one end is unnamed); the order does.
    private var unixWaiting: [String: [(id: Int, connecting: Bool)]] = [:]
    /// Bytes a relay forwarded to a leg still connecting (they leave once it connects), by the
    /// leg's id, and their total, bounded by `forwardedWaitingLimit`.
    private var forwardedWaiting: [Int: [[UInt8]]] = [:]
    private var forwardedWaitingBytes = 0

    init(lookup: @escaping Lookup, options: PcapngWriter.Options = .init()) {
        self.lookup = lookup
        writer = PcapngWriter(options: options)
    }

    /// The Section Header, for a capture with no packets yet.
    mutating func appendHeader(to out: inout [UInt8]) { writer.appendHeader(to: &out) }

    /// Appends the packets `entry` means.
    mutating func append(_ entry: LogEntry, to out: inout [UInt8]) {
        writer.appendHeader(to: &out)
        guard let id = entry.socket else { return }
        let key = id.value, time = entry.time
        switch entry.kind {
        case .connected, .accepted, .listening:
            guard opened[key] == nil else { return }
            if !open(id, .handshake, at: time, to: &out) && entry.kind != .listening { skippedEntries += 1 }
            for bytes in forwardedWaiting.removeValue(forKey: key) ?? [] where opened[key] != nil {
                forwardedWaitingBytes -= bytes.count
                writer.append(.sent(socket: key, bytes: bytes, at: time), to: &out)
            }
        case .send, .recv:
            guard ensureOpen(id, at: time, to: &out) else { skippedEntries += 1; return }
            let isSend = entry.kind == .send
            if let socket = lookup(id), socket.transport == .udp {
                reopenIfRebound(socket, at: time, to: &out)
                if isSend {
                    writer.append(.sentDatagram(socket: key, to: entry.peer, bytes: entry.bytes, at: time), to: &out)
                } else if let peer = entry.peer ?? socket.remote {
                    writer.append(.receivedDatagram(socket: key, from: peer, bytes: entry.bytes, at: time), to: &out)
                }
            } else {
                writer.append(isSend ? .sent(socket: key, bytes: entry.bytes, at: time) : .received(socket: key, bytes: entry.bytes, at: time), to: &out)
            }
            if !isSend, let mark = entry.relay, !mark.held { appendForwarded(entry.bytes, from: id, mark, at: time, to: &out) }
        case .eof:
            if ensureOpen(id, at: time, to: &out) { writer.append(.finished(socket: key, by: .remote, at: time), to: &out) }
        case .shutdown:
            // `shutdown rd` sends nothing on the wire; `wr` and `rdwr` send a FIN. The text is
            // `shutdown HOW`, perhaps followed by why (a relay passing on its other leg's eof).
            let how = entry.text.split(separator: " ").dropFirst().first
            if how == "wr" || how == "rdwr", ensureOpen(id, at: time, to: &out) {
                writer.append(.finished(socket: key, by: .local, at: time), to: &out)
            }
        case .reset:
            // The engine logs its own `reset` as "reset sent …" and ECONNRESET as "reset by peer …".
            if ensureOpen(id, at: time, to: &out) {
                writer.append(.reset(socket: key, by: entry.text.hasPrefix("reset sent") ? .local : .remote, at: time), to: &out)
            }
        case .closed:
            if let waiting = forwardedWaiting.removeValue(forKey: key) { forwardedWaitingBytes -= waiting.reduce(0) { $0 + $1.count } }
            if opened.removeValue(forKey: key) != nil { writer.append(.closed(socket: key, at: time), to: &out) }
        default:
            return
        }
    }

    /// A relayed chunk, sent on the leg it was forwarded to: at once when that leg is in the capture
    /// (opened as already open if it is not yet), kept until it connects when it is connecting.
    private mutating func appendForwarded(_ bytes: [UInt8], from source: SocketID, _ mark: RelayMark, at time: Microseconds, to out: inout [UInt8]) {
        guard let partner = lookup(mark.partner), partner.state.isOpen else { return }
        let key = mark.partner.value
        if partner.state == .resolving || partner.state == .connecting {
            guard forwardedWaitingBytes + bytes.count <= LogCapture.forwardedWaitingLimit else { skippedEntries += 1; return }
            forwardedWaiting[key, default: []].append(bytes)
            forwardedWaitingBytes += bytes.count
            return
        }
        guard ensureOpen(mark.partner, at: time, to: &out) else { skippedEntries += 1; return }
        if partner.transport == .udp {
            reopenIfRebound(partner, at: time, to: &out)
            // From a server leg to the listener: the answer goes to the client that leg serves.
            let client = partner.role == .datagram ? lookup(source)?.relay?.client : nil
            writer.append(.sentDatagram(socket: key, to: client, bytes: bytes, at: time), to: &out)
        } else {
            writer.append(.sent(socket: key, bytes: bytes, at: time), to: &out)
        }
    }

    /// Bytes forwarded to legs still connecting that the capture keeps until they connect (a
    /// relay's own queue for such a leg holds no more than `Limits.relayQueuePerLeg`).
    static let forwardedWaitingLimit = 8 << 20

    /// Opens `id` as already open when it has not been opened yet (recording started after its
    /// connect, or its connect has left the kept log). False when it cannot be in the capture.
    private mutating func ensureOpen(_ id: SocketID, at time: Microseconds, to out: inout [UInt8]) -> Bool {
        opened[id.value] != nil || open(id, .alreadyOpen, at: time, to: &out)
    }

    private mutating func open(_ id: SocketID, _ opening: CaptureOpening, at time: Microseconds, to out: inout [UInt8]) -> Bool {
        guard let entry = lookup(id), var socket = Self.captureSocket(entry, listener: entry.parent.flatMap(lookup)) else { return false }
        if socket.transport == .unix, socket.otherEnd == nil { socket.otherEnd = unixOtherEnd(of: socket) }
        opened[id.value] = socket.local
        writer.append(.opened(socket, opening, at: time), to: &out)
        return true
    }

    /// The other end of a Unix stream between a connect and sockpit's own listener on the same
    /// path: the oldest unmatched socket of the other kind. Remembers this one when there is none.
    /// Only sockets with a named path take part (a `pair` names its other end itself).
    private mutating func unixOtherEnd(of socket: CaptureSocket) -> Int? {
        let connecting = socket.initiator == .local
        guard case .unix(let path)? = connecting ? socket.remote : socket.local, !path.isEmpty else { return nil }
        var waiting = unixWaiting[path, default: []]
        defer { unixWaiting[path] = waiting.isEmpty ? nil : waiting }
        if let index = waiting.firstIndex(where: { $0.connecting != connecting && opened[$0.id] != nil }) {
            return waiting.remove(at: index).id
        }
        waiting.removeAll { opened[$0.id] == nil }
        if waiting.count < LogCapture.unixWaitingLimit { waiting.append((socket.id, connecting)) }
        return nil
    }

    /// Unmatched Unix ends remembered per path (a connect to someone else's listener never matches).
    static let unixWaitingLimit = 64

    /// A UDP socket's first send binds it: open it again with its real port.
    private mutating func reopenIfRebound(_ entry: SocketEntry, at time: Microseconds, to out: inout [UInt8]) {
        guard let known = opened[entry.id.value], known != entry.local,
              let socket = Self.captureSocket(entry, listener: entry.parent.flatMap(lookup)) else { return }
        opened[entry.id.value] = socket.local
        writer.append(.opened(socket, .alreadyOpen, at: time), to: &out)
    }

    /// The socket as the capture needs it; nil for a listener or one with no peer yet. `listener`
    /// is the entry of the listener `entry` was accepted from, when it was.
    static func captureSocket(_ entry: SocketEntry, listener: SocketEntry? = nil) -> CaptureSocket? {
        var socket: CaptureSocket
        switch entry.role {
        case .listener: return nil
        case .datagram:
            socket = CaptureSocket(id: entry.id.value, transport: .udp, local: entry.local, remote: nil)
        case .outgoing:
            if entry.transport != .udp, entry.remote == nil { return nil }
            socket = CaptureSocket(id: entry.id.value, transport: entry.transport, local: entry.local, remote: entry.remote, initiator: .local)
        case .accepted:
            socket = CaptureSocket(id: entry.id.value, transport: entry.transport, local: entry.local, remote: entry.remote, initiator: .remote)
        case .paired(let other):
            // The lower id of a `pair` is its first socket: it "connects".
            socket = CaptureSocket(id: entry.id.value, transport: .unix, local: entry.local ?? .unix(path: ""),
                                   remote: entry.remote ?? .unix(path: ""), initiator: entry.id < other ? .local : .remote,
                                   otherEnd: other.value)
        }
        socket.note = note(for: entry, listener: listener)
        return socket
    }

    /// What the stream's first comment adds: that a TLS connection's packets hold its plaintext
    /// (what sockpit read and wrote through OpenSSL; the TLS records themselves are not in the
    /// capture), and which leg a relay leg forwards to. A relay's client leg opens in the capture
    /// at its accept, before the relay has made (and linked) its server leg: then the relay
    /// listener it came through says where it goes.
    static func note(for entry: SocketEntry, listener: SocketEntry? = nil) -> String? {
        var words: [String] = []
        if let tls = entry.tls {
            words.append("TLS \(tls.role)\(tls.version.map { " \($0)" } ?? ""): the packets carry the plaintext sockpit read and wrote, not the TLS records")
        }
        if let relay = entry.relay, let partner = relay.partner {
            words.append("relay leg, forwards to \(partner)")
        } else if let listener, case .listener(let target)? = listener.relay?.part {
            words.append("relay client leg of \(listener.id), forwards to the server leg it connects to \(target)")
        }
        return words.isEmpty ? nil : words.joined(separator: "; ")
    }
}
