// SocketTLS — what the screen and `info` show of a socket's TLS: whether it is a TLS listener or
// connection, where its handshake is, and what it agreed on. The engine's TLS part keeps it current.

/// The TLS side of a `SocketEntry`; nil on a plain socket.
public struct SocketTLS: Equatable, Sendable {
    public enum Phase: String, Equatable, Sendable {
        /// A `listen tls` socket: every accepted peer gets a server handshake.
        case listening
        /// The handshake runs (the pane shows `handshake…`).
        case handshaking
        case established
        /// The handshake failed (the entry's state says why).
        case failed
    }

    /// `client` or `server`.
    public var role: String
    public var phase: Phase
    /// `TLSv1.3`, once the handshake is done.
    public var version: String?
    /// The protocol ALPN chose, once the handshake is done.
    public var alpn: String?

    public init(role: String, phase: Phase, version: String? = nil, alpn: String? = nil) {
        self.role = role
        self.phase = phase
        self.version = version
        self.alpn = alpn
    }
}

extension SocketEntry {
    /// The state as the panes show it: `handshake…` while a TLS handshake runs on an open socket.
    public var shownState: String {
        if tls?.phase == .handshaking && state == .established { return "handshake…" }
        return state.shortName
    }
}
