// TLSContext.swift — one SSL_CTX built from a client or server configuration: versions, verify
// mode and trust, identity, ALPN, no renegotiation, partial writes; and the context-wide callbacks
// (key log, ALPN selection) that reach Swift through the context's app data.

import COpenSSL
import SocketKit

/// The settings many sessions share: one per `connect tls`, one per TLS listener (every accepted
/// connection's session uses it). Belongs to the event-loop thread, as sessions do.
public final class TLSContext {
    public let role: TLSRole
    /// The client configuration (host, SNI, verify) for a client context.
    public let clientConfiguration: TLSClientConfiguration?
    /// The server configuration for a server context.
    public let serverConfiguration: TLSServerConfiguration?
    /// Our own certificate: the server's (generated or loaded), or the client's `cert=`; nil without one.
    public let localCertificate: TLSCertificateInfo?
    /// That certificate in PEM, for a client to trust (`ca=`, `-CAfile`); it holds no key.
    public let localCertificatePEM: String?
    /// Receives each NSS key-log line (`CLIENT_RANDOM …` for TLS 1.2, `CLIENT_HANDSHAKE_TRAFFIC_SECRET …`
    /// and the others for 1.3), without its newline, as sessions of this context derive secrets.
    /// Setting it to nil stops OpenSSL from even formatting them.
    public var keyLog: ((String) -> Void)? {
        didSet { SSL_CTX_set_keylog_callback(context, keyLog == nil ? nil : keyLogCallback) }
    }

    let context: OpaquePointer
    let bioMethod: OpaquePointer
    /// Our ALPN list in wire format, allocated so OpenSSL may keep pointers into it during a handshake.
    let alpnWire: UnsafeMutableBufferPointer<UInt8>?

    /// A client context. Loads the system trust store (and `caFile`), `cert=`/`key=` if given.
    public convenience init(client configuration: TLSClientConfiguration) throws(TLSError) {
        try self.init(role: .client, client: configuration, server: nil)
    }

    /// A server context. Generates the self-signed certificate or loads `cert=`/`key=`.
    public convenience init(server configuration: TLSServerConfiguration) throws(TLSError) {
        try self.init(role: .server, client: nil, server: configuration)
    }

    private init(role: TLSRole, client: TLSClientConfiguration?, server: TLSServerConfiguration?) throws(TLSError) {
        let settings = client?.settings ?? server!.settings
        // Everything that can fail without an SSL_CTX is checked first, so nothing needs undoing.
        let wire = try Self.alpnWireFormat(settings.alpn)
        let identity: TLSIdentity?
        if let server {
            switch server.identity {
            case .selfSigned: identity = try TLSIdentity.selfSigned()
            case .files(let certificate, let key): identity = try TLSIdentity.load(certificatePath: certificate, keyPath: key)
            }
        } else if let client, let certificate = client.certificateFile {
            identity = try TLSIdentity.load(certificatePath: certificate, keyPath: client.keyFile)
        } else if let client, client.keyFile != nil {
            throw TLSError(kind: .configuration, operation: "key=\(client.keyFile!)", reason: "a key needs its certificate (cert=FILE)")
        } else {
            identity = nil
        }
        OpenSSLErrors.clear()
        guard let context = SSL_CTX_new(role == .client ? TLS_client_method() : TLS_server_method()) else {
            throw OpenSSLErrors.configurationError("SSL_CTX_new", fallback: "cannot create a TLS context")
        }
        guard let method = SocketBIOState.makeMethod() else {
            SSL_CTX_free(context)
            throw OpenSSLErrors.configurationError("BIO_meth_new", fallback: "cannot create the socket BIO method")
        }
        self.role = role
        self.clientConfiguration = client
        self.serverConfiguration = server
        self.context = context
        self.bioMethod = method
        self.localCertificate = identity?.info
        self.localCertificatePEM = identity?.certificatePEM
        if let wire {
            let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: wire.count)
            _ = storage.initialize(from: wire)
            self.alpnWire = storage
        } else {
            self.alpnWire = nil
        }
        // From here on `deinit` releases everything, so a throw below leaks nothing.
        _ = sp_ctx_set_app_data(context, Unmanaged.passUnretained(self).toOpaque())
        try applyCommon(settings)
        // The SSL_CTX takes its own references to the certificate and key; `identity` may go after.
        if let identity { try use(identity) }
        if let client { try applyClient(client) }
        if let server { try applyServer(server) }
        OpenSSLErrors.clear()
    }

    deinit {
        _ = sp_ctx_set_app_data(context, nil)
        SSL_CTX_free(context)
        BIO_meth_free(bioMethod)
        if let alpnWire { alpnWire.deallocate() }
    }

    private func applyCommon(_ settings: TLSProtocolSettings) throws(TLSError) {
        guard settings.minimumVersion <= settings.maximumVersion else {
            throw TLSError(kind: .configuration, operation: "versions",
                           reason: "minimum \(settings.minimumVersion.rawValue) is above maximum \(settings.maximumVersion.rawValue)")
        }
        guard sp_ctx_set_min_proto_version(context, settings.minimumVersion.constant) == 1,
              sp_ctx_set_max_proto_version(context, settings.maximumVersion.constant) == 1
        else { throw OpenSSLErrors.configurationError("versions", fallback: "cannot set the protocol versions") }
        // Renegotiation is refused (a no_renegotiation alert, reported as an event); compression never.
        _ = SSL_CTX_set_options(context, sp_op_no_renegotiation() | sp_op_no_compression())
        // SSL_write returns after each record, and may be retried with the caller's queue at a new
        // address: the caller's send queue stays the one source of truth. Idle sessions give their
        // buffers back (1,000 idle TLS connections cost little).
        _ = sp_ctx_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))
        // Read ahead: one recv may bring several records (fewer syscalls in a flood); buffered input
        // is why TLSSession.hasBufferedInput exists.
        sp_ctx_set_read_ahead(context, 1)
        SSL_CTX_set_default_read_buffer_len(context, TLSContext.readBufferLength)
        if let list = settings.cipherList, SSL_CTX_set_cipher_list(context, list) != 1 {
            throw OpenSSLErrors.configurationError("ciphers=\(list)", fallback: "no cipher matches")
        }
        if let suites = settings.cipherSuites, SSL_CTX_set_ciphersuites(context, suites) != 1 {
            throw OpenSSLErrors.configurationError("ciphersuites=\(suites)", fallback: "no TLS 1.3 suite matches")
        }
    }

    /// OpenSSL's read buffer when reading ahead: room for a few full records per recv.
    static let readBufferLength = 64 * 1024

    private func use(_ identity: TLSIdentity) throws(TLSError) {
        guard SSL_CTX_use_certificate(context, identity.certificate) == 1 else {
            throw OpenSSLErrors.configurationError("certificate", fallback: "the certificate is not usable")
        }
        for certificate in identity.chain where sp_ctx_add1_chain_cert(context, certificate) != 1 {
            throw OpenSSLErrors.configurationError("certificate chain", fallback: "a chain certificate is not usable")
        }
        guard SSL_CTX_use_PrivateKey(context, identity.key) == 1, SSL_CTX_check_private_key(context) == 1 else {
            throw OpenSSLErrors.configurationError("key", fallback: "the key does not belong to the certificate")
        }
    }

    private func applyClient(_ client: TLSClientConfiguration) throws(TLSError) {
        let extra = try client.caFile.map { path throws(TLSError) in try PEMFile.certificates(try PEMFile.read(path, option: "ca"), operation: "ca=\(path)") } ?? []
        defer { extra.forEach { X509_free($0) } }
        guard SystemTrustStore.shared.use(in: context, adding: extra) else {
            throw OpenSSLErrors.configurationError("system trust store", fallback: "cannot use the system trust store")
        }
        // verify=off still runs the check (its result is reported) but does not fail the handshake.
        SSL_CTX_set_verify(context, client.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        if let alpnWire, SSL_CTX_set_alpn_protos(context, alpnWire.baseAddress, UInt32(alpnWire.count)) != 0 {
            throw OpenSSLErrors.configurationError("alpn", fallback: "cannot set the ALPN list")
        }
    }

    private func applyServer(_ server: TLSServerConfiguration) throws(TLSError) {
        SSL_CTX_set_alpn_select_cb(context, alpnSelectCallback, Unmanaged.passUnretained(self).toOpaque())
        if let caFile = server.clientCAFile {
            try trust(caFile)
        } else if server.clientCertificates != .off {
            // Only to report a client certificate's verify result; a listener that asks for none pays nothing.
            _ = SystemTrustStore.shared.use(in: context, adding: [])
        }
        switch server.clientCertificates {
        case .off:
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        case .ask:
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, acceptAnyCertificate)
        case .require:
            let strict = server.clientCAFile != nil
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, strict ? nil : acceptAnyCertificate)
        }
    }

    /// A server's `ca=`: the only CAs client certificates may chain to, also named in its certificate request.
    private func trust(_ path: String) throws(TLSError) {
        let certificates = try PEMFile.certificates(try PEMFile.read(path, option: "ca"), operation: "ca=\(path)")
        defer { certificates.forEach { X509_free($0) } }
        let store = SSL_CTX_get_cert_store(context)
        for certificate in certificates {
            // The same certificate twice in one file ("cert already in hash table") is harmless.
            _ = X509_STORE_add_cert(store, certificate)
            _ = SSL_CTX_add_client_CA(context, certificate)
        }
        OpenSSLErrors.clear()
    }

    /// ALPN names in wire format (each prefixed with its length); nil for an empty list.
    static func alpnWireFormat(_ protocols: [String]) throws(TLSError) -> [UInt8]? {
        guard !protocols.isEmpty else { return nil }
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else {
                throw TLSError(kind: .configuration, operation: "alpn", reason: "a protocol name must be 1 to 255 bytes")
            }
            wire.append(UInt8(bytes.count))
            wire += bytes
        }
        return wire
    }

    static func from(_ context: OpaquePointer?) -> TLSContext? {
        guard let context, let data = sp_ctx_get_app_data(context) else { return nil }
        return Unmanaged<TLSContext>.fromOpaque(data).takeUnretainedValue()
    }
}

// C callbacks. Each finds its Swift object through an app-data pointer set while the object lives
// and cleared before it is freed; OpenSSL calls them only from inside the SSL_* calls a session makes.

private func keyLogCallback(_ ssl: OpaquePointer?, _ line: UnsafePointer<CChar>?) {
    guard let ssl, let line, let context = TLSContext.from(SSL_get_SSL_CTX(ssl)) else { return }
    context.keyLog?(String(cString: line))
}

/// The server's ALPN choice: the first of our protocols the client offers; none in common (or no
/// list of ours) goes on without ALPN. Records what the client offered for the handshake summary.
private func alpnSelectCallback(
    _ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, _ outLength: UnsafeMutablePointer<UInt8>?,
    _ offered: UnsafePointer<UInt8>?, _ offeredLength: UInt32, _ argument: UnsafeMutableRawPointer?
) -> Int32 {
    guard let ssl, let out, let outLength, let offered, let argument else { return SSL_TLSEXT_ERR_NOACK }
    let context = Unmanaged<TLSContext>.fromOpaque(argument).takeUnretainedValue()
    TLSSession.from(ssl)?.noteOfferedALPN(UnsafeBufferPointer(start: offered, count: Int(offeredLength)))
    guard let wire = context.alpnWire else { return SSL_TLSEXT_ERR_NOACK }
    var selected: UnsafeMutablePointer<UInt8>?
    var selectedLength: UInt8 = 0
    let status = SSL_select_next_proto(&selected, &selectedLength, wire.baseAddress, UInt32(wire.count), offered, offeredLength)
    guard status == OPENSSL_NPN_NEGOTIATED, let selected else { return SSL_TLSEXT_ERR_NOACK }
    out.pointee = UnsafePointer(selected)
    outLength.pointee = selectedLength
    return SSL_TLSEXT_ERR_OK
}

/// `clientcert=ask`, or `require` without `ca=`: take any certificate; the result is still recorded
/// (SSL_get_verify_result) and shown.
private func acceptAnyCertificate(_ preverified: Int32, _ store: OpaquePointer?) -> Int32 { 1 }
