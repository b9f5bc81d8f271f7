// ScreenRelayTests — a relay on the real screen in tmux: the pair as two linked rows in the
// Connections pane, the relay's target and pair count in Listeners, each chunk's direction in
// the log, and the two directions in two colours.

import Foundation
import Glibc
import Testing

@Suite(.enabled(if: TmuxScreen.tmuxAvailable, "tmux is not installed"))
struct ScreenRelayTests {
    @Test func relayPairShownLinkedWithDirectionColours() throws {
        let server = PeerServer { peer in
            let request = peer.receive(until: { $0.contains(UInt8(ascii: "\n")) }).bytes
            peer.send(Array("pong ".utf8) + request)
            _ = peer.receive()
        }
        defer { server.stop() }
        // A terminal with colours, whatever NO_COLOR the test runner has.
        let screen = try TmuxScreen(width: 120, height: 40, environment: "NO_COLOR= TERM=tmux-256color")
        #expect(try screen.waitFor("Nothing has happened yet") != nil)
        try screen.type("relay 127.0.0.1:0 127.0.0.1:\(server.port)")
        try screen.press("Enter")
        let listening = try #require(try screen.waitFor("listening tcp 127.0.0.1:"))
        let port = try #require(ScreenEndToEndTests.port(in: listening))
        let client = try #require(PeerSocket.connect(port: port))
        defer { client.close() }
        client.send(Array("ping\n".utf8))
        #expect(client.receive(until: { $0.count >= 10 }).bytes == Array("pong ping\n".utf8))
        let shown = try #require(try screen.waitFor { lines in lines.contains { $0.contains("s→c #2") } }, "\(screen.shown)")
        #expect(shown.contains { $0.contains("#1 tcp 127.0.0.1:\(port)") && $0.contains("⇄1  ⇒ 127.0.0.1") }, "listener row\n\(screen.shown)")
        #expect(shown.contains { $0.contains("#2 tcp #2 ⇄ #3 client 127.0.0.1:") && $0.contains("est") }, "client leg\n\(screen.shown)")
        #expect(shown.contains { $0.contains("#3 tcp #2 ⇄ #3 server 127.0.0.1:\(server.port) est") }, "server leg\n\(screen.shown)")
        #expect(shown.contains { $0.contains("#2 ← 5 c→s #3") && $0.contains("ping\\n") }, "c→s chunk\n\(screen.shown)")
        #expect(shown.contains { $0.contains("#3 ← 10 s→c #2") && $0.contains("pong ping\\n") }, "s→c chunk\n\(screen.shown)")
        // The colours: client→server red, server→client blue (Wireshark's Follow Stream), in the
        // log's data and on the legs' ids in the Connections pane.
        let styled = try screen.tmux(["capture-pane", "-p", "-e", "-t", "s"]).split(separator: "\n").map(String.init)
        #expect(styled.contains { Self.foreground(before: "ping", in: $0) == 31 }, "c→s text in red\n\(styled.joined(separator: "\n"))")
        #expect(styled.contains { Self.foreground(before: "pong ping", in: $0) == 34 }, "s→c text in blue")
        #expect(styled.contains { $0.contains("⇄ #3 client") && Self.foreground(before: "#2", in: $0) == 31 }, "client leg id in red")
        #expect(styled.contains { $0.contains("⇄ #3 server") && Self.foreground(before: "#3", in: $0) == 34 }, "server leg id in blue")
        #expect(ScreenShape.problems(shown, width: 120) == [])
    }

    /// The foreground colour (30–37) in force where `text` starts in a `capture-pane -e` line.
    static func foreground(before text: String, in line: String) -> Int? {
        guard let range = line.range(of: text) else { return nil }
        var colour: Int?
        for code in line[..<range.lowerBound].components(separatedBy: "\u{1b}[").dropFirst() {
            for parameter in code.prefix(while: { $0 != "m" }).split(separator: ";").compactMap({ Int($0) }) {
                if (30...37).contains(parameter) { colour = parameter } else if parameter == 39 || parameter == 0 { colour = nil }
            }
        }
        return colour
    }
}
