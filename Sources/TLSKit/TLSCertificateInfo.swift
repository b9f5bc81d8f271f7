// TLSCertificateInfo.swift — what a certificate says, read once into a value: subject, issuer,
// validity, names, SHA-256 fingerprint; and the verify result of a peer's chain.

import COpenSSL
import Glibc

/// One X.509 certificate as sockpit shows it. Subject, issuer and names are chosen by whoever made
/// the certificate: control characters come escaped by OpenSSL (`\0A`), but other text is UTF-8
/// as written, so pass it through the sanitizer before it reaches a screen.
public struct TLSCertificateInfo: Sendable, Equatable, CustomStringConvertible {
    /// `CN=localhost, O=sockpit` (OpenSSL's one-line form, most general part first).
    public var subject: String
    public var issuer: String
    /// Hex, as `openssl x509 -serial` prints it.
    public var serialNumber: String
    /// `2026-12-02 10:00:00 UTC`.
    public var notBefore: String
    public var notAfter: String
    /// The same moments as seconds since 1970 (nil when the certificate's time does not parse).
    public var notBeforeEpoch: Int?
    public var notAfterEpoch: Int?
    /// subjectAltName entries: `DNS:localhost`, `IP:127.0.0.1`, `IP:::1`, `email:…`, `URI:…`.
    public var subjectAlternativeNames: [String]
    /// `EC P-256`, `RSA 2048`, `ED25519`.
    public var publicKey: String
    /// SHA-256 of the DER encoding (32 bytes).
    public var sha256: [UInt8]
    /// True when the certificate is its own issuer and its signature checks out with its own key.
    public var selfSigned: Bool

    /// `AB:CD:…` (uppercase, colon-separated, as `openssl x509 -fingerprint -sha256` prints it).
    public var fingerprint: String { sha256.map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: ":") }

    /// `CN=localhost (issuer CN=localhost, valid 2026-12-02 10:00:00 UTC to …, SHA-256 AB:…)`.
    public var description: String {
        "\(subject) (issuer \(issuer), valid \(notBefore) to \(notAfter), SHA-256 \(fingerprint))"
    }

    /// Reads `certificate` (an `X509 *`, not consumed).
    init(_ certificate: OpaquePointer) {
        subject = Self.nameText(X509_get_subject_name(certificate))
        issuer = Self.nameText(X509_get_issuer_name(certificate))
        serialNumber = Self.serialText(certificate)
        (notBefore, notBeforeEpoch) = Self.timeText(X509_get0_notBefore(certificate))
        (notAfter, notAfterEpoch) = Self.timeText(X509_get0_notAfter(certificate))
        subjectAlternativeNames = Self.alternativeNames(certificate)
        publicKey = Self.keyText(certificate)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = digest.withUnsafeMutableBufferPointer { X509_digest(certificate, EVP_sha256(), $0.baseAddress, &length) }
        sha256 = Array(digest.prefix(Int(length)))
        selfSigned = X509_self_signed(certificate, 1) == 1
        OpenSSLErrors.clear()
    }

    static func nameText(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        return withMemoryText { X509_NAME_print_ex($0, name, 0, sp_name_print_flags()) }
    }

    static func serialText(_ certificate: OpaquePointer) -> String {
        guard let number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nil) else { return "" }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else { return "" }
        defer { sp_openssl_free(hex) }
        return String(cString: hex)
    }

    static func timeText(_ time: UnsafePointer<ASN1_TIME>?) -> (String, Int?) {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return (withMemoryText { ASN1_TIME_print($0, time) }, nil) }
        let text = "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday)) "
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)) UTC"
        return (text, Int(timegm(&parts)))
    }

    static func alternativeNames(_ certificate: OpaquePointer) -> [String] {
        guard let names = sp_x509_subject_alt_names(certificate) else { return [] }
        defer { sp_general_names_free(names) }
        var result: [String] = []
        for index in 0..<sp_general_names_num(names) {
            var data: UnsafePointer<UInt8>?
            var length: Int32 = 0
            let type = sp_general_name_at(names, index, &data, &length)
            let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: Int(length))) } ?? []
            switch type {
            case GEN_DNS: result.append("DNS:" + String(decoding: bytes, as: UTF8.self))
            case GEN_EMAIL: result.append("email:" + String(decoding: bytes, as: UTF8.self))
            case GEN_URI: result.append("URI:" + String(decoding: bytes, as: UTF8.self))
            case GEN_IPADD: result.append("IP:" + ipText(bytes))
            default: result.append("other:\(type)")
            }
        }
        return result
    }

    static func ipText(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 4 ? AF_INET : bytes.count == 16 ? AF_INET6 : -1
        guard family != -1 else { return bytes.map { String($0, radix: 16) }.joined(separator: ".") }
        _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return cString(buffer)
    }

    static func keyText(_ certificate: OpaquePointer) -> String {
        guard let key = X509_get0_pubkey(certificate) else { return "unknown" }
        let type = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
        var curve = [CChar](repeating: 0, count: 64)
        var curveLength = 0
        if type == "EC", EVP_PKEY_get_group_name(key, &curve, curve.count, &curveLength) == 1 {
            let name = cString(curve)
            return "EC " + (name == "prime256v1" ? "P-256" : name == "secp384r1" ? "P-384" : name == "secp521r1" ? "P-521" : name)
        }
        if type == "RSA" || type == "DSA" { return "\(type) \(EVP_PKEY_get_bits(key))" }
        return type
    }

    private static func pad(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Runs `body` on a memory BIO and returns what it wrote there.
    static func withMemoryText(_ body: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        _ = body(bio)
        var data: UnsafeMutablePointer<CChar>?
        let length = sp_bio_get_mem_data(bio, &data)
        guard let data, length > 0 else { return "" }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}

/// The outcome of checking a peer's certificate chain (and name).
public struct TLSVerification: Sendable, Equatable, CustomStringConvertible {
    /// OpenSSL's X509_V_* code; 0 is success.
    public var code: Int
    /// `ok`, or OpenSSL's reason: `self-signed certificate`, `hostname mismatch`,
    /// `unable to get local issuer certificate`, `certificate has expired`.
    public var reason: String
    /// True when a failure ends the handshake (client `verify=on`, server `require` with `ca=`).
    public var enforced: Bool

    public var ok: Bool { code == 0 }

    public init(code: Int, reason: String, enforced: Bool) {
        self.code = code
        self.reason = reason
        self.enforced = enforced
    }

    init(code: Int, enforced: Bool) {
        self.init(code: code, reason: code == 0 ? "ok" : String(cString: X509_verify_cert_error_string(code)), enforced: enforced)
    }

    /// `ok`, `self-signed certificate`, or `self-signed certificate (not enforced)`.
    public var description: String { ok || enforced ? reason : "\(reason) (not enforced)" }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
