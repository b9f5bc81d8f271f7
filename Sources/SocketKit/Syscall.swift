// Syscall.swift — the one path every system call takes: EINTR retry, errno captured at once,
// EAGAIN as a value, and an optional trace record (call, arguments, result, errno).

import Glibc

/// One system call as it happened, for the `trace` view and for tests.
public struct TraceRecord: Equatable, Sendable, CustomStringConvertible {
    public var call: String
    public var arguments: String
    public var result: Int
    /// The errno when the call failed, else nil.
    public var errorCode: Int32?

    public init(call: String, arguments: String, result: Int, errorCode: Int32?) {
        self.call = call
        self.arguments = arguments
        self.result = result
        self.errorCode = errorCode
    }

    /// `socket(AF_INET, SOCK_STREAM, 0) = 7`, or `connect(7, 127.0.0.1:9) = -1 ECONNREFUSED (Connection refused)`.
    public var description: String {
        var text = "\(call)(\(arguments)) = \(result)"
        if let errorCode {
            text += " " + SystemError(call: call, code: errorCode).reason
        }
        return text
    }
}

/// The outcome of a call that may legitimately say "not now".
public enum IOResult<Value> {
    case done(Value)
    case wouldBlock
}

/// Makes system calls on behalf of one session and reports each to an optional tracer.
///
/// Every syscall in SocketKit goes through `call`, so the trace shows exactly what happened and
/// errors are captured before anything else can clobber `errno`. Not thread-safe: it belongs to
/// the event-loop thread (the resolver thread uses libc directly and traces nothing).
public final class SystemCalls {
    /// Receives a record of every call while set; nil means tracing is off (arguments are not even formatted).
    public var tracer: ((TraceRecord) -> Void)?
    /// Turns the bytes of a Unix socket path the kernel reports (`accept`, `getsockname`,
    /// `getpeername`, `recvfrom`) into the path's text. A peer picks its own path, so a program
    /// that displays addresses sets its sanitizer here; the default decodes UTF-8.
    public var unixPathText: ([UInt8]) -> String = { String(decoding: $0, as: UTF8.self) }

    public init() {}

    /// Runs `body`, retrying on EINTR. Returns the result, or throws a `SystemError` naming `name`
    /// and `context` when the call fails (result < 0). EAGAIN is thrown too; use `callAllowingWouldBlock`
    /// where it is an expected outcome.
    @discardableResult
    public func call<R: BinaryInteger>(
        _ name: String, _ arguments: @autoclosure () -> String, context: @autoclosure () -> String = "",
        _ body: () -> R
    ) throws(SystemError) -> R {
        while true {
            let result = body()
            let code: Int32 = result < 0 ? Glibc.errno : 0
            if let tracer {
                tracer(TraceRecord(call: name, arguments: arguments(), result: Int(result), errorCode: result < 0 ? code : nil))
            }
            if result >= 0 { return result }
            if code == EINTR { continue }
            throw SystemError(call: name, context: context(), code: code)
        }
    }

    /// Like `call`, but EAGAIN/EWOULDBLOCK (and EINPROGRESS when `inProgressIsWait`) come back as
    /// `.wouldBlock` instead of an error.
    public func callAllowingWouldBlock<R: BinaryInteger>(
        _ name: String, _ arguments: @autoclosure () -> String, context: @autoclosure () -> String = "",
        inProgressIsWait: Bool = false, _ body: () -> R
    ) throws(SystemError) -> IOResult<R> {
        do {
            return .done(try call(name, arguments(), context: context(), body))
        } catch {
            if error.code == EAGAIN || error.code == EWOULDBLOCK || (inProgressIsWait && error.code == EINPROGRESS) {
                return .wouldBlock
            }
            throw error
        }
    }
}
