// ScreenTLSTests.swift — TLS as a person sees it: in tmux, a `listen tls` and a `connect tls` to
// it show `tls` rows and the handshake line in the log; a peer that never starts its handshake
// shows `handshake…` in the Connections pane.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenTLSTests {
    @Test func tlsRowsAndTheHandshakeLine() throws {
        let screen = try TmuxScreen(width: 120, height: 40)
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try screen.type("listen tls 127.0.0.1:0 reply=echo")
        try screen.press("Enter")
        let listening = try #require(try screen.waitFor("listening tcp 127.0.0.1:"))
        let port = try #require(ScreenEndToEndTests.port(in: listening))
        #expect(try screen.waitFor("tls certificate O=sockpit, CN=localhost") != nil)
        // A plain peer that sends nothing: its accepted socket waits in the handshake.
        let silent = try #require(PeerSocket.connect(port: port))
        defer { silent.close() }
        let waiting = try #require(try screen.waitFor("handshake…"), "the Connections pane shows the handshake in progress")
        #expect(waiting.contains { $0.contains("#2 tls") && $0.contains("handshake…") }, "\(waiting.joined(separator: "\n"))")
        try screen.type("connect tls localhost:\(port) verify=off")
        try screen.press("Enter")
        let done = try #require(try screen.waitFor("ok: #3 tls with 127.0.0.1:\(port): TLSv1.3"), "the status line")
        #expect(done.contains { $0.contains("tls handshake done: TLSv1.3") }, "\(done.joined(separator: "\n"))")
        try screen.type("sendl over tls")
        try screen.press("Enter")
        let echoed = try #require(try screen.waitFor("#3 ← 9  over tls\\n"))
        #expect(echoed.contains { $0.contains("#1 tls 127.0.0.1:\(port)") }, "the listener's row says tls: \(echoed.joined(separator: "\n"))")
        #expect(echoed.contains { $0.contains("#3 tls") && $0.contains("est") }, "\(echoed.joined(separator: "\n"))")
        #expect(ScreenShape.problems(echoed, width: 120) == [])
    }
}
