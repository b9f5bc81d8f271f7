// Intercepting.swift — `intercept`, `forward` and `drop` on relay legs: which directions hold their
// chunks, passing the oldest held chunk on (or an edited payload instead of it), discarding it.
// A leg names its pair; a relay listener names all its pairs; `*` every relay.

import SocketKit

extension Engine {
    /// The legs `id` names: a leg and its partner, or every leg of a relay listener's pairs.
    func relayLegs(_ id: SocketID, _ command: String) throws(CommandError) -> [SocketRecord] {
        guard let relay = table[id]?.relay else {
            throw CommandError("\(command): \(id) is not part of a relay (relay [KIND] LISTEN [KIND] TARGET starts one)")
        }
        if table[id]?.transport == .udp { throw CommandError("\(command): \(id) is a udp relay, which forwards every datagram; intercept holds stream chunks") }
        switch relay.part {
        case .listener:
            let pairs = sockets.record(id)?.relay.target?.pairs ?? []
            return pairs.sorted().flatMap { client in legPair(client) }
        default:
            guard sockets.record(id) != nil else { throw CommandError("\(command): \(id) is closed") }
            return legPair(id)
        }
    }

    private func legPair(_ id: SocketID) -> [SocketRecord] {
        guard let record = sockets.record(id) else { return [] }
        return [record] + (record.relay.leg?.partner.flatMap { sockets.record($0) }.map { [$0] } ?? [])
    }

    /// Every leg of every relay (`forward *`, `drop *`).
    private func allRelayLegs() -> [SocketRecord] {
        relays.listeners.sorted().flatMap { (try? relayLegs($0, "")) ?? [] }
    }

    /// `intercept TARGET on|off|up|down`. Turning a direction off passes on what it held.
    func setIntercept(_ id: SocketID, _ mode: InterceptMode) throws(CommandError) -> String {
        let legs = try relayLegs(id, "intercept")
        if let listener = sockets.record(id), listener.relay.target != nil {
            listener.relay.target?.intercept = mode
            update(id) { $0.relay?.intercept = mode }
        }
        var released = 0
        for leg in legs {
            guard let direction = leg.relay.leg?.direction else { continue }
            leg.relay.leg?.intercepting = mode.holds(direction)
            update(leg.id) { $0.relay?.intercept = mode }
            if !mode.holds(direction) {
                while sockets.isOpen(leg), leg.relay.leg?.held.isEmpty == false {
                    try release(leg, replacement: nil, drop: false)
                    released += 1
                }
            }
        }
        let scope = table[id]?.relay.map { if case .listener = $0.part { "\(id) and its \(legs.count / 2) pairs" } else { "pair \(pairText(id))" } } ?? "\(id)"
        return "intercept \(mode.rawValue) on \(scope)" + (released > 0 ? "; \(released) held chunks passed on" : "")
    }

    /// `forward [TARGET] [PAYLOAD]`, `forward *`: the oldest held chunk (or all) passes on.
    func forwardHeld(_ target: Target, replacement: [UInt8]?) throws(CommandError) -> String {
        if case .all = target {
            var count = 0
            var bytes = 0
            while let leg = oldestHolder(allRelayLegs()) {
                bytes += leg.relay.leg?.held.oldest?.bytes.count ?? 0
                try release(leg, replacement: nil, drop: false)
                count += 1
            }
            guard count > 0 else { throw CommandError("forward *: no chunk is held") }
            return "forwarded \(count) held chunks (\(bytes) bytes)"
        }
        let id = try resolve(target, "forward")
        return try releaseOldest(id, "forward", replacement: replacement, drop: false)
    }

    /// `drop [TARGET]`, `drop *`: the oldest held chunk (or all) is discarded.
    func dropHeld(_ target: Target) throws(CommandError) -> String {
        if case .all = target {
            var count = 0
            while let leg = oldestHolder(allRelayLegs()) {
                try release(leg, replacement: nil, drop: true)
                count += 1
            }
            guard count > 0 else { throw CommandError("drop *: no chunk is held") }
            return "dropped \(count) held chunks"
        }
        return try releaseOldest(try resolve(target, "drop"), "drop", replacement: nil, drop: true)
    }

    private func releaseOldest(_ id: SocketID, _ command: String, replacement: [UInt8]?, drop: Bool) throws(CommandError) -> String {
        let legs = try relayLegs(id, command)
        guard let leg = oldestHolder(legs), let chunk = leg.relay.leg?.held.oldest, let partner = leg.relay.leg?.partner else {
            throw CommandError("\(command) \(id): no chunk is held (intercept \(id) on holds them)")
        }
        let direction = leg.relay.leg?.direction.short ?? ""
        try release(leg, replacement: replacement, drop: drop)
        let left = legs.reduce(0) { $0 + ($1.relay.leg?.held.count ?? 0) }
        let what = drop ? "dropped chunk \(chunk.number) (\(chunk.bytes.count) bytes \(direction))"
            : replacement.map { "forwarded \($0.count) bytes to \(partner) instead of chunk \(chunk.number) (\(chunk.bytes.count) bytes \(direction))" }
            ?? "forwarded chunk \(chunk.number) (\(chunk.bytes.count) bytes \(direction)) to \(partner)"
        return what + (left > 0 ? "; \(left) still held" : "")
    }

    /// The leg whose oldest held chunk arrived first.
    private func oldestHolder(_ legs: [SocketRecord]) -> SocketRecord? {
        legs.filter { $0.relay.leg?.held.isEmpty == false }.min { ($0.relay.leg?.held.oldest?.number ?? 0) < ($1.relay.leg?.held.oldest?.number ?? 0) }
    }

    /// Takes `leg`'s oldest held chunk and sends it (or `replacement`) to the partner, or drops it.
    private func release(_ leg: SocketRecord, replacement: [UInt8]?, drop: Bool) throws(CommandError) {
        guard let partnerID = leg.relay.leg?.partner, let chunk = leg.relay.leg?.held.oldest else { return }
        let partner = sockets.record(partnerID)
        if !drop {
            guard let partner, !partner.stream.writeShut else { throw CommandError("forward: \(partnerID), where the chunk goes, is closed") }
            if let replacement { try data.checkRoom(for: replacement.count, on: partner) }
        }
        _ = leg.relay.leg?.held.removeOldest()
        noteHeld(leg)
        if drop {
            event(leg.id, .event, "dropped held chunk \(chunk.number) (\(chunk.bytes.count) bytes)")
        } else if let partner {
            if let replacement {
                event(leg.id, .event, "forwarding \(replacement.count) edited bytes instead of held chunk \(chunk.number) (\(chunk.bytes.count) bytes)")
                try data.transmit(replacement, on: partner)
            } else {
                event(leg.id, .event, "forwarded held chunk \(chunk.number) (\(chunk.bytes.count) bytes) to \(partnerID)")
                // Logged as sent on the partner, as an edited chunk is: the chunk's arrival was
                // logged while it was held, not where it went, so a capture learns it here.
                try data.transmit(chunk.bytes, on: partner)
            }
        }
        if sockets.isOpen(leg) { data.updateHold(leg) }
        if let partner, sockets.isOpen(partner) { passFIN(partner) }
    }

    /// `#5 ⇄ #6` for a leg.
    func pairText(_ id: SocketID) -> String {
        guard let relay = table[id]?.relay, let partner = relay.partner else { return "\(id)" }
        return relay.readDirection == .up ? "\(id) ⇄ \(partner)" : "\(partner) ⇄ \(id)"
    }
}
