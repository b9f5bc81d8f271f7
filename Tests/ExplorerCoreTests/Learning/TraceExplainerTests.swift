// TraceExplainerTests.swift — `explain` on the trace records SocketKit really produces: real
// sockets on 127.0.0.1 make the calls, the tracer keeps the records, and each explanation must
// name the seed's PHP call with the traced address, port, backlog, length or mode filled in.

import Glibc
import SocketKit
import Testing
@testable import ExplorerCore

@Suite struct TraceExplainerTests {
    /// The example of PRODUCT.md §7, exactly.
    @Test func theProductExampleLine() throws {
        let record = TraceRecord(call: "bind", arguments: "7, 127.0.0.1:5000", result: 0, errorCode: nil)
        let explanation = try #require(TraceExplainer.explain(record))
        #expect(record.description + explanation.suffix
            == "bind(7, 127.0.0.1:5000) = 0   · PHP socket_bind($sock, '127.0.0.1', 5000)"
            + " · int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)")
    }

    /// A TCP server and client, call by call: socket, bind, listen, connect, accept, write, read,
    /// setsockopt, shutdown, close.
    @Test func aConversationOnLoopback() throws {
        let trace = Tracer()
        let system = trace.system
        let (listener, bound) = try trace.boundSocket(.tcp)
        defer { system.close(listener) }
        try system.listen(listener, backlog: 4)
        let port = try #require(bound.port)
        let client = try system.openSocket(family: AF_INET, transport: .tcp)
        let connected = try system.connect(client, to: try #require(SocketAddress(numericHost: "127.0.0.1", port: port)))
        if !connected {
            #expect(waitFor(client, POLLOUT))
            #expect(system.pendingError(client) == 0)
        }
        #expect(waitFor(listener, POLLIN))
        let accepted = try #require(try system.accept(listener)?.fd)
        defer { system.close(accepted) }
        #expect(try "hello".withUtf8Bytes { try system.send(client, $0) } == 5)
        #expect(waitFor(accepted, POLLIN))
        var buffer = [UInt8](repeating: 0, count: 65536)
        #expect(try buffer.withUnsafeMutableBytes { try system.receive(accepted, into: $0) } == 5)
        #expect(try buffer.withUnsafeMutableBytes { try system.receive(accepted, into: $0) } == nil)  // EAGAIN
        try system.setOption(client, try #require(SocketOption.named("nodelay")), .flag(true))
        try system.shutdown(client, .write)
        #expect(waitFor(accepted, POLLIN))
        #expect(try buffer.withUnsafeMutableBytes { try system.receive(accepted, into: $0) } == 0)  // EOF
        system.close(client)

        let names: (Int32) -> String? = { fd in fd == listener ? "$sock" : fd == accepted ? "$msgsock" : nil }
        let explained = trace.records.map { ($0, TraceExplainer.explain($0, variable: names)) }
        func php(_ call: String, _ index: Int = 0) -> String? {
            explained.filter { $0.0.call == call }.dropFirst(index).first?.1?.php
        }
        func note(_ call: String, _ index: Int = 0) -> String? {
            explained.filter { $0.0.call == call }.dropFirst(index).first?.1?.note
        }
        #expect(php("socket") == "$sock = socket_create(AF_INET, SOCK_STREAM, 0)")
        #expect(php("bind") == "socket_bind($sock, '127.0.0.1', 0)")
        #expect(php("listen") == "socket_listen($sock, 4)")
        #expect(php("getsockname") == "socket_getsockname($sock, $address, $port)")
        #expect(php("connect") == "socket_connect($sock, '127.0.0.1', \(port))")
        if !connected {
            #expect(note("connect")?.hasPrefix("handshake under way: a blocking socket_connect waits here") == true)
            #expect(php("getsockopt") == "socket_get_option($sock, SOL_SOCKET, SO_ERROR)")
        }
        #expect(php("accept4") == "$msgsock = socket_accept($sock)")
        #expect(php("send") == "socket_write($sock, $data, 5)")
        #expect(php("recv") == "$data = socket_read($msgsock, 65536)")
        #expect(note("recv", 0) == "")
        #expect(note("recv", 1) == "nothing has arrived: a blocking socket_read waits here")
        #expect(note("recv", 2) == "0 bytes: the peer closed its side (socket_read returns '')")
        #expect(php("setsockopt") == "socket_set_option($sock, SOL_TCP, TCP_NODELAY, 1)")
        #expect(php("shutdown") == "socket_shutdown($sock, 1)")
        #expect(php("close") == "socket_close($sock)")
        for (record, explanation) in explained {
            let explanation = try #require(explanation, "\(record) has no explanation")
            #expect(explanation.prototype == CFunction.named(record.call)?.prototype)
            #expect(explanation.suffix.hasPrefix("   · "))
            #expect(explanation.suffix.contains(explanation.prototype))
        }
    }

    /// Options as PHP spells them: SOL_TCP for IPPROTO_TCP, numbers for constants PHP lacks,
    /// arrays for linger and timeouts, strings for names.
    @Test func socketOptionsInPHPSpelling() throws {
        let trace = Tracer()
        let system = trace.system
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        func set(_ name: String, _ value: String) throws -> String? {
            let option = try #require(SocketOption.named(name))
            try system.setOption(fd, option, try option.parse(value))
            return trace.records.last.flatMap { TraceExplainer.explain($0)?.php }
        }
        #expect(try set("reuseaddr", "on") == "socket_set_option($sock, SOL_SOCKET, SO_REUSEADDR, 1)")
        #expect(try set("rcvbuf", "65536") == "socket_set_option($sock, SOL_SOCKET, SO_RCVBUF, 65536)")
        #expect(try set("cork", "off") == "socket_set_option($sock, SOL_TCP, \(TCP_CORK) /* TCP_CORK */, 0)")
        #expect(try set("linger", "on,5") == "socket_set_option($sock, SOL_SOCKET, SO_LINGER, ['l_onoff' => 1, 'l_linger' => 5])")
        #expect(try set("linger", "off") == "socket_set_option($sock, SOL_SOCKET, SO_LINGER, ['l_onoff' => 0, 'l_linger' => 0])")
        #expect(try set("rcvtimeo", "1.5") == "socket_set_option($sock, SOL_SOCKET, SO_RCVTIMEO, ['sec' => 1, 'usec' => 500000])")
        #expect(try set("congestion", "reno") == "socket_set_option($sock, SOL_TCP, TCP_CONGESTION, 'reno')")
        #expect(try set("ttl", "64") == "socket_set_option($sock, IPPROTO_IP, \(IP_TTL) /* IP_TTL */, 64)")
        try system.setAbortiveClose(fd)
        #expect(trace.records.last.flatMap { TraceExplainer.explain($0)?.php }
            == "socket_set_option($sock, SOL_SOCKET, SO_LINGER, ['l_onoff' => 1, 'l_linger' => 0])")
        _ = try system.getOption(fd, try #require(SocketOption.named("rcvbuf")))
        #expect(trace.records.last.flatMap { TraceExplainer.explain($0)?.php } == "socket_get_option($sock, SOL_SOCKET, SO_RCVBUF)")
        _ = try? system.tcpInfo(fd)
        let info = try #require(trace.records.last.flatMap { TraceExplainer.explain($0) })
        #expect(info.php == nil && info.note == "no PHP counterpart: socket_get_option cannot read struct tcp_info")

        let count = trace.records.count
        try system.setOption(fd, try #require(SocketOption.named("nonblock")), .flag(true))
        let fcntl = trace.records.dropFirst(count).compactMap { TraceExplainer.explain($0) }
        #expect(fcntl.map(\.php) == [nil, "socket_set_nonblock($sock)"])
        #expect(fcntl.first?.suffix == "   · no PHP call of its own: socket_set_nonblock and socket_set_block read the flags first"
            + " · int fcntl(int fd, int cmd, ... /* arg */)")
    }

    @Test func datagramsPairsPathsAndFailures() throws {
        let trace = Tracer()
        let system = trace.system
        let (receiver, address) = try trace.boundSocket(.udp)
        defer { system.close(receiver) }
        let sender = try system.openSocket(family: AF_INET, transport: .udp)
        defer { system.close(sender) }
        _ = try "hi udp".withUtf8Bytes { try system.send(sender, $0, to: address) }
        #expect(waitFor(receiver, POLLIN))
        var buffer = [UInt8](repeating: 0, count: 2048)
        #expect(try buffer.withUnsafeMutableBytes { try system.receiveFrom(receiver, into: $0) }?.count == 6)
        let explained = trace.records.compactMap { TraceExplainer.explain($0)?.php }
        #expect(explained.contains("$sock = socket_create(AF_INET, SOCK_DGRAM, 0)"))
        #expect(explained.contains("socket_sendto($sock, $data, 6, 0, '127.0.0.1', \(address.port ?? 0))"))
        #expect(explained.contains("socket_recvfrom($sock, $data, 2048, 0, $address, $port)"))

        // A second bind of the same port: the kernel's EADDRINUSE, and what PHP would return.
        let other = try system.openSocket(family: AF_INET, transport: .udp)
        defer { system.close(other) }
        #expect(throws: SystemError.self) { try system.bind(other, to: address) }
        let failed = try #require(trace.records.last.flatMap { TraceExplainer.explain($0) })
        #expect(failed.note == "in PHP: false, and socket_last_error() is \(EADDRINUSE)")
        #expect(failed.suffix.hasSuffix(" · in PHP: false, and socket_last_error() is \(EADDRINUSE)"))

        let (a, b) = try system.socketPair()
        system.close(a)
        system.close(b)
        let pair = trace.records.compactMap { TraceExplainer.explain($0)?.php }
        #expect(pair.contains("socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $pair)"))

        let path = "/tmp/sockpit-explain-\(getpid()).sock"
        let unix = try system.openSocket(family: AF_UNIX, transport: .unix)
        defer { system.close(unix); unlink(path) }
        try system.bind(unix, to: .unix(path: path))
        #expect(trace.records.last.flatMap { TraceExplainer.explain($0)?.php } == "socket_bind($sock, '\(path)')")
    }

    @Test func ipv6AddressesLoseTheirBrackets() throws {
        let record = TraceRecord(call: "connect", arguments: "9, [::1]:8080", result: 0, errorCode: nil)
        #expect(TraceExplainer.explain(record)?.php == "socket_connect($sock, '::1', 8080)")
    }

    /// epoll has no PHP counterpart but socket_select plays its part; calls sockpit does not know get nothing.
    @Test func theEventLoopAndUnknownCalls() throws {
        let trace = Tracer()
        let loop = try EventLoop(system: trace.system)
        let fd = try trace.system.openSocket(family: AF_INET, transport: .tcp)
        defer { trace.system.close(fd) }
        try loop.add(fd, .readable, token: 1)
        let epoll = trace.records.filter { $0.call.hasPrefix("epoll_") }.compactMap { TraceExplainer.explain($0) }
        #expect(epoll.count == 2)
        for explanation in epoll {
            #expect(explanation.php == nil)
            #expect(explanation.note == "no PHP call: sockpit's event loop, where the seed calls "
                + "socket_select($read, $write, $except, null)")
        }
        #expect(TraceExplainer.explain(TraceRecord(call: "SSL_read", arguments: "0x1, 16384", result: -1, errorCode: nil)) == nil)
        #expect(TraceExplainer.explain(TraceRecord(call: "ioctl", arguments: "7, SIOCINQ", result: 0, errorCode: nil))?.note
            == "no PHP counterpart")
    }
}

/// Collects the trace records of its own `SystemCalls`.
private final class Tracer {
    let system = SystemCalls()
    private(set) var records: [TraceRecord] = []

    init() {
        system.tracer = { [unowned self] in self.records.append($0) }
    }

    /// A socket bound to 127.0.0.1 on a port the kernel picks, and that address.
    func boundSocket(_ transport: Transport) throws -> (Int32, SocketAddress) {
        let fd = try system.openSocket(family: AF_INET, transport: transport)
        try system.bind(fd, to: try #require(SocketAddress(numericHost: "127.0.0.1", port: 0)))
        return (fd, try #require(try system.localAddress(fd)))
    }
}

/// Waits up to 5 s for `events` on `fd`.
private func waitFor(_ fd: Int32, _ events: Int32) -> Bool {
    var descriptor = pollfd(fd: fd, events: Int16(events), revents: 0)
    return poll(&descriptor, 1, 5000) == 1
}

extension String {
    fileprivate func withUtf8Bytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Array(utf8).withUnsafeBytes(body)
    }
}
