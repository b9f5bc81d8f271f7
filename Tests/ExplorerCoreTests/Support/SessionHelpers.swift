// SessionHelpers.swift — what command tests ask of a session besides running lines: read a peer
// while the engine keeps stepping, take a snapshot to prove a failed command changed nothing.

import ExplorerCore
import Foundation
import Testing

extension EngineSession {
    /// Runs one line and returns its status (an error status when it produced none in time).
    func status(_ command: String, timeout: Double = 15) -> Status {
        run([command], timeout: timeout).last ?? .error("(no status)")
    }

    /// Steps the engine while reading from `peer` until `done` holds for all read so far, the
    /// peer sees EOF or an error, or `timeout` passes. Reading never blocks the engine.
    func read(_ peer: PeerConnection, until done: ([UInt8]) -> Bool, timeout: Double = 10) -> PeerRead {
        var total = PeerRead()
        pump(until: {
            let more = peer.readAvailable()
            total.bytes += more.bytes
            total.eof = total.eof || more.eof
            total.error = total.error ?? more.error
            return done(total.bytes) || total.eof || total.error != nil
        }, timeout: timeout)
        return total
    }

    /// Exactly `count` bytes from `peer` (fewer at EOF or after the timeout).
    func read(_ peer: PeerConnection, count: Int, timeout: Double = 10) -> [UInt8] {
        read(peer, until: { $0.count >= count }, timeout: timeout).bytes
    }

    /// Everything `peer` gets until the other side closes (or resets).
    func readUntilClosed(_ peer: PeerConnection, timeout: Double = 10) -> PeerRead {
        read(peer, until: { _ in false }, timeout: timeout)
    }

    /// Steps until `count` bytes have arrived on socket `id` (as logged received data).
    @discardableResult
    func pumpUntilReceived(_ count: Int, on id: Int, timeout: Double = 10) -> Bool {
        pump(until: { bytes(.recv, on: id).count >= count }, timeout: timeout)
    }

    /// Connects to the collector, pauses the connection (#1) and has the peer send "12345", which
    /// then waits in the kernel: the peer's end is returned.
    func pausedConnectionWithFiveQueuedBytes(to peers: PeerCollector, sourceLocation: SourceLocation = #_sourceLocation) throws -> PeerConnection {
        let peer = try connect(to: peers, sourceLocation: sourceLocation)
        #expect(status("pause").ok, sourceLocation: sourceLocation)
        peer.send("12345")
        #expect(pump(until: { self.entry(1)?.queuedIn == 5 }), sourceLocation: sourceLocation)
        return peer
    }

    /// `listen 0` (#1) and two peers connected to it, both accepted.
    func listenerWithTwoPeers(sourceLocation: SourceLocation = #_sourceLocation) throws -> (PeerConnection, PeerConnection) {
        #expect(status("listen 0").ok, sourceLocation: sourceLocation)
        let first = try PeerConnection.connect(port: port(of: 1))
        let second = try PeerConnection.connect(port: port(of: 1))
        #expect(pump(until: { self.engine.table.openConnections.count == 2 }), sourceLocation: sourceLocation)
        return (first, second)
    }

    /// Runs `connect` to the collector's port and returns the peer's end of the new connection.
    func connect(to peers: PeerCollector, sourceLocation: SourceLocation = #_sourceLocation) throws -> PeerConnection {
        let index = peers.connections.current.count
        let status = status("connect 127.0.0.1:\(peers.port)")
        #expect(status.ok, "\(status)", sourceLocation: sourceLocation)
        return try #require(peers.connection(index, stepping: self), sourceLocation: sourceLocation)
    }

    /// What a failed command must leave alone.
    struct Snapshot: Equatable {
        var table: SocketTable
        var loggedLines: Int
        var keptEntries: Int
        var selected: SocketID?
        var settings: Settings
        var view: LogViewState
    }

    var snapshot: Snapshot {
        Snapshot(table: engine.table, loggedLines: lines.count, keptEntries: engine.log.count,
                 selected: engine.selected, settings: engine.settings, view: engine.view)
    }

    /// Runs `command` then a marker `echo`; returns the command's status after checking that it
    /// failed, counted as a failure, and stopped the script (the marker never ran).
    func failing(_ command: String, timeout: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) -> Status {
        let failedBefore = engine.failedCommands
        let statuses = run([command, "echo after-the-error"], timeout: timeout)
        #expect(engine.scriptIdle, "the script did not finish in time: \(command)", sourceLocation: sourceLocation)
        #expect(statuses.count == 1 && statuses.first?.ok == false, "\(command) → \(statuses)", sourceLocation: sourceLocation)
        #expect(engine.failedCommands == failedBefore + 1, sourceLocation: sourceLocation)
        #expect(!lines.contains("after-the-error"), "the script went on after \(command)", sourceLocation: sourceLocation)
        return statuses.first ?? .error("(no status)")
    }
}

extension Array where Element == Status {
    /// True when commands ran and every one succeeded: an empty list (a script that never got to
    /// answer) is a failure, not a vacuous success.
    var allOK: Bool { !isEmpty && allSatisfy { $0.ok } }
}

extension EngineSession {
    /// After a fault: the engine still works. A fresh pair carries a few bytes end to end, and
    /// its sockets are closed again so the test's own expectations about the table hold.
    func expectResponsive(sourceLocation: SourceLocation = #_sourceLocation) {
        let paired = status("pair")
        let ids = paired.message.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard paired.ok, ids.count >= 2 else {
            Issue.record("pair failed after the fault: \(paired)", sourceLocation: sourceLocation)
            return
        }
        let marker = "alive-\(ids[0])"
        let statuses = run("send #\(ids[0]) \(marker)", "wait #\(ids[1]) data timeout=5")
        #expect(statuses.allOK, "\(statuses)", sourceLocation: sourceLocation)
        let received = String(decoding: bytes(.recv, on: ids[1]), as: UTF8.self)
        #expect(received == marker, "the engine did not carry bytes after the fault", sourceLocation: sourceLocation)
        #expect(status("close #\(ids[0])").ok, sourceLocation: sourceLocation)
        #expect(pump(until: { self.entry(ids[1])?.state.isOpen == false }), "the pair did not close", sourceLocation: sourceLocation)
    }
}
