// Tests for HistoryFile (paths, round trip, failures), moved here with the file code from
// TerminalUI, and for HistoryKeeper's schedule (no save per Enter, at most one per interval).
import Foundation
import Testing
import TerminalUI
@testable import sockpit

@Suite struct HistoryFileTests {
    @Test func defaultPathFollowsXDG() {
        let env1: [String: String] = ["XDG_STATE_HOME": "/s", "HOME": "/home/u"]
        #expect(HistoryFile.defaultPath(environment: { env1[$0] }) == "/s/sockpit/history")
        let env2: [String: String] = ["XDG_STATE_HOME": "relative", "HOME": "/home/u"]
        #expect(HistoryFile.defaultPath(environment: { env2[$0] }) == "/home/u/.local/state/sockpit/history")
        #expect(HistoryFile.defaultPath(environment: { _ in nil }) == nil)
    }

    func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test func roundTripCreatesPrivateDirectoriesAndFile() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/state/sockpit/history"
        let h = History(entries: ["listen 5000", "send \"测试\\r\\n\"", "quit"])
        try HistoryFile.save(h, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "listen 5000\nsend \"测试\\r\\n\"\nquit\n")
        #expect(HistoryFile.load(from: path) == h)
        let dirMode = try FileManager.default.attributesOfItem(atPath: root + "/state/sockpit")[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(dirMode == 0o700 && fileMode == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/state/sockpit")
        #expect(leftovers == ["history"])
    }

    @Test func loadKeepsTheNewestEntriesAndRepairsBadBytes() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/history"
        let bytes = Array("one\n\ntwo\nthree".utf8) + [0xFF, 0x0A, 0x66, 0x6F, 0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(HistoryFile.load(from: path, capacity: 2).entries == ["three\u{FFFD}", "fo"])
    }

    @Test func unreadableFileIsAnEmptyHistory() throws {
        #expect(HistoryFile.load(from: "/nonexistent/sockpit/history").isEmpty)
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(HistoryFile.load(from: root).isEmpty)  // a directory, not a file
    }

    @Test func saveFailureIsAValue() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(FileManager.default.createFile(atPath: root + "/file", contents: Data()))
        do {
            try HistoryFile.save(History(entries: ["x"]), to: root + "/file/history")
            Issue.record("saving under a regular file succeeded")
        } catch {
            #expect(error.operation == "open" && error.code == ENOTDIR)
        }
    }
}

/// The save schedule, with the writes counted instead of made (the file code is tested above).
@Suite struct HistoryKeeperTests {
    final class Writes {
        var saved: [[String]] = []
    }

    func keeper(_ writes: Writes, path: String? = "/unused/history") -> HistoryKeeper {
        HistoryKeeper(path: path) { history, _ in writes.saved.append(history.entries) }
    }

    @Test func manyEntersWithinTheIntervalAreOneSave() {
        let writes = Writes()
        let keeper = keeper(writes)
        var history = History()
        let start: Int64 = 1_000_000_000
        // The first change after a quiet spell is saved at once; the next ones wait for the interval.
        history.add("listen 5000")
        keeper.observe(history, now: start)
        keeper.saveIfDue(history, now: start)
        #expect(writes.saved == [["listen 5000"]])
        for (index, line) in ["pair", "send hi", "info", "close"].enumerated() {
            let now = start + Int64(index + 1) * 500_000
            history.add(line)
            keeper.observe(history, now: now)
            keeper.saveIfDue(history, now: now)
        }
        #expect(writes.saved.count == 1, "saved once per Enter: \(writes.saved)")
        #expect(keeper.dueAt == start + HistoryKeeper.interval)
        keeper.saveIfDue(history, now: start + HistoryKeeper.interval)
        #expect(writes.saved.count == 2)
        #expect(writes.saved.last == ["listen 5000", "pair", "send hi", "info", "close"])
        #expect(keeper.dueAt == nil)
    }

    @Test func nothingChangedIsNoSave() {
        let writes = Writes()
        let keeper = keeper(writes)
        let history = History(entries: ["a"])
        keeper.observe(keeper.load(), now: 0)
        keeper.saveIfChanged(History(), now: 0)
        #expect(writes.saved.isEmpty)
        keeper.observe(history, now: 0)
        #expect(keeper.dueAt != nil)
        keeper.saveIfChanged(history, now: 1)
        keeper.saveIfChanged(history, now: 2)
        #expect(writes.saved == [["a"]], "quit saves what changed, once")
    }

    @Test func aNewEntryAtCapacityStillCountsAsAChange() {
        let writes = Writes()
        let keeper = keeper(writes)
        var history = History(entries: ["a", "b"], capacity: 2)
        keeper.saveIfChanged(history, now: 0)
        history.add("c")
        #expect(history.count == 2)
        keeper.saveIfChanged(history, now: 1)
        #expect(writes.saved == [["a", "b"], ["b", "c"]])
    }

    @Test func withoutAPathNothingIsScheduled() {
        let writes = Writes()
        let keeper = keeper(writes, path: nil)
        keeper.observe(History(entries: ["x"]), now: 0)
        #expect(keeper.dueAt == nil)
        keeper.saveIfChanged(History(entries: ["x"]), now: 0)
        #expect(writes.saved.isEmpty)
    }

    @Test func savesReallyReplaceTheFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sockpit-keeper-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let keeper = HistoryKeeper(path: root + "/sockpit/history")
        #expect(keeper.load().isEmpty)
        keeper.saveIfChanged(History(entries: ["one"]), now: 0)
        keeper.saveIfChanged(History(entries: ["one", "two"]), now: 1)
        #expect(try String(contentsOfFile: root + "/sockpit/history", encoding: .utf8) == "one\ntwo\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/sockpit") == ["history"])
    }
}
