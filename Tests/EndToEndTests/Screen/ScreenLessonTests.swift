// ScreenLessonTests.swift — a lesson on the real screen (the binary in tmux): `learn udp lang=zh`
// shows its first step above the prompt in Chinese, laid out two columns a character, and the pane
// moves on by itself when the session shows each step happened.

import Foundation
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenLessonTests {
    @Test func aChineseLessonAdvancesOnTheScreen() throws {
        let screen = try TmuxScreen(width: 100, height: 30)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try screen.type("learn udp lang=zh")
        try screen.press("Enter")
        let first = try #require(try screen.waitFor("udp · 第 1/9 步"))
        #expect(first.contains { $0.contains("输入  socket udp") }, "\(first.joined(separator: "\n"))")
        #expect(first.contains { $0.contains("等待：一个 udp socket 进入 created 状态") })
        #expect(ScreenShape.problems(first, width: 100) == [])

        try screen.type("socket udp")
        try screen.press("Enter")
        let second = try #require(try screen.waitFor("udp · 第 2/9 步"))
        #expect(second.contains { $0.contains("#1 udp no address") && $0.contains("created") }, "\(second.joined(separator: "\n"))")
        try screen.type("bind #1 127.0.0.1:0")
        try screen.press("Enter")
        let third = try #require(try screen.waitFor("udp · 第 3/9 步"))
        #expect(third.contains { $0.contains("#1 udp 127.0.0.1:") && $0.contains("bound") }, "\(third.joined(separator: "\n"))")
        // The kernel refusing is what this step waits for.
        try screen.type("listen #1")
        try screen.press("Enter")
        let fourth = try #require(try screen.waitFor("udp · 第 4/9 步"))
        #expect(fourth.contains { $0.contains("error: listen #1: EOPNOTSUPP (Operation not supported)") })
        #expect(ScreenShape.problems(fourth, width: 100) == [])
        try screen.type("learn stop")
        try screen.press("Enter")
        let stopped = try #require(try screen.waitFor("ok: lesson udp stopped"))
        #expect(!stopped.contains { $0.contains("┌ udp · 第") }, "\(stopped.joined(separator: "\n"))")
    }
}
