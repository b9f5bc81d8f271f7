// LogScreenGoldens.swift — whole screens that exercise the log pane: CJK, escapes, the hex and
// both views, scrolling and filtering, at 80×24 and 120×40.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct LogScreenGoldens {
    /// The UI with the log focused and scrolled `rows` up from the bottom, as PgUp/↑ leave it.
    func scrolledUp(_ rows: Int, width: Int, height: Int) -> UIState {
        let log = Layout.compute(width: width, height: height, listenerCount: 1)!.log
        let scroll = LogPane.scrollUp(Sessions.chatty, from: nil, rows: rows, height: log.height, width: log.width, theme: .colored)
        return ui(focus: .log) { $0.logScroll = scroll }
    }

    /// `测试成功！\r\n` received and a CJK reply sent: double-width characters, the escapes after them and the pane border stay aligned.
    @Test func cjkAt80x24() {
        let screen = ScreenRenderer.render(Sessions.cjk, ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│ #1 tcp 127.0.0.1:5000  bl 128  ✓1  ││ +0.500 #1 listening tcp 127.0.0.1:5000 │",
            "├ Connections · 1 ───────────────────┤│           backlog 128                  │",
            "│▶#2 tcp :5000 ⇄ 127.0.0.1:51234 est ││ +1.000 #2 accepted 127.0.0.1:51234 via │",
            "│   ↓17 B ↑25 B  via #1              ││           #1                           │",
            #"│                                    ││ +1.250 #2 ← 17  测试成功！\r\n         │"#,
            #"│                                    ││ +1.300 #2 → 25  收到：测试成功！\n     │"#,
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "└────────────────────────────────────┘└────────────────────────────────────────┘",
            " #2 ›                                                                           ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// The CJK exchange at 120×40.
    @Test func cjkAt120x40() {
        let screen = ScreenRenderer.render(Sessions.cjk, ui: ui(), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · text · follow ───────────────────────────────────────────┐",
            "│ #1 tcp 127.0.0.1:5000  bl 128  ✓1            ││ +0.500 #1 listening tcp 127.0.0.1:5000 backlog 128                   │",
            "├ Connections · 1 ─────────────────────────────┤│ +1.000 #2 accepted 127.0.0.1:51234 via #1                            │",
            #"│▶#2 tcp :5000 ⇄ 127.0.0.1:51234 est           ││ +1.250 #2 ← 17  测试成功！\r\n                                       │"#,
            #"│   ↓17 B ↑25 B  via #1                        ││ +1.300 #2 → 25  收到：测试成功！\n                                   │"#,
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "└──────────────────────────────────────────────┘└──────────────────────────────────────────────────────────────────────┘",
            " #2 ›                                                                                                                   ",
            "                                                                                          F1 help · Tab focus · F2 view ",
        ])
    }

    /// A peer's OSC title change, screen clear and colour arrive as visible escapes (never split across rows); the title still reads `Log · all · text · follow`.
    @Test func escapesAt80x24() {
        let screen = ScreenRenderer.render(Sessions.escapes, ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│ #1 tcp 127.0.0.1:5000  bl 128  ✓1  ││ +0.500 #1 listening tcp 127.0.0.1:5000 │",
            "├ Connections · 1 ───────────────────┤│           backlog 128                  │",
            "│▶#2 tcp :5000 ⇄ 127.0.0.1:51234 est ││ +1.000 #2 accepted 127.0.0.1:51234 via │",
            "│   ↓42 B ↑0 B  via #1               ││           #1                           │",
            #"│                                    ││ +1.500 #2 ← 22  \x1b]0;pwned\x07\x1b[2J│"#,
            #"│                                    ││                 \x1b[31mred            │"#,
            #"│                                    ││ +2.000 #2 ← 20  line one\r\n           │"#,
            #"│                                    ││                 line two\r\n           │"#,
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "└────────────────────────────────────┘└────────────────────────────────────────┘",
            " #2 ›                                                                           ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
        #expect(!screen.lines.joined().unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    /// The escapes at 120×40: one row each.
    @Test func escapesAt120x40() {
        let screen = ScreenRenderer.render(Sessions.escapes, ui: ui(), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · text · follow ───────────────────────────────────────────┐",
            "│ #1 tcp 127.0.0.1:5000  bl 128  ✓1            ││ +0.500 #1 listening tcp 127.0.0.1:5000 backlog 128                   │",
            "├ Connections · 1 ─────────────────────────────┤│ +1.000 #2 accepted 127.0.0.1:51234 via #1                            │",
            #"│▶#2 tcp :5000 ⇄ 127.0.0.1:51234 est           ││ +1.500 #2 ← 22  \x1b]0;pwned\x07\x1b[2J\x1b[31mred                   │"#,
            #"│   ↓42 B ↑0 B  via #1                         ││ +2.000 #2 ← 20  line one\r\n                                         │"#,
            #"│                                              ││                 line two\r\n                                         │"#,
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "└──────────────────────────────────────────────┘└──────────────────────────────────────────────────────────────────────┘",
            " #2 ›                                                                                                                   ",
            "                                                                                          F1 help · Tab focus · F2 view ",
        ])
        #expect(!screen.lines.joined().unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    /// F2 once: `hexdump -C` rows at each direction's stream offset; at 80 columns the hex view takes
    /// columns from the socket panes so that 8 bytes a row fit (4 would without).
    @Test func hexViewAt80x24() {
        let screen = ScreenRenderer.render(Sessions.http(view: .hex), ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ──────────────────┐┌ Log · all · hex · follow ─────────────────────┐",
            "│ none yet — try: listen 5000 ││ +0.201 #1 connected to 127.0.0.1:8080 from    │",
            "├ Connections · 1 ────────────┤│           127.0.0.1:40122                     │",
            "│▶#1 tcp ⇄ 127.0.0.1:8080 est ││ +0.300 #1 → 27                                │",
            "│   ↓44 B ↑27 B               ││ 00000000  47 45 54 20  2f 20 48 54  |GET / HT|│",
            "│                             ││ 00000008  54 50 2f 31  2e 31 0d 0a  |TP/1.1..|│",
            "│                             ││ 00000010  48 6f 73 74  3a 20 78 0d  |Host: x.|│",
            "│                             ││ 00000018  0a 0d 0a                  |...|     │",
            "│                             ││ +0.410 #1 ← 38                                │",
            "│                             ││ 00000000  48 54 54 50  2f 31 2e 31  |HTTP/1.1|│",
            "│                             ││ 00000008  20 32 30 30  20 4f 4b 0d  | 200 OK.|│",
            "│                             ││ 00000010  0a 43 6f 6e  74 65 6e 74  |.Content|│",
            "│                             ││ 00000018  2d 4c 65 6e  67 74 68 3a  |-Length:|│",
            "│                             ││ 00000020  20 35 0d 0a  0d 0a        | 5....|  │",
            "│                             ││ +0.411 #1 ← 6                                 │",
            "│                             ││ 00000026  68 c3 a9 6c  6c 6f        |h..llo|  │",
            "│                             ││                                               │",
            "│                             ││                                               │",
            "│                             ││                                               │",
            "│                             ││                                               │",
            "│                             ││                                               │",
            "└─────────────────────────────┘└───────────────────────────────────────────────┘",
            " #1 ›                                                                           ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// The hex view at 120×40: 8 bytes a row.
    @Test func hexViewAt120x40() {
        let screen = ScreenRenderer.render(Sessions.http(view: .hex), ui: ui(), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · hex · follow ────────────────────────────────────────────┐",
            "│ none yet — try: listen 5000                  ││ +0.201 #1 connected to 127.0.0.1:8080 from 127.0.0.1:40122           │",
            "├ Connections · 1 ─────────────────────────────┤│ +0.300 #1 → 27                                                       │",
            "│▶#1 tcp :40122 ⇄ 127.0.0.1:8080 est           ││   00000000  47 45 54 20  2f 20 48 54  |GET / HT|                     │",
            "│   ↓44 B ↑27 B                                ││   00000008  54 50 2f 31  2e 31 0d 0a  |TP/1.1..|                     │",
            "│                                              ││   00000010  48 6f 73 74  3a 20 78 0d  |Host: x.|                     │",
            "│                                              ││   00000018  0a 0d 0a                  |...|                          │",
            "│                                              ││ +0.410 #1 ← 38                                                       │",
            "│                                              ││   00000000  48 54 54 50  2f 31 2e 31  |HTTP/1.1|                     │",
            "│                                              ││   00000008  20 32 30 30  20 4f 4b 0d  | 200 OK.|                     │",
            "│                                              ││   00000010  0a 43 6f 6e  74 65 6e 74  |.Content|                     │",
            "│                                              ││   00000018  2d 4c 65 6e  67 74 68 3a  |-Length:|                     │",
            "│                                              ││   00000020  20 35 0d 0a  0d 0a        | 5....|                       │",
            "│                                              ││ +0.411 #1 ← 6                                                        │",
            "│                                              ││   00000026  68 c3 a9 6c  6c 6f        |h..llo|                       │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "└──────────────────────────────────────────────┘└──────────────────────────────────────────────────────────────────────┘",
            " #1 ›                                                                                                                   ",
            "                                                                                          F1 help · Tab focus · F2 view ",
        ])
    }

    /// F2 twice: each chunk's text, then its hex rows.
    @Test func bothViewAt80x24() {
        let screen = ScreenRenderer.render(Sessions.http(view: .both), ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ──────────────────┐┌ Log · all · both · follow ────────────────────┐",
            "│ none yet — try: listen 5000 ││ +0.201 #1 connected to 127.0.0.1:8080 from    │",
            "├ Connections · 1 ────────────┤│           127.0.0.1:40122                     │",
            #"│▶#1 tcp ⇄ 127.0.0.1:8080 est ││ +0.300 #1 → 27  GET / HTTP/1.1\r\n            │"#,
            #"│   ↓44 B ↑27 B               ││                 Host: x\r\n                   │"#,
            #"│                             ││                 \r\n                          │"#,
            "│                             ││ 00000000  47 45 54 20  2f 20 48 54  |GET / HT|│",
            "│                             ││ 00000008  54 50 2f 31  2e 31 0d 0a  |TP/1.1..|│",
            "│                             ││ 00000010  48 6f 73 74  3a 20 78 0d  |Host: x.|│",
            "│                             ││ 00000018  0a 0d 0a                  |...|     │",
            #"│                             ││ +0.410 #1 ← 38  HTTP/1.1 200 OK\r\n           │"#,
            #"│                             ││                 Content-Length: 5\r\n         │"#,
            #"│                             ││                 \r\n                          │"#,
            "│                             ││ 00000000  48 54 54 50  2f 31 2e 31  |HTTP/1.1|│",
            "│                             ││ 00000008  20 32 30 30  20 4f 4b 0d  | 200 OK.|│",
            "│                             ││ 00000010  0a 43 6f 6e  74 65 6e 74  |.Content|│",
            "│                             ││ 00000018  2d 4c 65 6e  67 74 68 3a  |-Length:|│",
            "│                             ││ 00000020  20 35 0d 0a  0d 0a        | 5....|  │",
            "│                             ││ +0.411 #1 ← 6  héllo                          │",
            "│                             ││ 00000026  68 c3 a9 6c  6c 6f        |h..llo|  │",
            "│                             ││                                               │",
            "└─────────────────────────────┘└───────────────────────────────────────────────┘",
            " #1 ›                                                                           ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// The both view at 120×40.
    @Test func bothViewAt120x40() {
        let screen = ScreenRenderer.render(Sessions.http(view: .both), ui: ui(), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · both · follow ───────────────────────────────────────────┐",
            "│ none yet — try: listen 5000                  ││ +0.201 #1 connected to 127.0.0.1:8080 from 127.0.0.1:40122           │",
            #"├ Connections · 1 ─────────────────────────────┤│ +0.300 #1 → 27  GET / HTTP/1.1\r\n                                   │"#,
            #"│▶#1 tcp :40122 ⇄ 127.0.0.1:8080 est           ││                 Host: x\r\n                                          │"#,
            #"│   ↓44 B ↑27 B                                ││                 \r\n                                                 │"#,
            "│                                              ││   00000000  47 45 54 20  2f 20 48 54  |GET / HT|                     │",
            "│                                              ││   00000008  54 50 2f 31  2e 31 0d 0a  |TP/1.1..|                     │",
            "│                                              ││   00000010  48 6f 73 74  3a 20 78 0d  |Host: x.|                     │",
            "│                                              ││   00000018  0a 0d 0a                  |...|                          │",
            #"│                                              ││ +0.410 #1 ← 38  HTTP/1.1 200 OK\r\n                                  │"#,
            #"│                                              ││                 Content-Length: 5\r\n                                │"#,
            #"│                                              ││                 \r\n                                                 │"#,
            "│                                              ││   00000000  48 54 54 50  2f 31 2e 31  |HTTP/1.1|                     │",
            "│                                              ││   00000008  20 32 30 30  20 4f 4b 0d  | 200 OK.|                     │",
            "│                                              ││   00000010  0a 43 6f 6e  74 65 6e 74  |.Content|                     │",
            "│                                              ││   00000018  2d 4c 65 6e  67 74 68 3a  |-Length:|                     │",
            "│                                              ││   00000020  20 35 0d 0a  0d 0a        | 5....|                       │",
            "│                                              ││ +0.411 #1 ← 6  héllo                                                 │",
            "│                                              ││   00000026  68 c3 a9 6c  6c 6f        |h..llo|                       │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "└──────────────────────────────────────────────┘└──────────────────────────────────────────────────────────────────────┘",
            " #1 ›                                                                                                                   ",
            "                                                                                          F1 help · Tab focus · F2 view ",
        ])
    }

    /// Ten rows up from the bottom (PgUp-style): the title says scrolled, wrapped data entries may be cut at the top.
    @Test func scrolledLogAt80x24() {
        let screen = ScreenRenderer.render(Sessions.chatty, ui: scrolledUp(10, width: 80, height: 24), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · scrolled · 7 newer ─┐",
            "│ #1 tcp 127.0.0.1:7000  bl 128  ✓2  ││                  message that has to   │",
            "├ Connections · 2 ───────────────────┤│                  wrap onto the next row│",
            #"│ #2 tcp :7000 ⇄ 127.0.0.1:50001 est ││                  of the pane\n         │"#,
            #"│   ↓411 B ↑0 B  via #1              ││ +10.500 #3 ← 9  reply 10\n             │"#,
            #"│▶#3 tcp :7000 ⇄ 127.0.0.1:50002 est ││ +11.000 #2 ← 8  line 11\n              │"#,
            #"│   ↓171 B ↑0 B  via #1              ││ +11.500 #3 ← 9  reply 11\n             │"#,
            #"│                                    ││ +12.000 #2 ← 8  line 12\n              │"#,
            #"│                                    ││ +12.500 #3 ← 9  reply 12\n             │"#,
            #"│                                    ││ +13.000 #2 ← 8  line 13\n              │"#,
            #"│                                    ││ +13.500 #3 ← 9  reply 13\n             │"#,
            #"│                                    ││ +14.000 #2 ← 8  line 14\n              │"#,
            #"│                                    ││ +14.500 #3 ← 9  reply 14\n             │"#,
            "│                                    ││ +15.000 #2 ← 73  line 15: a longer     │",
            "│                                    ││                  message that has to   │",
            "│                                    ││                  wrap onto the next row│",
            #"│                                    ││                  of the pane\n         │"#,
            #"│                                    ││ +15.500 #3 ← 9  reply 15\n             │"#,
            #"│                                    ││ +16.000 #2 ← 8  line 16\n              │"#,
            #"│                                    ││ +16.500 #3 ← 9  reply 16\n             │"#,
            #"│                                    ││ +17.000 #2 ← 8  line 17\n              │"#,
            "└────────────────────────────────────┘└────────────────────────────────────────┘",
            " #3 ›                                                                           ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// Ten rows up at 120×40: only the first row of the log is out of sight above.
    @Test func scrolledLogAt120x40() {
        let screen = ScreenRenderer.render(Sessions.chatty, ui: scrolledUp(10, width: 120, height: 40), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · text · scrolled · 9 newer ───────────────────────────────┐",
            "│ #1 tcp 127.0.0.1:7000  bl 128  ✓2            ││ +0.200 #2 accepted 127.0.0.1:50001 via #1                            │",
            "├ Connections · 2 ─────────────────────────────┤│ +0.300 #3 accepted 127.0.0.1:50002 via #1                            │",
            #"│ #2 tcp :7000 ⇄ 127.0.0.1:50001 est           ││ +1.000 #2 ← 7  line 1\n                                              │"#,
            #"│   ↓411 B ↑0 B  via #1                        ││ +1.500 #3 ← 8  reply 1\n                                             │"#,
            #"│▶#3 tcp :7000 ⇄ 127.0.0.1:50002 est           ││ +2.000 #2 ← 7  line 2\n                                              │"#,
            #"│   ↓171 B ↑0 B  via #1                        ││ +2.500 #3 ← 8  reply 2\n                                             │"#,
            #"│                                              ││ +3.000 #2 ← 7  line 3\n                                              │"#,
            #"│                                              ││ +3.500 #3 ← 8  reply 3\n                                             │"#,
            #"│                                              ││ +4.000 #2 ← 7  line 4\n                                              │"#,
            #"│                                              ││ +4.500 #3 ← 8  reply 4\n                                             │"#,
            "│                                              ││ +5.000 #2 ← 72  line 5: a longer message that has to wrap onto the   │",
            #"│                                              ││                 next row of the pane\n                               │"#,
            #"│                                              ││ +5.500 #3 ← 8  reply 5\n                                             │"#,
            #"│                                              ││ +6.000 #2 ← 7  line 6\n                                              │"#,
            #"│                                              ││ +6.500 #3 ← 8  reply 6\n                                             │"#,
            #"│                                              ││ +7.000 #2 ← 7  line 7\n                                              │"#,
            #"│                                              ││ +7.500 #3 ← 8  reply 7\n                                             │"#,
            #"│                                              ││ +8.000 #2 ← 7  line 8\n                                              │"#,
            #"│                                              ││ +8.500 #3 ← 8  reply 8\n                                             │"#,
            #"│                                              ││ +9.000 #2 ← 7  line 9\n                                              │"#,
            #"│                                              ││ +9.500 #3 ← 8  reply 9\n                                             │"#,
            "│                                              ││ +10.000 #2 ← 73  line 10: a longer message that has to wrap onto the │",
            #"│                                              ││                  next row of the pane\n                              │"#,
            #"│                                              ││ +10.500 #3 ← 9  reply 10\n                                           │"#,
            #"│                                              ││ +11.000 #2 ← 8  line 11\n                                            │"#,
            #"│                                              ││ +11.500 #3 ← 9  reply 11\n                                           │"#,
            #"│                                              ││ +12.000 #2 ← 8  line 12\n                                            │"#,
            #"│                                              ││ +12.500 #3 ← 9  reply 12\n                                           │"#,
            #"│                                              ││ +13.000 #2 ← 8  line 13\n                                            │"#,
            #"│                                              ││ +13.500 #3 ← 9  reply 13\n                                           │"#,
            #"│                                              ││ +14.000 #2 ← 8  line 14\n                                            │"#,
            #"│                                              ││ +14.500 #3 ← 9  reply 14\n                                           │"#,
            "│                                              ││ +15.000 #2 ← 73  line 15: a longer message that has to wrap onto the │",
            #"│                                              ││                  next row of the pane\n                              │"#,
            #"│                                              ││ +15.500 #3 ← 9  reply 15\n                                           │"#,
            #"│                                              ││ +16.000 #2 ← 8  line 16\n                                            │"#,
            "└──────────────────────────────────────────────┘└──────────────────────────────────────────────────────────────────────┘",
            " #3 ›                                                                                                                   ",
            "                                                                                          F1 help · Tab focus · F2 view ",
        ])
    }

    /// F3 on #3: the title names the socket, only its entries show.
    @Test func filteredLogAt80x24() {
        let screen = ScreenRenderer.render(Sessions.chatty.filtered(to: SocketID(3)), ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · #3 · text · follow ──────────────┐",
            #"│ #1 tcp 127.0.0.1:7000  bl 128  ✓2  ││ +1.500 #3 ← 8  reply 1\n               │"#,
            #"├ Connections · 2 ───────────────────┤│ +2.500 #3 ← 8  reply 2\n               │"#,
            #"│ #2 tcp :7000 ⇄ 127.0.0.1:50001 est ││ +3.500 #3 ← 8  reply 3\n               │"#,
            #"│   ↓411 B ↑0 B  via #1              ││ +4.500 #3 ← 8  reply 4\n               │"#,
            #"│▶#3 tcp :7000 ⇄ 127.0.0.1:50002 est ││ +5.500 #3 ← 8  reply 5\n               │"#,
            #"│   ↓171 B ↑0 B  via #1              ││ +6.500 #3 ← 8  reply 6\n               │"#,
            #"│                                    ││ +7.500 #3 ← 8  reply 7\n               │"#,
            #"│                                    ││ +8.500 #3 ← 8  reply 8\n               │"#,
            #"│                                    ││ +9.500 #3 ← 8  reply 9\n               │"#,
            #"│                                    ││ +10.500 #3 ← 9  reply 10\n             │"#,
            #"│                                    ││ +11.500 #3 ← 9  reply 11\n             │"#,
            #"│                                    ││ +12.500 #3 ← 9  reply 12\n             │"#,
            #"│                                    ││ +13.500 #3 ← 9  reply 13\n             │"#,
            #"│                                    ││ +14.500 #3 ← 9  reply 14\n             │"#,
            #"│                                    ││ +15.500 #3 ← 9  reply 15\n             │"#,
            #"│                                    ││ +16.500 #3 ← 9  reply 16\n             │"#,
            #"│                                    ││ +17.500 #3 ← 9  reply 17\n             │"#,
            #"│                                    ││ +18.500 #3 ← 9  reply 18\n             │"#,
            #"│                                    ││ +19.500 #3 ← 9  reply 19\n             │"#,
            #"│                                    ││ +20.500 #3 ← 9  reply 20\n             │"#,
            "└────────────────────────────────────┘└────────────────────────────────────────┘",
            " #3 ›                                                                           ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// The filtered log at 120×40, from #3's `accepted` event on.
    @Test func filteredLogAt120x40() {
        let screen = ScreenRenderer.render(Sessions.chatty.filtered(to: SocketID(3)), ui: ui(), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · #3 · text · follow ────────────────────────────────────────────┐",
            "│ #1 tcp 127.0.0.1:7000  bl 128  ✓2            ││ +0.300 #3 accepted 127.0.0.1:50002 via #1                            │",
            #"├ Connections · 2 ─────────────────────────────┤│ +1.500 #3 ← 8  reply 1\n                                             │"#,
            #"│ #2 tcp :7000 ⇄ 127.0.0.1:50001 est           ││ +2.500 #3 ← 8  reply 2\n                                             │"#,
            #"│   ↓411 B ↑0 B  via #1                        ││ +3.500 #3 ← 8  reply 3\n                                             │"#,
            #"│▶#3 tcp :7000 ⇄ 127.0.0.1:50002 est           ││ +4.500 #3 ← 8  reply 4\n                                             │"#,
            #"│   ↓171 B ↑0 B  via #1                        ││ +5.500 #3 ← 8  reply 5\n                                             │"#,
            #"│                                              ││ +6.500 #3 ← 8  reply 6\n                                             │"#,
            #"│                                              ││ +7.500 #3 ← 8  reply 7\n                                             │"#,
            #"│                                              ││ +8.500 #3 ← 8  reply 8\n                                             │"#,
            #"│                                              ││ +9.500 #3 ← 8  reply 9\n                                             │"#,
            #"│                                              ││ +10.500 #3 ← 9  reply 10\n                                           │"#,
            #"│                                              ││ +11.500 #3 ← 9  reply 11\n                                           │"#,
            #"│                                              ││ +12.500 #3 ← 9  reply 12\n                                           │"#,
            #"│                                              ││ +13.500 #3 ← 9  reply 13\n                                           │"#,
            #"│                                              ││ +14.500 #3 ← 9  reply 14\n                                           │"#,
            #"│                                              ││ +15.500 #3 ← 9  reply 15\n                                           │"#,
            #"│                                              ││ +16.500 #3 ← 9  reply 16\n                                           │"#,
            #"│                                              ││ +17.500 #3 ← 9  reply 17\n                                           │"#,
            #"│                                              ││ +18.500 #3 ← 9  reply 18\n                                           │"#,
            #"│                                              ││ +19.500 #3 ← 9  reply 19\n                                           │"#,
            #"│                                              ││ +20.500 #3 ← 9  reply 20\n                                           │"#,
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "│                                              ││                                                                      │",
            "└──────────────────────────────────────────────┘└──────────────────────────────────────────────────────────────────────┘",
            " #3 ›                                                                                                                   ",
            "                                                                                          F1 help · Tab focus · F2 view ",
        ])
    }
}
