// DataPath+Holds.swift — when the data path stops reading a socket: its queue or the total at
// their bounds (a relay leg judged by its partner's queue), or an output file behind, when each
// socket reads only its share of what the file takes (see DECISIONS.md, "Files and pipes sockpit
// writes never make it wait").

extension DataPath {
    /// The output files took `Limits.outputProgressPerRefill` more bytes: every socket may read a
    /// little again.
    func refillWhileBehind() {
        guard sinkBehind else { return }
        resetAllowances()
        reevaluateHolds()
    }

    func resetAllowances() {
        spendersBefore = sinkBehind ? spendersWhileBehind : 0
        outputWhileBehind = 0
        spendersWhileBehind = 0
        for record in sockets.openRecords { record.stream.outputWhileBehind = 0 }
    }

    /// Each socket's share of the allowance, fixed for a window by how many sockets spent in the
    /// last one (plus a newcomer), so early spenders do not take what later ones are due: sockets
    /// that make little output (a request/answer peer) never reach it, floods reach it at once.
    private var shareWhileBehind: Int {
        max(Limits.readWhileBehindMinimum, Limits.readWhileBehindTotal / (max(spendersBefore, spendersWhileBehind) + 1))
    }

    /// While an output file is behind, each socket makes at most its share of the output the
    /// allowance permits per refill, then holds. All together, the sockets that made real output
    /// this window stop at twice the allowance (shares shrink as spenders arrive), half of what the
    /// file took, so its buffer shrinks. A socket that made less than the minimum (a request/answer
    /// peer) goes on to four times, what the file took: the floods' first burst after the file fell
    /// behind must not hold its answer until the next refill (the soak's 100 ms).
    func behindAllowanceSpent(_ record: SocketRecord) -> Bool {
        guard sinkBehind else { return false }
        let own = record.stream.outputWhileBehind
        if own >= shareWhileBehind { return true }
        let total = Limits.readWhileBehindTotal
        return outputWhileBehind >= 4 * total || (outputWhileBehind >= 2 * total && own >= Limits.readWhileBehindMinimum)
    }

    /// True when an output file just filled its buffer, or this wake-up made its share of output:
    /// reading stops now (the wake-up's end marks the file behind), so one wake-up can neither
    /// overfill the file nor spend long formatting (a binary byte is six in JSONL).
    var outputJustFilled: Bool {
        guard let meter = outputMeter else { return false }
        let now = meter()
        return (!sinkBehind && now.unwritten >= Limits.fileWriterBuffer) || now.given &- stepOutputStart >= UInt64(Limits.outputBytesPerStep)
    }

    /// Bytes to read at once while an output file is behind: what is left of the share, at the
    /// worst expansion (a binary byte is six in JSONL, plus the entry's own text).
    func readSizeWhileBehind(_ record: SocketRecord, _ size: Int) -> Int {
        guard sinkBehind else { return size }
        return min(size, max(64, (shareWhileBehind - record.stream.outputWhileBehind) / 8))
    }

    /// Holds `record` when its allowance (or everyone's) is spent; true then. A socket left
    /// readable but unread would be reported by epoll again and again.
    func holdIfAllowanceSpent(_ record: SocketRecord) -> Bool {
        guard behindAllowanceSpent(record) else { return false }
        updateHold(record)
        return true
    }

    /// Runs `body` (a delivery or an accept) and, while an output file is behind, charges `record`
    /// with the output it made.
    func chargingOutput<T>(to record: SocketRecord, _ body: () -> T) -> T {
        guard sinkBehind, let meter = outputMeter else { return body() }
        let before = meter().given
        let result = body()
        let made = Int(clamping: meter().given &- before)
        if record.stream.outputWhileBehind == 0 && made > 0 { spendersWhileBehind += 1 }
        record.stream.outputWhileBehind += made
        outputWhileBehind += made
        if behindAllowanceSpent(record) { updateHold(record) }
        return result
    }

    // MARK: Holding reads at a bound

    /// Why `record` should not be read (or accept) now, or nil. Once held, a socket is released
    /// only when its queue and the total are below half their bounds, so it does not flap.
    func holdReason(_ record: SocketRecord) -> String? {
        guard let entry = sockets.table[record.id], entry.state.isOpen else { return nil }
        let wasHeld = entry.held != nil
        let ownBound = wasHeld ? bounds.perSocket / 2 : bounds.perSocket
        let totalBound = wasHeld ? bounds.total / 2 : bounds.total
        if entry.role == .listener {
            guard entry.acceptMode == .auto else { return nil }
            // Accepting makes log entries: while an output file is behind, peers wait in the backlog
            // once the listener's allowance is spent.
            if behindAllowanceSpent(record) { return "output behind" }
            // A banner is output made by accepting: with every queue full, leave peers in the backlog.
            guard entry.banner?.isEmpty == false else { return nil }
            return queuedMemory >= totalBound ? "queues full" : nil
        }
        if behindAllowanceSpent(record) { return "output behind" }
        // A relay leg's input becomes its partner's output: the partner's queue decides.
        let output: SocketRecord
        if let relay = relaying, let partner = relay.relayOutput(of: record) {
            if let reason = relay.relayHold(record) { return reason }
            output = partner
        } else {
            guard entry.transport != .udp, let reply = effectiveReply(record.id), reply != .off else { return nil }
            output = record
        }
        let own = output.stream.sendQueue.memoryBytes
        if output !== record, own >= min(ownBound, wasHeld ? Limits.relayQueuePerLeg / 2 : Limits.relayQueuePerLeg) { return "far side slow" }
        if own >= ownBound { return "queue full" }
        // At the total bound, the sockets holding more than their fair share stop: one whose peer
        // reads its answers (a small queue) keeps talking while the non-readers wait.
        if queuedMemory >= totalBound, own > 0, own >= bounds.total / max(1, queuedSockets) / (wasHeld ? 2 : 1) { return "queues full" }
        return nil
    }

    /// Holds or releases `record`'s reading as its queue and the total say.
    func updateHold(_ record: SocketRecord) {
        let reason = holdReason(record)
        guard sockets.table[record.id]?.held != reason else { return }
        sockets.update(record.id) { $0.held = reason }
        if reason == nil { heldSockets.remove(record.id) } else { heldSockets.insert(record.id) }
        refreshInterest(record)
    }

    /// The socket is closing: its queue and its hold go.
    func forget(_ record: SocketRecord) {
        dropQueue(record)
        heldSockets.remove(record.id)
    }

    /// Looks at every held socket again (the total drained, the record file caught up), and at
    /// every socket when the record file falls behind.
    func reevaluateHolds() {
        let candidates = sinkBehind ? Array(sockets.openRecords) : heldSockets.compactMap { sockets.record($0) }
        for record in candidates { updateHold(record) }
    }
}
