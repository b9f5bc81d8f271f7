// FanOutTests — `listen PORT mode=broker|chat` with real clients on loopback: each broker peer
// gets the others' bytes and not its own; chat prefixes lines with the sender, escapes control
// bytes and announces arrivals and departures; a peer that never reads is dropped-for (and said
// so) while its queue stays within queuecap and the others still get every byte; bad `mode=`.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite("fan-out")
struct FanOutTests {
    /// A session listening with `mode=MODE` (#1) and `count` clients accepted as #2, #3, …
    static func room(_ mode: String, clients count: Int, settings: [String] = []) throws -> (EngineSession, [PeerConnection]) {
        let session = try EngineSession()
        #expect(session.run(settings + ["listen 0 mode=\(mode)"]).allOK, "\(session.lines)")
        var clients: [PeerConnection] = []
        for index in 0..<count {
            clients.append(try PeerConnection.connect(port: session.port(of: 1)))
            #expect(session.pump(until: { session.entry(2 + index)?.state == .established }), "\(session.lines)")
        }
        return (session, clients)
    }

    @Test("broker: each of three peers gets the other two's bytes, never its own")
    func brokerSpreads() throws {
        let (session, clients) = try Self.room("broker", clients: 3)
        defer { clients.forEach { $0.close() } }
        let words = ["alpha\n", "bravo!\n", "charlie?\n"].map { Array($0.utf8) }
        for (client, word) in zip(clients, words) { client.send(word) }
        for (index, client) in clients.enumerated() {
            let others = words.indices.filter { $0 != index }.map { words[$0] }
            let got = session.read(client, count: others.map(\.count).reduce(0, +))
            #expect(got == others[0] + others[1] || got == others[1] + others[0], "client \(index): \(String(decoding: got, as: UTF8.self))")
        }
        // Nothing more arrives: a last byte from #2 reaches #3 alone after everything above.
        clients[0].send("z")
        #expect(session.read(clients[1], count: 1) == Array("z".utf8))
        #expect(clients[0].readAvailable().bytes.isEmpty)
    }

    @Test("chat: arrivals and departures announced, lines prefixed with the sender, control bytes escaped")
    func chatAnnouncesAndEscapes() throws {
        let (session, clients) = try Self.room("chat", clients: 1)
        defer { clients.forEach { $0.close() } }
        let second = try PeerConnection.connect(port: session.port(of: 1))
        let joined = session.read(clients[0], until: { $0.last == 0x0A }).bytes
        let port = session.entry(3)?.remote?.port ?? 0
        #expect(String(decoding: joined, as: UTF8.self) == "<announce> #3 joined from 127.0.0.1:\(port)\n")
        second.send(Array("hi \u{1B}[31mred\r\n".utf8) + [0x07] + Array("bell\nhalf".utf8))
        let lines = session.read(clients[0], until: { $0.filter { $0 == 0x0A }.count >= 2 }).bytes
        #expect(String(decoding: lines, as: UTF8.self) == #"<#3> hi \x1b[31mred"# + "\n" + #"<#3> \x07bell"# + "\n")
        #expect(!lines.contains(0x1B) && !lines.contains(0x07))
        second.close()
        let left = session.read(clients[0], until: { String(decoding: $0, as: UTF8.self).contains("left\n") }).bytes
        #expect(String(decoding: left, as: UTF8.self) == "<#3> half\n<announce> #3 left\n")
    }

    @Test("broker: a peer that never reads is dropped-for once its queue is full; its queue stays bounded; the others get every byte")
    func slowReceiverIsDroppedFor() throws {
        let (session, clients) = try Self.room("broker", clients: 3, settings: ["set queuecap 64K", "set queuetotal 1M"])
        defer { clients.forEach { $0.close() } }
        var small: Int32 = 4096
        setsockopt(clients[2].fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 32 << 10)
        var received = 0
        var maxQueued = 0
        for _ in 0..<320 {
            clients[0].send(chunk)
            received += session.read(clients[1], count: chunk.count).count
            maxQueued = max(maxQueued, Int(session.entry(4)?.queuedOut ?? 0))
        }
        #expect(received == 320 * chunk.count)
        #expect(maxQueued <= 64 << 10, "queued \(maxQueued)")
        #expect(session.lines.contains { $0.contains("fan-out: #4 is not reading; dropping") }, "\(session.lines.suffix(5))")
        #expect(session.entry(4)?.state == .established)
    }

    @Test("a bad mode= value, or mode= with reply= or udp, is a clear error")
    func badMode() throws {
        let session = try EngineSession()
        let bad = session.status("listen 0 mode=party")
        #expect(!bad.ok && bad.message.contains("mode=party"), "\(bad)")
        #expect(bad.message.contains("broker"), "\(bad)")
        let both = session.status("listen 0 mode=broker reply=echo")
        #expect(!both.ok && both.message.contains("do not combine"), "\(both)")
        let udp = session.status("listen udp 0 mode=chat")
        #expect(!udp.ok && udp.message.contains("mode= does not apply to udp"), "\(udp)")
        #expect(session.engine.table.count == 0)
    }

    @Test("closing a broker listener stops the fan-out; its peers stay connected")
    func closedListenerStopsFanOut() throws {
        let (session, clients) = try Self.room("broker", clients: 2)
        defer { clients.forEach { $0.close() } }
        #expect(session.run("close #1").allOK, "\(session.lines)")
        clients[0].send("after")
        #expect(session.pump(until: { session.entry(2)?.bytesIn == 5 }), "\(session.lines)")
        clients[0].send("!")
        #expect(session.pump(until: { session.entry(2)?.bytesIn == 6 }))
        #expect(clients[1].readAvailable().bytes.isEmpty)
        #expect(session.entry(3)?.state == .established)
    }
}
