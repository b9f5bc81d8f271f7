// StepErrorTests.swift — calls made in the wrong order or at the wrong time get the kernel's own
// answer (PRODUCT.md §7), shown as `error: CALL #N: ERRNO (message)`, and change nothing else;
// `read`/`write` show exactly what one call returned (EAGAIN, a short write); `explain` puts the
// seed's PHP beside the calls.

@testable import ExplorerCore
import SocketKit
import Foundation
import Testing

struct StepErrorTests {
    /// The table as a comparable value: every socket's state, role pane and local address.
    private func snapshot(_ session: EngineSession) -> [String] {
        session.engine.table.order.compactMap { session.engine.table[$0] }.map {
            "\($0.id) \($0.state.name) \($0.role.isListening) \($0.local.map { "\($0)" } ?? "-") \($0.backlog)"
        }
    }

    /// Runs `command`, expects the error `message`, and that the table did not change.
    private func expectRefusal(_ session: EngineSession, _ command: String, _ message: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let before = snapshot(session)
        let status = session.status(command)
        #expect(!status.ok, sourceLocation: sourceLocation)
        #expect(status.message == message, sourceLocation: sourceLocation)
        #expect(snapshot(session) == before, sourceLocation: sourceLocation)
    }

    @Test func bindToAPortInUseIsEADDRINUSE() throws {
        let session = try EngineSession()
        #expect(session.run("listen 0", "socket tcp").allOK)
        expectRefusal(session, "bind #2 127.0.0.1:\(session.port(of: 1))", "bind #2: EADDRINUSE (Address already in use)")
        #expect(session.entry(2)?.state == .created)
        #expect(session.entry(2)?.local == nil)
    }

    @Test func aSecondBindIsEINVALAndTheFirstAddressStays() throws {
        let session = try EngineSession()
        #expect(session.run("socket tcp", "bind #1 127.0.0.1:0").allOK)
        expectRefusal(session, "bind #1 127.0.0.1:0", "bind #1: EINVAL (Invalid argument)")
        #expect(session.entry(1)?.state == .bound)
    }

    @Test func listenOnUDPIsEOPNOTSUPP() throws {
        let session = try EngineSession()
        #expect(session.run("socket udp").allOK)
        expectRefusal(session, "listen #1", "listen #1: EOPNOTSUPP (Operation not supported)")
        #expect(session.entry(1)?.state == .created)
    }

    @Test func callsOnACreatedSocketGetTheKernelsAnswer() throws {
        let session = try EngineSession()
        #expect(session.run("socket tcp").allOK)
        expectRefusal(session, "read #1", "read #1: ENOTCONN (Transport endpoint is not connected)")
        expectRefusal(session, "write #1 hello", "write #1: EPIPE (Broken pipe)")
        expectRefusal(session, "accept #1", "accept #1: EINVAL (Invalid argument)")
    }

    @Test func readOnAListenerAndConnectOnAListener() throws {
        let session = try EngineSession()
        #expect(session.run("socket tcp", "bind #1 127.0.0.1:0", "listen #1").allOK)
        expectRefusal(session, "read #1", "read #1: ENOTCONN (Transport endpoint is not connected)")
        expectRefusal(session, "connect #1 127.0.0.1:\(session.port(of: 1))", "connect #1: EISCONN (Transport endpoint is already connected)")
        #expect(session.entry(1)?.state == .listening)
    }

    /// Non-blocking: accept with nobody waiting and read with nothing arrived are EAGAIN at once.
    @Test func nonBlockingCallsAnswerEAGAIN() throws {
        let session = try EngineSession()
        #expect(session.run("socket tcp", "bind #1 127.0.0.1:0", "listen #1", "nonblock #1 on").allOK)
        expectRefusal(session, "accept #1", "accept #1: EAGAIN (Resource temporarily unavailable): nobody waits in the backlog")
        #expect(session.run("socket tcp", "nonblock #2 on", "connect #2 127.0.0.1:\(session.port(of: 1))").allOK)
        // The handshake ends in the kernel; #2 shows connecting… until the loop sees it.
        #expect(session.pump(until: { session.entry(2)?.state == .established }))
        #expect(session.run("accept #1").allOK)
        #expect(session.run("nonblock #3 on").allOK)
        expectRefusal(session, "read #3", "read #3: EAGAIN (Resource temporarily unavailable): nothing has arrived")
        #expect(session.run("write #2 ping", "read #3").allOK)
        #expect(session.bytes(.recv, on: 3) == Array("ping".utf8))
    }

    /// A peer that does not read, a small send buffer, one big write: the call takes part of it
    /// and says so; nothing else is queued.
    @Test func aShortWriteSaysHowMuchWent() throws {
        let directory = try TemporaryDirectory()
        let big = directory.file("big.bin")
        try Data(repeating: 0x61, count: 4 << 20).write(to: URL(fileURLWithPath: big))
        let session = try EngineSession()
        #expect(session.run("socket tcp", "bind #1 127.0.0.1:0", "listen #1", "socket tcp", "sockopt #2 sndbuf 4096").allOK)
        #expect(session.run("connect #2 127.0.0.1:\(session.port(of: 1))").allOK)
        let status = session.status("write #2 @\(big)")
        #expect(status.ok, "\(status)")
        let sent = session.bytes(.send, on: 2).count
        #expect(sent > 0 && sent < 4 << 20)
        #expect(status.message == "wrote \(sent) of \(4 << 20) bytes to #2: a short write; the other \((4 << 20) - sent) were not sent")
        #expect(session.entry(2)?.queuedOut == 0)
        // Once the buffers on both sides are full, a call takes nothing: EAGAIN.
        var full: Status?
        for _ in 0..<50 {
            let again = session.status("write #2 @\(big)")
            if !again.ok { full = again; break }
        }
        #expect(full?.message == "write #2: EAGAIN (Resource temporarily unavailable): the send buffer is full")
    }

    /// With trace and explain on, the step calls' trace lines carry the seed's PHP call and the C
    /// prototype; a bare `explain` explains the last step command's calls.
    @Test func explainPutsThePHPCallBesideEachTraceLine() throws {
        let session = try EngineSession()
        #expect(session.run("trace on", "explain on", "socket tcp", "bind #1 127.0.0.1:0", "listen #1 backlog=4").allOK)
        #expect(session.run("socket tcp", "connect #2 127.0.0.1:\(session.port(of: 1))", "accept #1", "write #2 hi",
                            "read #3", "sockopt #3 nodelay on", "shutdown #3 wr", "close #2").allOK)
        let port = session.port(of: 1)
        let traced = session.lines(containing: "trace ")
        let expected = [
            "= socket_create(AF_INET, SOCK_STREAM, 0) · int socket(int domain, int type, int protocol)",
            "bind(", "· PHP socket_bind($sock, '127.0.0.1', 0) · int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)",
            "listen(", ", 4) = 0   · PHP socket_listen($sock, 4) · int listen(int sockfd, int backlog)",
            "· PHP socket_connect($sock, '127.0.0.1', \(port))",
            "= socket_accept($sock) · int accept4(",
            "· PHP socket_write($sock, $data, 2) · ssize_t send(",
            "= socket_read($sock, 8192) · ssize_t recv(",
            "· PHP socket_set_option($sock, ", "TCP_NODELAY, 1) · int setsockopt(",
            "· PHP socket_shutdown($sock, 1) · int shutdown(int sockfd, int how)",
            "· PHP socket_close($sock) · int close(int fd)",
        ]
        for part in expected {
            #expect(traced.contains { $0.contains(part) }, "no trace line with \(part) in \(traced)")
        }
        #expect(session.run("explain off", "read #3").allOK)
        #expect(session.lastStatus?.message == "read #3: 0 bytes: the peer closed its side (socket_read returns '')")
        #expect(session.lines.last(where: { $0.contains("recv(") })?.contains("PHP") == false)

        let before = session.lines.count
        #expect(session.run("explain").allOK)
        let explained = Array(session.lines[before...])
        #expect(explained.contains { $0.contains("recv(") && $0.hasSuffix(") = 0") }, "\(explained)")
        #expect(explained.contains { $0.hasSuffix("PHP   $data = socket_read($sock, 8192)") }, "\(explained)")
        #expect(explained.contains { $0.hasSuffix("note  0 bytes: the peer closed its side (socket_read returns '')") }, "\(explained)")
        #expect(session.status("explain bind(7, 127.0.0.1:5000) = -1 EADDRINUSE (Address already in use)").ok)
        #expect(session.lines.contains { $0.hasSuffix("PHP   socket_bind($sock, '127.0.0.1', 5000)") })
        #expect(session.lines.contains { $0.hasSuffix("note  in PHP: false, and socket_last_error() is 98") })
    }

    @Test func helpPHPPrintsTheWholeTable() throws {
        let session = try EngineSession()
        #expect(session.status("help php").ok)
        for name in PHPFunctionTable.seedNames {
            #expect(session.lines.contains { $0.hasPrefix(name + " ") || $0.contains(" " + name + " ") }, "\(name)")
        }
        #expect(session.status("help php socket_bind").ok)
        #expect(session.lines.contains { $0.contains("int bind(int sockfd") })
        #expect(!session.status("help php socket_nope").ok)
    }
}

/// The bounds step mode adds (SECURITY.md's limits table).
struct StepBoundsTests {
    /// `explain` keeps at most `Stepping.maxCalls` calls of the last step command, the first ones.
    @Test func theLastStepCommandsCallsAreBounded() {
        let stepping = Stepping()
        stepping.startCalls()
        for index in 0..<(Stepping.maxCalls * 4) {
            stepping.note(TraceRecord(call: "poll", arguments: "\(index), POLLIN, 0", result: 0, errorCode: nil))
        }
        #expect(stepping.lastCalls.count == Stepping.maxCalls)
        #expect(stepping.lastCalls.first?.arguments == "0, POLLIN, 0")
        stepping.startCalls()
        #expect(stepping.lastCalls.isEmpty)
    }

    /// `read N` reads into one buffer of N bytes: N above the maximum is refused when parsed.
    @Test func readsAreBoundedByOneBuffer() throws {
        let session = try EngineSession()
        #expect(!session.status("read \(Engine.stepReadMaximum + 1)").ok)
        #expect(session.run("socket udp", "bind #1 127.0.0.1:0", "socket udp").allOK)
        // A datagram larger than the read keeps only what fits (the kernel's MSG_TRUNC), never more.
        #expect(session.run("write #2 to=127.0.0.1:\(session.port(of: 1)) 0123456789").allOK)
        #expect(session.status("read #1 4").ok)
        #expect(session.bytes(.recv, on: 1) == Array("0123".utf8))
    }
}
