// LogRowsTailTests.swift — the last rows of an entry are exactly the tail of all its rows (the
// pane formats only those), and a line longer than 4 KiB continues on a new row every 4 KiB.
import ExplorerCore
import SocketKit
import Testing
@testable import TerminalUI

@Suite struct LogRowsTailTests {
    func formatter(width: Int, mode: LogView) -> LogRowFormatter {
        LogRowFormatter(width: width, mode: mode, timestamps: .clock, startTime: 0, theme: .colored)
    }

    /// Entries with every kind of content the text view lays out differently.
    static let samples: [(String, [UInt8])] = [
        ("empty", []),
        ("one short line", Array("hello\n".utf8)),
        ("lines and words", Array("GET / HTTP/1.1\r\nHost: example.org\r\n\r\nbody with  two spaces\n".utf8)),
        ("no final newline", Array("first\nsecond line that is rather long and wraps\nthird".utf8)),
        ("CJK and escapes", Array("你好，世界\u{1b}[31m red \u{7}\nà la carte\t\u{202E}x\n".utf8)),
        ("every byte", (0...255).map { UInt8($0) } + (0...255).map { UInt8(255 - $0) }),
        ("a long line of zeros", [UInt8](repeating: 0, count: 9000)),
        ("a long line of text", Array(String(repeating: "word ", count: 2000).utf8)),
        ("a long CJK line", Array(String(repeating: "测试", count: 1500).utf8)),
    ]

    @Test(arguments: [LogView.text, .hex, .both], [12, 30, 57, 100])
    func lastRowsAreTheTailOfAllRows(mode: LogView, width: Int) {
        for (name, bytes) in Self.samples {
            var entry = LogEntry(time: 1_700_000_000_000_000, socket: SocketID(3), kind: .recv, bytes: bytes)
            entry.streamOffset = 4090
            var full = formatter(width: width, mode: mode)
            let all = full.rows(entry)
            for limit in [0, 1, 2, 3, 5, 40, all.count - 1, all.count, all.count + 7] where limit >= 0 {
                var tail = formatter(width: width, mode: mode)
                #expect(tail.lastRows(entry, limit: limit) == Array(all.suffix(limit)), "\(name), limit \(limit)")
            }
        }
    }

    @Test func aLineLongerThan4KiBContinuesOnANewRowEvery4KiB() {
        let entry = LogEntry(time: 0, socket: SocketID(2), kind: .recv, bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 4100))
        var format = LogRowFormatter(width: 1000, mode: .text, timestamps: .off, startTime: 0, theme: .colored)
        let rows = format.rows(entry).map(\.text)
        // 4096 columns of `a` beside/under the header (`#2 ← 4100  ` is 11 wide), then the last 4 on a row of their own.
        #expect(rows.count == 6)
        #expect(rows[0] == "#2 ← 4100  " + String(repeating: "a", count: 989))
        #expect(rows[4] == String(repeating: " ", count: 11) + String(repeating: "a", count: 4096 - 989 - 3 * 989))
        #expect(rows[5] == String(repeating: " ", count: 11) + "aaaa")
    }

    @Test func theLongLineCutNeverSplitsACharacter() {
        // 4095 ASCII bytes, then 你 (3 bytes) across the 4096 mark: the cut moves after it.
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 4095) + Array("你b".utf8)
        #expect(LogRowFormatter.lines(bytes[...]) == [0..<4098, 4098..<4099])
        #expect(LogRowFormatter.lines(Array("ab\ncd".utf8)[...]) == [0..<3, 3..<5])
        #expect(LogRowFormatter.lines([][...]) == [])
    }
}
