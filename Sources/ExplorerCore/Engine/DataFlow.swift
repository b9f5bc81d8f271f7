// DataFlow.swift — bytes moving: reading what is ready (bounded per wake-up), logging it, auto
// replies, the outgoing queue, pause/resume and epoll interest.

import Glibc
import SocketKit

extension Engine {
    /// Most bytes read from one socket per wake-up, so a flood cannot starve the keyboard.
    static let readBudgetPerWake = 1 << 20
    /// Most bytes written to one socket per wake-up: a fast reader cannot hold the loop (or pile
    /// up the log entries of one flush) while a large `send @FILE` streams out.
    static let writeBudgetPerWake = 1 << 20
    /// Most received bytes kept per socket for `expect`.
    static let expectBufferLimit = 1 << 20

    // MARK: Interest

    /// What epoll should report for this socket given its state.
    func desiredInterest(_ record: SocketRecord) -> Interest {
        guard let entry = table[record.id], entry.state.isOpen else { return [] }
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
        let wantsRead = !record.sawEOF && !record.readShut
        if wantsRead {
            if entry.paused && record.readAllowance == nil {
                interest.formUnion([.readable, .edgeTriggered])
            } else {
                interest.insert(.readable)
            }
        }
        if !record.sendQueue.isEmpty { interest.insert(.writable) }
        return interest
    }

    /// Applies `desiredInterest` if it changed.
    func refreshInterest(_ record: SocketRecord) {
        let wanted = desiredInterest(record)
        guard wanted != record.interest, record.fd >= 0 else { return }
        record.interest = wanted
        do {
            try loop.modify(record.fd, wanted, token: UInt64(record.id.value))
        } catch {
            event(record.id, .error, "\(error)")
        }
    }

    /// Registers a new socket with the loop.
    func register(_ record: SocketRecord) throws(SystemError) {
        records[record.id] = record
        record.interest = desiredInterest(record)
        try loop.add(record.fd, record.interest, token: UInt64(record.id.value))
    }

    // MARK: Readiness

    func handle(_ ready: ReadyEvent, for record: SocketRecord) {
        guard let entry = table[record.id] else { return }
        switch entry.state {
        case .connecting:
            connectReady(record)
            return
        case .closed, .failed, .resolving:
            return
        default:
            break
        }
        if entry.role == .listener {
            if entry.acceptMode == .manual { refreshPendingAccepts(record) } else { acceptReady(record) }
            return
        }
        if ready.readable || ready.hangup || ready.error {
            if entry.paused && record.readAllowance == nil {
                refreshQueuedIn(record)
            } else if entry.transport == .udp {
                readDatagrams(record)
            } else {
                readStream(record)
            }
        }
        guard records[record.id] != nil else { return }
        if ready.writable { flush(record) }
        if ready.error, records[record.id] != nil, !ready.readable {
            let code = system.pendingError(record.fd)
            if code != 0 { lost(record, SystemError(call: "socket", context: "\(record.id)", code: code)) }
        } else if ready.hangup, records[record.id] != nil, record.sawEOF, record.sendQueue.isEmpty, desiredInterest(record).isEmpty {
            // Both directions are done and nothing will be read again: finish the close.
            closeNow(record, reason: "closed")
        }
    }

    // MARK: Reading

    private func readStream(_ record: SocketRecord) {
        var budget = min(Engine.readBudgetPerWake, record.readAllowance ?? .max)
        while budget > 0, records[record.id] != nil {
            let want = min(Engine.streamReadSize, budget)
            let received: [UInt8]?
            do {
                received = try receiveChunk(record.fd, upTo: want)
            } catch {
                lost(record, error.with(context: "\(record.id)"))
                return
            }
            guard let chunk = received else { break }
            let count = chunk.count
            if count == 0 {
                peerClosed(record)
                return
            }
            budget -= count
            deliver(chunk, to: record, from: nil)
            if let allowance = record.readAllowance {
                record.readAllowance = allowance - count
                if allowance - count <= 0 {
                    record.readAllowance = nil
                    refreshInterest(record)
                    break
                }
            }
        }
        if table[record.id]?.paused == true { refreshQueuedIn(record) }
    }

    /// Bytes asked of the kernel per stream read; each read that returns data becomes one log entry.
    static let streamReadSize = 1 << 16

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
        var budget = 4096
        while budget > 0, records[record.id] != nil {
            budget -= 1
            let received: (count: Int, sender: SocketAddress?, truncated: Bool)?
            do {
                received = try system.receiveFrom(record.fd, into: readBuffer)
            } catch {
                // ICMP port unreachable surfaces here as ECONNREFUSED on the next receive: show it,
                // keep the socket (UDP has no connection to lose).
                if table[record.id]?.role == .datagram {
                    event(record.id, .error, "recv \(record.id): \(error.reason)")
                } else {
                    lost(record, error.with(context: "\(record.id)"))
                }
                return
            }
            guard let received else { break }
            if received.truncated {
                event(record.id, .warning, "datagram truncated to \(received.count) bytes")
            }
            if let sender = received.sender, table[record.id]?.lastPeer != sender { update(record.id) { $0.lastPeer = sender } }
            deliver(Array(UnsafeRawBufferPointer(rebasing: readBuffer[0..<received.count])), to: record, from: received.sender)
            if let allowance = record.readAllowance {
                record.readAllowance = allowance - received.count
                if allowance - received.count <= 0 {
                    record.readAllowance = nil
                    refreshInterest(record)
                    break
                }
            }
        }
    }

    /// Counts, logs and answers bytes that arrived on `record`.
    func deliver(_ bytes: [UInt8], to record: SocketRecord, from peer: SocketAddress?) {
        let id = record.id
        var entry = LogEntry(time: WallClock.now(), socket: id, kind: .recv, bytes: bytes, peer: peer)
        entry.streamOffset = record.offsetIn
        let split = record.receiveCarry.feed(bytes)
        entry.carryIn = split.carryIn
        entry.heldTail = split.heldTail
        record.offsetIn += UInt64(bytes.count)
        table.update(id) {
            $0.bytesIn += UInt64(bytes.count)
            if peer != nil || $0.transport == .udp { $0.datagramsIn += 1 }
        }
        append(entry)
        noteTraffic()
        record.dataSinceWait = true
        if let head = record.responseHead, head.count < 1024 { record.responseHead = head + bytes.prefix(1024 - head.count) }
        appendForExpect(bytes, to: record)
        if let parentID = table[id]?.parent, let parent = records[parentID] {
            parent.dataSinceWait = true
            appendForExpect(bytes, to: parent)
        }
        if let reply = effectiveReply(id), reply != .off {
            let answer = Engine.replyBytes(reply, to: bytes)
            if !answer.isEmpty {
                do {
                    try transmit(answer, on: record, to: peer)
                } catch {
                    event(id, .error, "reply: \(error.message)")
                }
            }
        }
    }

    private func appendForExpect(_ bytes: [UInt8], to record: SocketRecord) {
        record.expectBuffer.append(bytes)
    }

    /// The reply mode in force: the socket's own, else its listener's.
    func effectiveReply(_ id: SocketID) -> AutoReply? {
        guard let entry = table[id] else { return nil }
        if let own = entry.reply { return own }
        if let parent = entry.parent { return table[parent]?.reply }
        return nil
    }

    /// What a reply mode answers to `input`.
    public static func replyBytes(_ mode: AutoReply, to input: [UInt8]) -> [UInt8] {
        switch mode {
        case .off:
            return []
        case .echo:
            return input
        case .reverse:
            // The seed's server: trim, strrev, then "\n". Reverse characters, not bytes, when the
            // input is valid UTF-8, so `你好` comes back as `好你` rather than broken bytes.
            var end = input.count
            while end > 0, [0x20, 0x09, 0x0a, 0x0d, 0x00, 0x0b].contains(input[end - 1]) { end -= 1 }
            var start = 0
            while start < end, [0x20, 0x09, 0x0a, 0x0d, 0x00, 0x0b].contains(input[start]) { start += 1 }
            let body = Array(input[start..<end])
            var reversed: [UInt8]
            if let text = String(validating: body, as: UTF8.self) {
                reversed = Array(String(text.reversed()).utf8)
            } else {
                reversed = body.reversed()
            }
            reversed.append(0x0a)
            return reversed
        case .template(let template):
            let marker = Array("{data}".utf8)
            var result: [UInt8] = []
            var index = 0
            while index < template.count {
                if index + marker.count <= template.count, Array(template[index..<index + marker.count]) == marker {
                    result.append(contentsOf: input)
                    index += marker.count
                } else {
                    result.append(template[index])
                    index += 1
                }
            }
            return result
        }
    }

    // MARK: Writing

    /// Queues `pieces` (bytes and file regions) on a stream socket and sends what the kernel takes now.
    func transmit(_ pieces: [OutgoingPiece], onStream record: SocketRecord) {
        for piece in pieces { record.sendQueue.append(piece) }
        update(record.id) { $0.queuedOut = record.sendQueue.byteCount }
        flush(record)
    }

    /// Sends `bytes` on `record` now as far as the kernel takes them and queues the rest.
    /// Datagram sockets send one datagram to `peer` (or their connected/last peer).
    func transmit(_ bytes: [UInt8], on record: SocketRecord, to peer: SocketAddress? = nil) throws(CommandError) {
        guard let entry = table[record.id] else { throw CommandError("\(record.id) is gone") }
        if entry.transport == .udp {
            try sendDatagram(bytes, on: record, to: peer ?? (entry.role == .datagram ? entry.lastPeer : nil))
            return
        }
        record.sendQueue.append(bytes)
        update(record.id) { $0.queuedOut = record.sendQueue.byteCount }
        flush(record)
    }

    private func sendDatagram(_ bytes: [UInt8], on record: SocketRecord, to peer: SocketAddress?) throws(CommandError) {
        let id = record.id
        let unconnected = table[id]?.role == .datagram
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
        case .failure(let error): throw CommandError("send \(id)\(peer.map { " to \($0)" } ?? ""): \(error.reason)")
        }
        guard let sent else { throw CommandError("send \(id): EAGAIN (the socket's send buffer is full; datagram dropped)") }
        // Every UDP data event names its peer: the destination given, or the connected one.
        var entry = LogEntry(time: WallClock.now(), socket: id, kind: .send, bytes: Array(bytes[0..<sent]), peer: peer ?? table[id]?.remote)
        entry.streamOffset = record.offsetOut
        record.offsetOut += UInt64(sent)
        update(id) {
            $0.bytesOut += UInt64(sent)
            $0.datagramsOut += 1
        }
        append(entry)
        noteTraffic()
    }

    /// Writes queued bytes until the kernel stops taking them; logs each write.
    func flush(_ record: SocketRecord) {
        if let state = table[record.id]?.state, state == .resolving || state == .connecting {
            return // queued bytes leave once the connection is established
        }
        var failure: SystemError?
        var written: [[UInt8]] = []
        let unreadable = record.sendQueue.drain(limit: Engine.writeBudgetPerWake) { raw in
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
            event(record.id, .error, "send @\(Sanitizer.clean(file.path)): \(file.reason); its last \(file.missing) bytes were not sent")
        }
        update(record.id) { $0.queuedOut = record.sendQueue.byteCount }
        if let failure {
            record.sendQueue.removeAll()
            lost(record, failure.with(context: "\(record.id)"))
            return
        }
        if record.sendQueue.isEmpty && record.closeWhenFlushed {
            closeNow(record, reason: "closed")
            return
        }
        refreshInterest(record)
    }

    private func logSent(_ bytes: [UInt8], on record: SocketRecord) {
        var entry = LogEntry(time: WallClock.now(), socket: record.id, kind: .send, bytes: bytes)
        entry.streamOffset = record.offsetOut
        let split = record.sendCarry.feed(bytes)
        entry.carryIn = split.carryIn
        entry.heldTail = split.heldTail
        record.offsetOut += UInt64(bytes.count)
        table.update(record.id) { $0.bytesOut += UInt64(bytes.count) }
        append(entry)
        noteTraffic()
    }

    // MARK: Pause and resume

    /// Keeps `queuedIn` (bytes waiting in the kernel) current while paused.
    func refreshQueuedIn(_ record: SocketRecord) {
        let queued = system.bytesUnread(record.fd) ?? 0
        if table[record.id]?.queuedIn != queued { update(record.id) { $0.queuedIn = queued } }
    }

    /// A manual-accept listener: how many connections wait in the backlog (TCP_INFO's unacked
    /// field holds the accept queue length for listening sockets).
    func refreshPendingAccepts(_ record: SocketRecord) {
        guard table[record.id]?.transport == .tcp, let info = try? system.tcpInfo(record.fd) else { return }
        let pending = Int(info.unacked)
        if table[record.id]?.pendingAccepts != pending { update(record.id) { $0.pendingAccepts = pending } }
    }
}
