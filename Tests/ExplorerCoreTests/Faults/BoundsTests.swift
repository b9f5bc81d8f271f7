// BoundsTests — issue 9's rows that a real engine in the test's own process can show: queues at
// their bound hold reading and lose nothing, the expect window is searched once, closed sockets
// fold, a full Unix backlog is an error, and nothing waits (a live server's full backlog, a
// silent HTTP server). The rows that need the process's memory are in EndToEndTests' BoundsTests.

import Foundation
import Glibc
import Testing
@testable import ExplorerCore

@Suite struct BoundsTests {
    /// A Unix listener that accepts nothing, its backlog full (a second connect would wait).
    private final class FullUnixBacklog {
        let fd: Int32
        private var fillers: [Int32] = []

        init(path: String) throws {
            (fd, _) = try listeningSocket(.unix(path), backlog: 0)
            for _ in 0..<8 {
                let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                let result = PeerEndpoint.unix(path).withSockAddr { Glibc.connect(client, $0, $1) }
                let code = errno
                fillers.append(client)
                if result < 0 && code == EAGAIN { return }
            }
            throw PeerError("the backlog of \(path) never filled")
        }

        deinit {
            fillers.forEach { close($0) }
            close(fd)
        }
    }

    @Test func aUnixConnectToAFullBacklogIsAnErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("full.sock")
        let server = try FullUnixBacklog(path: path)
        defer { withExtendedLifetime(server) {} }
        let session = try EngineSession()
        let answer = session.failing("connect unix \(path)")
        #expect(answer == Status.error("connect \(path): EAGAIN (Resource temporarily unavailable: the listener's backlog is full)"))
        #expect(session.entry(1)?.state == .failed("connect \(path): EAGAIN (Resource temporarily unavailable: the listener's backlog is full)"))
        session.expectResponsive()
    }

    /// The stale-socket probe must not wait in connect for room in a live server's backlog.
    @Test func listeningOnALiveServersPathWithAFullBacklogAnswersAtOnce() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("live.sock")
        let server = try FullUnixBacklog(path: path)
        defer { withExtendedLifetime(server) {} }
        let session = try EngineSession()
        let started = Date()
        #expect(session.failing("listen unix \(path)") == Status.error("bind \(path): EADDRINUSE (Address already in use)"))
        #expect(Date().timeIntervalSince(started) < 5, "the probe waited for the backlog")
        #expect(FileManager.default.fileExists(atPath: path), "a live server's socket file was removed")
        session.expectResponsive()
    }

    @Test func httpTakesATimeoutAgainstASilentServer() throws {
        let (listener, port) = try listeningSocket(.ipv4("127.0.0.1", 0), backlog: 4)
        defer { close(listener) }  // never accepts, never answers
        let session = try EngineSession()
        let answer = session.failing("http 127.0.0.1:\(port) / timeout=300ms")
        #expect(answer == Status.error("http #1: no answer after 300 ms"))
        session.expectResponsive()
    }

    /// `reply echo` to a peer that never reads: the queue stops at its bound, reading stops
    /// (the pane and `info` say so), and once the peer reads every byte comes back.
    @Test func anEchoToANonReaderHoldsAtTheQueueBoundAndLosesNothing() throws {
        let session = try EngineSession()
        #expect(session.run("set queuecap 256K", "set queuetotal 1M", "listen 0 reply=echo").allOK)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        defer { peer.close() }
        #expect(session.pump(until: { session.entry(2)?.state == .established }))
        // The peer sends 8 MB and reads nothing: the kernel's buffers fill both ways, then sockpit's queue.
        var sent = 0
        let block = [UInt8](repeating: 0x61, count: 1 << 16)
        #expect(session.pump(until: {
            sent += peer.sendAvailable(block, upTo: (8 << 20) - sent)
            return session.entry(2)?.held != nil || sent >= 8 << 20
        }, timeout: 20), "reading never stopped")
        #expect(session.entry(2)?.held == "queue full")
        let queued = session.entry(2)?.queuedOut ?? 0
        #expect(queued >= 256 << 10 && queued < (256 << 10) + (1 << 20), "the queue went past its bound: \(queued)")
        #expect(session.status("info #2").ok)
        #expect(session.lines.contains { $0.hasPrefix("  reading held: queue full (") }, "\(session.lines.suffix(12))")
        // Now the peer reads: everything it sent comes back, byte for byte.
        var received = 0
        #expect(session.pump(until: {
            sent += peer.sendAvailable(block, upTo: (8 << 20) - sent)
            received += peer.readAvailable().bytes.count
            return sent >= 8 << 20 && received == sent
        }, timeout: 60), "sent \(sent), echoed \(received)")
        #expect(session.entry(2)?.held == nil)
        session.expectResponsive()
    }

    /// `{data}` four times: a peer's bytes come back fourfold, bounded the same way.
    @Test func anAmplifyingTemplateIsBoundedAndLosesNothing() throws {
        let session = try EngineSession()
        #expect(session.run("set queuecap 256K", #"listen 0 reply="{data}{data}{data}{data}""#).allOK)
        let peer = try PeerConnection.connect(port: session.port(of: 1))
        defer { peer.close() }
        #expect(session.pump(until: { session.entry(2)?.state == .established }))
        let total = 2 << 20
        var sent = 0
        let block = [UInt8](repeating: 0x62, count: 1 << 16)
        #expect(session.pump(until: {
            sent += peer.sendAvailable(block, upTo: total - sent)
            return session.entry(2)?.held != nil
        }, timeout: 20), "reading never stopped")
        #expect((session.entry(2)?.queuedOut ?? .max) < (256 << 10) + Limits.replyBytesPerWake, "\(session.entry(2)?.queuedOut ?? 0)")
        var received = 0
        #expect(session.pump(until: {
            sent += peer.sendAvailable(block, upTo: total - sent)
            received += peer.readAvailable().bytes.count
            return sent == total && received == 4 * total
        }, timeout: 60), "sent \(sent), received \(received)")
    }

    /// A user's send past the queue bound is refused with the bound named, and changes nothing.
    @Test func aSendPastTheQueueBoundIsAnErrorNamingIt() throws {
        let session = try EngineSession()
        #expect(session.run("set queuecap 64K", "pair", "pause #2").allOK)
        let big = String(repeating: "z", count: 60_000)
        // Fill the socket's kernel buffers first: a socketpair takes a few hundred KiB.
        var queued = 0
        for _ in 0..<64 where queued == 0 {
            #expect(session.status("send #1 \(big)").ok)
            queued = session.entry(1)?.queuedOut ?? 0
        }
        #expect(queued > 0, "the kernel kept taking bytes")
        let before = session.snapshot
        let answer = session.failing("send #1 \(big)")
        #expect(answer.message.hasPrefix("send #1: 58 KiB more would take its send queue past 64 KiB ("), "\(answer)")
        #expect(answer.message.hasSuffix("wait for the peer to read; set queuecap)"), "\(answer)")
        #expect(session.snapshot == before)
    }

    /// An `expect` searches each received byte once, however many reads it waits through, and
    /// finds a needle split across reads.
    @Test func expectSearchesIncrementallyAcrossReads() throws {
        var buffer = ExpectBuffer(limit: 1 << 20)
        let needle = Array("NEEDLE-\(String(repeating: "n", count: 4000))-END".utf8)
        var scanned: UInt64 = 0
        for index in 0..<64 {
            buffer.append([UInt8](repeating: UInt8(ascii: "n"), count: 16_000 + index))
            #expect(buffer.firstMatch(needle, from: max(buffer.start, scanned)) == nil)
            scanned = buffer.end - UInt64(needle.count - 1)
        }
        // The needle arrives in three reads, its parts across the chunk boundaries.
        buffer.append(Array(needle[0..<10]))
        buffer.append(Array(needle[10..<3000]))
        buffer.append(Array(needle[3000...]) + Array("tail".utf8))
        let end = try #require(buffer.firstMatch(needle, from: max(buffer.start, scanned)))
        #expect(end == buffer.end - 4)
        // The same match from the window's start (an expect that began late).
        #expect(buffer.endOfFirstMatch(needle) == Int(end - buffer.start))
    }

    @Test func expectMatchesAcrossReadsInARealSession() throws {
        let session = try EngineSession()
        #expect(session.status("pair").ok)
        for part in ["he", "llo wo", "rld"] { #expect(session.status("send #1 \(part)").ok) }
        #expect(session.status("expect #2 \"lo wor\" timeout=5") == Status.ok(#"matched "lo wor" on #2"#))
        #expect(session.status("expect #2 ld timeout=5") == Status.ok(#"matched "ld" on #2"#))
    }

    /// A million one-byte replies queued leave in few writes and drain in linear time.
    @Test func manyTinyPiecesMergeAndDrainLinearly() {
        var queue = SendQueue()
        for index in 0..<400_000 { queue.append([UInt8(truncatingIfNeeded: index)]) }
        #expect(queue.byteCount == 400_000 && queue.memoryBytes == 400_000)
        var writes = 0
        var drained: [UInt8] = []
        while !queue.isEmpty {
            _ = queue.drain(limit: 1 << 20) { raw in
                writes += 1
                drained.append(contentsOf: raw)
                return raw.count
            }
        }
        #expect(writes <= 400_000 / SendQueue.mergeBelow + 2, "\(writes) writes")
        #expect(drained.count == 400_000)
        #expect(drained.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset) })
        #expect(queue.memoryBytes == 0)
    }

    /// Connection churn leaves counters, not rows: beyond `keepclosed`, closed sockets fold.
    @Test func closedSocketsFoldBeyondKeepclosed() throws {
        let session = try EngineSession()
        #expect(session.run("set keepclosed 20", "listen 0").allOK)
        let port = session.port(of: 1)
        for index in 1...150 {
            let peer = try PeerConnection.connect(port: port)
            peer.close()
            if index % 50 == 0 { #expect(session.pump(until: { session.entry(1)?.acceptedCount == index }, timeout: 20)) }
        }
        #expect(session.pump(until: { session.entry(1)?.acceptedCount == 150 && session.engine.table.openConnections.isEmpty }, timeout: 20))
        #expect(session.engine.table.connections.count == 20, "\(session.engine.table.connections.count) rows kept")
        #expect(session.engine.table.folded.count == 130)
        #expect(session.status("info session").ok)
        #expect(session.lines.contains { $0.hasPrefix("  130 older closed sockets folded into counters") }, "\(session.lines.suffix(6))")
        #expect(session.failing("select #2") == Status.error("select: no socket #2"))
        #expect(session.entry(1)?.state == .listening, "the listener is not folded")
    }

    /// The expect windows of many sockets share one bound.
    @Test func expectWindowsShareOneTotalBound() throws {
        let session = try EngineSession()
        #expect(session.status("listen 0").ok)
        let port = session.port(of: 1)
        var peers: [PeerConnection] = []
        defer { peers.forEach { $0.close() } }
        let block = [UInt8](repeating: 0x63, count: 512 << 10)
        for _ in 0..<48 {
            let peer = try PeerConnection.connect(port: port)
            peers.append(peer)
            peer.send(block)
        }
        #expect(session.pump(until: {
            session.engine.table.connections.reduce(0) { $0 + $1.bytesIn } == UInt64(48 * block.count)
        }, timeout: 30))
        #expect(session.engine.waits.windowBytes <= Limits.expectWindowTotal, "\(session.engine.waits.windowBytes)")
        // The newest bytes are still there to match.
        peers[47].send(Array("LAST".utf8))
        #expect(session.status("expect #49 LAST timeout=5").ok)
    }
}

extension PeerConnection {
    /// Sends what the kernel takes now of `block`, at most `limit` bytes; returns how many.
    func sendAvailable(_ block: [UInt8], upTo limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        let count = block.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, min($0.count, limit), Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        return max(0, count)
    }
}
