// DataPath — the engine's part that moves bytes on established sockets: reading what is ready
// (bounded per wake-up), logging and delivering it, auto replies, the outgoing queue and its
// flushing, the epoll interest that follows from all that, and the 1 Hz rates.

import Glibc
import SocketKit

/// What the data path tells the rest of the engine.
protocol DataPathDelegate: AnyObject {
    /// Bytes arrived on `record` (for `wait`, `expect`, `http`).
    func received(_ bytes: [UInt8], on record: SocketRecord)
    /// The peer sent EOF.
    func peerClosed(_ record: SocketRecord)
    /// The connection failed under us (reset, EPIPE, error).
    func lost(_ record: SocketRecord, _ error: SystemError)
    /// Both directions are done, or a `close` waited for the queue and it drained: close now.
    func finished(_ record: SocketRecord)
}

/// Reads, writes and replies on the registry's sockets.
final class DataPath {
    /// Most bytes read from one socket per wake-up, so a flood cannot starve the keyboard.
    static let readBudgetPerWake = 1 << 20
    /// Most bytes written to one socket per wake-up: a fast reader cannot hold the loop (or pile
    /// up the log entries of one flush) while a large `send @FILE` streams out.
    static let writeBudgetPerWake = 1 << 20
    /// Most datagrams read from one socket per wake-up.
    static let datagramBudgetPerWake = 4096
    /// Bytes asked of the kernel per stream read; each read that returns data becomes one log entry.
    static let streamReadSize = 1 << 16

    private let sockets: SocketRegistry
    private let log: SessionLog
    private let system: SystemCalls
    weak var delegate: DataPathDelegate?
    /// Reused receive buffer for datagrams (64 KiB): one read never allocates more than the bytes it keeps.
    private let datagramBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    /// When the next rate sample is due (monotonic µs); nil while nothing moves.
    private(set) var rateSampleDue: Int64?

    init(sockets: SocketRegistry, log: SessionLog, system: SystemCalls) {
        self.sockets = sockets
        self.log = log
        self.system = system
    }

    deinit { datagramBuffer.deallocate() }

    // MARK: Interest

    /// What epoll should report for this socket given its state.
    func desiredInterest(_ record: SocketRecord) -> Interest {
        guard let entry = sockets.table[record.id], entry.state.isOpen else { return [] }
        switch entry.state {
        case .resolving: return []
        case .connecting: return .writable
        default: break
        }
        if entry.role == .listener {
            // Manual accept: only hear about new arrivals (edge) to update the pending count.
            return entry.acceptMode == .manual ? [.readable, .edgeTriggered] : .readable
        }
        var interest: Interest = []
        let wantsRead = !record.stream.sawEOF && !record.stream.readShut
        if wantsRead {
            if entry.paused && record.stream.readAllowance == nil {
                interest.formUnion([.readable, .edgeTriggered])
            } else {
                interest.insert(.readable)
            }
        }
        if !record.stream.sendQueue.isEmpty { interest.insert(.writable) }
        return interest
    }

    /// Applies `desiredInterest` if it changed.
    func refreshInterest(_ record: SocketRecord) {
        if let error = sockets.setInterest(record, desiredInterest(record)) { log.event(record.id, .error, "\(error)") }
    }

    /// Registers a new socket with the loop, with the interest its state asks for.
    func register(_ record: SocketRecord) throws(SystemError) {
        try sockets.register(record, interest: desiredInterest(record))
    }

    // MARK: Readiness

    /// An established socket is ready: read (or, while paused, count what waits), then write.
    func handle(_ ready: ReadyEvent, for record: SocketRecord) {
        guard let entry = sockets.table[record.id] else { return }
        if ready.readable || ready.hangup || ready.error {
            if entry.paused && record.stream.readAllowance == nil {
                refreshQueuedIn(record)
            } else if entry.transport == .udp {
                readDatagrams(record)
            } else {
                readStream(record)
            }
        }
        guard sockets.isOpen(record) else { return }
        if ready.writable { flush(record) }
        if ready.error, sockets.isOpen(record), !ready.readable {
            let code = system.pendingError(record.fd)
            if code != 0 { delegate?.lost(record, SystemError(call: "socket", context: "\(record.id)", code: code)) }
        } else if ready.hangup, sockets.isOpen(record), record.stream.sawEOF, record.stream.sendQueue.isEmpty,
                  desiredInterest(record).isEmpty {
            // Both directions are done and nothing will be read again: finish the close.
            delegate?.finished(record)
        }
    }

    /// `recv N` on a paused socket: one read now, as recv(2) would, up to `count` bytes.
    func readNow(_ record: SocketRecord) {
        handle(ReadyEvent(token: UInt64(record.id.value), readable: true, writable: false, hangup: false, error: false), for: record)
    }

    // MARK: Reading

    private func readStream(_ record: SocketRecord) {
        var budget = min(DataPath.readBudgetPerWake, record.stream.readAllowance ?? .max)
        while budget > 0, sockets.isOpen(record) {
            let want = min(DataPath.streamReadSize, budget)
            let received: [UInt8]?
            do {
                received = try receiveChunk(record.fd, upTo: want)
            } catch {
                delegate?.lost(record, error.with(context: "\(record.id)"))
                return
            }
            guard let chunk = received else { break }
            let count = chunk.count
            if count == 0 {
                delegate?.peerClosed(record)
                return
            }
            budget -= count
            deliver(chunk, to: record, from: nil)
            if consumeAllowance(record, count) { break }
        }
        if sockets.table[record.id]?.paused == true { refreshQueuedIn(record) }
    }

    /// Counts `count` bytes against a `recv … all` allowance; true when it is used up.
    private func consumeAllowance(_ record: SocketRecord, _ count: Int) -> Bool {
        guard let allowance = record.stream.readAllowance else { return false }
        record.stream.readAllowance = allowance - count
        guard allowance - count <= 0 else { return false }
        record.stream.readAllowance = nil
        refreshInterest(record)
        return true
    }

    /// One `recv` straight into the array that becomes the log entry's bytes, so a flood is not
    /// copied once more in user space. A short read is copied into an array of its own size instead,
    /// so the log never holds 64 KiB of capacity for a few bytes (its cap counts bytes, not capacity).
    /// Returns [] at EOF and nil when nothing is waiting.
    private func receiveChunk(_ fd: FileDescriptor, upTo size: Int) throws(SystemError) -> [UInt8]? {
        var failure: SystemError?
        var received: Int?
        var chunk = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            do throws(SystemError) {
                received = try system.receive(fd, into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
            }
            initialized = received ?? 0
        }
        if let failure { throw failure }
        guard let received else { return nil }
        if received < size - size / 8 { chunk = chunk.withUnsafeBufferPointer { Array($0) } }
        return chunk
    }

    private func readDatagrams(_ record: SocketRecord) {
        var budget = DataPath.datagramBudgetPerWake
        while budget > 0, sockets.isOpen(record) {
            budget -= 1
            let received: (count: Int, sender: SocketAddress?, truncated: Bool)?
            do {
                received = try system.receiveFrom(record.fd, into: datagramBuffer)
            } catch {
                // ICMP port unreachable surfaces here as ECONNREFUSED on the next receive: show it,
                // keep the socket (UDP has no connection to lose).
                if sockets.table[record.id]?.role == .datagram {
                    log.event(record.id, .error, "recv \(record.id): \(error.reason)")
                } else {
                    delegate?.lost(record, error.with(context: "\(record.id)"))
                }
                return
            }
            guard let received else { break }
            if received.truncated {
                log.event(record.id, .warning, "datagram truncated to \(received.count) bytes")
            }
            if let sender = received.sender, sockets.table[record.id]?.lastPeer != sender { sockets.update(record.id) { $0.lastPeer = sender } }
            deliver(Array(UnsafeRawBufferPointer(rebasing: datagramBuffer[0..<received.count])), to: record, from: received.sender)
            if consumeAllowance(record, received.count) { break }
        }
    }

    /// Counts, logs and answers bytes that arrived on `record`.
    private func deliver(_ bytes: [UInt8], to record: SocketRecord, from peer: SocketAddress?) {
        let id = record.id
        var entry = LogEntry(time: WallClock.now(), socket: id, kind: .recv, bytes: bytes, peer: peer)
        entry.streamOffset = record.stream.offsetIn
        let split = record.stream.receiveCarry.feed(bytes)
        entry.carryIn = split.carryIn
        entry.heldTail = split.heldTail
        record.stream.offsetIn += UInt64(bytes.count)
        sockets.updateQuietly(id) {
            $0.bytesIn += UInt64(bytes.count)
            if peer != nil || $0.transport == .udp { $0.datagramsIn += 1 }
        }
        log.append(entry)
        noteTraffic()
        delegate?.received(bytes, on: record)
        if let reply = effectiveReply(id), reply != .off {
            let answer = reply.answer(to: bytes)
            if !answer.isEmpty {
                do {
                    try transmit(answer, on: record, to: peer)
                } catch {
                    log.event(id, .error, "reply: \(error.message)")
                }
            }
        }
    }

    /// The reply mode in force: the socket's own, else its listener's.
    func effectiveReply(_ id: SocketID) -> AutoReply? {
        guard let entry = sockets.table[id] else { return nil }
        if let own = entry.reply { return own }
        if let parent = entry.parent { return sockets.table[parent]?.reply }
        return nil
    }

    // MARK: Writing

    /// Queues `pieces` (bytes and file regions) on a stream socket and sends what the kernel takes now.
    func transmit(_ pieces: [OutgoingPiece], onStream record: SocketRecord) {
        for piece in pieces { record.stream.sendQueue.append(piece) }
        sockets.update(record.id) { $0.queuedOut = record.stream.sendQueue.byteCount }
        flush(record)
    }

    /// Sends `bytes` on `record` now as far as the kernel takes them and queues the rest.
    /// Datagram sockets send one datagram to `peer` (or their connected/last peer).
    func transmit(_ bytes: [UInt8], on record: SocketRecord, to peer: SocketAddress? = nil) throws(CommandError) {
        guard let entry = sockets.table[record.id] else { throw CommandError("\(record.id) is gone") }
        if entry.transport == .udp {
            try sendDatagram(bytes, on: record, to: peer ?? (entry.role == .datagram ? entry.lastPeer : nil))
            return
        }
        record.stream.sendQueue.append(bytes)
        sockets.update(record.id) { $0.queuedOut = record.stream.sendQueue.byteCount }
        flush(record)
    }

    private func sendDatagram(_ bytes: [UInt8], on record: SocketRecord, to peer: SocketAddress?) throws(CommandError) {
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
        var failure: SystemError?
        var written: [[UInt8]] = []
        let unreadable = record.stream.sendQueue.drain(limit: DataPath.writeBudgetPerWake) { raw in
            do throws(SystemError) {
                guard let sent = try system.send(record.fd, raw) else { return nil }
                written.append(Array(raw[0..<sent]))
                return sent
            } catch {
                failure = error
                return nil
            }
        }
        for bytes in written { logSent(bytes, on: record) }
        for file in unreadable {
            log.event(record.id, .error, "send @\(Sanitizer.clean(file.path)): \(file.reason); its last \(file.missing) bytes were not sent")
        }
        sockets.update(record.id) { $0.queuedOut = record.stream.sendQueue.byteCount }
        if let failure {
            record.stream.sendQueue.removeAll()
            delegate?.lost(record, failure.with(context: "\(record.id)"))
            return
        }
        if record.stream.sendQueue.isEmpty && record.stream.closeWhenFlushed {
            delegate?.finished(record)
            return
        }
        refreshInterest(record)
    }

    private func logSent(_ bytes: [UInt8], on record: SocketRecord) {
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

    // MARK: Pause and resume

    /// Keeps `queuedIn` (bytes waiting in the kernel) current while paused.
    func refreshQueuedIn(_ record: SocketRecord) {
        let queued = system.bytesUnread(record.fd) ?? 0
        if sockets.table[record.id]?.queuedIn != queued { sockets.update(record.id) { $0.queuedIn = queued } }
    }

    // MARK: Rates

    private func noteTraffic() {
        if rateSampleDue == nil { rateSampleDue = MonotonicClock.now() + 1_000_000 }
    }

    /// Samples every socket's rates once a second while bytes move.
    func sampleRatesIfDue(now: Int64) {
        guard let due = rateSampleDue, due <= now else { return }
        var active = false
        for record in sockets.openRecords {
            guard let entry = sockets.table[record.id] else { continue }
            let elapsed = Double(max(1, now - record.stream.lastSampleTime)) / 1_000_000
            let rateIn = Double(entry.bytesIn - record.stream.lastSampleIn) / elapsed
            let rateOut = Double(entry.bytesOut - record.stream.lastSampleOut) / elapsed
            if rateIn != entry.rateIn || rateOut != entry.rateOut {
                sockets.updateQuietly(record.id) { $0.rateIn = rateIn; $0.rateOut = rateOut }
            }
            if rateIn > 0 || rateOut > 0 { active = true }
            record.stream.lastSampleIn = entry.bytesIn
            record.stream.lastSampleOut = entry.bytesOut
            record.stream.lastSampleTime = now
        }
        // Keep sampling while anything moves, plus one more tick to bring rates back to zero.
        rateSampleDue = active ? now + 1_000_000 : nil
        sockets.markChanged()
    }
}
