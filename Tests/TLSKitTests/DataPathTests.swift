// DataPathTests.swift — reading and writing once the handshake is done: bounded reads that gather
// several records, input OpenSSL holds that epoll cannot see, partial writes from a caller's queue
// that moves, a flood from Python's ssl, close_notify both ways, an EOF without it.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

@Suite struct DataPathTests {
    /// Our client and server, handshaken, on one loop.
    private func pair(_ loop: TestLoop) throws -> (client: TLSSession, server: TLSSession, directory: TemporaryDirectory) {
        let serverContext = try TLSContext(server: TLSServerConfiguration())
        let directory = TemporaryDirectory()
        let pem = directory.write("server.pem", try #require(serverContext.localCertificatePEM))
        let (client, server) = try loop.sessionPair(client: try trustingClient(caFile: pem), server: serverContext)
        let (clientOutcome, serverOutcome) = loop.handshake(client, server)
        _ = try #require(clientOutcome.value, "\(clientOutcome)")
        _ = try #require(serverOutcome.value, "\(serverOutcome)")
        return (client, server, directory)
    }

    private func pattern(_ count: Int, from start: Int = 0) -> [UInt8] { (start..<(start + count)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }

    @Test func aFloodFromPythonArrivesWholeInBoundedReads() throws {
        let server = try ServerUnderTest()
        let total = 16 << 20
        let python = try PythonTLSPeer.start("client", ["--port", "\(server.port)", "--no-verify", "--flood", "\(total)"], in: server.directory)
        defer { python.kill() }
        let session = try server.accept()
        _ = try #require(server.loop.handshake(session).value)
        let (bytes, ending, reads) = server.loop.read(session, timeout: 60)
        #expect(ending == .closed(.closeNotify), "\(String(describing: ending))")
        #expect(bytes.count == total)
        #expect(reads.allSatisfy { $0 > 0 && $0 <= 65536 })
        // Python sends bytes(range(256)) repeated: byte i is i mod 256.
        #expect(bytes.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset) })
        // Read-ahead gathers records: most reads carry more than one 16 KiB record.
        #expect(reads.count < total / 16384, "\(reads.count) reads")
    }

    @Test func oneReadGathersEveryRecordAlreadyReceived() throws {
        let loop = try TestLoop()
        let (client, server, _) = try pair(loop)
        for part in 0..<4 { #expect(loop.writeAll(client, pattern(16384, from: part * 16384)).value == 16384) }
        // Wait until all four records are in the server's socket.
        let deadline = Date().addingTimeInterval(10)
        while (loop.system.bytesUnread(server.fd) ?? 0) < 4 * (16384 + 22) && Date() < deadline { usleep(1000) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        #expect(buffer.withUnsafeMutableBytes { server.read(into: $0) } == .done(65536))
        #expect(buffer == pattern(65536))
    }

    @Test func inputOpenSSLHoldsIsReportedBecauseEpollCannotSeeIt() throws {
        let loop = try TestLoop()
        let (client, server, _) = try pair(loop)
        #expect(loop.writeAll(client, pattern(10000)).value == 10000)
        var small = [UInt8](repeating: 0, count: 100)
        #expect(loop.drive(server.fd) { small.withUnsafeMutableBytes { server.read(into: $0) } } == .done(100))
        #expect(server.hasBufferedInput)
        // The rest comes without waiting for the socket: it is all in OpenSSL's buffer.
        var rest: [UInt8] = Array(small)
        while server.hasBufferedInput {
            guard case .done(let count) = small.withUnsafeMutableBytes({ server.read(into: $0) }) else { Issue.record("a buffered read waited"); break }
            rest += small[0..<count]
        }
        #expect(rest == pattern(10000))
        #expect(small.withUnsafeMutableBytes { server.read(into: $0) } == .wantRead)
    }

    /// The client's first bytes can come in the same recv as its Finished: the server's handshake
    /// takes them off the socket, so only `hasBufferedInput` tells that they are there.
    @Test func dataThatCameWithTheLastHandshakeFlightIsBuffered() throws {
        let loop = try TestLoop()
        let serverContext = try TLSContext(server: TLSServerConfiguration())
        let (client, server) = try loop.sessionPair(client: try TLSContext(client: TLSClientConfiguration(host: "localhost", verify: false)),
                                                    server: serverContext)
        #expect(client.handshake() == .wantRead)
        #expect(loop.drive(server.fd) { server.handshake() } == .wantRead)
        _ = try #require(loop.drive(client.fd) { client.handshake() }.value)
        #expect(loop.writeAll(client, "first words").value == 11)
        // Both the Finished and the data are in the server's socket before it looks.
        let deadline = Date().addingTimeInterval(10)
        while (loop.system.bytesUnread(server.fd) ?? 0) < 80 + 11 + 22 && Date() < deadline { usleep(1000) }
        _ = try #require(server.handshake().value)
        #expect(loop.system.bytesUnread(server.fd) == 0)  // epoll will not report them
        #expect(server.hasBufferedInput)
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(buffer.withUnsafeMutableBytes { server.read(into: $0) } == .done(11))
        #expect(String(decoding: buffer.prefix(11), as: UTF8.self) == "first words")
        #expect(!server.hasBufferedInput)
    }

    /// Half a record after the handshake: it sits in OpenSSL, `hasBufferedInput` says to try, the
    /// read answers wantRead and the flag drops, so a "read while buffered" loop cannot spin. The
    /// test stands in the middle and forwards the ciphertext itself.
    @Test func halfARecordIsBufferedInputOnlyUntilTheNextRead() throws {
        let loop = try TestLoop()
        let (listener, port) = try loop.listen()
        let clientFD = try loop.connect(port: port), clientSide = try loop.accept(listener)
        let serverSide = try loop.connect(port: port), serverFD = try loop.accept(listener)
        let client = try TLSSession(context: try TLSContext(client: TLSClientConfiguration(host: "localhost", verify: false)),
                                    fd: clientFD, system: loop.system)
        let server = try TLSSession(context: try TLSContext(server: TLSServerConfiguration()), fd: serverFD, system: loop.system)
        func forward(_ from: FileDescriptor, _ to: FileDescriptor, keep: Int = 0) throws -> [UInt8] {
            let bytes = try loop.receivePlain(from, timeout: 0.2) { _ in false }
            try loop.sendPlain(to, Array(bytes.dropLast(keep)))
            return Array(bytes.suffix(keep))
        }
        #expect(client.handshake() == .wantRead)
        _ = try forward(clientSide, serverSide)               // ClientHello
        #expect(server.handshake() == .wantRead)
        _ = try forward(serverSide, clientSide)               // ServerHello … Finished
        _ = try #require(client.handshake().value)
        #expect(loop.writeAll(client, "0123456789").value == 10)
        let held = try forward(clientSide, serverSide, keep: 16)  // Finished and the record but its last 16 bytes
        #expect(held.count == 16)
        usleep(50_000)
        _ = try #require(server.handshake().value)
        #expect(server.hasBufferedInput)
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(buffer.withUnsafeMutableBytes { server.read(into: $0) } == .wantRead)
        #expect(!server.hasBufferedInput)
        try loop.sendPlain(serverSide, held)
        #expect(loop.drive(server.fd) { buffer.withUnsafeMutableBytes { server.read(into: $0) } } == .done(10))
        #expect(String(decoding: buffer.prefix(10), as: UTF8.self) == "0123456789")
    }

    /// The caller's queue is the source of truth: `done(n)` takes n bytes; after `wantWrite` the same
    /// head goes in again, here from a fresh copy at another address every time.
    @Test func partialWritesTakeFromTheCallersQueueEvenWhenItMoves() throws {
        let loop = try TestLoop()
        let (client, server, _) = try pair(loop)
        let total = 8 << 20
        let queue = pattern(total)
        var sentTotal = 0
        var sawWantWrite = false
        var received: [UInt8] = []
        received.reserveCapacity(total)
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(60)
        while (sentTotal < total || received.count < total) && Date() < deadline {
            if sentTotal < total {
                let moved = Array(queue[sentTotal..<min(total, sentTotal + (1 << 20))])  // a new buffer each call
                switch moved.withUnsafeBytes({ client.write($0) }) {
                case .done(let count):
                    #expect(count > 0 && count <= moved.count)
                    sentTotal += count
                case .wantWrite:
                    sawWantWrite = true
                    #expect(client.writeWaitsFor == .writable)
                    #expect(client.interest(reading: false, writing: true) == .writable)
                default:
                    Issue.record("write ended: \(client.state)")
                    return
                }
            }
            // The receiver reads only after the sender has been told to wait, then a bounded amount.
            if sawWantWrite {
                for _ in 0..<8 {
                    guard case .done(let count) = buffer.withUnsafeMutableBytes({ server.read(into: $0) }) else { break }
                    received += buffer[0..<count]
                }
            }
            if !sawWantWrite { continue }
            _ = loop.waitAny([(client.fd, sentTotal < total ? .writable : []), (server.fd, .readable)], until: Date().addingTimeInterval(1))
        }
        #expect(sawWantWrite)
        #expect(sentTotal == total)
        #expect(received.count == total)
        #expect(received == pattern(total))
    }

    @Test func closeNotifyBothWaysWithDataAfterTheFirst() throws {
        let loop = try TestLoop()
        let (client, server, _) = try pair(loop)
        var events: [String] = []
        server.onEvent = { events.append("server " + $0.description) }
        client.onEvent = { events.append("client " + $0.description) }
        #expect(loop.drive(client.fd) { client.shutdown() } == .done(.closeNotifySent))
        #expect(client.state == .closing)
        #expect(loop.writeAll(client, "too late").error?.description == "write: our close_notify is already sent")
        #expect(loop.read(server).ending == .closed(.closeNotify))
        #expect(server.state == .closed(.closeNotify))
        // TLS closes one direction at a time: the server may still send, the client still reads.
        #expect(loop.writeAll(server, "parting words").value == 13)
        #expect(loop.read(client, untilContains: "parting words").ending == nil)
        #expect(loop.drive(server.fd) { server.shutdown() } == .done(.complete))
        #expect(loop.read(client).ending == .closed(.closeNotify))
        #expect(events == ["client alert sent: warning close_notify", "server alert received: warning close_notify",
                           "server alert sent: warning close_notify", "client alert received: warning close_notify"])
    }

    @Test func anEOFWithoutCloseNotifyIsAClosureWorthShowing() throws {
        let loop = try TestLoop()
        let (client, server, _) = try pair(loop)
        #expect(loop.writeAll(client, "last").value == 4)
        // Take the server's TLS 1.3 session tickets first: closing with unread bytes would send RST.
        #expect(loop.read(client, timeout: 0.5).ending == .wantRead)
        loop.close(client.fd)  // no close_notify
        let (bytes, ending, _) = loop.read(server)
        #expect(bytes == Array("last".utf8))
        #expect(ending == .closed(.withoutCloseNotify))
        #expect(TLSClosure.withoutCloseNotify.rawValue == "EOF without close_notify")
        #expect(server.shutdown() == .done(.skipped))
        #expect(server.interest(reading: true, writing: true) == [])
    }

    @Test func operationsTheStateDoesNotAllowAreUsageErrors() throws {
        let loop = try TestLoop()
        let (listener, port) = try loop.listen()
        let session = try TLSSession(context: try trustingClient(), fd: try loop.connect(port: port), system: loop.system)
        _ = listener
        var buffer = [UInt8](repeating: 0, count: 16)
        let early = buffer.withUnsafeMutableBytes { session.read(into: $0) }
        #expect(early.error == TLSError(kind: .usage, operation: "read", reason: "the handshake has not completed"))
        #expect(Array("x".utf8).withUnsafeBytes { session.write($0) }.error?.kind == .usage)
        #expect(session.shutdown() == .done(.skipped))
        #expect(session.state == .handshaking)
        #expect(session.interest(reading: true, writing: true) == .writable)  // the ClientHello is still to be sent
    }
}
