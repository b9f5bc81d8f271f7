// LessonScreenGoldens.swift — whole screens with a lesson in progress (`learn server`), in English
// and in Chinese (two columns a character), and at its end: the pane above the prompt, the step
// socket's row in Listeners (fd, created/bound).

import ExplorerCore
import Testing
@testable import TerminalUI

@Suite struct LessonScreenGoldens {
    /// `learn server` after `socket tcp` and `bind #1 127.0.0.1:1935`: step 4 of 10, listen.
    static func boundSocket(_ language: LessonLanguage, completed: Int = 3) -> ScreenModel {
        var s = SessionBuilder()
        let id = s.listen(port: 1935, backlog: 0, at: 1) {
            $0.state = .bound
            $0.step = StepMode(fd: 7)
            $0.acceptMode = .manual
        }
        s.selected = id
        s.event(id, .event, "socket: fd 7, tcp, no address yet", at: 1)
        s.event(id, .event, "bound to 127.0.0.1:1935", at: 2)
        s.status = .ok("bound #1 to 127.0.0.1:1935")
        return s.model { $0.lesson = LessonView(lesson: Lessons.named("server")!, completed: completed, language: language) }
    }

    @Test func aLessonStepInEnglishAt80x24() {
        let screen = ScreenRenderer.render(Self.boundSocket(.en), ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│▶#1 tcp 127.0.0.1:1935  fd 7  bound ││ +1.000 #1 listening tcp 127.0.0.1:1935 │",
            "├ Connections ───────────────────────┤│           backlog 0                    │",
            "│ none yet — try: connect HOST:PORT  ││ +1.000 #1 socket: fd 7, tcp, no address│",
            "│                                    ││           yet                          │",
            "│                                    ││ +2.000 #1 bound to 127.0.0.1:1935      │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "│                                    ││                                        │",
            "┌ server · step 4/10 ──────────────────────────────────────────────────────────┐",
            "│   type  listen #1 backlog=4                                                  │",
            "│   why   socket_listen($sock, 4): from now on the kernel itself answers       │",
            "│         clients and completes their handshakes; finished connections wait in │",
            "│         a queue, the backlog, until you accept.                              │",
            "│   waiting for: a tcp socket to be listening                                  │",
            "└──────────────────────────────────────────────────────────────────────────────┘",
            " #1 ›                                                                           ",
            " ok: bound #1 to 127.0.0.1:1935                   F1 help · Tab focus · F2 view ",
        ])
    }

    @Test func aLessonStepInChineseAt80x24() {
        let screen = ScreenRenderer.render(Self.boundSocket(.zh), ui: ui(), width: 80, height: 24)
        assertScreen(screen, [
            "┌ Listeners ─────────────────────────┐┌ Log · all · text · follow ─────────────┐",
            "│▶#1 tcp 127.0.0.1:1935  fd 7  bound ││ +1.000 #1 listening tcp 127.0.0.1:1935 │",
            "├ Connections ───────────────────────┤│           backlog 0                    │",
            "│ none yet — try: connect HOST:PORT  ││ +1.000 #1 socket: fd 7, tcp, no address│",
            "│                                    ││           yet                          │",
            "│                                    ││ +2.000 #1 bound to 127.0.0.1:1935      │",
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
            "┌ server · 第 4/10 步 ─────────────────────────────────────────────────────────┐",
            "│   输入  listen #1 backlog=4                                                  │",
            "│   说明  socket_listen($sock, 4)：从这里开始，内核自己应答客户端、完成三次握  │",
            "│         手；建好的连接在队列（backlog）里等你 accept。                       │",
            "│   等待：一个 tcp socket 进入 listening 状态                                  │",
            "└──────────────────────────────────────────────────────────────────────────────┘",
            " #1 ›                                                                           ",
            " ok: bound #1 to 127.0.0.1:1935                   F1 help · Tab focus · F2 view ",
        ])
    }

    @Test func theEndOfALessonAt100x30() {
        let screen = ScreenRenderer.render(Self.boundSocket(.en, completed: 10), ui: ui(), width: 100, height: 30)
        assertScreen(screen, [
            "┌ Listeners ───────────────────────────┐┌ Log · all · text · follow ───────────────────────────────┐",
            "│▶#1 tcp 127.0.0.1:1935  fd 7  bound   ││ +1.000 #1 listening tcp 127.0.0.1:1935 backlog 0         │",
            "├ Connections ─────────────────────────┤│ +1.000 #1 socket: fd 7, tcp, no address yet              │",
            "│ none yet — try: connect HOST:PORT    ││ +2.000 #1 bound to 127.0.0.1:1935                        │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "│                                      ││                                                          │",
            "┌ done: server ────────────────────────────────────────────────────────────────────────────────────┐",
            "│ what the kernel did                                                                              │",
            "│   socket() made a descriptor; bind() reserved 127.0.0.1:1935; after listen() the kernel answered │",
            "│   the client's SYN and queued the finished connection, so connect completed before you accepted; │",
            "│   accept() only took it off the queue as a new socket; write() and read() moved bytes between    │",
            "│   sockpit and the kernel's buffers; close() sent FIN.                                            │",
            "│ the seed's lines                                                                                 │",
            "│   if(($sock = socket_create(AF_INET,SOCK_STREAM,SOL_TCP)) < 0) {                                 │",
            "│   if(($ret = socket_bind($sock,$ip,$port)) < 0) {                                                │",
            "│   if(($ret = socket_listen($sock,4)) < 0) {                                                      │",
            "│   if (($msgsock = socket_accept($sock)) < 0) {                                                   │",
            "│   socket_write($msgsock, $msg, strlen($msg));                                                    │",
            "│   …                                                                                              │",
            "└──────────────────────────────────────────────────────────────────────────────────────────────────┘",
            " #1 ›                                                                                               ",
            " ok: bound #1 to 127.0.0.1:1935                                       F1 help · Tab focus · F2 view ",
        ])
    }
}
