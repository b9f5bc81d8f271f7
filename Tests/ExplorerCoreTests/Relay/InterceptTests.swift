// InterceptTests — `intercept`, `forward` (as is, edited, `*`) and `drop` on a relay between real
// peers on loopback, and the bound on what intercept holds.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite("relay intercept")
struct InterceptTests {
    /// A relay (#1) to a server that keeps what it reads; one client connected (#2 ⇄ #3).
    private func relayWithClient(_ options: String = "") throws -> (EngineSession, PeerConnection, PeerServer, Shared<[UInt8]>) {
        let received = Shared<[UInt8]>([])
        let server = try PeerServer { peer in
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(peer.fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                received.update { $0 += chunk[0..<count] }
                if chunk[0..<count].contains(UInt8(ascii: "?")) { peer.send("answer") }
            }
            peer.close()
        }
        let session = try EngineSession()
        #expect(session.status("relay 0 127.0.0.1:\(server.port) \(options)").ok)
        let client = try PeerConnection.connect(port: session.port(of: 1))
        #expect(session.pump(until: { session.entry(3)?.state == .established }))
        return (session, client, server, received)
    }

    @Test("intercept up holds client→server chunks; forward passes one, forward PAYLOAD sends an edit, drop discards; server→client flows")
    func holdForwardEditDrop() throws {
        let (session, client, server, received) = try relayWithClient()
        defer { client.close(); server.stop() }
        #expect(session.status("intercept #2 up").ok)
        client.send("first")
        #expect(session.pump(until: { session.entry(2)?.relay?.heldChunks == 1 }), "\(session.lines)")
        #expect(session.lines.contains { $0.hasPrefix("#2 held chunk 1: 5 bytes c→s for #3") }, "\(session.lines)")
        let forwarded = session.status("forward #3")
        #expect(forwarded.ok && forwarded.message == "forwarded chunk 1 (5 bytes c→s) to #3", "\(forwarded)")
        #expect(session.pump(until: { received.current == Array("first".utf8) }))
        client.send("second")
        #expect(session.pump(until: { session.entry(2)?.relay?.heldChunks == 1 }))
        let edited = session.status(#"forward "EDITED?""#)
        #expect(edited.ok && edited.message.contains("forwarded 7 bytes to #3 instead of chunk 2 (6 bytes c→s)"), "\(edited)")
        // The edit is what the server got, and it is logged as sent on the server leg; the answer
        // (server→client, not intercepted) comes straight back.
        #expect(session.read(client, count: 6) == Array("answer".utf8))
        #expect(received.current == Array("firstEDITED?".utf8))
        #expect(session.lines.contains(#"#3 > 7 "EDITED?""#), "\(session.lines)")
        client.send("third")
        #expect(session.pump(until: { session.entry(2)?.relay?.heldChunks == 1 }))
        let dropped = session.status("drop #1")
        #expect(dropped.ok && dropped.message == "dropped chunk 3 (5 bytes c→s)", "\(dropped)")
        #expect(session.entry(2)?.relay?.heldChunks == 0)
        #expect(session.failing("drop").message.contains("no chunk is held"))
        // intercept off: nothing is held any more.
        #expect(session.status("intercept #1 off").ok)
        client.send("fourth")
        #expect(session.pump(until: { received.current == Array("firstEDITED?fourth".utf8) }), "\(session.lines)")
    }

    @Test("forward * passes every held chunk in the order they arrived; intercept off passes what is held")
    func forwardAllAndOff() throws {
        let (session, client, server, received) = try relayWithClient("intercept=on")
        defer { client.close(); server.stop() }
        // One chunk at a time, so each is a chunk of its own.
        for (index, word) in ["a", "b", "c"].enumerated() {
            client.send(word)
            #expect(session.pump(until: { session.entry(2)?.relay?.heldChunks == index + 1 }), "\(session.lines)")
        }
        #expect(session.status("forward *").ok)
        #expect(session.pump(until: { received.current == Array("abc".utf8) }))
        client.send("d")
        #expect(session.pump(until: { session.entry(2)?.relay?.heldChunks == 1 }))
        let off = session.status("intercept #2 off")
        #expect(off.ok && off.message.contains("1 held chunks passed on"), "\(off)")
        #expect(session.pump(until: { received.current == Array("abcd".utf8) }))
    }

    @Test("intercept holds at most its bound per leg: then the leg stops being read, and every byte arrives after intercept off")
    func heldChunksAreBounded() throws {
        let (session, client, server, received) = try relayWithClient("intercept=up")
        defer { client.close(); server.stop() }
        let payload = patternBytes(3 << 20)
        let sender = Thread { client.send(payload) }
        sender.start()
        #expect(session.pump(until: { session.entry(2)?.held?.hasPrefix("intercept:") == true }, timeout: 10),
                "\(String(describing: session.entry(2)))")
        let held = try #require(session.entry(2)?.relay)
        #expect(held.heldBytes <= Limits.interceptBytesPerLeg + Limits.streamReadSize)
        #expect(held.heldChunks <= Limits.interceptChunksPerLeg)
        #expect(session.status("intercept #2 off").ok)
        #expect(session.pump(until: { received.current.count == payload.count }, timeout: 20))
        #expect(byteDifference(received.current, payload) == nil)
    }
}
