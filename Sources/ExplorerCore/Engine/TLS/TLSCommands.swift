// TLSCommands — what the TLS commands ask of the engine: `connect tls` (TCP, then a client
// handshake), a TLS listener's context, `starttls` on an established connection, waiting for a
// handshake's end as a command does, and the TLS lines of `info`.

import SocketKit
import TLSKit

extension Engine {
    /// `connect tls HOST:PORT …`: the context first (a bad `ca=` changes nothing), then the TCP
    /// connection, whose handshake starts once it is up. Finishes when the handshake does.
    func connectTLS(_ request: ConnectRequest, _ options: TLSClientOptions, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let id = try connectForTLS(request, options)
        return awaitHandshake(id, label: "connect tls \(id)", timeout: 2 * request.timeout + 1_000_000, origin: origin)
            .relabeled(progress: "\(id) connecting to \(Sanitizer.clean(request.target)) (tls)…")
    }

    /// A TCP connection whose TLS client handshake starts once it is up (`connect tls`, `http https://`).
    func connectForTLS(_ request: ConnectRequest, _ options: TLSClientOptions) throws(CommandError) -> SocketID {
        guard request.transport == .tcp, request.path == nil else { throw CommandError("connect tls: TLS runs over tcp; give HOST:PORT") }
        let context = try options.context(host: request.host)
        return try connect(request) { record in self.attachTLSClient(record, context, timeout: request.timeout) }
    }

    /// Gives a connection that is about to connect its client TLS section: the handshake starts once it is up.
    func attachTLSClient(_ record: SocketRecord, _ context: TLSContext, timeout: Int64) {
        record.tls = TLSLink(context: context, handshakeTimeout: timeout)
        // The pane says tls from the start (the TCP connect comes first).
        update(record.id) { $0.tls = SocketTLS(role: "client", phase: .handshaking) }
    }

    /// Finishes when `id`'s TLS handshake has: `ok` with what it agreed, or its failure.
    func awaitHandshake(_ id: SocketID, label: String, timeout: Int64, origin: CommandOrigin) -> Outcome {
        let poll: () -> Status? = { [unowned self] in
            guard let entry = self.table[id] else { return .error("\(id) is gone") }
            if case .failed(let reason) = entry.state { return .error(reason) }
            if !entry.state.isOpen { return .error("\(id) closed before its TLS handshake completed") }
            guard entry.tls?.phase == .established, let summary = self.sockets.record(id)?.tls?.session?.summary else { return nil }
            let peer = entry.remote.map { " with \($0)" } ?? ""
            let verify = summary.verification.map { ", verify \($0)" } ?? ""
            return .ok(Sanitizer.clean("\(id) tls\(peer): \(summary.version) \(summary.cipher)" + (summary.alpn.map { ", ALPN \($0)" } ?? "") + verify))
        }
        let operation = Operation(label: label, origin: origin, timeout: timeout, poll: poll) {
            .error("\(label): no handshake after \(Units.duration(timeout))")
        }
        return begin(operation, progress: "\(label)…")
    }

    /// Makes the listener `id` a TLS listener: every peer it accepts gets a server handshake.
    /// Logs the certificate (its SHA-256 fingerprint lets a client check what it received).
    func makeTLSListener(_ id: SocketID, _ context: TLSContext, _ options: TLSServerOptions) {
        guard let record = sockets.record(id) else { return }
        record.tls = TLSLink(context: context, handshakeTimeout: TLSLink.defaultHandshakeTimeout)
        update(id) { $0.tls = SocketTLS(role: "server", phase: .listening) }
        if let certificate = context.localCertificate {
            let origin = options.cert.map { "from \(Sanitizer.clean($0))" } ?? "generated, self-signed, in memory"
            event(id, .tls, "tls certificate \(Sanitizer.clean(certificate.subject)) (\(origin)), SHA-256 \(certificate.fingerprint)")
        }
    }

    /// `starttls [TARGET] [client|server]`: TLS on an established plain connection, in place.
    func startTLS(_ id: SocketID, context: TLSContext, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let record = try openRecord(id)
        guard let entry = table[id], entry.transport != .udp, !entry.role.isListening else {
            throw CommandError("starttls: \(id) is not a connected stream socket")
        }
        guard record.tls == nil else { throw CommandError("starttls: \(id) already speaks TLS") }
        guard entry.state == .established else { throw CommandError("starttls: \(id) is \(entry.state.name), not established") }
        guard record.stream.sendQueue.isEmpty else {
            throw CommandError("starttls \(id): \(record.stream.sendQueue.byteCount) plain bytes still queued; wait until they are sent")
        }
        try startTLS(on: record, context: context)
        return awaitHandshake(id, label: "starttls \(id)", timeout: TLSLink.defaultHandshakeTimeout + 1_000_000, origin: origin)
    }

    /// `info`'s TLS lines: the listener's certificate, a handshake in progress, or what it agreed
    /// and the peer's chain.
    func tlsInfo(_ id: SocketID) -> [String] {
        guard let link = sockets.recentRecord(id)?.tls else { return [] }
        var lines: [String] = []
        guard let session = link.session else {
            if let certificate = link.context.localCertificate {
                lines.append("  tls server certificate \(certificate.subject), issuer \(certificate.issuer)")
                lines.append("    valid \(certificate.notBefore) to \(certificate.notAfter), key \(certificate.publicKey)")
                lines.append("    names \(certificate.subjectAlternativeNames.joined(separator: ", "))")
                lines.append("    sha256 \(certificate.fingerprint)")
            }
            if let server = link.context.serverConfiguration {
                lines.append("  tls alpn \(server.settings.alpn.isEmpty ? "none" : server.settings.alpn.joined(separator: ",")), clientcert \(server.clientCertificates.rawValue)")
            }
            return lines.map(Sanitizer.clean)
        }
        switch session.state {
        case .handshaking:
            lines.append("  tls \(session.role.rawValue), handshake in progress (waits until the socket is \(session.handshakeWaitsFor == .readable ? "readable" : "writable"))")
        case .failed(let error):
            lines.append("  tls \(session.role.rawValue), failed: \(error)")
            lines += error.openSSLErrors.prefix(4).map { "    openssl: \($0)" }
        case .established, .closing, .closed:
            lines.append("  tls \(session.role.rawValue), \(tlsStateText(session.state))")
        }
        if let summary = session.summary { lines += summary.infoLines.map { "  " + $0 } }
        if let certificate = link.context.localCertificate {
            lines.append("  our certificate \(certificate.subject), sha256 \(certificate.fingerprint)")
        }
        return lines.map(Sanitizer.clean)
    }

    private func tlsStateText(_ state: TLSSessionState) -> String {
        switch state {
        case .established: "established"
        case .closing: "close_notify sent"
        case .closed(let closure): "ended (\(closure.rawValue))"
        case .handshaking: "handshaking"
        case .failed: "failed"
        }
    }
}
