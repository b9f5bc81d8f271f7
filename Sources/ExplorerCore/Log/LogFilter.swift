// LogFilter — which entries the log shows (`filter`): one socket (a listener with its peers), one
// direction, entries whose bytes or text match, some kinds of entry; every part given must hold.

/// What `filter` keeps. Empty = everything.
public struct LogFilter: Equatable, Sendable, CustomStringConvertible {
    /// Kinds of entry `filter` names.
    public enum Kinds: String, CaseIterable, Sendable {
        /// Sent and received bytes.
        case data
        /// Events: listening, accepted, connected, closed, …
        case events
        /// Errors, warnings and resets.
        case errors
        case trace
        /// Command output (info, help, scan…).
        case output

        func contains(_ kind: LogKind) -> Bool {
            switch self {
            case .data: kind.isData
            case .errors: kind == .error || kind == .warning || kind == .reset
            case .trace: kind == .trace
            case .output: kind == .output
            case .events: !kind.isData && kind != .trace && kind != .output && kind != .error && kind != .warning && kind != .reset
            }
        }
    }

    /// Only this socket's entries (and its peers' for a listener).
    public var socket: SocketID?
    /// Only sent (`.send`) or only received (`.recv`) bytes.
    public var direction: LogKind?
    /// Only entries whose bytes (or text) match.
    public var content: LogSearch?
    /// Only these kinds (empty: all).
    public var kinds: [Kinds] = []

    public init(socket: SocketID? = nil, direction: LogKind? = nil, content: LogSearch? = nil, kinds: [Kinds] = []) {
        self.socket = socket
        self.direction = direction
        self.content = content
        self.kinds = kinds
    }

    public var isEmpty: Bool { socket == nil && direction == nil && content == nil && kinds.isEmpty }

    /// `all`, or the parts: `#3 · received · /HTTP/ · data`.
    public var description: String {
        var parts: [String] = []
        if let socket { parts.append("\(socket)") }
        if let direction { parts.append(direction == .send ? "sent" : "received") }
        if let content { parts.append(content.description) }
        parts += kinds.map(\.rawValue)
        return parts.isEmpty ? "all" : parts.joined(separator: " · ")
    }

    /// A filter checked entry by entry; `matcher` is the content search compiled once.
    public func checker() -> LogFilterCheck { LogFilterCheck(filter: self, matcher: content?.matcher()) }
}

/// A filter ready to test entries (its content search compiled). Not Sendable: make one per pass.
public struct LogFilterCheck {
    public let filter: LogFilter
    let matcher: LogMatcher?

    /// True when `entry` passes every part of the filter; `table` tells a listener's peers.
    public func passes(_ entry: LogEntry, table: SocketTable) -> Bool {
        if let socket = filter.socket {
            guard let id = entry.socket, id == socket || table[id]?.parent == socket else { return false }
        }
        if let direction = filter.direction, entry.kind != direction { return false }
        if !filter.kinds.isEmpty, !filter.kinds.contains(where: { $0.contains(entry.kind) }) { return false }
        if let matcher, matcher.ranges(in: entry, limit: 1).isEmpty { return false }
        return true
    }
}
