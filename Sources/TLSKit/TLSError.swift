// TLSError.swift — a failed TLS operation as a value, with OpenSSL's own reason, and the one place
// that reads and clears OpenSSL's thread-local error queue.

import COpenSSL
import SocketKit

/// A TLS failure: what was being done and OpenSSL's reason, e.g.
/// `handshake: certificate verify failed: self-signed certificate`.
public struct TLSError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A configuration value or file is unusable (a bad PEM file, a key that does not match).
        case configuration
        /// The peer's certificate did not verify (`verification` says why).
        case verification
        /// The peer broke the protocol, sent an alert or garbage (OpenSSL's SSL_ERROR_SSL).
        case protocolError = "protocol"
        /// The socket failed underneath (`systemError` says how).
        case system
        /// The connection ended in the middle of the handshake.
        case closedDuringHandshake
        /// The session was asked for something its state does not allow.
        case usage
    }

    public var kind: Kind
    /// What was being done: `handshake`, `read`, `write`, `shutdown`, `cert=FILE`, `alpn`, …
    public var operation: String
    /// OpenSSL's reason (`certificate verify failed: self-signed certificate`,
    /// `sslv3 alert handshake failure`, `wrong version number`) or the errno's.
    public var reason: String
    /// Every entry OpenSSL had queued, as `ERR_error_string_n` prints them (for `info` and bug reports).
    public var openSSLErrors: [String]
    /// For `verification`: the certificate check's result.
    public var verification: TLSVerification?
    /// For `system`: the call that failed underneath.
    public var systemError: SystemError?

    public init(kind: Kind, operation: String, reason: String, openSSLErrors: [String] = [],
                verification: TLSVerification? = nil, systemError: SystemError? = nil) {
        self.kind = kind
        self.operation = operation
        self.reason = reason
        self.openSSLErrors = openSSLErrors
        self.verification = verification
        self.systemError = systemError
    }

    /// `handshake: certificate verify failed: self-signed certificate`, printable ASCII only (every
    /// other byte as `\xNN`), so it is safe on a status line as it is.
    public var description: String { ASCIIText.escaped("\(operation): \(reason)") }
}

/// OpenSSL's per-thread error queue. Every TLSKit call clears it before and drains it after, so one
/// session's error can never show up as another's.
enum OpenSSLErrors {
    static func clear() { ERR_clear_error() }

    /// Empties the queue: the reason of the first (root-cause) entry, and every entry as text.
    static func drain() -> (reason: String?, lines: [String]) {
        var reason: String?
        var lines: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if reason == nil { reason = reasonText(code) }
            var buffer = [CChar](repeating: 0, count: 256)
            buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(code, $0.baseAddress, $0.count) }
            lines.append(cString(buffer))
        }
        return (reason, lines)
    }

    /// A failure of a configuration or certificate call, with whatever OpenSSL queued.
    static func configurationError(_ operation: String, fallback: String) -> TLSError {
        let (reason, lines) = drain()
        return TLSError(kind: .configuration, operation: operation, reason: reason ?? fallback, openSSLErrors: lines)
    }

    static func reasonText(_ code: UInt) -> String {
        if let text = ERR_reason_error_string(code) { return String(cString: text) }
        return "OpenSSL error \(String(code, radix: 16))"
    }

    /// ERR_GET_REASON of a queued code (a static inline function in <openssl/err.h>).
    static func reasonCode(_ code: UInt) -> Int32 { ERR_GET_REASON(code) }
}

/// The text of a NUL-terminated C string held in an array.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Text made safe for a status line: printable ASCII stays, everything else becomes `\xNN`.
public enum ASCIIText {
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte >= 0x20 && byte < 0x7F {
                if byte == UInt8(ascii: "\\") { out += "\\\\" } else { out.unicodeScalars.append(Unicode.Scalar(byte)) }
            } else {
                out += "\\x" + hexDigits(byte)
            }
        }
        return out
    }

    static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
