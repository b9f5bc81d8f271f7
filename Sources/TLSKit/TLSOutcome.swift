// TLSOutcome.swift — what every TLSSession operation answers at once: done, or which readiness to
// wait for before calling the same operation again, or the end of the session.

import SocketKit

/// The answer of a non-blocking TLS operation. Nothing in TLSKit blocks: `wantRead`/`wantWrite`
/// say which readiness of the descriptor to wait for before calling the *same* operation again.
public enum TLSOutcome<Value> {
    case done(Value)
    /// Call again when the descriptor is readable (OpenSSL's SSL_ERROR_WANT_READ).
    case wantRead
    /// Call again when the descriptor is writable (SSL_ERROR_WANT_WRITE), even if the call was a read.
    case wantWrite
    /// The peer ended the TLS session (after the handshake only; a close during it is `failed`).
    case closed(TLSClosure)
    case failed(TLSError)

    /// The epoll interest a `wantRead`/`wantWrite` asks for; nil for the other cases.
    public var interest: Interest? {
        switch self {
        case .wantRead: .readable
        case .wantWrite: .writable
        default: nil
        }
    }
}

extension TLSOutcome: Sendable where Value: Sendable {}
extension TLSOutcome: Equatable where Value: Equatable {}

/// How the peer ended a session whose handshake had completed.
public enum TLSClosure: String, Sendable, Equatable {
    /// The peer sent close_notify: an orderly end; answer with `shutdown()` and close.
    case closeNotify = "close_notify"
    /// The connection ended (EOF) without close_notify: what many servers do, but the data could
    /// have been cut short by someone in between (a truncation), so it is worth showing.
    case withoutCloseNotify = "EOF without close_notify"
}

/// What `shutdown()` achieved.
public enum TLSShutdownProgress: String, Sendable, Equatable {
    /// Our close_notify is sent; the peer's has not arrived (enough to close the descriptor).
    case closeNotifySent = "close_notify sent"
    /// Both sides' close_notify were exchanged.
    case complete = "close_notify exchanged"
    /// Nothing sent: the session had failed or the connection had ended, so TLS forbids or cannot send it.
    case skipped = "no close_notify (session already ended)"
}

/// Where a session is.
public enum TLSSessionState: Sendable, Equatable {
    case handshaking
    case established
    /// Our close_notify is sent (or being sent).
    case closing
    case closed(TLSClosure)
    case failed(TLSError)
}

/// Which side of the handshake a context and its sessions play.
public enum TLSRole: String, Sendable, Equatable {
    case client, server
}
