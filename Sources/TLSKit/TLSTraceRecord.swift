// TLSTraceRecord.swift — one SSL_* call as it happened, printed like SocketKit's TraceRecord so the
// `trace` view reads alike: `SSL_connect(7) = WANT_READ`, `SSL_read(7, 65536) = 517`.

import SocketKit

/// One OpenSSL call a session made, for `trace on`. The socket calls beneath it (recv, send) are
/// reported separately, in order, by the session's `SystemCalls` tracer.
public struct TLSTraceRecord: Equatable, Sendable, CustomStringConvertible {
    public var call: String
    /// Arguments as text, descriptor first (as in TraceRecord): `7, 65536`.
    public var arguments: String
    /// What the call returned: bytes for SSL_read/SSL_write, 1/0/-1 for the others.
    public var result: Int
    /// The SSL_get_error outcome when it did not succeed: `WANT_READ`, `WANT_WRITE`, `ZERO_RETURN`,
    /// `SSL (certificate verify failed)`, `SYSCALL ECONNRESET (Connection reset by peer)`.
    public var outcome: String?

    public init(call: String, arguments: String, result: Int, outcome: String?) {
        self.call = call
        self.arguments = arguments
        self.result = result
        self.outcome = outcome
    }

    /// `SSL_connect(7) = WANT_READ`, `SSL_read(7, 65536) = 517`, `SSL_shutdown(7) = 0`.
    public var description: String { "\(call)(\(arguments)) = \(outcome ?? String(result))" }
}
