// Tests for History (bounds, duplicates, blanks) and HistoryFile (paths, round trip, failures).
import Foundation
import Testing
@testable import TerminalUI

@Suite struct HistoryTests {
    @Test func skipsBlankAndConsecutiveDuplicates() {
        var h = History()
        for line in ["a", "a", "", "   ", "b", "a", "a", "x\ny"] { h.add(line) }
        #expect(h.entries == ["a", "b", "a"])
    }

    @Test func isBounded() {
        var h = History(capacity: 3)
        for i in 1...5 { h.add("cmd \(i)") }
        #expect(h.entries == ["cmd 3", "cmd 4", "cmd 5"])
        var big = History()
        for i in 1...1005 { big.add("\(i)") }
        #expect(big.count == 1000 && big[0] == "6" && big[999] == "1005")
    }

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
