// SocketCallsTests.swift — the socket API against real sockets on 127.0.0.1: the non-blocking
// connect/accept flow, data both ways, datagrams with their sender, shutdown, abortive close, socketpair.

import Glibc
import SocketKit
import Testing

@Suite struct SocketCallsTests {
    @Test func nonBlockingConnectAcceptAndBothAddresses() throws {
        let system = SystemCalls()
        let listener = try openListener(system, backlog: 4)
        defer { system.close(listener) }
        let listening = try #require(try system.localAddress(listener))
        #expect(listening.host == "127.0.0.1")
        #expect(listening.port != 0)
        #expect(try system.accept(listener) == nil) // nobody waiting yet: nil, not an error

        let client = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(client) }
        let immediately = try system.connect(client, to: listening)
        if !immediately {
            #expect(waitReady(client, POLLOUT) & Int32(POLLOUT) != 0)
        }
        #expect(system.pendingError(client) == 0)
        #expect(try system.peerAddress(client) == listening)

        #expect(waitReady(listener, POLLIN) & Int32(POLLIN) != 0)
        let accepted = try #require(try system.accept(listener))
        defer { system.close(accepted.fd) }
        let clientAddress = try #require(try system.localAddress(client))
        #expect(accepted.peer == clientAddress)
        #expect(try system.peerAddress(accepted.fd) == clientAddress)
        #expect(try system.localAddress(accepted.fd) == listening)
        // accept4 gave a non-blocking, close-on-exec socket.
        #expect(fcntl(accepted.fd, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(accepted.fd, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(client, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func anIPv6LoopbackConnectionCarriesBytes() throws {
        let system = SystemCalls()
        let listener = try system.openSocket(family: AF_INET6, transport: .tcp)
        defer { system.close(listener) }
        try system.bind(listener, to: #require(SocketAddress(numericHost: "::1", port: 0)))
        try system.listen(listener, backlog: 1)
        let address = try #require(try system.localAddress(listener))
        let client = try system.openSocket(family: AF_INET6, transport: .tcp)
        defer { system.close(client) }
        if try !system.connect(client, to: address) { waitReady(client, POLLOUT) }
        #expect(system.pendingError(client) == 0)
        waitReady(listener, POLLIN)
        let accepted = try #require(try system.accept(listener))
        defer { system.close(accepted.fd) }
        #expect(accepted.peer?.host == "::1")
        #expect(accepted.peer?.description == "[::1]:\(try #require(try system.localAddress(client)?.port))")
        #expect(try system.send(client, bytes("v6")) == 2)
        #expect(try system.receiveBytes(accepted.fd) == bytes("v6"))
    }

    @Test func connectToAClosedPortFailsWithECONNREFUSEDThroughPendingError() throws {
        let system = SystemCalls()
        let port = try refusedPort(system)
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        do {
            let connected = try system.connect(fd, to: .ipv4(address: [127, 0, 0, 1], port: port))
            #expect(!connected, "a refused connect cannot have completed")
            #expect(waitReady(fd, POLLOUT) != 0)
            #expect(system.pendingError(fd) == ECONNREFUSED)
            #expect(system.pendingError(fd) == 0) // SO_ERROR clears on read
        } catch {
            #expect(error.code == ECONNREFUSED) // loopback may refuse synchronously
        }
    }

    @Test func pendingErrorOfAClosedDescriptorIsEBADF() {
        #expect(SystemCalls().pendingError(-1) == EBADF)
    }

    @Test func sendAndReceiveBothWaysThenWouldBlock() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        #expect(try system.send(link.client, bytes("Ho\r\nfirst blood\r\n")) == 17)
        #expect(try system.receiveBytes(link.server) == bytes("Ho\r\nfirst blood\r\n"))
        #expect(try system.send(link.server, bytes("测试成功！")) == 15)
        #expect(try system.receiveBytes(link.client) == bytes("测试成功！"))
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(try buffer.withUnsafeMutableBytes { raw throws(SystemError) in try system.receive(link.client, into: raw) } == nil)
    }

    @Test func aFullSendBufferSaysWouldBlockAsNil() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        let chunk = [UInt8](repeating: 0x61, count: 65536)
        var total = 0
        var refused = false
        for _ in 0..<10_000 {
            guard let sent = try system.send(link.client, chunk) else { refused = true; break }
            total += sent
        }
        #expect(refused, "the peer never read, yet \(total) bytes were accepted")
        #expect(total > 0)
    }

    @Test func shutdownWriteGivesThePeerEOFButKeepsReceiving() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        #expect(try system.send(link.client, bytes("last words")) == 10)
        try system.shutdown(link.client, .write)
        #expect(try system.receiveBytes(link.server) == bytes("last words"))
        #expect(try system.receiveBytes(link.server) == []) // EOF
        #expect(try system.send(link.server, bytes("still here")) == 10)
        #expect(try system.receiveBytes(link.client) == bytes("still here"))
        let error = #expect(throws: SystemError.self) { try system.send(link.client, bytes("x")) }
        #expect(error?.description == "send: EPIPE (Broken pipe)")
    }

    @Test func shutdownReadAndBothAreAccepted() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { link.close(system) }
        try system.shutdown(link.server, .read)
        #expect(try system.receiveBytes(link.server) == [])
        try system.shutdown(link.client, .both)
        #expect(try system.receiveBytes(link.server) == [])
        #expect(ShutdownHow(rawValue: "rdwr") == .both)
        #expect(ShutdownHow(rawValue: "wr") == .write)
    }

    @Test func shutdownOfAnUnconnectedSocketIsENOTCONN() throws {
        let system = SystemCalls()
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        let log = TraceLog()
        system.tracer = { log.records.append($0) }
        #expect(throws: SystemError(call: "shutdown", code: ENOTCONN)) { try system.shutdown(fd, .write) }
        #expect(log.lines == ["shutdown(\(fd), SHUT_WR) = -1 ENOTCONN (Transport endpoint is not connected)"])
    }

    @Test func abortiveCloseResetsThePeerAndALaterSendIsEPIPENotSIGPIPE() throws {
        let system = SystemCalls()
        let link = try TCPLink(system)
        defer { system.close(link.client); system.close(link.listener) }
        try system.setAbortiveClose(link.server)
        #expect(try system.getOption(link.server, #require(SocketOption.named("linger"))) == .linger(on: true, seconds: 0))
        system.close(link.server)
        waitReady(link.client, POLLIN)
        let reset = #expect(throws: SystemError.self) { try system.receiveBytes(link.client) }
        #expect(reset?.description == "recv: ECONNRESET (Connection reset by peer)")
        // After the reset, the socket is dead: a send fails as a value (MSG_NOSIGNAL), never kills the process.
        let broken = #expect(throws: SystemError.self) { try system.send(link.client, bytes("anyone?")) }
        #expect(broken?.description == "send: EPIPE (Broken pipe)")
    }

    @Test func datagramsArriveWithTheirSender() throws {
        let system = SystemCalls()
        let a = try system.openSocket(family: AF_INET, transport: .udp)
        let b = try system.openSocket(family: AF_INET, transport: .udp)
        defer { system.close(a); system.close(b) }
        try system.bind(a, to: .loopbackV4)
        try system.bind(b, to: .loopbackV4)
        let aAddress = try #require(try system.localAddress(a))
        let bAddress = try #require(try system.localAddress(b))
        let sent = try bytes("ping").withUnsafeBytes { raw throws(SystemError) in try system.send(a, raw, to: bAddress) }
        #expect(sent == 4)
        waitReady(b, POLLIN)
        var buffer = [UInt8](repeating: 0, count: 64)
        let datagram = try #require(try buffer.withUnsafeMutableBytes { raw throws(SystemError) in try system.receiveFrom(b, into: raw) })
        #expect(datagram.count == 4)
        #expect(Array(buffer[0..<4]) == bytes("ping"))
        #expect(datagram.sender == aAddress)
        #expect(!datagram.truncated)
        #expect(try buffer.withUnsafeMutableBytes { raw throws(SystemError) in try system.receiveFrom(b, into: raw) } == nil)
    }

    @Test func aDatagramLongerThanTheBufferIsReportedTruncated() throws {
        let system = SystemCalls()
        let a = try system.openSocket(family: AF_INET, transport: .udp)
        let b = try system.openSocket(family: AF_INET, transport: .udp)
        defer { system.close(a); system.close(b) }
        try system.bind(b, to: .loopbackV4)
        let target = try #require(try system.localAddress(b))
        let log = TraceLog()
        system.tracer = { log.records.append($0) }
        _ = try bytes("0123456789").withUnsafeBytes { raw throws(SystemError) in try system.send(a, raw, to: target) }
        #expect(log.lines == ["sendto(\(a), 10 bytes, MSG_NOSIGNAL, \(target)) = 10"])
        waitReady(b, POLLIN)
        var buffer = [UInt8](repeating: 0, count: 4)
        let datagram = try #require(try buffer.withUnsafeMutableBytes { raw throws(SystemError) in try system.receiveFrom(b, into: raw) })
        #expect(datagram.count == 4)
        #expect(datagram.truncated)
        #expect(buffer == bytes("0123"))
    }

    @Test func sendToAnUnreachableFamilyNamesTheAddress() throws {
        let system = SystemCalls()
        let v4 = try system.openSocket(family: AF_INET, transport: .udp)
        defer { system.close(v4) }
        let target = try #require(SocketAddress(numericHost: "::1", port: 9))
        let error = #expect(throws: SystemError.self) {
            _ = try bytes("x").withUnsafeBytes { raw throws(SystemError) in try system.send(v4, raw, to: target) }
        }
        #expect(error?.description == "sendto [::1]:9: EAFNOSUPPORT (Address family not supported by protocol)")
    }

    @Test func socketPairIsConnectedUnnamedAndNonBlocking() throws {
        let system = SystemCalls()
        let (a, b) = try system.socketPair()
        defer { system.close(a); system.close(b) }
        #expect(fcntl(a, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(b, F_GETFD) & FD_CLOEXEC != 0)
        #expect(try system.localAddress(a) == .unix(path: ""))
        #expect(try system.peerAddress(a)?.description == "(unnamed)")
        #expect(try system.send(a, bytes("你好")) == 6)
        #expect(try system.receiveBytes(b) == bytes("你好"))
        system.close(a)
        #expect(try system.receiveBytes(b) == [])
    }

    @Test func unixStreamListenerAcceptsAClientOnAPath() throws {
        let system = SystemCalls()
        let directory = try makeTemporaryDirectory()
        defer { rmdir(directory) }
        let path = SocketAddress.unix(path: directory + "/echo.sock")
        let listener = try system.openSocket(family: AF_UNIX, transport: .unix)
        defer { system.close(listener) }
        try system.bind(listener, to: path)
        defer { try? system.unlink(directory + "/echo.sock") }
        try system.listen(listener, backlog: 2)
        let client = try system.openSocket(family: AF_UNIX, transport: .unix)
        defer { system.close(client) }
        #expect(try system.connect(client, to: path)) // Unix-domain connects complete at once
        let accepted = try #require(try system.accept(listener))
        defer { system.close(accepted.fd) }
        #expect(accepted.peer == .unix(path: ""))
        #expect(try system.peerAddress(client) == path)
        #expect(try system.send(client, bytes("over unix")) == 9)
        #expect(try system.receiveBytes(accepted.fd) == bytes("over unix"))
    }

    @Test func bindingAnExistingPathIsEADDRINUSEAndUnlinkNamesThePath() throws {
        let system = SystemCalls()
        let directory = try makeTemporaryDirectory()
        defer { rmdir(directory) }
        let path = directory + "/taken.sock"
        let first = try system.openSocket(family: AF_UNIX, transport: .unix)
        let second = try system.openSocket(family: AF_UNIX, transport: .unix)
        defer { system.close(first); system.close(second) }
        try system.bind(first, to: .unix(path: path))
        #expect(throws: SystemError(call: "bind", context: path, code: EADDRINUSE)) { try system.bind(second, to: .unix(path: path)) }
        try system.unlink(path)
        let gone = #expect(throws: SystemError.self) { try system.unlink(path) }
        #expect(gone?.description == "unlink \(path): ENOENT (No such file or directory)")
    }
}
