// SocketTable.swift — the sockets sockpit knows, as values keyed by stable ids (#1, #2, …, never
// reused). The engine changes them; the screen and headless output only read them.

import SocketKit

/// A socket's id as users type it: `#3`.
public struct SocketID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Int
    public init(_ value: Int) { self.value = value }
    public var description: String { "#\(value)" }
    public static func < (lhs: SocketID, rhs: SocketID) -> Bool { lhs.value < rhs.value }
}

/// Why a socket exists, which decides the pane it shows in.
public enum SocketRole: Equatable, Sendable {
    /// A listening TCP or Unix-stream socket (Listeners pane).
    case listener
    /// A bound, unconnected UDP socket (Listeners pane).
    case datagram
    /// Opened by `connect`.
    case outgoing
    /// Accepted from a listener.
    case accepted(via: SocketID)
    /// One end of `pair`.
    case paired(with: SocketID)

    /// True for the roles that appear in the Listeners pane.
    public var isListening: Bool { self == .listener || self == .datagram }
}

/// Where a socket is in its life.
public enum SocketState: Equatable, Sendable {
    /// Step mode (`socket`): made by socket(2), no address yet.
    case created
    /// Step mode (`bind`): has a local address, neither listening nor connected.
    case bound
    case resolving
    case connecting
    case listening
    case established
    /// The peer sent EOF; we can still send (`set halfclose on`).
    case halfClosedIn
    /// We shut down our writing side.
    case halfClosedOut
    /// `close` was asked while bytes still wait to be sent.
    case closing
    case closed
    /// Failed: the reason, e.g. `connect: ECONNREFUSED (Connection refused)`.
    case failed(String)

    /// Short form for the panes: `est`, `conn…`.
    public var shortName: String {
        switch self {
        case .created: "created"
        case .bound: "bound"
        case .resolving: "resolv…"
        case .connecting: "conn…"
        case .listening: "listen"
        case .established: "est"
        case .halfClosedIn: "½in"
        case .halfClosedOut: "½out"
        case .closing: "closing"
        case .closed: "closed"
        case .failed: "error"
        }
    }

    /// Long form for `info` and messages.
    public var name: String {
        switch self {
        case .created: "created"
        case .bound: "bound"
        case .resolving: "resolving"
        case .connecting: "connecting"
        case .listening: "listening"
        case .established: "established"
        case .halfClosedIn: "half-closed in"
        case .halfClosedOut: "half-closed out"
        case .closing: "closing"
        case .closed: "closed"
        case .failed(let reason): "error: \(reason)"
        }
    }

    /// True while the socket exists in the kernel and can be used.
    public var isOpen: Bool {
        switch self {
        case .closed, .failed: false
        default: true
        }
    }
}

/// What a socket answers to each chunk it receives.
public enum AutoReply: Equatable, Sendable, CustomStringConvertible {
    case off
    case echo
    /// The seed's `strrev` server: trailing whitespace trimmed, characters reversed, then `\n`.
    case reverse
    /// A template whose `{data}` is replaced by the received bytes (`"OK ... {data}"`).
    case template([UInt8])

    public var description: String {
        switch self {
        case .off: "off"
        case .echo: "echo"
        case .reverse: "reverse"
        case .template(let bytes): "\"" + Sanitizer.escape(bytes) + "\""
        }
    }
}

/// One socket as the user sees it.
public struct SocketEntry: Equatable, Sendable {
    public let id: SocketID
    public var transport: Transport
    public var role: SocketRole
    public var state: SocketState
    public var local: SocketAddress?
    public var remote: SocketAddress?
    /// What the user typed (`example.org:80`), shown while resolving.
    public var requested: String
    /// Data counters (bytes; UDP also counts datagrams).
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
    public var datagramsIn: UInt64 = 0
    public var datagramsOut: UInt64 = 0
    /// Bytes per second over the last sampling interval.
    public var rateIn: Double = 0
    public var rateOut: Double = 0
    /// Listener: backlog asked for, connections accepted, connections waiting to be accepted.
    public var backlog: Int = 0
    public var acceptedCount: Int = 0
    public var pendingAccepts: Int = 0
    public var acceptMode: AcceptMode = .auto
    /// Connections refused because `maxconns` or the file limit was reached.
    public var refusedCount: Int = 0
    /// The socket's own reply mode; nil inherits the listener's.
    public var reply: AutoReply?
    /// Listener: sent to each newly accepted peer.
    public var banner: [UInt8]?
    /// Reading stopped by `pause`; `queuedIn` is what waits in the kernel meanwhile.
    public var paused = false
    public var queuedIn: Int = 0
    /// Bytes accepted by `send` that the kernel has not taken yet.
    public var queuedOut: Int = 0
    /// Why sockpit stopped reading (or accepting on) this socket for now, e.g. `queue full`: a
    /// bound was reached and the kernel holds the bytes until it drains; nil while reading.
    public var held: String?
    /// Made by the step commands (`socket`, or accepted by a listener they made): its descriptor
    /// and blocking mode; nil for every other socket.
    public var step: StepMode?
    /// UDP: the last peer a datagram came from (the default destination of `send`).
    public var lastPeer: SocketAddress?
    /// A relay's listener or one of its legs (`relay`); nil for every other socket.
    public var relay: RelayInfo?
    /// The TLS side (`connect tls`, `listen tls`, `starttls`); nil on a plain socket.
    public var tls: SocketTLS?
    /// Wall-clock microseconds.
    public var openedAt: Int64
    public var closedAt: Int64?

    public init(id: SocketID, transport: Transport, role: SocketRole, state: SocketState, requested: String, openedAt: Int64) {
        self.id = id
        self.transport = transport
        self.role = role
        self.state = state
        self.requested = requested
        self.openedAt = openedAt
    }

    /// `tcp`, `udp`, `unix`, or `tls` for TLS over a stream.
    public var protocolName: String { tls == nil ? transport.rawValue : "tls" }

    /// The listener this socket was accepted from, if any.
    public var parent: SocketID? {
        if case .accepted(let via) = role { return via }
        return nil
    }
}

/// All sockets of a session, in id order.
///
/// The two panes' lists and the open-connection count are kept up to date on every change, so a
/// frame with 10,000 connections looks up only the rows it shows instead of filtering them all.
public struct SocketTable: Equatable, Sendable {
    public private(set) var entries: [SocketID: SocketEntry] = [:]
    /// Ids in creation order (ids only grow, so this is sorted).
    public private(set) var order: [SocketID] = []
    /// The Listeners pane's ids (listening and bound UDP sockets) and the Connections pane's (the
    /// rest), each in id order. A socket's role never changes, so neither does its list.
    public private(set) var listenerIDs: [SocketID] = []
    public private(set) var connectionIDs: [SocketID] = []
    /// Connections that are still open.
    public private(set) var openConnectionCount = 0
    private var lastID = 0

    public init() {}

    /// The next id; never reused within a run.
    public mutating func allocateID() -> SocketID {
        lastID += 1
        return SocketID(lastID)
    }

    public mutating func insert(_ entry: SocketEntry) {
        if let old = entries[entry.id] {
            countOpen(old, -1)
        } else {
            order.append(entry.id)
            if entry.role.isListening { listenerIDs.append(entry.id) } else { connectionIDs.append(entry.id) }
        }
        entries[entry.id] = entry
        countOpen(entry, +1)
    }

    public subscript(id: SocketID) -> SocketEntry? {
        get { entries[id] }
        set {
            if let newValue {
                insert(newValue)
            } else if let old = entries.removeValue(forKey: id) {
                countOpen(old, -1)
                // Every list is in id order, so the id is found by bisection.
                SocketTable.remove(id, from: &order)
                if old.role.isListening { SocketTable.remove(id, from: &listenerIDs) } else { SocketTable.remove(id, from: &connectionIDs) }
            }
        }
    }

    /// Closed sockets folded into `folded` (see `fold`), and what they carried.
    public private(set) var folded = FoldedSockets()

    /// Removes a closed socket's entry and adds it to `folded`: churn leaves counters, not rows.
    public mutating func fold(_ id: SocketID) {
        guard let entry = entries[id], !entry.state.isOpen else { return }
        folded.count += 1
        folded.bytesIn += entry.bytesIn
        folded.bytesOut += entry.bytesOut
        self[id] = nil
    }

    private static func add(_ id: SocketID, to ids: inout [SocketID]) {
        ids.insert(id, at: ids.firstIndex { $0 > id } ?? ids.endIndex)
    }

    private static func remove(_ id: SocketID, from ids: inout [SocketID]) {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        if low < ids.count, ids[low] == id { ids.remove(at: low) }
    }

    /// Applies `change` to the entry `id` if it exists.
    public mutating func update(_ id: SocketID, _ change: (inout SocketEntry) -> Void) {
        guard var entry = entries[id] else { return }
        let wasOpen = entry.state.isOpen
        change(&entry)
        if let old = entries[id], entry.role.isListening != old.role.isListening {
            // Only a step socket changes pane: created in Listeners, then connected.
            countOpen(old, -1)
            if old.role.isListening { SocketTable.remove(id, from: &listenerIDs) } else { SocketTable.remove(id, from: &connectionIDs) }
            if entry.role.isListening { SocketTable.add(id, to: &listenerIDs) } else { SocketTable.add(id, to: &connectionIDs) }
            entries[id] = entry
            countOpen(entry, +1)
            return
        }
        if entry.state.isOpen != wasOpen && !entry.role.isListening { openConnectionCount += entry.state.isOpen ? 1 : -1 }
        entries[id] = entry
    }

    private mutating func countOpen(_ entry: SocketEntry, _ sign: Int) {
        if !entry.role.isListening && entry.state.isOpen { openConnectionCount += sign }
    }

    /// Listening TCP/Unix sockets and bound UDP sockets, in id order.
    public var listeners: [SocketEntry] { listenerIDs.compactMap { entries[$0] } }
    /// Everything else, in id order.
    public var connections: [SocketEntry] { connectionIDs.compactMap { entries[$0] } }
    /// Connections that are still open.
    public var openConnections: [SocketEntry] { connections.filter { $0.state.isOpen } }
    public var count: Int { order.count }
}

/// What the closed sockets folded out of the table add up to.
public struct FoldedSockets: Equatable, Sendable {
    public var count = 0
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
}
