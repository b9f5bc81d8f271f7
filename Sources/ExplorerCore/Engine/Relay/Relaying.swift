// Relaying.swift — `relay`: a listener that connects each client it accepts to the target and
// forwards bytes both ways, with back-pressure (a leg is not read while its partner's queue is
// full); FIN passed on as a half-close, RST as a reset, a server that refuses or times out closing
// its client at once with the reason. The engine's lifecycle code calls the `relay…` hooks here.
// Intercept (held chunks, forward, drop) is in Intercepting.swift.

import Glibc
import SocketKit

/// What `relay` needs to know: the listening side, the side it connects to, intercept at start.
struct RelayRequest: Equatable, Sendable {
    var listen: ListenRequest
    var target: ConnectRequest
    var intercept: InterceptMode = .off
    /// UDP: a server leg's life without traffic (µs).
    var idle: Int64 = RelayOptions.defaultIdle
    /// `relay tls PORT …`: the client-facing side terminates TLS with these options.
    var listenTLS: TLSServerOptions?
    /// `relay PORT tls HOST:PORT`: every server leg speaks TLS to the server with these.
    var targetTLS: TLSClientOptions?
}

extension Engine {
    /// Starts a relay: listens, and from then on connects every client accepted to the target.
    func startRelay(_ request: RelayRequest) throws(CommandError) -> SocketID {
        // The TLS contexts first: a bad certificate or CA file changes nothing.
        let serverContext = try request.listenTLS.map { options throws(CommandError) in try options.context() }
        let clientContext = try request.targetTLS.map { options throws(CommandError) in try options.context(host: request.target.host) }
        let id = try listen(request.listen)
        guard let record = sockets.record(id) else { throw CommandError("relay: \(id) closed at once") }
        if let serverContext, let options = request.listenTLS { makeTLSListener(id, serverContext, options) }
        record.relay.target = RelayTarget(request: request.target, intercept: request.intercept, idleTimeout: request.idle, tlsClient: clientContext)
        relays.add(listener: id)
        let kind = request.targetTLS == nil ? "" : "tls "
        var info = RelayInfo(part: .listener(target: kind + Sanitizer.clean(request.target.target)), listener: id)
        info.intercept = request.intercept
        update(id) { $0.relay = info }
        event(id, .event, "relaying each client to \(request.targetTLS == nil ? request.target.transport.rawValue : "tls") \(Sanitizer.clean(request.target.target))")
        return id
    }

    /// A relay listener accepted `client`: open its server leg and link the two.
    func relayAccepted(_ client: SocketRecord, via listener: SocketRecord) {
        guard let target = listener.relay.target else { return }
        var request = target.request
        request.selects = false
        let serverID: SocketID
        let tlsClient = target.tlsClient
        do {
            serverID = try connect(request) { record in
                if let tlsClient { self.attachTLSClient(record, tlsClient, timeout: request.timeout) }
            }
        } catch {
            event(client.id, .error, "relay \(listener.id): \(error.message)")
            closeNow(client, reason: "closed (no server leg)")
            return
        }
        guard let server = sockets.record(serverID) else {
            // The connect failed before it could be linked (a Unix path that is not there).
            let reason = table[serverID]?.state.name ?? "failed"
            event(client.id, .error, "server leg \(serverID) \(reason)")
            closeNow(client, reason: "closed (server leg failed)")
            return
        }
        client.relay.leg = RelayLeg(listener: listener.id, partner: serverID, direction: .up, intercepting: target.intercept.holds(.up))
        server.relay.leg = RelayLeg(listener: listener.id, partner: client.id, direction: .down, intercepting: target.intercept.holds(.down))
        listener.relay.target?.pairs.insert(client.id)
        for (record, part) in [(client, RelayInfo.Part.clientLeg(partner: serverID)), (server, .serverLeg(partner: client.id))] {
            var info = RelayInfo(part: part, listener: listener.id)
            info.intercept = target.intercept
            update(record.id) { $0.relay = info }
        }
        updatePairCount(listener)
        data.updateHold(client)
        if table[serverID]?.state == .established { relayConnected(server) }
    }

    /// A server leg connected: its client may be read now.
    func relayConnected(_ server: SocketRecord) {
        if table[server.id]?.transport == .udp {
            datagramLegConnected(server)
            return
        }
        guard let leg = server.relay.leg, leg.direction == .down, let clientID = leg.partner, let client = sockets.record(clientID) else { return }
        event(clientID, .event, "relaying \(clientID) ⇄ \(server.id)")
        data.updateHold(client)
    }

    /// A server leg's connect failed or timed out: its client is closed at once, told why.
    func relayConnectFailed(_ server: SocketRecord, _ reason: String) {
        if table[server.id]?.transport == .udp {
            datagramLegClosed(server)
            return
        }
        guard let leg = server.relay.leg, let clientID = leg.partner, let client = sockets.record(clientID) else { return }
        event(clientID, .error, "server leg \(server.id): \(reason)")
        closeNow(client, reason: "closed (server leg failed)")
    }

    /// A leg's peer sent EOF: keep reading the other way and pass the FIN on once what goes out
    /// through the other leg has gone. True when `record` is a relay leg (handled here).
    func relayPeerClosed(_ record: SocketRecord) -> Bool {
        guard let partnerID = record.relay.leg?.partner else { return false }
        guard let partner = sockets.record(partnerID) else {
            closeNow(record, reason: "closed")
            return true
        }
        update(record.id) { $0.state = record.stream.writeShut ? .closing : .halfClosedIn }
        data.refreshInterest(record)
        partner.relay.leg?.finPending = true
        passFIN(partner)
        return true
    }

    /// Shuts `record`'s writing down (the FIN its partner received) once its queue and the
    /// chunks its partner holds are gone; closes the pair when both directions are done.
    func passFIN(_ record: SocketRecord) {
        guard let leg = record.relay.leg, leg.finPending, !leg.finSent, sockets.isOpen(record),
              record.stream.sendQueue.isEmpty else { return }
        let source = leg.partner.flatMap { sockets.record($0) }
        guard source?.relay.leg?.held.isEmpty ?? true else { return }
        record.relay.leg?.finSent = true
        record.stream.writeShut = true
        do { try system.shutdown(record.fd, .write) } catch { event(record.id, .error, "\(error.with(context: "\(record.id)"))") }
        event(record.id, .shutdown, "shutdown wr (passing on \(leg.partner.map { "\($0)" } ?? "the other leg")'s eof)")
        let done = { (leg: SocketRecord?) in leg.map { $0.stream.sawEOF && ($0.relay.leg?.finSent ?? true) } ?? true }
        if done(record) && done(source) {
            closeNow(record, reason: "closed (both directions done)")
            if let source, sockets.isOpen(source) { closeNow(source, reason: "closed (both directions done)") }
        } else {
            update(record.id) { $0.state = record.stream.sawEOF ? .closing : .halfClosedOut }
            data.refreshInterest(record)
        }
    }

    /// A leg closed (`reason` as `closeNow` logs it): a reset is passed on as a reset, anything
    /// else closes the other leg once its queue has gone; chunks still held are dropped, said so.
    func relayLegClosed(_ record: SocketRecord, reason: String) {
        if record.relay.target != nil {
            relays.remove(listener: record.id)
            closeDatagramLegs(of: record)
        }
        if table[record.id]?.transport == .udp {
            datagramLegClosed(record)
            return
        }
        guard let leg = record.relay.leg else { return }
        if !leg.held.isEmpty {
            event(record.id, .warning, "dropped \(leg.held.count) held chunks (\(leg.held.byteCount) bytes): the leg closed")
            record.relay.leg?.held.removeAll()
            noteHeld(record)
        }
        if let listener = sockets.record(leg.listener), leg.direction == .up {
            listener.relay.target?.pairs.remove(record.id)
            updatePairCount(listener)
        }
        guard let partnerID = leg.partner, let partner = sockets.record(partnerID) else { return }
        if reason.hasPrefix("closed (reset") {
            if table[partnerID]?.transport == .tcp { try? system.setAbortiveClose(partner.fd) }
            data.dropQueue(partner)
            event(partnerID, .reset, "reset sent (passing on \(record.id)'s reset)")
            closeNow(partner, reason: "closed (reset)")
        } else if !partner.stream.sendQueue.isEmpty {
            partner.stream.closeWhenFlushed = true
            update(partnerID) { $0.state = .closing }
            data.refreshInterest(partner)
        } else if table[partnerID]?.state.isOpen == true {
            let done = leg.finSent && partner.relay.leg?.finSent == true
            closeNow(partner, reason: done ? "closed (both directions done)" : "closed (\(record.id) closed)")
        }
    }

    private func updatePairCount(_ listener: SocketRecord) {
        let count = listener.relay.target?.pairs.count ?? 0
        update(listener.id) { $0.relay?.pairs = count }
    }

    /// Shows a leg's held chunks in its entry.
    func noteHeld(_ record: SocketRecord) {
        let held = record.relay.leg?.held
        update(record.id) {
            $0.relay?.heldChunks = held?.count ?? 0
            $0.relay?.heldBytes = held?.byteCount ?? 0
        }
    }

    /// `info` lines for a relay listener or leg.
    func relayInfoLines(_ id: SocketID) -> [String] {
        guard let relay = table[id]?.relay else { return [] }
        let intercept = "intercept \(relay.intercept.rawValue)"
        switch relay.part {
        case .listener(let target):
            return ["  relay to \(target): \(relay.pairs) pairs open, \(intercept) for new pairs"]
        case .clientLeg, .serverLeg:
            let partner = relay.partner
            let side = relay.readDirection == .up ? "client leg (reads client→server)" : "server leg (reads server→client)"
            let record = sockets.record(id)
            let queued = partner.flatMap { sockets.record($0) }?.stream.sendQueue.byteCount ?? 0
            return ["  relay \(side) of \(relay.listener), paired with \(partner.map { "\($0)" } ?? "-"); \(intercept)",
                    "  held \(relay.heldChunks) chunks (\(relay.heldBytes) bytes) of \(Limits.interceptChunksPerLeg) / \(Limits.interceptBytesPerLeg);"
                        + " forwarded bytes waiting on the other leg \(queued) (reading holds at \(Limits.relayQueuePerLeg))"
                        + (record?.relay.leg?.finPending == true ? "; FIN to pass on" : "")]
        }
    }
}

extension Engine: DataPathRelaying {
    func relayMark(_ record: SocketRecord, peer: SocketAddress?) -> RelayMark? {
        if record.relay.target != nil, let peer { return datagramMark(record, from: peer) }
        guard let leg = record.relay.leg, let partner = leg.partner else { return nil }
        return RelayMark(direction: leg.direction, partner: partner, held: leg.intercepting)
    }

    func relay(_ bytes: [UInt8], from record: SocketRecord, peer: SocketAddress?) {
        if table[record.id]?.transport == .udp {
            relayDatagram(bytes, from: record, peer: peer)
            return
        }
        guard let leg = record.relay.leg, let partnerID = leg.partner, let partner = sockets.record(partnerID),
              !partner.stream.writeShut else {
            event(record.id, .warning, "\(bytes.count) bytes not forwarded: the other leg is closed")
            return
        }
        if leg.intercepting {
            let number = relays.nextChunkNumber()
            record.relay.leg?.held.append(HeldChunk(number: number, bytes: bytes))
            noteHeld(record)
            event(record.id, .event, "held chunk \(number): \(bytes.count) bytes \(leg.direction.short) for \(partnerID) (forward or drop)")
        } else {
            data.transmitRelayed(bytes, on: partner)
        }
        if sockets.isOpen(record) { data.updateHold(record) }
    }

    func relayHold(_ record: SocketRecord) -> String? {
        guard let leg = record.relay.leg else { return nil }
        if let partner = leg.partner, let state = table[partner]?.state, state == .resolving || state == .connecting {
            return "server connecting"
        }
        if leg.held.isFull { return "intercept: \(leg.held.count) held" }
        return nil
    }

    func relayOutput(of record: SocketRecord) -> SocketRecord? {
        guard let partner = record.relay.leg?.partner else { return nil }
        return sockets.record(partner)
    }

    func relayDrained(_ record: SocketRecord) {
        passFIN(record)
    }
}
