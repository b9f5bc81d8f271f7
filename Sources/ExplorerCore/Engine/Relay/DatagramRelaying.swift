// DatagramRelaying.swift — `relay udp PORT udp HOST:PORT`: one connected UDP socket (the server
// leg) per client address, made at the client's first datagram and closed after `idle` without
// traffic; the server's answers go back from the relay's own port. Each datagram is logged once,
// where it arrives, with its direction.

import SocketKit

extension Engine {
    /// The mark of a datagram from `peer` on a UDP relay listener, making the server leg for a new client.
    func datagramMark(_ listener: SocketRecord, from peer: SocketAddress) -> RelayMark? {
        if let leg = listener.relay.target?.datagramLegs[peer], sockets.record(leg) != nil {
            return RelayMark(direction: .up, partner: leg)
        }
        guard let target = listener.relay.target else { return nil }
        guard target.datagramLegs.count < settings.maxconns else {
            event(listener.id, .warning, "datagram from \(peer) not relayed: \(target.datagramLegs.count) clients (maxconns)")
            return nil
        }
        var request = target.request
        request.selects = false
        let serverID: SocketID
        do { serverID = try connect(request) } catch {
            event(listener.id, .error, "relay \(listener.id) for \(peer): \(error.message)")
            return nil
        }
        guard let server = sockets.record(serverID) else {
            event(listener.id, .error, "server leg \(serverID) for \(peer): \(table[serverID]?.state.name ?? "failed")")
            return nil
        }
        server.relay.leg = RelayLeg(listener: listener.id, partner: listener.id, direction: .down, client: peer)
        listener.relay.target?.datagramLegs[peer] = serverID
        var info = RelayInfo(part: .serverLeg(partner: listener.id), listener: listener.id)
        info.client = peer
        update(serverID) { $0.relay = info }
        let count = listener.relay.target?.datagramLegs.count ?? 0
        update(listener.id) { $0.relay?.pairs = count }
        event(serverID, .event, "server leg for \(peer) via \(listener.id)")
        touchDatagramLeg(serverID, listener)
        return RelayMark(direction: .up, partner: serverID)
    }

    /// A datagram on a UDP relay: from a client (on the listener) to its server leg, or from the
    /// server (on a server leg) back to its client from the listener's port.
    func relayDatagram(_ bytes: [UInt8], from record: SocketRecord, peer: SocketAddress?) {
        if record.relay.target != nil {
            guard let peer, let legID = record.relay.target?.datagramLegs[peer], let leg = sockets.record(legID) else { return }
            touchDatagramLeg(legID, record)
            if table[legID]?.state == .established {
                sendRelayed(bytes, on: leg, to: nil)
            } else if (leg.relay.leg?.pendingDatagrams.count ?? 0) < Limits.relayDatagramsWaiting {
                leg.relay.leg?.pendingDatagrams.append(bytes)
            } else {
                event(legID, .warning, "datagram of \(bytes.count) bytes dropped: \(Limits.relayDatagramsWaiting) wait for the server leg to connect")
            }
            return
        }
        guard let leg = record.relay.leg, let listenerID = leg.partner, let listener = sockets.record(listenerID) else { return }
        touchDatagramLeg(record.id, listener)
        sendRelayed(bytes, on: listener, to: leg.client)
    }

    private func sendRelayed(_ bytes: [UInt8], on record: SocketRecord, to peer: SocketAddress?) {
        do { try data.transmitRelayedDatagram(bytes, on: record, to: peer) } catch { event(record.id, .warning, "relay: \(error.message)") }
    }

    /// The server leg connected: the datagrams that waited go.
    func datagramLegConnected(_ server: SocketRecord) {
        let waiting = server.relay.leg?.pendingDatagrams ?? []
        server.relay.leg?.pendingDatagrams = []
        for datagram in waiting where sockets.isOpen(server) { sendRelayed(datagram, on: server, to: nil) }
    }

    /// Traffic on a server leg: its idle deadline moves.
    private func touchDatagramLeg(_ id: SocketID, _ listener: SocketRecord) {
        let idle = listener.relay.target?.idleTimeout ?? 60_000_000
        relays.setIdleDeadline(id, MonotonicClock.now() + idle)
    }

    /// A UDP server leg closed (idle, refused, the user): its client gets a new one next time.
    func datagramLegClosed(_ server: SocketRecord) {
        relays.setIdleDeadline(server.id, nil)
        guard let leg = server.relay.leg, let client = leg.client, let listenerID = leg.partner,
              let listener = sockets.record(listenerID), listener.relay.target?.datagramLegs[client] == server.id else { return }
        listener.relay.target?.datagramLegs[client] = nil
        let count = listener.relay.target?.datagramLegs.count ?? 0
        update(listenerID) { $0.relay?.pairs = count }
    }

    /// A UDP relay listener closed: its server legs go too.
    func closeDatagramLegs(of listener: SocketRecord) {
        for id in (listener.relay.target?.datagramLegs.values).map(Array.init) ?? [] {
            if let record = sockets.record(id) { closeNow(record, reason: "closed (its relay \(listener.id) closed)") }
        }
    }

    /// Closes the server legs idle past their deadline.
    func expireIdleRelayLegs(now: Int64) {
        for id in relays.idleLegs(now: now) {
            relays.setIdleDeadline(id, nil)
            guard let record = sockets.record(id) else { continue }
            closeNow(record, reason: "closed (idle)")
        }
    }
}
