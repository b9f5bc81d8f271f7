// FaultMatrixTests.swift — the faults of the issue's matrix that ErrorTests and
// CloseShutdownResetTests do not already cover, against a real Engine on loopback: each asserts
// what the user sees (status, log event, socket state) and that the engine still works after.
// (Too many open files lowers the process's descriptor limit, so it runs in a subprocess:
// EndToEndTests/Headless/HeadlessFaultTests.)

import ExplorerCore
import Foundation
import Glibc
import Testing

@Suite struct FaultMatrixTests {
    /// The errno a plain `bind` of a Unix socket at `path` gets from the kernel (0 when it works).
    private func kernelBindErrno(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        if PeerEndpoint.unix(path).withSockAddr({ bind(fd, $0, $1) }) == 0 {
            unlink(path)
            return 0
        }
        return errno
    }

    /// A bind the kernel refuses for lack of permission. As root (CI) directory modes do not
    /// apply, so the path is in sysfs, where nobody may create files; otherwise a read-only directory.
    @Test func bindPermissionDenied() throws {
        let directory = try TemporaryDirectory()
        let path: String
        if geteuid() == 0 {
            path = "/sys/sockpit-test-\(getpid()).sock"
        } else {
            #expect(chmod(directory.path, 0o555) == 0)
            path = directory.file("s.sock")
        }
        defer { chmod(directory.path, 0o755) }
        let code = kernelBindErrno(path)
        let reasons: [Int32: String] = [
            EACCES: "EACCES (Permission denied)", EPERM: "EPERM (Operation not permitted)", EROFS: "EROFS (Read-only file system)",
        ]
        let reason = try #require(reasons[code], "the kernel allowed (or refused otherwise: errno \(code)) a bind at \(path)")
        let session = try EngineSession()
        let before = session.snapshot
        #expect(session.failing("listen unix \(path)") == Status.error("bind \(path): \(reason)"))
        #expect(session.snapshot == before)
        session.expectResponsive()
    }

    /// 100,000 one-byte datagrams: each is its own log entry; the log stays within its cap and
    /// counts what it evicted; every byte is counted and kept in order.
    @Test func aHundredThousandTinyDatagrams() throws {
        let session = try EngineSession()
        #expect(session.run("set logcap 1MiB", "listen udp 127.0.0.1:0").allOK)
        let port = session.port(of: 1)
        let peer = try PeerDatagramSocket()
        var sent = 0
        let started = Date()
        while sent < 100_000 {
            // In bursts the receive buffer holds, so the kernel drops nothing and the count is exact.
            for _ in 0..<200 {
                peer.send([UInt8(truncatingIfNeeded: sent)], to: port)
                sent += 1
            }
            #expect(session.pump(until: { session.entry(1)?.datagramsIn == UInt64(sent) }, timeout: 10), "stuck at \(sent)")
            if session.entry(1)?.datagramsIn != UInt64(sent) { break }
        }
        #expect(Date().timeIntervalSince(started) < 120)
        #expect(session.entry(1)?.bytesIn == 100_000)
        let received = session.bytes(.recv, on: 1)
        #expect(received.count == 100_000)
        #expect(received.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset) }, "out of order")
        #expect(session.entries.filter { $0.kind == .recv }.count == 100_000, "each datagram is its own entry")
        let log = session.engine.log
        #expect(log.keptBytes <= 1 << 20, "the log grew past its cap: \(log.keptBytes)")
        #expect(log.evictedEntries > 80_000, "\(log.evictedEntries) evicted")
        #expect(session.status("info #1").ok)
        #expect(session.lines.contains("  in  100000 bytes in 100000 datagrams   out 0 bytes in 0 datagrams"), "\(session.lines.suffix(9))")
        session.expectResponsive()
    }

    /// 100,000 one-byte writes on a stream: every byte arrives, in order, counted exactly.
    @Test func aHundredThousandTinyStreamWrites() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        let peer = try session.connect(to: peers)
        var one: Int32 = 1
        setsockopt(peer.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let writer = Thread { for index in 0..<100_000 { peer.send([UInt8(truncatingIfNeeded: index &* 7)]) } }
        writer.start()
        #expect(session.pumpUntilReceived(100_000, on: 1, timeout: 60))
        let received = session.bytes(.recv, on: 1)
        #expect(received.count == 100_000)
        #expect(received.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset &* 7) }, "out of order")
        #expect(session.entry(1)?.bytesIn == 100_000)
        session.expectResponsive()
    }

    /// The most a TCP receive buffer grows to (net.ipv4.tcp_rmem's third value).
    static func tcpReceiveBufferMaximum() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/tcp_rmem", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }.last ?? (6 << 20)
    }

    /// A peer that never reads while 100 MB are sent: the queue grows and shows (entry, `info`),
    /// other sockets keep working meanwhile, and `reset` drops the queue.
    @Test func aPeerThatNeverReads() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("100mb.bin")
        #expect(FileManager.default.createFile(atPath: file, contents: nil) && truncate(file, 100_000_000) == 0)
        let (listener, port) = try listeningSocket(.ipv4("127.0.0.1", 0), backlog: 4)
        defer { close(listener) }  // never accepts, so never reads
        let session = try EngineSession()
        // A fixed send buffer (no autotuning), so once it is full the kernel takes nothing more.
        #expect(session.run("connect 127.0.0.1:\(port)", "sockopt sndbuf 65536").allOK)
        let status = session.status("send @\(file)")
        #expect(status.message.hasPrefix("queued 100000000 bytes for #1 ("), "\(status)")
        // Every byte is either sent or queued, at every moment; a peer that reads nothing takes at
        // most its receive window (tcp_rmem's maximum) and our fixed send buffer, so most stays queued.
        func accounted(_ total: UInt64) -> Bool {
            guard let entry = session.entry(1) else { return false }
            return entry.bytesOut + UInt64(entry.queuedOut) == total
        }
        let windowLimit = UInt64(Self.tcpReceiveBufferMaximum() + 4 * 65_536)
        #expect(accounted(100_000_000))
        session.expectResponsive()
        #expect(accounted(100_000_000))
        #expect((session.entry(1)?.bytesOut ?? .max) <= windowLimit, "the kernel took more than a non-reader's window")
        let queued = session.entry(1)?.queuedOut ?? 0
        #expect(queued > 90_000_000 && queued < 100_000_000, "\(queued)")
        #expect(session.status("send #1 1 more MB: \(String(repeating: "m", count: 1 << 20))").ok)
        let total: UInt64 = 100_000_000 + 11 + (1 << 20)
        #expect(accounted(total), "the new send is neither sent nor queued")
        session.expectResponsive()
        #expect(accounted(total), "bytes left for a peer that reads nothing")
        #expect((session.entry(1)?.bytesOut ?? .max) <= windowLimit, "the kernel took more than a non-reader's window")
        let beforeInfo = session.entry(1)?.queuedOut ?? 0
        #expect(session.status("info #1").ok)
        let shown = session.lines.compactMap { line -> Int? in
            guard let range = line.range(of: "; sockpit queue ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }.last
        #expect(shown.map { $0 <= beforeInfo && $0 >= (session.entry(1)?.queuedOut ?? 0) } == true,
                "info shows the queue: \(String(describing: shown)), \(session.lines.suffix(8))")
        session.expectResponsive()
        #expect(session.status("reset #1").ok)
        #expect(session.entry(1)?.queuedOut == 0)
        #expect(session.entry(1)?.state == .closed)
    }

    /// `set maxconns N`: connections beyond it are accepted and closed at once, logged and counted.
    @Test func maxconnsRefusesAndCounts() throws {
        let session = try EngineSession()
        #expect(session.run("set maxconns 3", "listen 0").allOK)
        let port = session.port(of: 1)
        let first = try PeerConnection.connect(port: port)
        let second = try PeerConnection.connect(port: port)
        defer { first.close(); second.close() }
        #expect(session.pump(until: { session.entry(3)?.state == .established }))
        let third = try PeerConnection.connect(port: port)
        defer { third.close() }
        #expect(session.pump(until: { session.entry(1)?.refusedCount == 1 }))
        #expect(session.lines.last == "#1 ! refused \(third.localDescription): maxconns 3 reached (set maxconns N)")
        #expect(session.readUntilClosed(third).eof, "the refused peer was not closed at once")
        #expect(session.entry(4) == nil, "a refused connection got an id")
        #expect(session.status("info #1").ok)
        #expect(session.lines.contains("  backlog 128, accepted 2, waiting 0, accept=auto, refused 1"), "\(session.lines.suffix(8))")
        first.close()
        #expect(session.pump(until: { session.entry(2)?.state == .closed }))
        let fourth = try PeerConnection.connect(port: port)
        defer { fourth.close() }
        #expect(session.pump(until: { session.entry(4)?.state == .established }), "room freed by a close was not reused")
        #expect(session.status("set maxconns 10000").ok)
        session.expectResponsive()
    }
}
