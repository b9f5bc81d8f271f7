// TLSLink — the TLS part's section of a SocketRecord: a TLS listener's server context, or one
// connection's session with its handshake deadline, a failure met inside a read or write (acted on
// once that call returns), and who waits for the handshake's end.

import SocketKit
import TLSKit

/// The TLS state of one socket. A listener has a context and no session; a connection has both
/// (a `connect tls` has its context before the TCP connection is up, and its session after).
final class TLSLink {
    /// The listener's context (shared by every session it accepts), or this connection's own.
    let context: TLSContext
    /// The session on the socket; nil on a listener and while a `connect tls` is still connecting.
    var session: TLSSession?
    /// How long the handshake may take, and when it gives up (monotonic µs; nil once it ended).
    let handshakeTimeout: Int64
    var handshakeDeadline: Int64?
    /// A failure met inside a read or write: the caller acts on it once that call has returned.
    var pendingFailure: TLSError?
    /// Ciphertext bytes the session had taken when the data path last looked (its read budget).
    var wireBytesSeen: UInt64 = 0
    /// True once our close_notify was sent (or could not be).
    var shutdownDone = false
    /// Called once when the handshake ends, either way (commands, a relay waiting to forward).
    var onHandshake: [(Result<TLSHandshakeSummary, TLSError>) -> Void] = []

    init(context: TLSContext, handshakeTimeout: Int64) {
        self.context = context
        self.handshakeTimeout = handshakeTimeout
    }

    var isHandshaking: Bool {
        if let session { return session.state == .handshaking }
        return false
    }

    /// True when the next read waits for writability (a TLS 1.2 renegotiation or key update mid-read).
    var readWaitsForWritable: Bool {
        guard let session, session.state != .handshaking else { return false }
        return session.readWaitsFor == .writable
    }

    /// The ciphertext taken off the socket since the last call.
    func takeWireBytes() -> Int {
        guard let session else { return 0 }
        let now = session.ciphertextReceived
        defer { wireBytesSeen = now }
        return Int(clamping: now &- wireBytesSeen)
    }

    func takePendingFailure() -> TLSError? {
        defer { pendingFailure = nil }
        return pendingFailure
    }

    /// Calls and forgets whoever waits for the handshake's end.
    func handshakeEnded(_ result: Result<TLSHandshakeSummary, TLSError>) {
        handshakeDeadline = nil
        let waiting = onHandshake
        onHandshake = []
        for callback in waiting { callback(result) }
    }
}
