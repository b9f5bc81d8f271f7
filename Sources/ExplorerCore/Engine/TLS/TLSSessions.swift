// TLSSessions — TLS on the engine's sockets: starting a client or server session on any connected
// stream socket (`connect tls`, `listen tls`'s accepted peers, `starttls`, a relay's side), driving
// its handshake from the loop's readiness, the events the log shows (handshake, alerts, failures
// with OpenSSL's reason), handshake deadlines, and close_notify when sockpit closes.

import Glibc
import SocketKit
import TLSKit

/// What the engine keeps for TLS across sockets.
struct TLSBookkeeping {
    /// Sockets whose handshake runs, with its deadline (monotonic µs).
    var handshakes: [SocketID: Int64] = [:]
    /// `set keylog FILE` (or SSLKEYLOGFILE).
    var keyLog: TLSKeyLog?
}

extension TLSLink {
    /// How long an accepted peer's (or a `starttls`'s) handshake may take: a peer that stalls
    /// mid-handshake is closed then, so it holds nothing for long.
    static let defaultHandshakeTimeout: Int64 = 10_000_000
}

extension Engine {
    /// Starts TLS on an open, connected stream socket: a session in `context`'s role, its handshake
    /// driven by the loop from here on. Bytes sent meanwhile wait in the queue until it is done;
    /// `onHandshake` hears how it ended. For relays and commands alike.
    @discardableResult
    func startTLS(on record: SocketRecord, context: TLSContext, timeout: Int64 = TLSLink.defaultHandshakeTimeout,
                  alreadyReceived: [UInt8] = [],
                  onHandshake: ((Result<TLSHandshakeSummary, TLSError>) -> Void)? = nil) throws(CommandError) -> TLSLink {
        let id = record.id
        guard let entry = table[id], entry.state.isOpen, record.fd >= 0, entry.transport != .udp, !entry.role.isListening else {
            throw CommandError("tls: \(id) is not a connected stream socket")
        }
        if record.tls?.session != nil { throw CommandError("tls: \(id) already speaks TLS") }
        let session: TLSSession
        do { session = try TLSSession(context: context, fd: record.fd, system: system, alreadyReceived: alreadyReceived) } catch {
            throw CommandError("tls \(id): \(error)")
        }
        let link = record.tls ?? TLSLink(context: context, handshakeTimeout: timeout)
        link.session = session
        link.handshakeDeadline = MonotonicClock.now() + link.handshakeTimeout
        if let onHandshake { link.onHandshake.append(onHandshake) }
        record.tls = link
        tlsBook.handshakes[id] = link.handshakeDeadline
        session.tracer = { [unowned self] trace in
            guard self.tracing else { return }
            self.journal.append(LogEntry(time: WallClock.now(), socket: id, kind: .trace, text: trace.description))
        }
        session.onEvent = { [unowned self] event in self.tlsEvent(id, event) }
        if context.keyLog == nil { context.keyLog = { [weak self] line in self?.writeKeyLog(line) } }
        update(id) { $0.tls = SocketTLS(role: context.role.rawValue, phase: .handshaking) }
        event(id, .tls, "tls handshake started as \(context.role.rawValue)" + Engine.handshakeOffer(context))
        driveTLSHandshake(record)
        return link
    }

    /// What we ask for, for the log: `(SNI localhost, ALPN h2,http/1.1, verify on)`.
    private static func handshakeOffer(_ context: TLSContext) -> String {
        var parts: [String] = []
        if let client = context.clientConfiguration {
            parts.append("SNI " + (client.sentServerName ?? "none"))
            if !client.settings.alpn.isEmpty { parts.append("ALPN " + client.settings.alpn.joined(separator: ",")) }
            parts.append("verify " + (client.verify ? "on, name \(client.expectedPeer)" : "off"))
        } else if let server = context.serverConfiguration {
            if !server.settings.alpn.isEmpty { parts.append("ALPN " + server.settings.alpn.joined(separator: ",")) }
            if server.clientCertificates != .off { parts.append("clientcert \(server.clientCertificates.rawValue)") }
        }
        return parts.isEmpty ? "" : " (" + Sanitizer.clean(parts.joined(separator: ", ")) + ")"
    }

    /// A `connect tls` whose TCP connection just opened: its handshake starts now.
    func startPendingTLS(_ record: SocketRecord) {
        guard let link = record.tls, link.session == nil else { return }
        do throws(CommandError) {
            try startTLS(on: record, context: link.context, timeout: link.handshakeTimeout)
        } catch {
            event(record.id, .error, error.message)
            closeNow(record, reason: "closed (TLS could not start)", failure: error.message)
        }
    }

    /// The socket is ready while its handshake runs: take the next step.
    func driveTLSHandshake(_ record: SocketRecord) {
        guard let link = record.tls, let session = link.session, link.isHandshaking else { return }
        switch session.handshake() {
        case .done(let summary):
            tlsHandshakeDone(record, link, summary)
        case .wantRead, .wantWrite:
            data.refreshInterest(record)
        case .closed(let closure):
            tlsHandshakeFailed(record, TLSError(kind: .closedDuringHandshake, operation: "handshake", reason: closure.rawValue))
        case .failed(let error):
            tlsHandshakeFailed(record, error)
        }
    }

    private func tlsHandshakeDone(_ record: SocketRecord, _ link: TLSLink, _ summary: TLSHandshakeSummary) {
        let id = record.id
        tlsBook.handshakes[id] = nil
        _ = link.takeWireBytes()  // the handshake's bytes are not the data path's to count
        update(id) {
            $0.tls?.phase = .established
            $0.tls?.version = summary.version
            $0.tls?.alpn = summary.alpn.map(Sanitizer.clean)
        }
        event(id, .tls, "tls handshake done: " + Sanitizer.clean(summary.description))
        link.handshakeEnded(.success(summary))
        guard sockets.isOpen(record) else { return }
        if !record.stream.sendQueue.isEmpty { data.flush(record) }
        guard sockets.isOpen(record) else { return }
        // The peer's first bytes may have come with its last handshake flight: OpenSSL holds them.
        data.afterTLSRead(record)
    }

    /// The handshake failed, timed out or the peer left: an `error:` with OpenSSL's reason on this
    /// socket only, then it closes.
    func tlsHandshakeFailed(_ record: SocketRecord, _ error: TLSError) {
        let id = record.id
        tlsBook.handshakes[id] = nil
        let message = tlsFailureMessage(id, error, during: "handshake")
        update(id) { $0.tls?.phase = .failed }
        event(id, .error, message)
        record.tls?.handshakeEnded(.failure(error))
        guard sockets.isOpen(record) else { return }
        data.dropQueue(record)
        closeNow(record, reason: "closed (TLS handshake failed)", failure: message)
    }

    /// `tls handshake with 127.0.0.1:4433 failed: certificate verify failed: self-signed certificate
    /// (ca=FILE trusts it; verify=off skips the check)`.
    func tlsFailureMessage(_ id: SocketID, _ error: TLSError, during step: String) -> String {
        let peer = table[id]?.remote.map { " with \($0)" } ?? ""
        var message = "tls \(step)\(peer) failed: \(ASCIIText.escaped(error.reason))"
        if error.kind == .verification, record(forClient: id) {
            message += " (ca=FILE trusts its issuer; verify=off skips the check)"
        }
        return message
    }

    private func record(forClient id: SocketID) -> Bool {
        sockets.record(id)?.tls?.context.role == .client
    }

    /// Alerts and refused renegotiations, by their RFC names.
    private func tlsEvent(_ id: SocketID, _ tlsEvent: TLSEvent) {
        switch tlsEvent {
        case .handshakeDone: return  // logged with the summary by tlsHandshakeDone
        case .alertReceived, .alertSent: event(id, .tls, "tls \(tlsEvent)")
        case .renegotiationRefused: event(id, .warning, "tls \(tlsEvent)")
        }
    }

    /// Handshakes past their deadline fail.
    func expireTLSHandshakes(now: Int64) {
        for (id, deadline) in tlsBook.handshakes where deadline <= now {
            guard let record = sockets.record(id), let link = record.tls else {
                tlsBook.handshakes[id] = nil
                continue
            }
            tlsHandshakeFailed(record, TLSError(kind: .protocolError, operation: "handshake",
                                                reason: "no handshake after \(Units.duration(link.handshakeTimeout)) (the peer stalled)"))
        }
    }

    /// The next handshake deadline, or now while a session holds input to read.
    var nextTLSDeadline: Int64? {
        if data.hasReadyBufferedTLS { return MonotonicClock.now() }
        return tlsBook.handshakes.values.min()
    }

    /// The socket is closing: our close_notify goes first (once, without waiting for the peer's).
    func tlsClosing(_ record: SocketRecord) {
        tlsBook.handshakes[record.id] = nil
        data.tlsBuffered.remove(record.id)
        guard let link = record.tls, let session = link.session, !link.shutdownDone else { return }
        link.shutdownDone = true
        if link.isHandshaking {
            link.handshakeEnded(.failure(TLSError(kind: .closedDuringHandshake, operation: "handshake", reason: "the socket closed")))
        }
        // The close_notify alert itself shows as an event (the session reports alerts sent).
        _ = session.shutdown()
    }

    /// A session failed after its handshake: the error, then the socket closes.
    func tlsFailed(_ record: SocketRecord, _ error: TLSError) {
        let message = tlsFailureMessage(record.id, error, during: error.operation)
        event(record.id, .error, message)
        closeNow(record, reason: "closed (TLS error)", failure: message)
    }
}
