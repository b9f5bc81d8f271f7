// TLSHandshakeSummary.swift — what a finished handshake agreed on and who the peer is, read from
// the SSL once when the handshake completes: the handshake event and `info` show it.

import COpenSSL

/// A completed handshake. Peer certificates carry peer-chosen text (see TLSCertificateInfo).
public struct TLSHandshakeSummary: Sendable, Equatable, CustomStringConvertible {
    public var role: TLSRole
    /// `TLSv1.3`, `TLSv1.2`.
    public var version: String
    /// OpenSSL's name: `TLS_AES_128_GCM_SHA256`, `ECDHE-ECDSA-AES128-GCM-SHA256`.
    public var cipher: String
    /// The IANA name (`TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`), as Wireshark shows it.
    public var cipherStandardName: String?
    /// The key-exchange group: `x25519`, `secp256r1`; nil when unknown.
    public var group: String?
    /// The protocol ALPN chose; nil without one.
    public var alpn: String?
    /// The ALPN protocols the client offered (on a client: our own list).
    public var offeredALPN: [String]
    /// The SNI: on a client what we sent, on a server what the client asked for (peer-chosen text).
    public var serverName: String?
    /// True when an earlier session was resumed.
    public var resumed: Bool
    /// The peer's certificate; nil when it sent none (a client with `clientcert=off`).
    public var peerCertificate: TLSCertificateInfo?
    /// The chain the peer sent, its own certificate first.
    public var peerChain: [TLSCertificateInfo]
    /// The check of the peer's certificate; nil when it sent none.
    public var verification: TLSVerification?

    public init(role: TLSRole, version: String, cipher: String, cipherStandardName: String?, group: String?,
                alpn: String?, offeredALPN: [String], serverName: String?, resumed: Bool,
                peerCertificate: TLSCertificateInfo?, peerChain: [TLSCertificateInfo], verification: TLSVerification?) {
        self.role = role
        self.version = version
        self.cipher = cipher
        self.cipherStandardName = cipherStandardName
        self.group = group
        self.alpn = alpn
        self.offeredALPN = offeredALPN
        self.serverName = serverName
        self.resumed = resumed
        self.peerCertificate = peerCertificate
        self.peerChain = peerChain
        self.verification = verification
    }

    /// One line for the log: `TLSv1.3 TLS_AES_256_GCM_SHA384 (x25519), ALPN h2, SNI localhost,
    /// peer O=sockpit, CN=localhost (issuer …, valid … to …, SHA-256 …), verify self-signed certificate (not enforced)`.
    public var description: String {
        var parts = ["\(version) \(cipher)" + (group.map { " (\($0))" } ?? "")]
        parts.append("ALPN " + (alpn ?? "none"))
        parts.append("SNI " + (serverName ?? "none"))
        if resumed { parts.append("resumed") }
        if let peerCertificate {
            parts.append("peer \(peerCertificate)")
            parts.append("verify \(verification?.description ?? "not done")")
        } else {
            parts.append(role == .server ? "no client certificate" : "no server certificate")
        }
        return parts.joined(separator: ", ")
    }

    /// The lines `info` shows: the agreement, then each certificate of the chain.
    public var infoLines: [String] {
        var lines = [
            "tls \(version), cipher \(cipher)" + (cipherStandardName.map { $0 == cipher ? "" : " (\($0))" } ?? "")
                + (group.map { ", group \($0)" } ?? ""),
            "alpn \(alpn ?? "none")" + (offeredALPN.isEmpty ? "" : " (offered \(offeredALPN.joined(separator: ",")))"),
            "sni \(serverName ?? "none")" + (resumed ? ", resumed" : ""),
            "verify \(verification?.description ?? (peerCertificate == nil ? "no peer certificate" : "not done"))",
        ]
        for (index, certificate) in peerChain.enumerated() {
            lines.append("chain #\(index) subject \(certificate.subject)")
            lines.append("  issuer \(certificate.issuer)")
            lines.append("  valid \(certificate.notBefore) to \(certificate.notAfter), key \(certificate.publicKey)")
            if !certificate.subjectAlternativeNames.isEmpty {
                lines.append("  names \(certificate.subjectAlternativeNames.joined(separator: ", "))")
            }
            lines.append("  sha256 \(certificate.fingerprint)")
        }
        return lines
    }

    /// Reads the summary from an `SSL *` whose handshake has just completed.
    init(ssl: OpaquePointer, role: TLSRole, offeredALPN: [String], verifyEnforced: Bool) {
        self.role = role
        version = String(cString: SSL_get_version(ssl))
        let current = SSL_get_current_cipher(ssl)
        cipher = current.flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? "unknown"
        cipherStandardName = current.flatMap { SSL_CIPHER_standard_name($0) }.map { String(cString: $0) }
        let groupID = sp_get_negotiated_group(ssl)
        group = groupID > 0 ? SSL_group_to_name(ssl, Int32(groupID)).map { String(cString: $0) } : nil
        var selected: UnsafePointer<UInt8>?
        var selectedLength: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &selected, &selectedLength)
        alpn = selected.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(selectedLength)), as: UTF8.self) }
        self.offeredALPN = offeredALPN
        serverName = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
        resumed = SSL_session_reused(ssl) == 1
        let leaf = SSL_get0_peer_certificate(ssl)
        peerCertificate = leaf.map { TLSCertificateInfo($0) }
        var chain: [TLSCertificateInfo] = []
        if let stack = SSL_get_peer_cert_chain(ssl) {
            for index in 0..<sp_sk_x509_num(stack) {
                if let certificate = sp_sk_x509_value(stack, index) { chain.append(TLSCertificateInfo(certificate)) }
            }
        }
        // A client's stack starts with the server's certificate; a server's leaves the client's out.
        if let peerCertificate, chain.first != peerCertificate { chain.insert(peerCertificate, at: 0) }
        peerChain = chain
        verification = leaf == nil ? nil : TLSVerification(code: SSL_get_verify_result(ssl), enforced: verifyEnforced)
    }
}
