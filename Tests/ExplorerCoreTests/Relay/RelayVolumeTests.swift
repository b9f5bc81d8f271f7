// RelayVolumeTests — a relay under load, engine stepping on the test's thread and peers on their
// own: 100 MB each way byte-exact to an echo server, and 200 clients relayed at once. The engine
// is driven without EngineSession, whose observer would keep a copy of every byte in the test.

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite("relay volume")
struct RelayVolumeTests {
    /// Runs `line` and steps until the script is idle (bounded).
    private func run(_ engine: Engine, _ line: String) -> Bool {
        var ok = false
        engine.statusObserver = { status, _ in ok = status.ok }
        engine.enqueueScript([ScriptLine(line)], keepGoing: false)
        let deadline = Date().addingTimeInterval(10)
        repeat { engine.step(maxWaitMilliseconds: 20) } while !engine.scriptIdle && Date() < deadline
        engine.statusObserver = nil
        return ok && engine.scriptIdle
    }

    /// Steps the engine until `done` holds or `seconds` pass.
    private func pump(_ engine: Engine, seconds: Double, until done: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !done() {
            if Date() >= deadline { return false }
            engine.step(maxWaitMilliseconds: 20)
        }
        return true
    }

    /// An echo server, an engine relaying to it (#1), and the relay's port.
    private func echoRelay() throws -> (PeerServer, Engine, UInt16) {
        let server = try RelayTests.echoServer()
        let engine = try Engine()
        #expect(run(engine, "relay 0 127.0.0.1:\(server.port)"))
        return (server, engine, try #require(engine.table[SocketID(1)]?.local?.port))
    }

    @Test("100 MB each way through a relay to an echo server arrive byte-exact")
    func hundredMegabytes() throws {
        let (server, engine, port) = try echoRelay()
        defer { server.stop(); engine.closeAll() }
        let total = 100 << 20
        let matched = Shared<Bool?>(nil)
        Thread.detachNewThread {
            guard let client = try? PeerConnection.connect(port: port) else { return matched.set(false) }
            defer { client.close() }
            let block = patternBytes(1 << 20, seed: 7)
            Thread.detachNewThread {
                for _ in 0..<(total / block.count) { client.send(block) }
                client.shutdownWrite()
            }
            // Read back and compare block by block, so the test never holds 100 MB twice.
            var pending: [UInt8] = []
            var compared = 0
            var same = true
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while compared < total {
                let count = chunk.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                pending += chunk[0..<count]
                while pending.count >= block.count {
                    same = same && pending[0..<block.count].elementsEqual(block)
                    pending.removeFirst(block.count)
                    compared += block.count
                }
            }
            matched.set(same && compared == total && pending.isEmpty)
        }
        #expect(pump(engine, seconds: 240) { matched.current != nil })
        #expect(matched.current == true)
        #expect(engine.table[SocketID(2)]?.bytesIn == UInt64(total))
        #expect(engine.table[SocketID(3)]?.bytesIn == UInt64(total))
    }

    @Test("200 clients relayed at once each get their own bytes back")
    func twoHundredClients() throws {
        let (server, engine, port) = try echoRelay()
        defer { server.stop(); engine.closeAll() }
        let clients = 200
        let good = Shared(0)
        let finished = Shared(0)
        Thread.detachNewThread {
            let connections = (0..<clients).compactMap { _ in try? PeerConnection.connect(port: port) }
            for (index, connection) in connections.enumerated() { connection.send(patternBytes(10_000, seed: UInt8(index % 251))) }
            for (index, connection) in connections.enumerated() {
                let back = connection.receive(count: 10_000)
                if back == patternBytes(10_000, seed: UInt8(index % 251)) { good.update { $0 += 1 } }
                connection.close()
            }
            finished.set(connections.count)
        }
        #expect(pump(engine, seconds: 60) { finished.current > 0 })
        #expect(finished.current == clients)
        #expect(good.current == clients)
        #expect(engine.table[SocketID(1)]?.acceptedCount == clients)
    }
}
