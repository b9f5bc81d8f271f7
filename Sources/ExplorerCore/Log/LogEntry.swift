// LogEntry.swift — one thing that happened: bytes sent or received, or an event, with its time.

import SocketKit

/// What kind of thing a log entry records. The raw value is the `event` field of JSON lines.
public enum LogKind: String, Equatable, Sendable {
    case send, recv
    case listening, accepted, connecting, connected, eof, closed, reset, shutdown, error, warning
    case trace
    /// A TLS session's handshake, alerts and ending (`connect tls`, `listen tls`, `starttls`).
    case tls
    /// State changes that are neither of the above (paused, resumed, option set…).
    case event
    /// A command's output (info, resolve, scan, help, echo): shown without the event prefix.
    case output

    /// True for sent and received data.
    public var isData: Bool { self == .send || self == .recv }
}

/// One entry of the byte log.
public struct LogEntry: Equatable, Sendable {
    /// Position in the whole run's log (0, 1, 2, …), stable while the entry is kept.
    public var sequence: UInt64 = 0
    /// Wall-clock microseconds since the Unix epoch.
    public var time: Int64
    /// The socket this is about; nil for global events and command output.
    public var socket: SocketID?
    public var kind: LogKind
    /// For data entries, the exact bytes; empty otherwise.
    public var bytes: [UInt8]
    /// For events and output, the text (already sanitized where a peer controls it).
    public var text: String
    /// UDP: the peer the datagram came from or went to.
    public var peer: SocketAddress?
    /// Data entries: the offset of the first byte in this socket's stream, per direction (for hex).
    public var streamOffset: UInt64 = 0
    /// Data entries: UTF-8 bytes carried in from the previous chunk, and bytes held at the end of
    /// `carryIn + bytes` for the next one, so characters split across reads render whole.
    public var carryIn: [UInt8] = []
    public var heldTail: Int = 0
    /// Data read from a relay leg: its direction and the leg it is forwarded to.
    public var relay: RelayMark?

    public init(time: Int64, socket: SocketID?, kind: LogKind, bytes: [UInt8] = [], text: String = "", peer: SocketAddress? = nil) {
        self.time = time
        self.socket = socket
        self.kind = kind
        self.bytes = bytes
        self.text = text
        self.peer = peer
    }

    /// The bytes to render as text: the carried-in prefix plus this chunk, minus the held tail.
    public var renderableBytes: ArraySlice<UInt8> {
        if carryIn.isEmpty && heldTail == 0 { return bytes[...] }
        let all = carryIn + bytes
        return all[0 ..< max(0, all.count - heldTail)]
    }

    /// What this entry costs in memory (see `ByteLog`): its own size twice (the ring's growth
    /// room) and each heap block it holds, as glibc's malloc rounds them.
    var cost: Int {
        var total = 2 * MemoryLayout<LogEntry>.stride + LogEntry.arrayCost(bytes.count) + LogEntry.arrayCost(carryIn.count)
        // Swift keeps strings of up to 15 UTF-8 bytes inside the value.
        if text.utf8.count > 15 { total += LogEntry.arrayCost(text.utf8.count + 1) }
        switch peer {
        case .ipv4(let address, _)?, .ipv6(let address, _, _)?: total += LogEntry.arrayCost(address.count)
        case .unix(let path)?: if path.utf8.count > 15 { total += LogEntry.arrayCost(path.utf8.count + 1) }
        case nil: break
        }
        return total
    }

    /// A heap block holding `count` bytes after Swift's 32-byte header, as malloc sizes it.
    static func arrayCost(_ count: Int) -> Int {
        guard count > 0 else { return 0 }
        return max(32, (32 + count + 8 + 15) & ~15)
    }
}
