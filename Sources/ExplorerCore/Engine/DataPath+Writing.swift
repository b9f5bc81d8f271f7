// DataPath+Writing.swift — the data path's outgoing side: queueing replies, sends and relayed
// bytes within their bounds, flushing queues as sockets take them, datagrams, and logging what
// was really sent.

import Glibc
import SocketKit
import TLSKit

extension DataPath {
    // MARK: Writing

    /// Queues `pieces` (bytes and file regions) on a stream socket and sends what the kernel takes now.
    func transmit(_ pieces: [OutgoingPiece], onStream record: SocketRecord) {
        record.stream.quiet.add(pieces.reduce(0) { $0 + $1.count }, quiet: false, queued: record.stream.sendQueue.byteCount)
        changeQueue(record) { queue in for piece in pieces { queue.append(piece) } }
        sockets.update(record.id) { $0.queuedOut = record.stream.sendQueue.byteCount }
        flush(record)
    }

    /// Refuses a user's send that would take a queue past its bound (nothing is sent then).
    func checkRoom(for memoryBytes: Int, on record: SocketRecord) throws(CommandError) {
        guard memoryBytes > 0, sockets.table[record.id]?.transport != .udp else { return }
        let queued = record.stream.sendQueue.memoryBytes
        if queued + memoryBytes > bounds.perSocket {
            throw CommandError("send \(record.id): \(Units.byteSize(Int64(memoryBytes))) more would take its send queue past "
                + "\(Units.byteSize(Int64(bounds.perSocket), exact: true)) (\(Units.byteSize(Int64(queued))) wait for the peer to read; set queuecap)")
        }
    }

    /// Refuses a user's send of `memoryBytes` in all that would take all queues together past their bound.
    func checkTotalRoom(for memoryBytes: Int) throws(CommandError) {
        if memoryBytes > 0, queuedMemory + memoryBytes > bounds.total {
            throw CommandError("send: \(Units.byteSize(Int64(memoryBytes))) more would take all send queues past "
                + "\(Units.byteSize(Int64(bounds.total), exact: true)) (\(Units.byteSize(Int64(queuedMemory))) wait for peers to read; set queuetotal)")
        }
    }

    /// Drops what `record` has queued (a reset, a lost connection).
    func dropQueue(_ record: SocketRecord) {
        changeQueue(record) { $0.removeAll() }
        record.stream.quiet.removeAll()
    }

    /// Queues bytes a relay forwards (logged where they arrived, so not again here) and sends
    /// what the kernel takes now.
    func transmitRelayed(_ bytes: [UInt8], on record: SocketRecord) {
        record.stream.quiet.add(bytes.count, quiet: true, queued: record.stream.sendQueue.byteCount)
        changeQueue(record) { $0.append(bytes) }
        sockets.updateQuietly(record.id) { $0.queuedOut = record.stream.sendQueue.byteCount }
        flush(record)
    }

    /// Changes `record`'s queue and keeps the total in step.
    private func changeQueue(_ record: SocketRecord, _ change: (inout SendQueue) -> Void) {
        let before = record.stream.sendQueue.memoryBytes
        change(&record.stream.sendQueue)
        let after = record.stream.sendQueue.memoryBytes
        queuedMemory += after - before
        if (before == 0) != (after == 0) { queuedSockets += after == 0 ? -1 : 1 }
    }

    /// Sends `bytes` on `record` now as far as the kernel takes them and queues the rest.
    /// Datagram sockets send one datagram to `peer` (or their connected/last peer).
    func transmit(_ bytes: [UInt8], on record: SocketRecord, to peer: SocketAddress? = nil) throws(CommandError) {
        guard let entry = sockets.table[record.id] else { throw CommandError("\(record.id) is gone") }
        if entry.transport == .udp {
            try sendDatagram(bytes, on: record, to: peer ?? (entry.role == .datagram ? entry.lastPeer : nil))
            return
        }
        record.stream.quiet.add(bytes.count, quiet: false, queued: record.stream.sendQueue.byteCount)
        changeQueue(record) { $0.append(bytes) }
        sockets.update(record.id) { $0.queuedOut = record.stream.sendQueue.byteCount }
        flush(record)
    }

    /// Sends a datagram a relay forwards (logged where it arrived, so not again here).
    func transmitRelayedDatagram(_ bytes: [UInt8], on record: SocketRecord, to peer: SocketAddress?) throws(CommandError) {
        try sendDatagram(bytes, on: record, to: peer, logged: false)
    }

    private func sendDatagram(_ bytes: [UInt8], on record: SocketRecord, to peer: SocketAddress?, logged: Bool = true) throws(CommandError) {
        let id = record.id
        let unconnected = sockets.table[id]?.role == .datagram
        if unconnected && peer == nil {
            throw CommandError("\(id) is an unconnected UDP socket and no peer has written to it yet: use send \(id) to=HOST:PORT …")
        }
        let outcome: Result<Int?, SystemError> = bytes.withUnsafeBytes { raw in
            do throws(SystemError) {
                // A destination given (to=, a reply, the last peer) wins even on a connected socket.
                if let peer { return .success(try system.send(record.fd, raw, to: peer)) }
                return .success(try system.send(record.fd, raw))
            } catch {
                return .failure(error)
            }
        }
        let sent: Int?
        switch outcome {
        case .success(let count): sent = count
        case .failure(let error): throw CommandError("send \(id)\(peer.map { " to \($0)" } ?? ""): \(error.reason)", reason: error.reason)
        }
        guard let sent else { throw CommandError("send \(id): EAGAIN (the socket's send buffer is full; datagram dropped)") }
        guard logged else {
            countSent(sent, on: record)
            sockets.updateQuietly(id) { $0.datagramsOut += 1 }
            return
        }
        // Every UDP data event names its peer: the destination given, or the connected one.
        var entry = LogEntry(time: WallClock.now(), socket: id, kind: .send, bytes: Array(bytes[0..<sent]), peer: peer ?? sockets.table[id]?.remote)
        entry.streamOffset = record.stream.offsetOut
        record.stream.offsetOut += UInt64(sent)
        sockets.update(id) {
            $0.bytesOut += UInt64(sent)
            $0.datagramsOut += 1
        }
        log.append(entry)
        noteTraffic()
    }

    /// Writes queued bytes until the kernel stops taking them; logs each write.
    func flush(_ record: SocketRecord) {
        if let state = sockets.table[record.id]?.state, state == .resolving || state == .connecting {
            return // queued bytes leave once the connection is established
        }
        if record.tls?.isHandshaking == true { return }  // and, on TLS, once the handshake is done
        var failure: SystemError?
        var written: [Written] = []
        var unreadable: [FileReadFailure] = []
        let totalBefore = queuedMemory
        // A local copy: the queue is being changed in place while the closure runs.
        var quiet = record.stream.quiet
        changeQueue(record) { queue in
            unreadable = queue.drain(limit: Limits.writeBytesPerWake) { raw in
                do throws(SystemError) {
                    guard let sent = try streamSend(record, raw) else { return nil }
                    if quiet.isEmpty {
                        written.append(.logged(Array(raw[0..<sent])))
                    } else {
                        var offset = 0
                        for run in quiet.take(sent) {
                            written.append(run.quiet ? .quiet(run.count) : .logged(Array(raw[offset..<offset + run.count])))
                            offset += run.count
                        }
                    }
                    return sent
                } catch {
                    failure = error
                    return nil
                }
            }
        }
        record.stream.quiet = quiet
        for piece in written {
            switch piece {
            case .logged(let bytes): logSent(bytes, on: record)
            case .quiet(let count): countSent(count, on: record)
            }
        }
        for file in unreadable {
            log.event(record.id, .error, "send @\(Sanitizer.clean(file.path)): \(file.reason); its last \(Units.bytes(file.missing)) were not sent")
        }
        sockets.update(record.id) { $0.queuedOut = record.stream.sendQueue.byteCount }
        if endedByTLSWrite(record) { return }
        if let failure {
            dropQueue(record)
            delegate?.lost(record, failure.with(context: "\(record.id)"))
            return
        }
        if record.stream.sendQueue.isEmpty && record.stream.closeWhenFlushed {
            delegate?.finished(record)
            return
        }
        updateHold(record)
        let reader = relaying?.relayOutput(of: record)
        if let reader { updateHold(reader) }
        if totalBefore >= bounds.total / 2 && queuedMemory < bounds.total / 2 { reevaluateHolds() }
        refreshInterest(record)
        if reader != nil, record.stream.sendQueue.isEmpty { relaying?.relayDrained(record) }
    }

    /// What one write took from a queue: bytes to log, or bytes a relay logged where they arrived.
    private enum Written {
        case logged([UInt8])
        case quiet(Int)
    }

    /// Counts bytes written without a log entry of their own (a relay's forwarded chunk).
    private func countSent(_ count: Int, on record: SocketRecord) {
        record.stream.offsetOut += UInt64(count)
        sockets.updateQuietly(record.id) { $0.bytesOut += UInt64(count) }
        noteTraffic()
    }

    func logSent(_ bytes: [UInt8], on record: SocketRecord) {
        var entry = LogEntry(time: WallClock.now(), socket: record.id, kind: .send, bytes: bytes)
        entry.streamOffset = record.stream.offsetOut
        let split = record.stream.sendCarry.feed(bytes)
        entry.carryIn = split.carryIn
        entry.heldTail = split.heldTail
        record.stream.offsetOut += UInt64(bytes.count)
        sockets.updateQuietly(record.id) { $0.bytesOut += UInt64(bytes.count) }
        log.append(entry)
        noteTraffic()
    }

    /// Bytes still queued for sending on any socket.
    var queuedOutboundBytes: Int { sockets.openRecords.reduce(0) { $0 + $1.stream.sendQueue.byteCount } }
}
