// HistoryKeeper.swift — when the prompt's history is written: a few seconds after it changes (at
// most once per interval, however fast commands are typed) and at quit, never once per Enter.

import ExplorerCore
import TerminalUI

/// Saves the history through `HistoryFile` on a schedule the event loop can wait for.
final class HistoryKeeper {
    /// The shortest time between two saves, in µs.
    static let interval: Int64 = 5_000_000

    let path: String?
    /// When the next save is due (monotonic µs), or nil when nothing changed since the last one.
    private(set) var dueAt: Int64?
    private var lastSaveAt: Int64 = .min / 2
    /// What the history looked like when last saved or loaded: (count, newest entry). `History`
    /// never records a repeat of its newest entry, so every addition changes one of the two.
    private var savedShape: (count: Int, newest: String?) = (0, nil)
    private let write: (History, String) -> Void

    /// `write` defaults to `HistoryFile.save`, failures ignored: losing history never stops sockpit.
    init(path: String?, write: @escaping (History, String) -> Void = { try? HistoryFile.save($0, to: $1) }) {
        self.path = path
        self.write = write
    }

    /// The stored history (empty without a path or a readable file).
    func load() -> History {
        let history = path.map { HistoryFile.load(from: $0) } ?? History()
        savedShape = (history.count, history.entries.last)
        return history
    }

    /// Notes the history as it is now; schedules a save if it changed.
    func observe(_ history: History, now: Int64 = MonotonicClock.now()) {
        guard path != nil, dueAt == nil, !matchesSaved(history) else { return }
        dueAt = max(now, lastSaveAt + Self.interval)
    }

    /// Saves if a save is due by `now`.
    func saveIfDue(_ history: History, now: Int64 = MonotonicClock.now()) {
        guard let dueAt, now >= dueAt else { return }
        save(history, now: now)
    }

    /// Saves now if anything changed since the last save (quit, a signal).
    func saveIfChanged(_ history: History, now: Int64 = MonotonicClock.now()) {
        guard path != nil, !matchesSaved(history) else { return }
        save(history, now: now)
    }

    private func matchesSaved(_ history: History) -> Bool {
        history.count == savedShape.count && history.entries.last == savedShape.newest
    }

    private func save(_ history: History, now: Int64) {
        dueAt = nil
        guard let path else { return }
        write(history, path)
        lastSaveAt = now
        savedShape = (history.count, history.entries.last)
    }
}
