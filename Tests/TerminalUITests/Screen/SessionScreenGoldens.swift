// SessionScreenGoldens.swift — whole screens of sessions at 80×24 and 120×40 (and the stacked
// and too-small sizes): what a user sees, stated literally.
import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct SessionScreenGoldens {
    /// First run: both lists say what to type, the log lists commands to try, no target in the prompt.
    @Test func emptySessionAt80x24() {
        let screen = ScreenRenderer.render(Sessions.empty, ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│ none yet — try: listen 5000        ││ Nothing has happened yet. Try:         │",
            "├ Connections ───────────────────────┤│   listen 5000        accept connections│",
            "│ none yet — try: connect HOST:PORT  ││   connect HOST:PORT  open a connection │",
            "│                                    ││   pair               a connected pair  │",
            "│                                    ││   help               every command     │",
            "│                                    ││ F1 shows every key                     │",
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
            " ›                                                                              ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// First run at 120×40: the hints have room for what each command does.
    @Test func emptySessionAt120x40() {
        let screen = ScreenRenderer.render(Sessions.empty, ui: ui(), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · text · follow ───────────────────────────────────────────┐",
            "│ none yet — try: listen 5000                  ││ Nothing has happened yet. Try:                                       │",
            "├ Connections ─────────────────────────────────┤│   listen 5000        accept connections                              │",
            "│ none yet — try: connect HOST:PORT or pair    ││   connect HOST:PORT  open a connection                               │",
            "│                                              ││   pair               a connected pair                                │",
            "│                                              ││   help               every command                                   │",
            "│                                              ││ F1 shows every key                                                   │",
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
            " ›                                                                                                                      ",
            "                                                                                          F1 help · Tab focus · F2 view ",
        ])
    }

    /// A listener with a banner and three peers, Connections focused: #3 selected (▶, highlighted), its rate shown, the closed #4 keeps its port and state by dropping the local port; the backlog gives way to the banner.
    @Test func threePeersAt80x24() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(focus: .connections), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│ #1 tcp 127.0.0.1:5000  ✓3  banner  ││ +1.120 #1 listening tcp 127.0.0.1:5000 │",
            "├ Connections · 2 open of 3 ─────────┤│           backlog 128                  │",
            "│ #2 tcp :5000 ⇄ 127.0.0.1:51234 est ││ +2.310 #2 accepted 127.0.0.1:51234 via │",
            "│   ↓17 B ↑22 B  via #1              ││           #1                           │",
            #"│▶#3 tcp :5000 ⇄ 127.0.0.1:51236 est ││ +2.311 #2 → 22  Welcome to the server\n│"#,
            #"│   ↓1.7 MiB ↑22 B  ↓512 KiB/s       ││ +2.900 #2 ← 17  Ho\r\n                 │"#,
            #"│ #4 tcp ⇄ 127.0.0.1:51240 closed    ││                 first blood\r\n        │"#,
            "│   ↓0 B ↑22 B  via #1               ││ +3.500 #3 accepted 127.0.0.1:51236 via │",
            "│                                    ││           #1                           │",
            #"│                                    ││ +3.501 #3 → 22  Welcome to the server\n│"#,
            "│                                    ││ +4.000 #4 accepted 127.0.0.1:51240 via │",
            "│                                    ││           #1                           │",
            #"│                                    ││ +4.001 #4 → 22  Welcome to the server\n│"#,
            "│                                    ││ +4.250 #4 eof from peer                │",
            "│                                    ││ +4.251 #4 closed                       │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "└────────────────────────────────────┘└────────────────────────────────────────┘",
            " #3 ›                                                                           ",
            " ok: selected #3                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// The same at 120×40: every counter, both rates, the backlog and the local ports fit.
    @Test func threePeersAt120x40() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(focus: .connections), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · text · follow ───────────────────────────────────────────┐",
            "│ #1 tcp 127.0.0.1:5000  bl 128  ✓3  banner    ││ +1.120 #1 listening tcp 127.0.0.1:5000 backlog 128                   │",
            "├ Connections · 2 open of 3 ───────────────────┤│ +2.310 #2 accepted 127.0.0.1:51234 via #1                            │",
            #"│ #2 tcp :5000 ⇄ 127.0.0.1:51234 est           ││ +2.311 #2 → 22  Welcome to the server\n                              │"#,
            #"│   ↓17 B ↑22 B  via #1                        ││ +2.900 #2 ← 17  Ho\r\n                                               │"#,
            #"│▶#3 tcp :5000 ⇄ 127.0.0.1:51236 est           ││                 first blood\r\n                                      │"#,
            "│   ↓1.7 MiB ↑22 B  ↓512 KiB/s  ↑12 B/s        ││ +3.500 #3 accepted 127.0.0.1:51236 via #1                            │",
            #"│ #4 tcp :5000 ⇄ 127.0.0.1:51240 closed        ││ +3.501 #3 → 22  Welcome to the server\n                              │"#,
            "│   ↓0 B ↑22 B  via #1                         ││ +4.000 #4 accepted 127.0.0.1:51240 via #1                            │",
            #"│                                              ││ +4.001 #4 → 22  Welcome to the server\n                              │"#,
            "│                                              ││ +4.250 #4 eof from peer                                              │",
            "│                                              ││ +4.251 #4 closed                                                     │",
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
            " #3 ›                                                                                                                   ",
            " ok: selected #3                                                                          F1 help · Tab focus · F2 view ",
        ])
    }

    /// A UDP socket echoing two peers: each datagram's header names its peer (`from HOST:PORT` / `to HOST:PORT`); the text, too long to fit beside it, starts on the next row.
    @Test func udpListenerAt80x24() {
        let screen = ScreenRenderer.render(Sessions.udp, ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│▶#1 udp 127.0.0.1:6000  echo        ││ +0.100 #1 listening udp 127.0.0.1:6000 │",
            "├ Connections ───────────────────────┤│ +1.000 #1 ← 7 from 127.0.0.1:41000     │",
            #"│ none yet — try: connect HOST:PORT  ││   ping 1\n                             │"#,
            "│                                    ││ +1.001 #1 → 7 to 127.0.0.1:41000       │",
            #"│                                    ││   ping 1\n                             │"#,
            "│                                    ││ +1.500 #1 ← 7 from 127.0.0.1:41002     │",
            #"│                                    ││   ping 2\n                             │"#,
            "│                                    ││ +1.501 #1 → 7 to 127.0.0.1:41002       │",
            #"│                                    ││   ping 2\n                             │"#,
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
            " #1 ›                                                                           ",
            "                                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// The UDP session at 120×40: one row per datagram, and the datagram counts join the listener row.
    @Test func udpListenerAt120x40() {
        let screen = ScreenRenderer.render(Sessions.udp, ui: ui(), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · text · follow ───────────────────────────────────────────┐",
            "│▶#1 udp 127.0.0.1:6000  echo  ↓2 ↑2 dgrams    ││ +0.100 #1 listening udp 127.0.0.1:6000                               │",
            #"├ Connections ─────────────────────────────────┤│ +1.000 #1 ← 7 from 127.0.0.1:41000  ping 1\n                         │"#,
            #"│ none yet — try: connect HOST:PORT or pair    ││ +1.001 #1 → 7 to 127.0.0.1:41000  ping 1\n                           │"#,
            #"│                                              ││ +1.500 #1 ← 7 from 127.0.0.1:41002  ping 2\n                         │"#,
            #"│                                              ││ +1.501 #1 → 7 to 127.0.0.1:41002  ping 2\n                           │"#,
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
            " #1 ›                                                                                                                   ",
            "                                                                                          F1 help · Tab focus · F2 view ",
        ])
    }

    /// A refused connect: the row says `error` and why (errno first, cut with …), the log wraps the reason at words, the status line gives up its hints for the error.
    @Test func failedConnectAt80x24() {
        let screen = ScreenRenderer.render(Sessions.failedConnect, ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│ none yet — try: listen 5000        ││ +0.100 #1 connecting tcp to 127.0.0.1:9│",
            "├ Connections · 0 open of 1 ─────────┤│ +0.101 #1 ✗ connect 127.0.0.1:9:       │",
            "│▶#1 tcp ✗ 127.0.0.1:9 error         ││           ECONNREFUSED (Connection     │",
            "│   connect: ECONNREFUSED (Connecti… ││           refused)                     │",
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
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "└────────────────────────────────────┘└────────────────────────────────────────┘",
            " #1 ›                                                                           ",
            " error: connect 127.0.0.1:9: ECONNREFUSED (Connection refused)                  ",
        ])
    }

    /// The refused connect at 120×40: the whole reason fits everywhere.
    @Test func failedConnectAt120x40() {
        let screen = ScreenRenderer.render(Sessions.failedConnect, ui: ui(), width: 120, height: 40)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────┐┌ Log · all · text · follow ───────────────────────────────────────────┐",
            "│ none yet — try: listen 5000                  ││ +0.100 #1 connecting tcp to 127.0.0.1:9                              │",
            "├ Connections · 0 open of 1 ───────────────────┤│ +0.101 #1 ✗ connect 127.0.0.1:9: ECONNREFUSED (Connection refused)   │",
            "│▶#1 tcp ✗ 127.0.0.1:9 error                   ││                                                                      │",
            "│   connect: ECONNREFUSED (Connection refused) ││                                                                      │",
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
            " #1 ›                                                                                                                   ",
            " error: connect 127.0.0.1:9: ECONNREFUSED (Connection refused)                            F1 help · Tab focus · F2 view ",
        ])
    }

    /// Below 80 columns the panes stack: sockets on top (too low for two rows per connection, so one
    /// each), the log below at full width.
    @Test func narrowStackedAt60x20() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(focus: .connections), width: 60, height: 20)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────────────────┐",
            "│ #1 tcp 127.0.0.1:5000  bl 128  ✓3  banner                │",
            "├ Connections · 2 open of 3 ───────────────────────────────┤",
            "│ #2 tcp :5000 ⇄ 127.0.0.1:51234 est  ↓17 B ↑22 B  via #1  │",
            "│▶#3 tcp :5000 ⇄ 127.0.0.1:51236 est  ↓1.7 MiB ↑22 B       │",
            "│ #4 tcp :5000 ⇄ 127.0.0.1:51240 closed  ↓0 B ↑22 B        │",
            "└──────────────────────────────────────────────────────────┘",
            "┌ Log · all · text · follow ───────────────────────────────┐",
            #"│ +2.311 #2 → 22  Welcome to the server\n                  │"#,
            #"│ +2.900 #2 ← 17  Ho\r\n                                   │"#,
            #"│                 first blood\r\n                          │"#,
            "│ +3.500 #3 accepted 127.0.0.1:51236 via #1                │",
            #"│ +3.501 #3 → 22  Welcome to the server\n                  │"#,
            "│ +4.000 #4 accepted 127.0.0.1:51240 via #1                │",
            #"│ +4.001 #4 → 22  Welcome to the server\n                  │"#,
            "│ +4.250 #4 eof from peer                                  │",
            "│ +4.251 #4 closed                                         │",
            "└──────────────────────────────────────────────────────────┘",
            " #3 ›                                                       ",
            " ok: selected #3              F1 help · Tab focus · F2 view ",
        ])
    }

    /// The first-run hints in the stacked layout.
    @Test func narrowEmptyAt60x20() {
        let screen = ScreenRenderer.render(Sessions.empty, ui: ui(), width: 60, height: 20)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────────────────────────┐",
            "│ none yet — try: listen 5000                              │",
            "├ Connections ─────────────────────────────────────────────┤",
            "│ none yet — try: connect HOST:PORT or pair                │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "┌ Log · all · text · follow ───────────────────────────────┐",
            "│ Nothing has happened yet. Try:                           │",
            "│   listen 5000        accept connections                  │",
            "│   connect HOST:PORT  open a connection                   │",
            "│   pair               a connected pair                    │",
            "│   help               every command                       │",
            "│ F1 shows every key                                       │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            " ›                                                          ",
            "                              F1 help · Tab focus · F2 view ",
        ])
    }

    /// One column and one row short of the minimum: a plain message instead of a broken layout.
    @Test func tooSmallAt39x11() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(), width: 39, height: 11)
        assertScreen(screen, [
            "                                       ",
            "                                       ",
            "                                       ",
            "                                       ",
            "          terminal too small           ",
            "           39×11, need 40×12           ",
            "                                       ",
            "                                       ",
            "                                       ",
            "                                       ",
            "                                       ",
        ])
    }

    /// Far too small: the message still fits, centred.
    @Test func tooSmallAt20x6() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui(), width: 20, height: 6)
        assertScreen(screen, [
            "                    ",
            "                    ",
            " terminal too small ",
            "  20×6, need 40×12  ",
            "                    ",
            "                    ",
        ])
    }

    /// F1: the help covers all but the status line; keys in two columns, long lines wrapped with hanging indents.
    @Test func helpOverlayAt80x24() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui { $0.helpVisible = true }, width: 80, height: 24)
        assertScreen(screen, [
            "┌ Help · ↑↓ PgUp PgDn scroll · Esc close ──────────────────────────────────────┐",
            "│ Keys                                                                         │",
            "│   Tab / Shift-Tab   move focus: prompt → listeners → connections → log       │",
            "│   ↑ ↓               select a row (lists), scroll (log), history (prompt)     │",
            "│   Enter             in a list: make the row the target and go to the prompt  │",
            "│   PgUp PgDn         scroll the log from anywhere; PgDn at the bottom follows │",
            "│                     new data again                                           │",
            "│   Home End          in the log: the oldest entries / follow new data         │",
            "│   End, Ctrl-End     End on an empty prompt, Ctrl-End anywhere (or `follow`): │",
            "│                     follow new data                                          │",
            "│   F1 or ?           this help (? outside the prompt)                         │",
            "│   F2                view: text → hex → both                                  │",
            "│   F3                filter the log to the selected socket (again: all)       │",
            #"│   F4 or \           zoom the focused pane, the log from the prompt (again:   │"#,
            #"│                     back; \ outside the prompt)                              │"#,
            "│   Shift-← →         move the split between the socket panes and the log      │",
            "│                     (Shift-↑ ↓ when stacked; set split 40)                   │",
            "│   F5                hide the closed connections now listed (again: show      │",
            "│                     them; set showclosed off, clear closed)                  │",
            "│   F6 / Shift-F6     after find: the next older / newer match (match 2/9 in   │",
            "│                     the log's title)                                         │",
            "│   Ctrl-L            redraw                                                   │",
            "└──────────────────────────────────────────────────────────────────────────────┘",
            " ok: selected #3                                  F1 help · Tab focus · F2 view ",
        ])
    }

    /// The help at 120×40: no line needs wrapping.
    @Test func helpOverlayAt120x40() {
        let screen = ScreenRenderer.render(Sessions.threePeers, ui: ui { $0.helpVisible = true }, width: 120, height: 40)
        assertScreen(screen, [
            "┌ Help · ↑↓ PgUp PgDn scroll · Esc close ──────────────────────────────────────────────────────────────────────────────┐",
            "│ Keys                                                                                                                 │",
            "│   Tab / Shift-Tab   move focus: prompt → listeners → connections → log                                               │",
            "│   ↑ ↓               select a row (lists), scroll (log), history (prompt)                                             │",
            "│   Enter             in a list: make the row the target and go to the prompt                                          │",
            "│   PgUp PgDn         scroll the log from anywhere; PgDn at the bottom follows new data again                          │",
            "│   Home End          in the log: the oldest entries / follow new data                                                 │",
            "│   End, Ctrl-End     End on an empty prompt, Ctrl-End anywhere (or `follow`): follow new data                         │",
            "│   F1 or ?           this help (? outside the prompt)                                                                 │",
            "│   F2                view: text → hex → both                                                                          │",
            "│   F3                filter the log to the selected socket (again: all)                                               │",
            #"│   F4 or \           zoom the focused pane, the log from the prompt (again: back; \ outside the prompt)               │"#,
            "│   Shift-← →         move the split between the socket panes and the log (Shift-↑ ↓ when stacked; set split 40)       │",
            "│   F5                hide the closed connections now listed (again: show them; set showclosed off, clear closed)      │",
            "│   F6 / Shift-F6     after find: the next older / newer match (match 2/9 in the log's title)                          │",
            "│   Ctrl-L            redraw                                                                                           │",
            "│   ← → Home End      move in the prompt                                                                               │",
            "│   Ctrl-A/E/K/U/W/Y  edit the prompt like readline                                                                    │",
            "│   Ctrl-C            clear the prompt; on an empty prompt twice: quit                                                 │",
            "│   Ctrl-D            on an empty prompt: quit (asks first while sockets are open; again: quit)                        │",
            "│   quit!             quit at once, without asking (quit and exit ask while sockets are open)                          │",
            #"│   paste             goes into the prompt as one line: line breaks become \n (\r\n with set eol crlf)                 │"#,
            "│   mouse             click a pane to focus it, a row to select it; Shift-drag selects text in most terminals, set     │",
            "│                     mouse off gives selection back                                                                   │",
            "│   copy              copy puts the entry the log points at (copy #3: a stream) on the clipboard (OSC 52)              │",
            "│                                                                                                                      │",
            "│ commands (help COMMAND for more; TARGET is #N, . for the selected socket, * for all):                                │",
            "│   listen [tcp|udp|unix] [HOST:]PORT|PATH [backlog=N] [reply=off|echo|reverse|TEMPLATE] [accept=auto|manual]          │",
            "│       [mode=off|broker|chat]                                                                                         │",
            "│       create, bind and listen; HOST defaults to 127.0.0.1, *:PORT is every interface, port 0 picks one               │",
            "│   connect [tcp|udp|unix] HOST:PORT|PATH [timeout=SEC] [from=HOST:PORT]                                               │",
            "│       open a connection (non-blocking; shown as connecting… until it succeeds or fails)                              │",
            "│   accept [#L]                                                                                                        │",
            "│       accept the next pending peer of a listener in accept=manual mode                                               │",
            "│   pair                                                                                                               │",
            "│       create a connected pair of Unix sockets to play with                                                           │",
            "│   send [TARGET] [to=HOST:PORT] PAYLOAD                                                                               │",
            "│       write exactly these bytes                                                                                      │",
            "└──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘",
            " ok: selected #3                                                                          F1 help · Tab focus · F2 view ",
        ])
    }
}
