// ScreenHistoryTests.swift — the prompt's history reaches its file while sockpit runs (within
// the save interval, not once per Enter) and again at quit.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenHistoryTests {
    @Test func historyIsSavedWithinSecondsAndAtQuit() throws {
        let screen = try TmuxScreen(width: 100, height: 30)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        let path = screen.directory.appendingPathComponent("state/sockpit/history").path
        func saved() -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        try screen.type("echo first")
        try screen.press("Enter")
        #expect(try screen.waitFor("ok: first") != nil)
        // The interval is 5 s; give it twice that before calling it lost.
        let deadline = Date().addingTimeInterval(10)
        while !saved().contains("echo first") && Date() < deadline { usleep(100_000) }
        #expect(saved() == "echo first\n", "not saved while running: \(saved())")
        try screen.type("echo second")
        try screen.press("Enter")
        #expect(try screen.waitFor("ok: second") != nil)
        try screen.press("C-c")
        try screen.press("C-c")
        try screen.expectTerminalRestored(exitStatus: 0)
        #expect(saved() == "echo first\necho second\n", "not saved at quit: \(saved())")
    }
}
