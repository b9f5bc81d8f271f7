// Waiting.swift — `wait`, `expect`, `sleep` and `recv`: the commands scripts use to stay in step
// with peers. A condition that already holds returns at once, so scripts never race.

import SocketKit

/// The engine's part that keeps what `wait`, `expect` and `http` need of every socket's traffic:
/// flags, an `http` response's first bytes, and the `expect` windows under one total bound.
final class Waits {
    /// Bytes the windows hold across all sockets.
    private(set) var windowBytes = 0
    /// Each window's socket and when it last grew, for dropping the least recently used first.
    private var windows: [SocketID: (record: SocketRecord, touched: UInt64)] = [:]
    private var clock: UInt64 = 0

    /// Bytes arrived on `record`: they count for `wait data`, `expect` and an `http` response.
    func note(_ bytes: [UInt8], on record: SocketRecord) {
        record.waits.dataSinceWait = true
        if let head = record.waits.responseHead, head.count < Limits.httpResponseHead {
            record.waits.responseHead = head + bytes.prefix(Limits.httpResponseHead - head.count)
        }
        grow(record, bytes)
    }

    /// Bytes arrived on a peer of the listener `record`: `wait` and `expect` on the listener see them.
    func note(_ bytes: [UInt8], onListener record: SocketRecord) {
        record.waits.dataSinceWait = true
        grow(record, bytes)
    }

    /// `expect` matched on `record`: its window forgets everything up to the match's end.
    func consume(_ record: SocketRecord, through end: UInt64) {
        let before = record.waits.expectBuffer.count
        record.waits.expectBuffer.consume(through: end)
        windowBytes -= before - record.waits.expectBuffer.count
    }

    /// The registry forgot `record` for good: its window goes.
    func release(_ record: SocketRecord) {
        guard windows.removeValue(forKey: record.id) != nil else { return }
        windowBytes -= record.waits.expectBuffer.count
        record.waits.expectBuffer.dropOldest(record.waits.expectBuffer.count)
    }

    private func grow(_ record: SocketRecord, _ bytes: [UInt8]) {
        let before = record.waits.expectBuffer.count
        record.waits.expectBuffer.append(bytes)
        windowBytes += record.waits.expectBuffer.count - before
        clock += 1
        windows[record.id] = (record, clock)
        while windowBytes > Limits.expectWindowTotal, let oldest = windows.values.min(by: { $0.touched < $1.touched }) {
            // The least recently grown window gives up its bytes first; the one growing now last.
            let victim = oldest.record
            let excess = windowBytes - Limits.expectWindowTotal
            let dropped = victim === record ? excess : min(excess, victim.waits.expectBuffer.count)
            victim.waits.expectBuffer.dropOldest(min(dropped, victim.waits.expectBuffer.count))
            windowBytes -= dropped
            if victim.waits.expectBuffer.isEmpty { windows[victim.id] = nil }
            if dropped == 0 { break }
        }
    }
}

extension Engine {
    /// `wait [TARGET] connected|closed|data [timeout=SEC]`.
    func wait(for condition: WaitCondition, on id: SocketID, timeout: Int64, origin: CommandOrigin) throws(CommandError) -> Outcome {
        guard let entry = table[id] else { throw CommandError("no socket \(id)") }
        let isListener = entry.role.isListening
        let label = "wait \(id) \(condition.rawValue)"
        let poll: () -> Status?
        switch condition {
        case .connected:
            poll = { [unowned self] in
                guard let entry = self.table[id] else { return .error("\(id) is gone") }
                if isListener {
                    if let record = self.sockets.record(id), record.waits.acceptedSinceWait {
                        record.waits.acceptedSinceWait = false
                        return .ok("\(id) accepted a peer (\(self.selected.map { "\($0)" } ?? "?"))")
                    }
                    return entry.state.isOpen ? nil : .error("\(id) closed while waiting for a connection")
                }
                switch entry.state {
                case .resolving, .connecting: return nil
                case .failed(let reason): return .error(reason)
                case .closed: return .error("\(id) is closed")
                default: return .ok("\(id) connected to \(entry.remote.map { "\($0)" } ?? "peer")")
                }
            }
        case .closed:
            poll = { [unowned self] in
                guard let entry = self.table[id] else { return .ok("\(id) closed") }
                return entry.state.isOpen ? nil : .ok("\(id) \(entry.state.name)")
            }
        case .data:
            poll = { [unowned self] in
                if let record = self.sockets.recentRecord(id) {
                    if record.waits.dataSinceWait {
                        record.waits.dataSinceWait = false
                        return .ok("data on \(id)")
                    }
                    if self.sockets.record(id) != nil { return nil }
                }
                return .error("\(id) is \(self.table[id]?.state.name ?? "gone"); no more data will arrive")
            }
        }
        let seconds = Units.duration(timeout)
        let operation = Operation(label: label, origin: origin, timeout: timeout, poll: poll) {
            .error("\(label): timed out after \(seconds)")
        }
        return begin(operation, progress: "waiting for \(id) \(condition.rawValue)…")
    }

    /// `expect [TARGET] PAYLOAD [timeout=SEC]`: waits until the bytes received since the previous
    /// expect contain `needle`; the match consumes up to its end.
    func expect(_ needle: [UInt8], on id: SocketID, timeout: Int64, origin: CommandOrigin) throws(CommandError) -> Outcome {
        guard table[id] != nil else { throw CommandError("no socket \(id)") }
        guard !needle.isEmpty else { throw CommandError("expect: nothing to expect (empty payload)") }
        let shown = "\"" + Sanitizer.escape(needle) + "\""
        let seconds = Units.duration(timeout)
        // Remember the buffer after the socket closes, so data that arrived just before still matches.
        var scannedTo: UInt64 = 0
        let poll: () -> Status? = { [unowned self] in
            guard let record = self.sockets.recentRecord(id) else {
                return .error("expect \(shown): \(id) is \(self.table[id]?.state.name ?? "gone")")
            }
            // Only what arrived since the last look is searched, with the needle's length of overlap.
            let buffer = record.waits.expectBuffer
            if let end = buffer.firstMatch(needle, from: max(buffer.start, scannedTo)) {
                self.waits.consume(record, through: end)
                record.waits.dataSinceWait = false
                return .ok("matched \(shown) on \(id)")
            }
            scannedTo = buffer.end >= UInt64(needle.count - 1) ? buffer.end - UInt64(needle.count - 1) : 0
            if self.sockets.record(id) == nil {
                return .error("expect \(shown): \(id) closed before it arrived (received since the last match: \(Engine.preview(record.waits.expectBuffer)))")
            }
            return nil
        }
        let operation = Operation(label: "expect \(shown)", origin: origin, timeout: timeout, poll: poll) { [unowned self] in
            let buffer = self.sockets.recentRecord(id)?.waits.expectBuffer ?? ExpectBuffer(limit: 0)
            return .error("expect \(shown) on \(id): timed out after \(seconds) (received since the last match: \(Engine.preview(buffer)))")
        }
        return begin(operation, progress: "expecting \(shown) on \(id)…")
    }

    static func preview(_ buffer: ExpectBuffer) -> String {
        if buffer.isEmpty { return "nothing" }
        let shown = buffer.suffix(64)
        return "\(Units.bytes(buffer.count)), " + (shown.count < buffer.count ? "ending " : "") + "\"" + Sanitizer.escape(shown) + "\""
    }

    /// `sleep SEC`.
    func sleep(_ duration: Int64, origin: CommandOrigin) -> Outcome {
        let seconds = Units.duration(duration)
        let operation = Operation(label: "sleep \(seconds)", origin: origin, timeout: duration, poll: { nil }) {
            .ok("slept \(seconds)")
        }
        return begin(operation, progress: "sleeping \(seconds)…")
    }

    /// `recv [TARGET] [N] [all]` on a paused socket: read up to N bytes now, or (all) exactly N.
    func receive(on id: SocketID, count: Int?, all: Bool, timeout: Int64, origin: CommandOrigin) throws(CommandError) -> Outcome {
        let record = try openRecord(id)
        guard let entry = table[id], !entry.role.isListening || entry.transport == .udp else {
            throw CommandError("recv: \(id) is a listener; use accept")
        }
        guard entry.paused else {
            throw CommandError("recv: \(id) is not paused, so sockpit already reads everything it receives (pause \(id) first)")
        }
        if all && count == nil { throw CommandError("recv all needs a byte count: recv \(id) N all") }
        let wanted = count ?? (1 << 16)
        guard wanted > 0 else { throw CommandError("recv: N must be at least 1") }
        let before = entry.bytesIn
        record.stream.readAllowance = wanted
        data.refreshInterest(record)
        if !all {
            // One read now, as recv(2) would: whatever is queued, up to N.
            data.readNow(record)
            record.stream.readAllowance = nil
            data.refreshInterest(record)
            let got = (table[id]?.bytesIn ?? before) - before
            if got == 0 && table[id]?.state.isOpen == true {
                return .done(.ok("recv \(id): nothing queued (EAGAIN)"))
            }
            return .done(.ok("received \(Units.bytes(got)) on \(id)"))
        }
        let operation = Operation(label: "recv \(id) \(wanted) all", origin: origin, timeout: timeout, poll: { [unowned self] in
            let got = (self.table[id]?.bytesIn ?? before) - before
            if got >= UInt64(wanted) { return .ok("received \(Units.bytes(got)) on \(id)") }
            if self.sockets.record(id) == nil { return .error("recv \(id): closed after \(got) of \(Units.bytes(wanted))") }
            return nil
        }) { [unowned self] in
            self.sockets.record(id)?.stream.readAllowance = nil
            if let record = self.sockets.record(id) { self.data.refreshInterest(record) }
            let got = (self.table[id]?.bytesIn ?? before) - before
            return .error("recv \(id) \(wanted) all: timed out after \(Units.duration(timeout)) with \(Units.bytes(got))")
        }
        return begin(operation, progress: "receiving \(Units.bytes(wanted)) on \(id)…")
    }

    /// What `pause`/`resume` check on every socket before changing any.
    func checkPausable(_ id: SocketID, _ paused: Bool) throws(CommandError) {
        _ = try openRecord(id)
        guard table[id]?.role != .listener else { throw CommandError("\(paused ? "pause" : "resume"): \(id) is a listener (use accept=manual to hold connections)") }
    }

    /// `pause` / `resume`.
    func setPaused(_ id: SocketID, _ paused: Bool) throws(CommandError) -> String {
        try checkPausable(id, paused)
        let record = try openRecord(id)
        guard table[id]?.paused != paused else { return "\(id) is already \(paused ? "paused" : "reading")" }
        update(id) { $0.paused = paused }
        data.refreshInterest(record)
        if paused {
            data.refreshQueuedIn(record)
            event(id, .event, "paused: bytes wait in the kernel")
            return "paused \(id)"
        }
        update(id) { $0.queuedIn = 0 }
        event(id, .event, "resumed")
        // Level-triggered interest will report queued bytes on the next wait.
        return "resumed \(id)"
    }
}
