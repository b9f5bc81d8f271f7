// SessionLog — the engine's part that owns the log: the bounded ring the screen shows, and the
// observers (headless printer, recorder, tests) that see every entry as it is appended.

import SocketKit

/// Everything that happened in a session, as entries; the one place entries are appended.
final class SessionLog {
    /// The kept entries (bounded by bytes).
    private(set) var entries: ByteLog
    /// Called with every entry appended (headless printer, tests).
    var observers: [(LogEntry) -> Void] = []
    /// The record file's writer, when recording: sees every entry too.
    var recorder: ((LogEntry) -> Void)?
    private let changes: ChangeCounter

    init(capacity: Int, changes: ChangeCounter) {
        entries = ByteLog(capacity: capacity)
        self.changes = changes
    }

    /// The cap in bytes (`set logcap`).
    var capacity: Int {
        get { entries.capacity }
        set { entries.capacity = newValue }
    }

    /// Appends an entry (event text made display-safe) and tells the observers and the recorder.
    @discardableResult
    func append(_ entry: LogEntry) -> LogEntry {
        var entry = entry
        if !entry.kind.isData { entry.text = Sanitizer.guarded(entry.text) }
        let stored = entries.append(entry)
        for observer in observers { observer(stored) }
        recorder?(stored)
        changes.bump()
        return stored
    }

    /// Logs an event about `socket` (or a global one).
    func event(_ socket: SocketID?, _ kind: LogKind, _ text: String, peer: SocketAddress? = nil) {
        append(LogEntry(time: WallClock.now(), socket: socket, kind: kind, text: text, peer: peer))
    }

    /// Logs command output lines (info, resolve, help…).
    func output(_ lines: [String], socket: SocketID? = nil) {
        let now = WallClock.now()
        for line in lines { append(LogEntry(time: now, socket: socket, kind: .output, text: line)) }
    }

    /// Drops every kept entry (`clear`); returns how many there were.
    func clear() -> Int {
        let count = entries.count
        entries.removeAll()
        changes.bump()
        return count
    }
}
