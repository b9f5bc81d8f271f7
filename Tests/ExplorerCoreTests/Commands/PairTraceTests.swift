// PairTraceTests.swift — `pair` (a connected socketpair to play with) and `trace on|off` (every
// system call in the log, with arguments, result and errno).

import ExplorerCore
import Foundation
import Testing

@Suite struct PairTraceTests {
    @Test func pairIsTwoConnectedEnds() throws {
        let session = try EngineSession()
        #expect(session.status("pair") == Status.ok("paired #1 ⇄ #2; #1 is selected"))
        #expect(session.lines == ["#1 paired with #2 (socketpair AF_UNIX SOCK_STREAM)", "#2 paired with #1"])
        #expect(session.entry(1)?.role == .paired(with: SocketID(2)))
        #expect(session.entry(2)?.role == .paired(with: SocketID(1)))
        #expect(session.entry(1)?.state == .established)
        #expect(session.entry(2)?.transport == .unix)
        #expect(session.engine.selected == SocketID(1))

        #expect(session.status("send left to right").ok)
        #expect(session.pumpUntilReceived(13, on: 2))
        #expect(session.lines.suffix(2) == [#"#1 > 13 "left to right""#, #"#2 < 13 "left to right""#])
        #expect(session.status(#"send #2 x"00 ff""#).ok)
        #expect(session.pumpUntilReceived(2, on: 1))
        #expect(session.bytes(.recv, on: 1) == [0x00, 0xff])

        #expect(session.status("close #1").ok)
        #expect(session.pump(until: { session.entry(2)?.state == .closed }))
        #expect(session.lines.suffix(2) == ["#2 eof from peer", "#2 closed"])
    }

    @Test func traceShowsEverySystemCallUntilOff() throws {
        let peers = try PeerCollector()
        defer { peers.stop() }
        let session = try EngineSession()
        #expect(session.status("trace on") == Status.ok("trace on"))
        #expect(session.lines == ["trace on: every system call is logged"])
        #expect(session.engine.settings.trace)
        let peer = try session.connect(to: peers)
        let traced = session.lines.filter { $0.contains("trace ") }
        #expect(traced.contains { $0.hasPrefix("trace socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0) = ") }, "\(traced)")
        #expect(traced.contains { $0.hasPrefix("#1 trace connect(") && $0.hasSuffix(", 127.0.0.1:\(peers.port)) = -1 EINPROGRESS (Operation now in progress)") },
                "\(traced)")
        #expect(traced.contains { $0.hasPrefix("#1 trace getsockopt(") && $0.hasSuffix(", SOL_SOCKET, SO_ERROR) = 0") }, "\(traced)")

        #expect(session.status("send hi").ok)
        #expect(session.lines.contains { $0.hasPrefix("#1 trace send(") && $0.hasSuffix(", 2 bytes, MSG_NOSIGNAL) = 2") })
        #expect(session.read(peer, count: 2) == Array("hi".utf8))

        #expect(session.status("trace off") == Status.ok("trace off"))
        #expect(!session.engine.settings.trace)
        let before = session.lines.count
        #expect(session.status("send quiet").ok)
        #expect(session.lines[before...] == [#"#1 > 5 "quiet""#])
    }

    @Test func traceShowsAFailedCallsErrno() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0", "trace on").allOK)
        let port = session.port(of: 1)
        _ = session.failing("listen \(port)")
        #expect(session.lines.contains { $0.hasPrefix("trace bind(") && $0.hasSuffix(", 127.0.0.1:\(port)) = -1 EADDRINUSE (Address already in use)") },
                "\(session.lines)")
    }

    @Test func setTraceIsTheSameSwitch() throws {
        let session = try EngineSession()
        #expect(session.status("set trace on") == Status.ok("trace = on"))
        #expect(session.status("pair").ok)
        #expect(session.lines.contains { $0.hasPrefix("trace socketpair(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0) = 0") }, "\(session.lines)")
    }
}

/// `trace` tells the truth: the calls a command makes besides the socket calls — files, queue
/// ioctls — appear too (SECURITY.md lists what is not traced and why).
@Suite struct TraceCoverageTests {
    @Test func fileAndQueueCallsAppearInTheTrace() throws {
        let directory = try TemporaryDirectory()
        let payload = directory.file("payload.bin")
        let script = directory.file("script.txt")
        try Data("abc".utf8).write(to: URL(fileURLWithPath: payload))
        try Data("echo from the script\n".utf8).write(to: URL(fileURLWithPath: script))
        let session = try EngineSession()
        #expect(session.run("pair", "pause #2", "trace on", "send #1 @\(payload)", "info #2", "source \(script)",
                            "save \(directory.file("saved.log"))").allOK)
        let traced = session.entries.filter { $0.kind == .trace }.map(\.text)
        for call in ["open(\"\(payload)\"", "fstat(", "pread(", "ioctl(", "SIOCINQ", "open(\"\(script)\"", "read(",
                     "open(\"\(directory.file("saved.log")).sockpit-", "write(", "fsync(", "rename("] {
            #expect(traced.contains { $0.contains(call) }, "no \(call) in the trace: \(traced.suffix(20))")
        }
    }
}
