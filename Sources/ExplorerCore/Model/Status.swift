// Status.swift — the one-line answer of every command (`ok: …` / `error: …`) and the error type
// command code throws to produce the second kind.

import SocketKit

/// A command's result as the status line shows it.
public struct Status: Equatable, Sendable, CustomStringConvertible {
    public var ok: Bool
    public var message: String

    public static func ok(_ message: String) -> Status { Status(ok: true, message: message) }
    public static func error(_ message: String) -> Status { Status(ok: false, message: message) }

    public var description: String { (ok ? "ok: " : "error: ") + message }
}

/// A command failed for a reason the user should read. Thrown inside command code and turned into
/// `Status.error` at the edge, so a failure never changes anything else.
public struct CommandError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// The cause alone (`EOPNOTSUPP (Operation not supported)`), for an answer that names several
    /// sockets each with its outcome; nil when `message` is all there is.
    public var reason: String?
    public init(_ message: String, reason: String? = nil) {
        self.message = message
        self.reason = reason
    }
    public init(_ error: SystemError) {
        self.message = error.description
        self.reason = error.reason
    }
    public var description: String { message }
}
