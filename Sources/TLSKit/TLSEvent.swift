// TLSEvent.swift — what happens inside a session that the log shows: alerts received and sent (by
// their RFC names), the handshake's completion, a refused renegotiation.

import COpenSSL

/// Something a session reports as it happens, delivered after the SSL_* call in which it happened.
public enum TLSEvent: Sendable, Equatable, CustomStringConvertible {
    case alertReceived(TLSAlert)
    case alertSent(TLSAlert)
    case handshakeDone(TLSHandshakeSummary)
    /// The peer tried to renegotiate (TLS 1.2); we answered with a no_renegotiation warning alert.
    case renegotiationRefused

    /// `alert received: fatal handshake_failure`, `handshake done: TLSv1.3 …`, `renegotiation attempt refused`.
    public var description: String {
        switch self {
        case .alertReceived(let alert): "alert received: \(alert)"
        case .alertSent(let alert): "alert sent: \(alert)"
        case .handshakeDone(let summary): "handshake done: \(summary)"
        case .renegotiationRefused: "renegotiation attempt refused (alert sent: warning no_renegotiation)"
        }
    }
}

/// A TLS alert: its level and description code.
public struct TLSAlert: Sendable, Equatable, CustomStringConvertible {
    public var fatal: Bool
    public var code: UInt8

    public init(fatal: Bool, code: UInt8) {
        self.fatal = fatal
        self.code = code
    }

    /// From the `value` an info callback gets: level in the high byte, description in the low one.
    init(infoValue: Int32) {
        fatal = (infoValue >> 8) & 0xFF == SSL3_AL_FATAL
        code = UInt8(truncatingIfNeeded: infoValue & 0xFF)
    }

    /// The RFC 8446 / 5246 name, `handshake_failure`; `alert_N` for codes no RFC names.
    public var name: String { Self.names[code] ?? "alert_\(code)" }

    /// `fatal handshake_failure`, `warning close_notify`.
    public var description: String { "\(fatal ? "fatal" : "warning") \(name)" }

    static let names: [UInt8: String] = [
        0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed",
        22: "record_overflow", 30: "decompression_failure", 40: "handshake_failure", 41: "no_certificate",
        42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
        46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied",
        50: "decode_error", 51: "decrypt_error", 60: "export_restriction", 70: "protocol_version",
        71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
        100: "no_renegotiation", 109: "missing_extension", 110: "unsupported_extension",
        111: "certificate_unobtainable", 112: "unrecognized_name", 113: "bad_certificate_status_response",
        114: "bad_certificate_hash_value", 115: "unknown_psk_identity", 116: "certificate_required",
        120: "no_application_protocol",
    ]
}
