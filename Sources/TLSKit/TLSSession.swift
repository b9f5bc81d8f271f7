// TLSSession.swift — one TLS connection on a descriptor the caller's epoll loop owns: handshake,
// read, write and close_notify, each returning at once (done / wantRead / wantWrite / closed /
// failed); every SSL_* call traced, alerts reported as events, OpenSSL's errors as values.

import COpenSSL
import SocketKit

/// A TLS session over a connected, non-blocking stream socket. It never closes, polls or blocks on
/// the descriptor: the caller waits for the readiness an outcome asks for and calls the same
/// operation again. Belongs to the event-loop thread.
///
/// To upgrade a plain connection in place (STARTTLS), make a session on its descriptor once the
/// plain side has stopped reading and its send queue is empty; hand over, as `alreadyReceived`, any
/// bytes the plain reader took off the socket after the switch point (usually none).
public final class TLSSession {
    public let context: TLSContext
    public let fd: FileDescriptor
    public var role: TLSRole { context.role }
    public internal(set) var state: TLSSessionState = .handshaking
    /// Set once the handshake completes.
    public private(set) var summary: TLSHandshakeSummary?
    /// Receives each SSL_* call as it returns (`SSL_read(7, 65536) = 517`); nil: nothing is formatted.
    public var tracer: ((TLSTraceRecord) -> Void)?
    /// Receives alerts, the handshake's end and refused renegotiations, after the call that saw them
    /// returns (so the handler may call back into the session).
    public var onEvent: ((TLSEvent) -> Void)?

    /// The readiness the handshake waits for (while `state` is `.handshaking`).
    public private(set) var handshakeWaitsFor: Interest = .writable
    /// The readiness the next `read` needs: `.readable`, or `.writable` after a read answered `wantWrite`.
    public internal(set) var readWaitsFor: Interest = .readable
    /// The readiness the next `write` needs: `.writable`, or `.readable` after a write answered `wantRead`.
    public internal(set) var writeWaitsFor: Interest = .writable

    let ssl: OpaquePointer
    let socket: SocketBIOState
    private var pendingEvents: [TLSEvent] = []
    /// Set when a handshake or read stopped while OpenSSL still held input (see `hasBufferedInput`).
    private var mayHaveBufferedInput = false
    private var offeredALPN: [String]
    private let verifyEnforced: Bool

    /// Attaches a session in the context's role to `fd`. Socket calls go through `system` (and its
    /// tracer). Fails only on a configuration OpenSSL refuses (an unusable SNI name).
    public init(context: TLSContext, fd: FileDescriptor, system: SystemCalls, alreadyReceived: [UInt8] = []) throws(TLSError) {
        OpenSSLErrors.clear()
        guard let ssl = SSL_new(context.context) else { throw OpenSSLErrors.configurationError("SSL_new", fallback: "cannot create a session") }
        let socket = SocketBIOState(fd: fd, system: system, alreadyReceived: alreadyReceived)
        guard let bio = socket.makeBIO(method: context.bioMethod) else {
            SSL_free(ssl)
            throw OpenSSLErrors.configurationError("BIO_new", fallback: "cannot create the socket BIO")
        }
        SSL_set_bio(ssl, bio, bio)  // one reference, owned by the SSL from here on
        self.context = context
        self.fd = fd
        self.ssl = ssl
        self.socket = socket
        self.offeredALPN = context.role == .client ? context.clientConfiguration?.settings.alpn ?? [] : []
        if let client = context.clientConfiguration {
            verifyEnforced = client.verify
        } else {
            verifyEnforced = context.serverConfiguration?.clientCertificates == .require && context.serverConfiguration?.clientCAFile != nil
        }
        // From here on `deinit` frees the SSL, so a throw below leaks nothing.
        _ = sp_set_app_data(ssl, Unmanaged.passUnretained(self).toOpaque())
        SSL_set_info_callback(ssl, infoCallback)
        if context.role == .client {
            SSL_set_connect_state(ssl)
            if let client = context.clientConfiguration { try setExpectedPeer(client) }
        } else {
            SSL_set_accept_state(ssl)
            handshakeWaitsFor = .readable
        }
        OpenSSLErrors.clear()
    }

    deinit {
        _ = sp_set_app_data(ssl, nil)
        if let bio = SSL_get_rbio(ssl) { BIO_set_data(bio, nil) }
        SSL_free(ssl)
    }

    /// SNI to send and the name (or IP) the server's certificate must carry.
    private func setExpectedPeer(_ client: TLSClientConfiguration) throws(TLSError) {
        if let name = client.sentServerName, sp_set_tlsext_host_name(ssl, name) != 1 {
            throw OpenSSLErrors.configurationError("sni=\(name)", fallback: "OpenSSL refuses this server name")
        }
        switch client.expectedPeer {
        case .name(let name):
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            guard SSL_set1_host(ssl, name) == 1 else { throw OpenSSLErrors.configurationError("host \(name)", fallback: "cannot check this name") }
        case .ip(let ip):
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ip) == 1 else {
                throw OpenSSLErrors.configurationError("host \(ip)", fallback: "cannot check this address")
            }
        }
    }

    // MARK: Operations

    /// Advances the handshake (SSL_connect or SSL_accept). `done` carries the summary (also sent as
    /// a `handshakeDone` event); calling it again afterwards returns the same summary.
    public func handshake() -> TLSOutcome<TLSHandshakeSummary> {
        defer { flushEvents() }
        switch state {
        case .handshaking: break
        case .failed(let error): return .failed(error)
        case .closed(let closure) where summary == nil: return .closed(closure)
        default: return summary.map { .done($0) } ?? .failed(usage("handshake", "no handshake summary"))
        }
        let name = role == .client ? "SSL_connect" : "SSL_accept"
        let step = run(name, "\(fd)", operation: "handshake") {
            let result = role == .client ? SSL_connect(ssl) : SSL_accept(ssl)
            return (result == 1, result, Int(result))
        }
        switch step {
        case .success:
            let summary = TLSHandshakeSummary(ssl: ssl, role: role, offeredALPN: offeredALPN, verifyEnforced: verifyEnforced)
            self.summary = summary
            state = .established
            mayHaveBufferedInput = SSL_has_pending(ssl) == 1
            pendingEvents.append(.handshakeDone(summary))
            return .done(summary)
        case .want(let interest):
            handshakeWaitsFor = interest
            return interest == .readable ? .wantRead : .wantWrite
        case .ended(let ending):
            return ending.outcome()
        }
    }

    /// Decrypts into `buffer` (64 KiB is a good size): `done(n)` with 1…count bytes. It reads records
    /// while OpenSSL holds more, so one call may fill the buffer from several; then check
    /// `hasBufferedInput` before waiting for readability again.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSOutcome<Int> {
        defer { flushEvents() }
        if let ended: TLSOutcome<Int> = refuseUnlessEstablished("read", allowClosing: true) { return ended }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .done(0) }
        mayHaveBufferedInput = false
        return transfer("SSL_read", count: buffer.count, operation: "read", waits: \.readWaitsFor, ready: .readable) { filled in
            // Stop once OpenSSL holds nothing more; a full buffer with more held says so.
            if SSL_has_pending(ssl) == 0 { return false }
            mayHaveBufferedInput = filled == buffer.count
            return true
        } call: { offset, remaining, count in
            SSL_read_ex(ssl, base + offset, remaining, &count)
        }
    }

    /// Encrypts and sends from the head of the caller's send queue: `done(n)` means the first n bytes
    /// are taken (drop them from the queue). After `wantWrite`/`wantRead`, call again with a buffer
    /// that starts with the same bytes and is at least as long (it may have moved in memory).
    public func write(_ bytes: UnsafeRawBufferPointer) -> TLSOutcome<Int> {
        defer { flushEvents() }
        if case .closed(.closeNotify) = state {
            // The peer's close_notify ends its direction only: we may still send (TLS half-close).
        } else if let ended: TLSOutcome<Int> = refuseUnlessEstablished("write", allowClosing: false) {
            return ended
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .done(0) }
        return transfer("SSL_write", count: bytes.count, operation: "write", waits: \.writeWaitsFor, ready: .writable) { _ in true } call: {
            offset, remaining, count in
            SSL_write_ex(ssl, base + offset, remaining, &count)
        }
    }

    /// The loop `read` and `write` share: `call` (SSL_read_ex or SSL_write_ex) on the rest of the
    /// buffer until it is all done, `more` says stop, the socket says wait, or the session ends. Bytes
    /// already moved win over a wait or an end, which the next call meets again (an end stays in `state`).
    private func transfer(_ name: String, count total: Int, operation: String, waits: ReferenceWritableKeyPath<TLSSession, Interest>,
                          ready: Interest, more: (Int) -> Bool, call: (Int, Int, inout Int) -> Int32) -> TLSOutcome<Int> {
        var done = 0
        while done < total {
            let remaining = total - done
            let step = run(name, "\(fd), \(remaining)", operation: operation) {
                var count = 0
                let result = call(done, remaining, &count)
                return (result == 1, result, count)
            }
            switch step {
            case .success(let count):
                done += count
                self[keyPath: waits] = ready
                if !more(done) { return .done(done) }
            case .want(let interest):
                self[keyPath: waits] = interest
                return done > 0 ? .done(done) : interest == .readable ? .wantRead : .wantWrite
            case .ended(let ending):
                return done > 0 ? .done(done) : ending.outcome()
            }
        }
        return .done(done)
    }

    /// Sends our close_notify (SSL_shutdown). `closeNotifySent` is enough to close the descriptor;
    /// calling again after it waits for the peer's (`complete`), as does reading until `closed`.
    /// A session that failed or whose connection ended sends nothing (`skipped`).
    public func shutdown() -> TLSOutcome<TLSShutdownProgress> {
        defer { flushEvents() }
        switch state {
        case .handshaking, .failed, .closed(.withoutCloseNotify): return .done(.skipped)
        case .established, .closing, .closed(.closeNotify): break
        }
        let peerClosed = state == .closed(.closeNotify)
        let step = run("SSL_shutdown", "\(fd)", operation: "shutdown") {
            let result = SSL_shutdown(ssl)
            return (result >= 0, result, Int(result))
        }
        switch step {
        case .success(let result):
            state = result == 1 || peerClosed ? .closed(.closeNotify) : .closing
            return .done(result == 1 ? .complete : .closeNotifySent)
        case .want(let interest):
            if !peerClosed { state = .closing }
            return interest == .readable ? .wantRead : .wantWrite
        case .ended(let ending):
            return ending.outcome()
        }
    }

    /// Bytes this session has taken off the socket (records, handshake and all): what a peer's
    /// tiny records really cost, where `read`'s count is only the plaintext they carried.
    public var ciphertextReceived: UInt64 { socket.received }

    /// True when OpenSSL may hold received bytes that epoll cannot see: the handshake's last read
    /// took data the peer sent right after it, or the last `read` filled its buffer with more left.
    /// Call `read` again then instead of waiting for readability. Those bytes may turn out to be only
    /// part of a record: that read answers `wantRead` and this turns false, so a loop of
    /// "read while hasBufferedInput" cannot spin.
    public var hasBufferedInput: Bool {
        switch state {
        case .established, .closing: mayHaveBufferedInput && SSL_has_pending(ssl) == 1
        default: false
        }
    }

    /// The epoll interest the session needs now, given whether the caller wants to read (not
    /// paused) and has bytes queued to write. During the handshake only the handshake counts.
    public func interest(reading: Bool, writing: Bool) -> Interest {
        switch state {
        case .handshaking: return handshakeWaitsFor
        case .failed, .closed(.withoutCloseNotify): return []
        case .closed(.closeNotify): return writing ? writeWaitsFor : []
        case .established, .closing:
            var interest: Interest = []
            if reading { interest.formUnion(readWaitsFor) }
            if writing { interest.formUnion(writeWaitsFor) }
            return interest
        }
    }

    private func refuseUnlessEstablished<T>(_ operation: String, allowClosing: Bool) -> TLSOutcome<T>? {
        switch state {
        case .established: return nil
        case .closing where allowClosing: return nil
        case .closing: return .failed(usage(operation, "our close_notify is already sent"))
        case .handshaking: return .failed(usage(operation, "the handshake has not completed"))
        case .closed(let closure): return .closed(closure)
        case .failed(let error): return .failed(error)
        }
    }

    private func usage(_ operation: String, _ reason: String) -> TLSError {
        TLSError(kind: .usage, operation: operation, reason: reason)
    }

    // MARK: Callbacks

    /// Events wait until the SSL_* call that produced them has returned; a flood is cut at 64 per call
    /// (OpenSSL itself fails a peer after 5 warning alerts in a row).
    private func flushEvents() {
        guard !pendingEvents.isEmpty else { return }
        let events = pendingEvents
        pendingEvents = []
        if let onEvent { events.forEach(onEvent) }
    }

    fileprivate func noteInfo(_ location: Int32, _ value: Int32) {
        guard location & SSL_CB_ALERT != 0, pendingEvents.count < 64 else { return }
        let alert = TLSAlert(infoValue: value)
        if location & SSL_CB_WRITE != 0 {
            pendingEvents.append(alert.code == SSL_AD_NO_RENEGOTIATION ? .renegotiationRefused : .alertSent(alert))
        } else {
            pendingEvents.append(.alertReceived(alert))
        }
    }

    /// The client's ALPN list, from the server's selection callback.
    func noteOfferedALPN(_ wire: UnsafeBufferPointer<UInt8>) {
        var names: [String] = []
        var index = 0
        while index < wire.count && names.count < 64 {
            let length = Int(wire[index])
            let end = min(wire.count, index + 1 + length)
            names.append(String(decoding: wire[(index + 1)..<end], as: UTF8.self))
            index = end
        }
        offeredALPN = names
    }

    static func from(_ ssl: OpaquePointer?) -> TLSSession? {
        guard let ssl, let data = sp_get_app_data(ssl) else { return nil }
        return Unmanaged<TLSSession>.fromOpaque(data).takeUnretainedValue()
    }
}

/// SSL_set_info_callback: alerts in and out, found through the session's app data.
private func infoCallback(_ ssl: OpaquePointer?, _ location: Int32, _ value: Int32) {
    TLSSession.from(ssl)?.noteInfo(location, value)
}
