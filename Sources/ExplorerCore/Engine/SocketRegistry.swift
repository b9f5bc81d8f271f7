// SocketRegistry — the engine's part that owns the sockets: the public table the screen reads, the
// private record behind each open socket, its epoll registration and descriptor, the selection, and
// the last closed sockets' records (so `expect` still matches what arrived just before a close).

import DequeModule
import SocketKit

/// The sockets of a session. The only part that adds, removes or closes descriptors in the loop.
final class SocketRegistry {
    /// Every socket as the user sees it.
    private(set) var table = SocketTable()
    /// The `.` target: the highlighted row on the screen.
    private(set) var selected: SocketID?
    /// Open sockets' records (and connecting ones, which may have no descriptor yet).
    private var records: [SocketID: SocketRecord] = [:]
    /// Recently closed sockets' records, newest kept.
    private var closedRecords: [SocketID: SocketRecord] = [:]
    /// Sockets with a connect deadline: the loop's timers look at these, not at every socket.
    private(set) var connecting: Set<SocketID> = []
    /// Closed and failed sockets still in the table, oldest first.
    private var closedIDs: Deque<SocketID> = []

    /// Told when a closed socket's record is forgotten for good (its `expect` window goes).
    var forgotten: ((SocketRecord) -> Void)?
    private let loop: EventLoop
    private let system: SystemCalls
    private let changes: ChangeCounter

    init(loop: EventLoop, system: SystemCalls, changes: ChangeCounter) {
        self.loop = loop
        self.system = system
        self.changes = changes
    }

    deinit {
        for record in records.values where record.fd >= 0 { system.close(record.fd) }
    }

    // MARK: The table

    /// The next id; never reused within a run.
    func allocateID() -> SocketID { table.allocateID() }

    func insert(_ entry: SocketEntry) {
        table.insert(entry)
        changes.bump()
    }

    /// Updates one socket's entry and marks the screen dirty.
    func update(_ id: SocketID, _ change: (inout SocketEntry) -> Void) {
        table.update(id, change)
        changes.bump()
    }

    /// Updates counters the screen shows at its own pace (rates): no redraw is asked for.
    func updateQuietly(_ id: SocketID, _ change: (inout SocketEntry) -> Void) {
        table.update(id, change)
    }

    /// A socket just closed or failed: it stays in the table among the newest `keep` closed ones;
    /// older closed sockets fold into the table's counters (the selected one stays).
    func noteClosed(_ id: SocketID, keep: Int) {
        closedIDs.append(id)
        var kept: [SocketID] = []
        while closedIDs.count - kept.count > keep, let oldest = closedIDs.popFirst() {
            if oldest == selected { kept.append(oldest); continue }
            table.fold(oldest)
        }
        for id in kept.reversed() { closedIDs.prepend(id) }
        changes.bump()
    }

    /// Something the screen shows changed outside the table's entries (rates sampled).
    func markChanged() { changes.bump() }

    /// Forgets a socket that never became one (its registration failed).
    func discard(_ id: SocketID) {
        table[id] = nil
        records[id] = nil
        changes.bump()
    }

    /// Makes `id` the selected socket (`.`).
    func select(_ id: SocketID?) {
        selected = id
        changes.bump()
    }

    // MARK: Records

    /// The record of an open (or connecting) socket.
    func record(_ id: SocketID) -> SocketRecord? { records[id] }

    /// The record of an open socket, or of one of the last closed ones.
    func recentRecord(_ id: SocketID) -> SocketRecord? { records[id] ?? closedRecords[id] }

    /// Every open socket's record.
    var openRecords: Dictionary<SocketID, SocketRecord>.Values { records.values }

    /// How many sockets are open (`maxconns` counts these).
    var openCount: Int { records.count }

    /// The engine record for an open socket, or a clear error.
    func openRecord(_ id: SocketID) throws(CommandError) -> SocketRecord {
        guard let entry = table[id] else { throw CommandError("no socket \(id)") }
        guard entry.state.isOpen, let record = records[id] else { throw CommandError("\(id) is \(entry.state.name)") }
        return record
    }

    /// True while `record` is the open record of its socket.
    func isOpen(_ record: SocketRecord) -> Bool { records[record.id] === record }

    /// The open socket with descriptor `fd` (for trace lines).
    func socket(withDescriptor fd: Int32) -> SocketID? {
        records.values.first { $0.fd == fd }?.id
    }

    // MARK: The loop

    /// Keeps `record` and registers its descriptor with the loop for `interest`.
    func register(_ record: SocketRecord, interest: Interest) throws(SystemError) {
        records[record.id] = record
        record.interest = interest
        try loop.add(record.fd, interest, token: UInt64(record.id.value))
        record.inLoop = true
    }

    /// Keeps `record` before it has a descriptor (a connect still resolving).
    func adopt(_ record: SocketRecord) {
        records[record.id] = record
    }

    /// Registers the descriptor `record` got after it was adopted (a connect attempt).
    func watch(_ record: SocketRecord, interest: Interest) throws(SystemError) {
        record.interest = interest
        try loop.add(record.fd, interest, token: UInt64(record.id.value))
        record.inLoop = true
    }

    /// Applies `interest` if it changed; a refusal from epoll comes back as the error.
    func setInterest(_ record: SocketRecord, _ interest: Interest) -> SystemError? {
        guard interest != record.interest, record.fd >= 0, record.inLoop else { return nil }
        record.interest = interest
        do {
            try loop.modify(record.fd, interest, token: UInt64(record.id.value))
            return nil
        } catch {
            return error
        }
    }

    /// Closes the descriptor of an attempt that failed; the record stays (the next address may follow).
    func closeDescriptor(_ record: SocketRecord) {
        guard record.fd >= 0 else { return }
        if record.inLoop { loop.remove(record.fd) }
        record.inLoop = false
        system.close(record.fd)
        record.fd = -1
        record.interest = []
    }

    /// The socket is done: its descriptor closes, its record moves to the recently closed ones.
    func retire(_ record: SocketRecord) {
        closeDescriptor(record)
        stopConnectTimer(record.id)
        guard records[record.id] === record else { return }
        records[record.id] = nil
        closedRecords[record.id] = record
        if closedRecords.count > Limits.closedRecordsKept, let oldest = closedRecords.keys.min(),
           let forgotten = closedRecords.removeValue(forKey: oldest) {
            self.forgotten?(forgotten)
        }
    }

    /// A connect that never opened leaves no record behind.
    func drop(_ record: SocketRecord) {
        closeDescriptor(record)
        stopConnectTimer(record.id)
        if records[record.id] === record { records[record.id] = nil }
    }

    // MARK: Connect timers

    func startConnectTimer(_ id: SocketID) { connecting.insert(id) }
    func stopConnectTimer(_ id: SocketID) { connecting.remove(id) }
}

/// Counts changes the screen might show; the screen redraws when it moves.
final class ChangeCounter {
    private(set) var value: UInt64 = 0
    func bump() { value &+= 1 }
}
