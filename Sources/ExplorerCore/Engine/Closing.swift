// Closing.swift — how sockets end: the peer's EOF, a reset or error, `close`, `reset`, `shutdown`.

import Glibc
import SocketKit

extension Engine {
    /// The peer sent EOF. As the seed's servers do, close our side too — unless `halfclose` is on,
    /// which keeps the socket half-closed in so the user can still send.
    func peerClosed(_ record: SocketRecord) {
        record.stream.sawEOF = true
        flushCarry(record)
        event(record.id, .eof, "eof from peer")
        record.waits.dataSinceWait = true
        if relayPeerClosed(record) { return }
        if settings.halfclose && !record.stream.writeShut {
            update(record.id) { $0.state = .halfClosedIn }
            data.refreshInterest(record)
        } else if !record.stream.sendQueue.isEmpty {
            record.stream.closeWhenFlushed = true
            update(record.id) { $0.state = .closing }
            data.refreshInterest(record)
        } else {
            closeNow(record, reason: "closed")
        }
    }

    /// Renders UTF-8 bytes still held at EOF (an incomplete character) so nothing goes unshown.
    private func flushCarry(_ record: SocketRecord) {
        let held = record.stream.receiveCarry.flush()
        if !held.isEmpty {
            event(record.id, .warning, "stream ended inside a UTF-8 character: \(Sanitizer.escape(held))")
        }
    }

    /// The connection failed under us (reset, EPIPE, error): log it and close.
    func lost(_ record: SocketRecord, _ error: SystemError) {
        let isReset = error.code == ECONNRESET
        record.stream.lostError = error
        let text = isReset ? "reset by peer: \(error.reason)" : error.description
        event(record.id, isReset ? .reset : .error, text)
        data.dropQueue(record)
        closeNow(record, reason: isReset ? "closed (reset by peer)" : "closed after error", failure: isReset ? nil : error.reason)
    }

    /// Closes the descriptor now and marks the socket closed. `failure` marks it failed instead.
    func closeNow(_ record: SocketRecord, reason: String, failure: String? = nil) {
        guard record.fd >= 0 else { return }
        tlsClosing(record)
        data.forget(record)
        data.fanOutLeft(record)
        sockets.retire(record)
        if let path = record.unixPathToRemove { try? system.unlink(path) }
        let now = WallClock.now()
        update(record.id) {
            $0.state = failure.map { .failed(Sanitizer.guarded($0)) } ?? .closed
            $0.closedAt = now
            $0.queuedOut = 0
            $0.queuedIn = 0
            $0.rateIn = 0
            $0.rateOut = 0
        }
        event(record.id, .closed, reason)
        sockets.noteSelectionClosed(record.id)
        relayLegClosed(record, reason: reason)
        sockets.noteClosed(record.id, keep: settings.keepclosed)
    }

    /// `close`: orderly close, after queued bytes are sent.
    func closeSocket(_ id: SocketID) throws(CommandError) -> String {
        let record = try openRecord(id)
        if !record.stream.sendQueue.isEmpty {
            record.stream.closeWhenFlushed = true
            update(id) { $0.state = .closing }
            return "closing \(id) after \(record.stream.sendQueue.byteCount) queued bytes are sent"
        }
        closeNow(record, reason: "closed")
        return "closed \(id)"
    }

    /// `reset`: close with RST (SO_LINGER 0), dropping anything queued.
    func resetSocket(_ id: SocketID) throws(CommandError) -> String {
        let record = try openRecord(id)
        if table[id]?.transport == .tcp {
            do { try system.setAbortiveClose(record.fd) } catch { throw CommandError(error) }
        }
        data.dropQueue(record)
        event(id, .reset, "reset sent (SO_LINGER 0, then close)")
        closeNow(record, reason: "closed (reset)")
        return "reset \(id)"
    }

    /// What `shutdown` checks on every socket before shutting any down.
    func checkShutdown(_ id: SocketID, _ how: ShutdownHow) throws(CommandError) {
        let record = try openRecord(id)
        guard table[id]?.role.isListening == false else { throw CommandError("shutdown: \(id) is a listener; use close") }
        if how != .rd, !record.stream.sendQueue.isEmpty {
            throw CommandError("shutdown \(id): \(Units.bytes(record.stream.sendQueue.byteCount)) still queued; wait for them or use reset")
        }
    }

    /// `shutdown rd|wr|rdwr`.
    func shutdownSocket(_ id: SocketID, _ how: ShutdownHow) throws(CommandError) -> String {
        try checkShutdown(id, how)
        let record = try openRecord(id)
        do { try system.shutdown(record.fd, how) } catch { throw CommandError(error.with(context: "\(id)")) }
        if how != .wr { record.stream.readShut = true }
        if how != .rd { record.stream.writeShut = true }
        event(id, .shutdown, "shutdown \(how.rawValue)")
        if record.stream.writeShut && (record.stream.readShut || record.stream.sawEOF) {
            closeNow(record, reason: "closed (both directions shut down)")
            return "shut down \(id) (\(how.rawValue)); both directions are closed now"
        }
        update(id) { $0.state = record.stream.writeShut ? .halfClosedOut : .halfClosedIn }
        data.refreshInterest(record)
        return "shut down \(id) (\(how.rawValue))"
    }

    /// Closes every socket (quit, end of a headless run, a signal). Listeners' Unix paths are removed.
    /// The record file gets what it still holds, waiting for it at most `recordDrainLimit`
    /// (a signal asks for a short one: sockpit ends within a second whatever the file does).
    public func closeAll(recordDrainLimit: Int64 = 10_000_000) {
        for record in sockets.openRecords.sorted(by: { $0.id > $1.id }) {
            if !record.stream.sendQueue.isEmpty { data.flush(record) }
            if sockets.isOpen(record) { closeNow(record, reason: "closed (quit)") }
        }
        scanner.closeAll()
        recording.stop(drainLimit: recordDrainLimit)
    }
}
