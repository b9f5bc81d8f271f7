// SystemError.swift — a failed system call as a value: which call, on what, and the errno.

import Glibc

/// A system call that failed, with the context a user needs to understand why.
///
/// Prints as `connect 127.0.0.1:9: ECONNREFUSED (Connection refused)`: the call, what it was
/// called on, the errno name and its message.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call that failed, as the user thinks of it (`connect`, `bind`, `getaddrinfo`).
    public var call: String
    /// What the call was about (an address, a path, a socket id); empty when nothing useful.
    public var context: String
    /// The errno value (or a negative `EAI_*` code for name resolution, see `message`).
    public var code: Int32
    /// The human message; defaults to strerror(code).
    public var message: String
    /// The code's symbolic name, e.g. `ECONNREFUSED` (or `EAI_NONAME` for name lookups).
    public var codeName: String

    public init(call: String, context: String = "", code: Int32, name: String? = nil, message: String? = nil) {
        self.call = call
        self.context = context
        self.code = code
        self.codeName = name ?? ErrnoName.name(code)
        self.message = message ?? SystemError.strerror(code)
    }

    /// `ECONNREFUSED (Connection refused)`.
    public var reason: String { "\(codeName) (\(message))" }

    public var description: String {
        context.isEmpty ? "\(call): \(reason)" : "\(call) \(context): \(reason)"
    }

    /// The same error with a different context (e.g. the address the user typed).
    public func with(context: String) -> SystemError {
        var copy = self
        copy.context = context
        return copy
    }

    /// glibc's message for an errno value (`Connection refused`).
    public static func strerror(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        // Swift sees the XSI strerror_r: it fills the buffer and returns 0 on success.
        let status = buffer.withUnsafeMutableBufferPointer { strerror_r(code, $0.baseAddress!, $0.count) }
        guard status == 0 else { return "error \(code)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
