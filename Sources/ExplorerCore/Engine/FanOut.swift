// FanOut — `listen PORT mode=broker|chat`: every accepted peer's bytes go to every other peer of
// the same listener (ncat --broker); chat prefixes each line with the sender's id, escapes its
// control bytes with the one sanitizer and announces arrivals and departures (ncat --chat).
//
// Bounds: fan-out writes go through DataPath.transmit, so they are counted in the send queues.
// A receiver whose queue (or all queues together) cannot take a chunk does not get it: the chunk
// is dropped for that receiver alone and the log says so once per episode (DECISIONS.md). Holding
// the sender instead would let one non-reading peer silence the whole room. A chat peer's
// unfinished line is kept up to `FanOuts.lineLimit` bytes, then passed on as a line.

import SocketKit

/// `mode=` of `listen`.
public enum FanOutMode: String, CaseIterable, Sendable {
    case off, broker, chat
}

/// The fan-out listeners, their peers in arrival order, chat peers' unfinished lines.
final class FanOuts {
    /// Bytes of an unfinished chat line kept before it is passed on as a line.
    static let lineLimit = 4096
    private(set) var modes: [SocketID: FanOutMode] = [:]
    private(set) var members: [SocketID: [SocketID]] = [:]
    var partialLines: [SocketID: [UInt8]] = [:]
    /// Receivers that missed bytes since they last had room (said once per episode).
    var dropping: Set<SocketID> = []

    func register(_ listener: SocketID, _ mode: FanOutMode) {
        guard mode != .off else { return }
        modes[listener] = mode
        members[listener] = []
    }

    func join(_ peer: SocketID, _ listener: SocketID) { members[listener]?.append(peer) }

    /// A fan-out listener closed: its peers keep their connections but no longer fan out.
    func forget(listener: SocketID) {
        for peer in members[listener] ?? [] {
            partialLines[peer] = nil
            dropping.remove(peer)
        }
        modes[listener] = nil
        members[listener] = nil
    }

    /// Removes `peer`; returns its listener when it was a member.
    func leave(_ peer: SocketID, _ listener: SocketID) -> Bool {
        guard let index = members[listener]?.firstIndex(of: peer) else { return false }
        members[listener]?.remove(at: index)
        partialLines[peer] = nil
        dropping.remove(peer)
        return true
    }
}

extension DataPath {
    /// The fan-out mode of an accepted peer's listener, or nil.
    func fanOutMode(of id: SocketID) -> (mode: FanOutMode, listener: SocketID)? {
        guard let parent = sockets.table[id]?.parent, let mode = fanOut.modes[parent] else { return nil }
        return (mode, parent)
    }

    /// A peer of a fan-out listener arrived: it joins, and a chat room hears of it.
    func fanOutJoined(_ record: SocketRecord, via listener: SocketID) {
        guard let mode = fanOut.modes[listener] else { return }
        fanOut.join(record.id, listener)
        guard mode == .chat else { return }
        let from = sockets.table[record.id]?.remote.map { " from \($0)" } ?? ""
        spread(Array("<announce> \(record.id) joined\(from)\n".utf8), in: listener, except: record.id)
    }

    /// A peer of a fan-out listener closed: a chat room hears of it (its unfinished line first).
    func fanOutLeft(_ record: SocketRecord) {
        if fanOut.modes[record.id] != nil { return fanOut.forget(listener: record.id) }
        guard let (mode, listener) = fanOutMode(of: record.id) else { return }
        let rest = fanOut.partialLines[record.id] ?? []
        guard fanOut.leave(record.id, listener), mode == .chat else { return }
        if !rest.isEmpty { spread(chatLine(rest, from: record.id), in: listener, except: record.id) }
        spread(Array("<announce> \(record.id) left\n".utf8), in: listener, except: record.id)
    }

    /// Bytes read from a fan-out peer (already logged): on to every other peer.
    func fanOut(_ bytes: [UInt8], from record: SocketRecord, mode: FanOutMode, listener: SocketID) {
        guard mode == .chat else { return spread(bytes, in: listener, except: record.id) }
        var pending = (fanOut.partialLines[record.id] ?? []) + bytes
        var out: [UInt8] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            out += chatLine(pending[..<newline], from: record.id)
            pending.removeSubrange(...newline)
        }
        while pending.count >= FanOuts.lineLimit {
            out += chatLine(pending.prefix(FanOuts.lineLimit), from: record.id)
            pending.removeFirst(FanOuts.lineLimit)
        }
        fanOut.partialLines[record.id] = pending.isEmpty ? nil : pending
        if !out.isEmpty { spread(out, in: listener, except: record.id) }
    }

    /// `<#N> line` with its control bytes escaped (a CR before the LF is the line's end).
    private func chatLine(_ line: some Collection<UInt8>, from id: SocketID) -> [UInt8] {
        var body = Array(line)
        if body.last == 0x0D { body.removeLast() }
        return Array("<\(id)> \(Sanitizer.escape(body))\n".utf8)
    }

    /// Queues `bytes` on every open peer of `listener` but `sender`; a peer whose queue (or all
    /// queues) cannot take them misses them, and the log says so once until it has room again.
    private func spread(_ bytes: [UInt8], in listener: SocketID, except sender: SocketID) {
        for id in fanOut.members[listener] ?? [] where id != sender {
            guard let receiver = sockets.record(id), sockets.isOpen(receiver) else { continue }
            let queued = receiver.stream.sendQueue.memoryBytes
            if queued + bytes.count > bounds.perSocket || queuedMemory + bytes.count > bounds.total {
                if fanOut.dropping.insert(id).inserted {
                    log.event(id, .warning, "fan-out: \(id) is not reading; dropping what \(listener)'s other peers send it "
                        + "until its queue has room (\(Units.byteSize(Int64(queued))) queued; set queuecap)")
                }
                continue
            }
            if fanOut.dropping.remove(id) != nil { log.event(id, .event, "fan-out: \(id) has room again") }
            do { try transmit(bytes, on: receiver) } catch { log.event(id, .error, "fan-out: \(error.message)") }
        }
    }
}
