// TLSConfiguration.swift — what a TLS client or server is asked to do, as plain values (the
// options of `connect tls`, `listen tls` and `starttls`); TLSContext turns one into an SSL_CTX.

import COpenSSL
import Glibc

/// A protocol version TLSKit speaks. Older ones are refused.
public enum TLSVersion: String, Sendable, Comparable, CaseIterable {
    case tls12 = "TLSv1.2"
    case tls13 = "TLSv1.3"

    var constant: Int32 {
        switch self {
        case .tls12: TLS1_2_VERSION
        case .tls13: TLS1_3_VERSION
        }
    }

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs.constant < rhs.constant }
}

/// Settings both roles share.
public struct TLSProtocolSettings: Sendable, Equatable {
    public var minimumVersion: TLSVersion = .tls12
    public var maximumVersion: TLSVersion = .tls13
    /// OpenSSL cipher string for TLS 1.2 (`SSL_CTX_set_cipher_list`); nil keeps OpenSSL's default.
    public var cipherList: String?
    /// TLS 1.3 suites (`SSL_CTX_set_ciphersuites`, e.g. `TLS_AES_128_GCM_SHA256`); nil keeps the default.
    public var cipherSuites: String?
    /// Protocols for ALPN, most preferred first (`h2`, `http/1.1`); empty: no ALPN.
    public var alpn: [String] = []

    public init(minimumVersion: TLSVersion = .tls12, maximumVersion: TLSVersion = .tls13,
                cipherList: String? = nil, cipherSuites: String? = nil, alpn: [String] = []) {
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.cipherList = cipherList
        self.cipherSuites = cipherSuites
        self.alpn = alpn
    }
}

/// A TLS client: `connect tls HOST:PORT [sni=] [alpn=] [verify=] [ca=] [cert= key=]`.
public struct TLSClientConfiguration: Sendable, Equatable {
    /// What the user connects to: a host name or an IP literal (`::1` or `[::1]`).
    public var host: String
    /// `sni=`: the name to send; nil sends `host` when it is a name and nothing for an IP literal.
    public var serverName: String?
    /// `verify=on|off`: check the server's chain against the system trust store (plus `caFile`) and
    /// its name; when off the check still runs and its result is reported, but does not fail the handshake.
    public var verify: Bool = true
    /// `ca=FILE`: PEM certificates trusted in addition to the system store.
    public var caFile: String?
    /// `cert=FILE`: a client certificate (PEM, optionally followed by its chain).
    public var certificateFile: String?
    /// `key=FILE`: its private key (PEM, unencrypted); nil looks for the key in `certificateFile`.
    public var keyFile: String?
    public var settings = TLSProtocolSettings()

    public init(host: String, serverName: String? = nil, verify: Bool = true, caFile: String? = nil,
                certificateFile: String? = nil, keyFile: String? = nil, settings: TLSProtocolSettings = TLSProtocolSettings()) {
        self.host = host
        self.serverName = serverName
        self.verify = verify
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.settings = settings
    }

    /// The SNI actually sent: `serverName`, else `host` unless it is an IP literal (RFC 6066 allows names only).
    public var sentServerName: String? {
        if let serverName { return serverName.isEmpty ? nil : serverName }
        return IPLiteral.parse(host) == nil ? host : nil
    }

    /// What the certificate must name: the SNI when one is sent, else the IP literal.
    public var expectedPeer: ExpectedPeer {
        if let name = sentServerName { return .name(name) }
        if let ip = IPLiteral.parse(host) { return .ip(ip) }
        return .name(host)
    }

    /// The identity a server certificate is checked against.
    public enum ExpectedPeer: Sendable, Equatable, CustomStringConvertible {
        case name(String)
        case ip(String)
        public var description: String {
            switch self {
            case .name(let name): name
            case .ip(let ip): ip
            }
        }
    }
}

/// What a server asks of clients' certificates (`clientcert=`).
public enum ClientCertificatePolicy: String, Sendable, CaseIterable {
    /// Ask for none.
    case off
    /// Ask for one; a client without one, or with one that does not verify, still gets in (the
    /// verify result is reported).
    case ask
    /// A client must present one. With `clientCAFile` it must also verify against that file;
    /// without it any certificate is accepted and its verify result reported.
    case require
}

/// Where a server's certificate comes from.
public enum TLSServerIdentity: Sendable, Equatable {
    /// `cert=FILE key=FILE` (PEM; the certificate file may carry the chain after the leaf, and the
    /// key when `key` is nil).
    case files(certificate: String, key: String?)
    /// A fresh self-signed EC P-256 certificate for localhost, 127.0.0.1 and ::1, made in memory.
    case selfSigned
}

/// A TLS server: `listen tls [HOST:]PORT [cert= key=] [alpn=] [clientcert=]`.
public struct TLSServerConfiguration: Sendable, Equatable {
    public var identity: TLSServerIdentity = .selfSigned
    public var clientCertificates: ClientCertificatePolicy = .off
    /// `ca=FILE` on a server: the CAs client certificates must chain to (enforced with `require`).
    public var clientCAFile: String?
    /// `settings.alpn` is the server's preference order: the first of ours the client also offers wins;
    /// no overlap continues without ALPN (as `openssl s_server -alpn` does).
    public var settings = TLSProtocolSettings()

    public init(identity: TLSServerIdentity = .selfSigned, clientCertificates: ClientCertificatePolicy = .off,
                clientCAFile: String? = nil, settings: TLSProtocolSettings = TLSProtocolSettings()) {
        self.identity = identity
        self.clientCertificates = clientCertificates
        self.clientCAFile = clientCAFile
        self.settings = settings
    }
}

/// IP literals as they appear in a host: `127.0.0.1`, `::1`, `[::1]`.
enum IPLiteral {
    /// The address without brackets when `text` is a numeric IPv4 or IPv6 address, else nil.
    static func parse(_ text: String) -> String? {
        var bare = Substring(text)
        if bare.hasPrefix("[") && bare.hasSuffix("]") { bare = bare.dropFirst().dropLast() }
        let candidate = String(bare)
        var buffer = in6_addr()
        if inet_pton(AF_INET, candidate, &buffer) == 1 || inet_pton(AF_INET6, candidate, &buffer) == 1 { return candidate }
        return nil
    }
}
