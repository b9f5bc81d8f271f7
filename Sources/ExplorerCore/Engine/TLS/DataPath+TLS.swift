// DataPath+TLS — the one place stream bytes cross a socket: a plain socket through SystemCalls, a
// TLS one through its session (plaintext in and out, so the log, expect, reply, save and record see
// what the peer meant). Also what TLS changes in the data path: the interest a session asks for
// (a read may want writable), input OpenSSL holds that epoll cannot see, and the read budget
// charged with the ciphertext a read took off the wire, so tiny records cannot freeze the loop.

import Glibc
import SocketKit
import TLSKit

extension DataPath {
    /// Reads into `buffer`: the count (0 at the end of the stream), nil when nothing is ready now.
    /// A TLS failure is kept on the link (the caller acts once the read loop is done); a socket
    /// failure beneath TLS is thrown as on a plain socket.
    func streamReceive(_ record: SocketRecord, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int? {
        guard let link = record.tls, let session = link.session else { return try system.receive(record.fd, into: buffer) }
        if link.isHandshaking { return nil }
        switch session.read(into: buffer) {
        case .done(let count):
            return count
        case .wantRead, .wantWrite:
            return nil
        case .closed(let closure):
            // close_notify shows as the alert it is; an end without it may be a truncation.
            if closure == .withoutCloseNotify { log.event(record.id, .warning, "tls: the connection ended without close_notify (the data may have been cut short)") }
            return 0
        case .failed(let error):
            if let underneath = error.systemError { throw underneath }
            link.pendingFailure = error
            return nil
        }
    }

    /// Sends from `bytes`: the count taken, nil when the socket (or the session) takes nothing now.
    func streamSend(_ record: SocketRecord, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int? {
        guard let link = record.tls, let session = link.session else { return try system.send(record.fd, bytes) }
        if link.isHandshaking { return nil }
        switch session.write(bytes) {
        case .done(let count):
            return count
        case .wantRead, .wantWrite:
            return nil
        case .closed:
            throw SystemError(call: "send", context: "\(record.id)", code: EPIPE)
        case .failed(let error):
            if let underneath = error.systemError { throw underneath }
            link.pendingFailure = error
            return nil
        }
    }

    /// What one read costs the wake-up's budgets: its plaintext, or the ciphertext it took off the
    /// wire when that is more (a flood of one-byte records costs what it sends, not what it says).
    func readCost(_ record: SocketRecord, plaintext: Int) -> Int {
        guard let link = record.tls else { return plaintext }
        return max(plaintext, link.takeWireBytes())
    }

    /// The interest a TLS socket needs, or nil for a plain one (and for a TLS socket that is paused:
    /// then only the kernel's count of waiting bytes matters, as on a plain socket).
    func tlsInterest(_ record: SocketRecord, reading: Bool, paused: Bool) -> Interest? {
        guard let link = record.tls, let session = link.session else { return nil }
        if paused && !link.isHandshaking { return nil }
        return session.interest(reading: reading, writing: !record.stream.sendQueue.isEmpty)
    }

    /// True when a writable event should read (a session's read waits for writability).
    func readWaitsForWritable(_ record: SocketRecord, _ ready: ReadyEvent) -> Bool {
        ready.writable && record.tls?.readWaitsForWritable == true
    }

    /// After reading a TLS socket: a failure met inside the read ends it; input OpenSSL still holds
    /// is read again this step or the next (epoll cannot report it); a write that waited for
    /// readability goes now; the interest follows the session.
    func afterTLSRead(_ record: SocketRecord) {
        guard let link = record.tls, let session = link.session else { return }
        guard sockets.isOpen(record) else {
            tlsBuffered.remove(record.id)
            return
        }
        if let error = link.takePendingFailure() {
            tlsBuffered.remove(record.id)
            dropQueue(record)
            delegate?.tlsFailed(record, error)
            return
        }
        if session.hasBufferedInput { tlsBuffered.insert(record.id) } else { tlsBuffered.remove(record.id) }
        if !record.stream.sendQueue.isEmpty && session.writeWaitsFor == .readable {
            flush(record)
        } else {
            refreshInterest(record)
        }
    }

    /// After a flush of a TLS socket: a failure met inside a write ends it. True when it did.
    func endedByTLSWrite(_ record: SocketRecord) -> Bool {
        guard let error = record.tls?.takePendingFailure() else { return false }
        tlsBuffered.remove(record.id)
        dropQueue(record)
        delegate?.tlsFailed(record, error)
        return true
    }

    /// True when a TLS socket holds decrypted input it may read now (the loop must not sleep).
    var hasReadyBufferedTLS: Bool {
        !sinkBehind && tlsBuffered.contains { id in
            guard let entry = sockets.table[id] else { return true }
            return entry.held == nil && !entry.paused
        }
    }

    /// Reads the TLS sockets whose sessions hold input, while this step's budget lasts.
    func serviceBufferedTLS() {
        guard !tlsBuffered.isEmpty, !sinkBehind else { return }
        for id in Array(tlsBuffered) {
            if stepBudgetSpent { return }
            guard let record = sockets.record(id), let entry = sockets.table[id], entry.state.isOpen else {
                tlsBuffered.remove(id)
                continue
            }
            guard entry.held == nil, !entry.paused else { continue }
            handle(ReadyEvent(token: UInt64(id.value), readable: true, writable: false, hangup: false, error: false), for: record)
        }
    }
}
