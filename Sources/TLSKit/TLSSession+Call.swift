// TLSSession+Call.swift — one SSL_* call as the session makes it: OpenSSL's error queue cleared
// before and drained after, the result classified with SSL_get_error into a step (success, want,
// end), the call traced, and a session that ends remembering how in its state.

import COpenSSL
import SocketKit

extension TLSSession {
    enum Step {
        case success(Int)
        case want(Interest)
        /// The session ended; `state` already says so.
        case ended(Ending)
    }

    enum Ending {
        case closed(TLSClosure)
        case failed(TLSError)

        func outcome<T>() -> TLSOutcome<T> {
            switch self {
            case .closed(let closure): .closed(closure)
            case .failed(let error): .failed(error)
            }
        }
    }

    /// Makes one SSL_* call with a clean error queue, classifies its result with SSL_get_error,
    /// traces it, and leaves the queue empty again. `body` returns (succeeded, raw result, bytes).
    func run(_ name: String, _ arguments: @autoclosure () -> String, operation: String,
                     _ body: () -> (ok: Bool, result: Int32, count: Int)) -> Step {
        OpenSSLErrors.clear()
        socket.lastError = nil
        let (ok, result, count) = body()
        if ok {
            OpenSSLErrors.clear()
            tracer?(TLSTraceRecord(call: name, arguments: arguments(), result: count, outcome: nil))
            return .success(count)
        }
        let code = SSL_get_error(ssl, result)
        let (step, outcomeText) = classify(code, operation: operation)
        tracer?(TLSTraceRecord(call: name, arguments: arguments(), result: Int(result), outcome: outcomeText))
        return step
    }

    func classify(_ code: Int32, operation: String) -> (Step, String) {
        switch code {
        case SSL_ERROR_WANT_READ:
            OpenSSLErrors.clear()
            return (.want(.readable), "WANT_READ")
        case SSL_ERROR_WANT_WRITE:
            OpenSSLErrors.clear()
            return (.want(.writable), "WANT_WRITE")
        case SSL_ERROR_ZERO_RETURN:
            OpenSSLErrors.clear()
            state = .closed(.closeNotify)
            return (.ended(.closed(.closeNotify)), "ZERO_RETURN")
        case SSL_ERROR_SYSCALL:
            let (_, lines) = OpenSSLErrors.drain()
            if let system = socket.lastError {
                let error = TLSError(kind: .system, operation: operation, reason: system.description, openSSLErrors: lines, systemError: system)
                return (fail(error), "SYSCALL \(system.reason)")
            }
            return (endOfFile(operation: operation, lines: lines), "SYSCALL EOF")
        case SSL_ERROR_SSL:
            let reasonCode = ERR_peek_error()
            let (reason, lines) = OpenSSLErrors.drain()
            let text = reason ?? "unknown OpenSSL error"
            if OpenSSLErrors.reasonCode(reasonCode) == SSL_R_UNEXPECTED_EOF_WHILE_READING {
                return (endOfFile(operation: operation, lines: lines), "SSL (\(text))")
            }
            return (fail(protocolError(text, operation: operation, lines: lines, reasonCode: reasonCode)), "SSL (\(text))")
        default:
            let (reason, lines) = OpenSSLErrors.drain()
            let text = reason ?? "SSL_get_error \(code)"
            return (fail(TLSError(kind: .protocolError, operation: operation, reason: text, openSSLErrors: lines)), "ERROR \(code) (\(text))")
        }
    }

    func protocolError(_ reason: String, operation: String, lines: [String], reasonCode: UInt) -> TLSError {
        if OpenSSLErrors.reasonCode(reasonCode) == SSL_R_CERTIFICATE_VERIFY_FAILED {
            let verification = TLSVerification(code: SSL_get_verify_result(ssl), enforced: true)
            return TLSError(kind: .verification, operation: operation, reason: "\(reason): \(verification.reason)",
                            openSSLErrors: lines, verification: verification)
        }
        return TLSError(kind: .protocolError, operation: operation, reason: reason, openSSLErrors: lines)
    }

    /// The connection ended without close_notify: a failure during the handshake, a (possibly
    /// truncated) end after it.
    func endOfFile(operation: String, lines: [String]) -> Step {
        if summary == nil {
            return fail(TLSError(kind: .closedDuringHandshake, operation: operation,
                                 reason: "the peer closed the connection (unexpected eof while reading)", openSSLErrors: lines))
        }
        state = .closed(.withoutCloseNotify)
        return .ended(.closed(.withoutCloseNotify))
    }

    func fail(_ error: TLSError) -> Step {
        state = .failed(error)
        return .ended(.failed(error))
    }
}
