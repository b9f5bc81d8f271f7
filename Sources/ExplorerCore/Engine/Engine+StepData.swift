// Engine+StepData.swift — `read` and `write` (the seed's socket_read and socket_write): exactly one
// recv/recvfrom or send/sendto call, its result shown as the kernel returned it — the bytes, 0 at
// EOF, a short count, or the errno (EAGAIN on a non-blocking socket with nothing to read).

import Glibc
import SocketKit

extension Engine {
    /// Bytes `read` asks for when N is not given: the seed's `socket_read($sock, 8192)`.
    static let stepReadDefault = 8192
    /// The largest N: one call into one buffer.
    static let stepReadMaximum = 1 << 16

    /// `read [TARGET] [N]`: one receive call on a paused socket (a step socket is paused from
    /// birth). A blocking socket with nothing queued waits in the loop, then makes its call.
    func stepRead(_ id: SocketID, count: Int, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let record = try stepRecord(id, "read")
        guard let entry = table[id] else { throw CommandError("read: no socket \(id)") }
        guard entry.paused || entry.state == .created || entry.state == .bound || entry.role == .listener else {
            throw CommandError("read: \(id) is not paused, so sockpit already reads everything it receives (pause \(id) first)")
        }
        let attempt: () -> Status? = { [unowned self] in
            let saved = self.startStepCalls()
            defer { self.endStepCalls(saved) }
            // Only a socket that can receive waits; any other gets the kernel's answer at once.
            let waits = self.table[id]?.step?.blocking == true && self.table[id].map(Engine.canReceive) == true
            if waits, self.sockets.isOpen(record), !self.system.isReadable(record.fd) { return nil }
            do throws(CommandError) { return try self.readOnce(record, count: count) } catch { return .error(error.message) }
        }
        if let status = attempt() { return .done(status) }
        return blockingWait("read \(id)", origin: origin, attempt)
    }

    /// True when a blocking read could be answered later: a connection, or a bound UDP socket.
    static func canReceive(_ entry: SocketEntry) -> Bool {
        switch entry.state {
        case .established, .halfClosedOut: true
        case .bound: entry.transport == .udp
        default: false
        }
    }

    /// The one receive call, and what it did to the socket.
    private func readOnce(_ record: SocketRecord, count: Int) throws(CommandError) -> Status {
        let id = record.id
        guard let entry = table[id] else { throw CommandError("read: no socket \(id)") }
        var bytes = [UInt8](repeating: 0, count: count)
        var sender: SocketAddress?
        var received: Int?
        var failure: SystemError?
        bytes.withUnsafeMutableBytes { buffer in
            do throws(SystemError) {
                if entry.transport == .udp {
                    if let got = try system.receiveFrom(record.fd, into: buffer) {
                        received = got.count
                        sender = got.sender
                    }
                } else {
                    received = try system.receive(record.fd, into: buffer)
                }
            } catch {
                failure = error
            }
        }
        if let failure {
            if failure.code == ECONNRESET { lost(record, failure.with(context: "\(id)")) }
            throw Engine.refusal("read", id, failure)
        }
        guard let received else {
            throw CommandError("read \(id): EAGAIN (Resource temporarily unavailable): nothing has arrived",
                               reason: "EAGAIN (Resource temporarily unavailable)")
        }
        if received == 0 && entry.transport != .udp {
            // The seed's socket_read returns '' here; the socket stays open until `close`.
            record.stream.sawEOF = true
            event(id, .eof, "eof from peer (read returned 0)")
            record.waits.dataSinceWait = true
            if entry.state == .established { update(id) { $0.state = .halfClosedIn } }
            data.refreshInterest(record)
            return .ok("read \(id): 0 bytes: the peer closed its side (socket_read returns '')")
        }
        bytes.removeSubrange(received...)
        if let sender, table[id]?.lastPeer != sender { update(id) { $0.lastPeer = sender } }
        data.deliver(bytes, to: record, from: entry.transport == .udp ? sender : nil)
        if sockets.isOpen(record) { data.refreshQueuedIn(record) }
        return .ok("read \(received) bytes from \(id)" + (sender.map { " (from \($0))" } ?? ""))
    }

    /// `write [TARGET] [to=HOST:PORT] PAYLOAD`: one send (or sendto) call of the payload. A short
    /// write says how much went; the rest is not queued, as socket_write returns the count.
    func stepWrite(_ id: SocketID, _ bytes: [UInt8], to peer: SocketAddress?) throws(CommandError) -> String {
        let record = try stepRecord(id, "write")
        guard let entry = table[id] else { throw CommandError("write: no socket \(id)") }
        guard record.stream.sendQueue.isEmpty else {
            throw CommandError("write \(id): \(record.stream.sendQueue.byteCount) bytes from send still wait to go; "
                + "write makes one call, after them")
        }
        let destination = peer ?? (entry.transport == .udp && entry.role == .datagram ? entry.lastPeer : nil)
        if entry.transport == .udp && entry.role == .datagram && destination == nil {
            throw CommandError("write \(id): an unconnected UDP socket needs a destination: write \(id) to=HOST:PORT …")
        }
        if entry.transport == .udp {
            // One datagram, one sendto (or send when connected): the data path's own call.
            let saved = startStepCalls()
            defer { endStepCalls(saved) }
            do { try data.transmit(bytes, on: record, to: destination) } catch {
                throw CommandError("write \(id): " + (error.reason ?? error.message), reason: error.reason)
            }
            return "wrote \(bytes.count) bytes to \(id)" + (destination.map { " → \($0)" } ?? "")
        }
        let saved = startStepCalls()
        defer { endStepCalls(saved) }
        let outcome: Result<Int?, SystemError> = bytes.withUnsafeBytes { raw in
            do throws(SystemError) { return .success(try system.send(record.fd, raw)) } catch { return .failure(error) }
        }
        let sent: Int
        switch outcome {
        case .failure(let error): throw Engine.refusal("write", id, error)
        case .success(nil):
            throw CommandError("write \(id): EAGAIN (Resource temporarily unavailable): the send buffer is full",
                               reason: "EAGAIN (Resource temporarily unavailable)")
        case .success(let count?): sent = count
        }
        data.logSent(Array(bytes[0..<sent]), on: record)
        markChanged()
        if sent < bytes.count {
            return "wrote \(sent) of \(bytes.count) bytes to \(id): a short write; the other \(bytes.count - sent) were not sent"
        }
        return "wrote \(sent) bytes to \(id)"
    }
}
