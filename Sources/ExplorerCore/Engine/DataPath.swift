// DataPath — the engine's part that moves bytes on established sockets: reading what is ready
// (bounded per wake-up), logging and delivering it, auto replies, the outgoing queue and its
// flushing, the epoll interest that follows from all that, and the 1 Hz rates. Its outgoing side
// is DataPath+Writing.swift, when it stops reading DataPath+Holds.swift, and TLS's one place for
// stream bytes DataPath+TLS.swift.

import Glibc
import SocketKit
import TLSKit

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
    /// A TLS session failed after its handshake (a bad record, a fatal alert): close now.
    func tlsFailed(_ record: SocketRecord, _ error: TLSError)
}

/// What the data path asks the relay part about relay legs (a leg's bytes go to its partner).
protocol DataPathRelaying: AnyObject {
    /// The mark of chunks read from `record` (a UDP relay's listener: from `peer`); nil when it is no relay leg.
    func relayMark(_ record: SocketRecord, peer: SocketAddress?) -> RelayMark?
    /// Bytes read from a relay leg (already logged): forward or hold them.
    func relay(_ bytes: [UInt8], from record: SocketRecord, peer: SocketAddress?)
    /// Why a relay leg must not be read now (its server leg still connects, intercept is full), or nil.
    func relayHold(_ record: SocketRecord) -> String?
    /// The leg whose send queue the reading of `record` fills: its partner, for a relay leg.
    func relayOutput(of record: SocketRecord) -> SocketRecord?
    /// A relay leg's queue drained: its partner may read again, a FIN may pass.
    func relayDrained(_ record: SocketRecord)
}

/// The send queues' memory bounds (the `queuecap` and `queuetotal` settings).
struct QueueBounds: Equatable {
    var perSocket: Int
    var total: Int
}

/// Reads, writes and replies on the registry's sockets.
///
/// Every byte a socket's input makes (a reply) waits in a bounded queue: once a socket's queue, or
/// all queues together, reach their bound, the sockets whose input makes output stop being read —
/// the kernel holds the bytes, and the peer's sends slow down — until the queues drain below half.
/// The record file's writer holds every socket the same way while it is behind.
final class DataPath {
    let sockets: SocketRegistry
    let log: SessionLog
    let system: SystemCalls
    /// TLS sockets whose session holds decrypted input epoll cannot report (DataPath+TLS).
    var tlsBuffered: Set<SocketID> = []
    weak var delegate: DataPathDelegate?
    weak var relaying: DataPathRelaying?
    /// `listen mode=broker|chat` listeners and their peers (FanOut.swift).
    let fanOut = FanOuts()
    /// Reused receive buffer for datagrams (64 KiB): one read never allocates more than the bytes it keeps.
    private let datagramBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    /// When the next rate sample is due (monotonic µs); nil while nothing moves.
    private(set) var rateSampleDue: Int64?
    /// The queues' bounds, from the settings.
    var bounds = QueueBounds(perSocket: Settings().queuecap, total: Settings().queuetotal) {
        didSet { reevaluateHolds() }
    }
    /// Bytes all send queues hold in memory.
    var queuedMemory = 0
    /// Sockets whose queue holds bytes in memory.
    var queuedSockets = 0
    /// Sockets whose reading (or accepting) is held.
    var heldSockets: Set<SocketID> = []
    /// Bytes still to read in this wake-up, across all sockets (`Limits.readBytesPerStep`).
    private(set) var stepReadBudget = Limits.readBytesPerStep

    /// A new wake-up: the sockets share a fresh read budget.
    func startStep() {
        stepReadBudget = Limits.readBytesPerStep
        stepOutputStart = outputMeter?().given ?? 0
    }
    /// What the output files had been given when this wake-up began.
    var stepOutputStart: UInt64 = 0

    /// True once this wake-up has read its share; the rest of the ready sockets wait their turn.
    var stepBudgetSpent: Bool { stepReadBudget <= 0 }

    /// True while an output file (the record file, a headless pipe) is behind: sockets read only
    /// their share of a small allowance.
    var sinkBehind = false {
        didSet {
            guard sinkBehind != oldValue else { return }
            if !sinkBehind { resetAllowances() }
            reevaluateHolds()
        }
    }
    /// What the output files have been given in all and still hold unwritten; set by the engine.
    /// Reading is charged with the output it makes, since a binary byte costs six in JSONL.
    var outputMeter: (() -> (given: UInt64, unwritten: Int))?
    /// Output bytes all sockets made since the last refill, how many sockets made any, and how
    /// many made any in the window before (the shares of this window are cut for them).
    var outputWhileBehind = 0
    var spendersWhileBehind = 0
    var spendersBefore = 0

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
            if entry.acceptMode == .manual { return [.readable, .edgeTriggered] }
            return entry.held == nil ? .readable : []
        }
        var interest: Interest = []
        let wantsRead = !record.stream.sawEOF && !record.stream.readShut && entry.held == nil
        if wantsRead {
            if entry.paused && record.stream.readAllowance == nil {
                interest.formUnion([.readable, .edgeTriggered])
            } else {
                interest.insert(.readable)
            }
        }
        if !record.stream.sendQueue.isEmpty { interest.insert(.writable) }
        return tlsInterest(record, reading: wantsRead, paused: entry.paused && record.stream.readAllowance == nil) ?? interest
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
        if ready.readable || ready.hangup || ready.error || readWaitsForWritable(record, ready) {
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
        stepReadBudget = max(stepReadBudget, Limits.readBytesPerWake)
        handle(ReadyEvent(token: UInt64(record.id.value), readable: true, writable: false, hangup: false, error: false), for: record)
    }

    // MARK: Reading

    private func readStream(_ record: SocketRecord) {
        var budget = min(Limits.readBytesPerWake, stepReadBudget, record.stream.readAllowance ?? .max)
        let chunkSize = readSize(for: record)
        var replyBudget = Limits.replyBytesPerWake
        while budget > 0, replyBudget > 0, sockets.isOpen(record), sockets.table[record.id]?.held == nil,
              !behindAllowanceSpent(record), !outputJustFilled {
            let want = readSizeWhileBehind(record, min(chunkSize, budget))
            let received: [UInt8]?
            do {
                received = try receiveChunk(record, upTo: want)
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
            let cost = readCost(record, plaintext: count)
            budget -= cost
            stepReadBudget -= cost
            replyBudget -= chargingOutput(to: record) { deliver(chunk, to: record, from: nil) }
            if consumeAllowance(record, count) { break }
        }
        if sockets.table[record.id]?.paused == true { refreshQueuedIn(record) }
        if record.tls != nil { afterTLSRead(record) }
        _ = holdIfAllowanceSpent(record)
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
    private func receiveChunk(_ record: SocketRecord, upTo size: Int) throws(SystemError) -> [UInt8]? {
        var failure: SystemError?
        var received: Int?
        var chunk = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            do throws(SystemError) {
                received = try streamReceive(record, into: UnsafeMutableRawBufferPointer(buffer))
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

    /// Bytes to ask for in one read: a reply template with `{data}` k times answers a chunk of n
    /// bytes with about k × n, so its chunks are cut to keep one reply within a wake-up's budget.
    private func readSize(for record: SocketRecord) -> Int {
        guard case .template(let template)? = effectiveReply(record.id) else { return Limits.streamReadSize }
        let markers = max(1, AutoReply.markerCount(in: template))
        return max(1, min(Limits.streamReadSize, (Limits.replyBytesPerWake - min(template.count, Limits.replyBytesPerWake / 2)) / markers))
    }

    private func readDatagrams(_ record: SocketRecord) {
        var budget = Limits.datagramsPerWake
        while budget > 0, stepReadBudget > 0, sockets.isOpen(record), !behindAllowanceSpent(record), !outputJustFilled {
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
                log.event(record.id, .warning, "datagram truncated to \(Units.bytes(received.count))")
            }
            if let sender = received.sender, sockets.table[record.id]?.lastPeer != sender { sockets.update(record.id) { $0.lastPeer = sender } }
            // A datagram costs its bytes and what an entry costs, so tiny ones are budgeted too.
            stepReadBudget -= received.count + 256
            let datagram = Array(UnsafeRawBufferPointer(rebasing: datagramBuffer[0..<received.count]))
            _ = chargingOutput(to: record) { deliver(datagram, to: record, from: received.sender) }
            if consumeAllowance(record, received.count) { break }
        }
        _ = holdIfAllowanceSpent(record)
    }

    /// Counts, logs and answers bytes that arrived on `record`; returns the reply bytes it made.
    @discardableResult
    func deliver(_ bytes: [UInt8], to record: SocketRecord, from peer: SocketAddress?) -> Int {
        let id = record.id
        var entry = LogEntry(time: WallClock.now(), socket: id, kind: .recv, bytes: bytes, peer: peer)
        entry.streamOffset = record.stream.offsetIn
        let split = record.stream.receiveCarry.feed(bytes)
        entry.carryIn = split.carryIn
        entry.heldTail = split.heldTail
        entry.relay = relaying?.relayMark(record, peer: peer)
        record.stream.offsetIn += UInt64(bytes.count)
        sockets.updateQuietly(id) {
            $0.bytesIn += UInt64(bytes.count)
            if peer != nil || $0.transport == .udp { $0.datagramsIn += 1 }
        }
        log.append(entry)
        noteTraffic()
        delegate?.received(bytes, on: record)
        if entry.relay != nil {
            relaying?.relay(bytes, from: record, peer: peer)
            return bytes.count
        }
        if let (mode, listener) = fanOutMode(of: id) {
            fanOut(bytes, from: record, mode: mode, listener: listener)
            return 0
        }
        guard let reply = effectiveReply(id), reply != .off else { return 0 }
        let answer = reply.answer(to: bytes)
        guard !answer.isEmpty, sockets.isOpen(record) else { return 0 }
        do {
            try transmit(answer, on: record, to: peer)
        } catch {
            log.event(id, .error, "reply: \(error.message)")
        }
        if sockets.isOpen(record) { updateHold(record) }
        return answer.count
    }

    /// The reply mode in force: the socket's own, else its listener's.
    func effectiveReply(_ id: SocketID) -> AutoReply? {
        guard let entry = sockets.table[id] else { return nil }
        if let own = entry.reply { return own }
        if let parent = entry.parent { return sockets.table[parent]?.reply }
        return nil
    }

    // MARK: Pause and resume

    /// Keeps `queuedIn` (bytes waiting in the kernel) current while paused.
    func refreshQueuedIn(_ record: SocketRecord) {
        let queued = system.bytesUnread(record.fd) ?? 0
        if sockets.table[record.id]?.queuedIn != queued { sockets.update(record.id) { $0.queuedIn = queued } }
    }

    // MARK: Rates

    func noteTraffic() {
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
