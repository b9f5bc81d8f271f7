// Peers.swift — real peers for engine tests: blocking sockets on 127.0.0.1 driven from their own
// threads, written straight on Glibc so SocketKit's bugs cannot hide behind themselves.

import Foundation
import Glibc
import SocketKit
import Synchronization

/// A connected peer socket with blocking calls bounded by timeouts.
///
/// Closing is idempotent: tests run in parallel in one process, so a second `close()` of a number
/// the kernel has already handed to another test's socket would silently kill that socket.
final class PeerConnection: Sendable {
    let fd: Int32
    private let closed = Atomic<Bool>(false)

    init(fd: Int32) {
        self.fd = fd
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Connects (TCP or Unix stream) to `endpoint`.
    static func connect(to endpoint: PeerEndpoint) throws -> PeerConnection {
        let fd = socket(endpoint.family, Int32(SOCK_STREAM.rawValue), 0)
        let result = endpoint.withSockAddr { Glibc.connect(fd, $0, $1) }
        if result != 0 {
            let code = errno
            Glibc.close(fd)
            throw PeerError("connect \(endpoint) failed: errno \(code)")
        }
        return PeerConnection(fd: fd)
    }

    /// Connects to `host`:`port` (TCP; IPv4, or IPv6 when `host` has a colon).
    static func connect(port: UInt16, host: String = "127.0.0.1") throws -> PeerConnection {
        try connect(to: host.contains(":") ? .ipv6(host, port) : .ipv4(host, port))
    }

    /// Connects to a Unix socket path.
    static func connect(path: String) throws -> PeerConnection {
        try connect(to: .unix(path))
    }

    /// Reads whatever is queued now without blocking: bytes, EOF, or the errno of a failed read.
    func readAvailable() -> PeerRead {
        var result = PeerRead()
        guard !isClosed else { return result }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                result.bytes += chunk[0..<count]
                continue
            }
            if count == 0 {
                result.eof = true
            } else if errno != EAGAIN && errno != EWOULDBLOCK {
                result.error = errno
            }
            return result
        }
    }

    /// The local port of this connection (what the other side sees as the peer port).
    var localPort: UInt16 { boundPort(fd) }

    /// The address the other side sees: what getpeername says on this end, as `HOST:PORT`.
    var remoteDescription: String { peerName(fd, remote: true) }
    /// This end's address as `HOST:PORT`.
    var localDescription: String { peerName(fd, remote: false) }

    /// True once closed (or reset): the descriptor number may belong to someone else now.
    var isClosed: Bool { closed.load(ordering: .sequentiallyConsistent) }

    func send(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Reads until `predicate` holds for everything read, EOF, or the timeout.
    func receive(until predicate: ([UInt8]) -> Bool, timeout: Double = 10) -> [UInt8] {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !predicate(received) && Date() < deadline {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        return received
    }

    /// Reads exactly `count` bytes (or fewer at EOF/timeout).
    func receive(count: Int, timeout: Double = 10) -> [UInt8] {
        receive(until: { $0.count >= count }, timeout: timeout)
    }

    /// Reads until the other side closes.
    func receiveUntilEOF(timeout: Double = 10) -> [UInt8] {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        return received
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Closes with RST.
    func reset() {
        guard !closed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var value = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(fd)
    }

    func close() {
        guard !closed.exchange(true, ordering: .sequentiallyConsistent) else { return }
        Glibc.close(fd)
    }
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A TCP (or Unix stream) server, on 127.0.0.1:0 unless told otherwise, that runs `handler` for each accepted peer on its own thread.
final class PeerServer: Sendable {
    let port: UInt16
    let fd: Int32
    private let accepted = Shared(0)
    private let stopped = Atomic<Bool>(false)

    /// `receiveBuffer` (SO_RCVBUF, inherited by accepted sockets) keeps the kernel from absorbing
    /// a large send, so a test can see bytes queue up in sockpit.
    init(bind endpoint: PeerEndpoint = .ipv4("127.0.0.1", 0), backlog: Int32 = 16, receiveBuffer: Int32? = nil,
         handler: @escaping @Sendable (PeerConnection) -> Void) throws {
        (fd, port) = try listeningSocket(endpoint, backlog: backlog, receiveBuffer: receiveBuffer)
        let listening = fd
        Thread.detachNewThread { [accepted] in
            while true {
                let client = Glibc.accept(listening, nil, nil)
                if client < 0 && (errno == EINTR || errno == ECONNABORTED) { continue }
                if client < 0 {
                    // Closed here, not in stop(): the number cannot be reused under a pending accept.
                    close(listening)
                    return
                }
                accepted.update { $0 += 1 }
                let connection = PeerConnection(fd: client)
                Thread.detachNewThread { handler(connection) }
            }
        }
    }

    var acceptedCount: Int { accepted.current }

    /// Stops accepting: shutdown wakes the blocked accept, whose thread then closes the socket.
    func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        shutdown(fd, Int32(SHUT_RDWR))
    }
}

/// A value filled in by a peer thread and read by the test.
final class Shared<Value: Sendable>: Sendable {
    private let value: ThreadLock<Value>
    init(_ initial: Value) { value = ThreadLock(initial) }
    func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    /// Runs `change` under the lock: never block (receive, sleep) inside it.
    func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
    var current: Value { value.withLock { $0 } }
}

/// A free TCP port on 127.0.0.1 that nothing listens on (bound, then closed).
func closedPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    return UInt16(bigEndian: address.sin_port)
}

/// A UDP socket on 127.0.0.1:0 for datagram tests.
final class PeerDatagramSocket: Sendable {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.fd = fd
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PeerError("udp bind failed") }
        port = UInt16(bigEndian: address.sin_port)
    }

    func send(_ bytes: [UInt8], to port: UInt16) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// One datagram and the port it came from.
    func receive() -> (bytes: [UInt8], port: UInt16)? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length) }
            }
        }
        guard count >= 0 else { return nil }
        return (Array(buffer[0..<count]), UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// Where a peer binds or connects.
enum PeerEndpoint: CustomStringConvertible {
    case ipv4(String, UInt16)
    case ipv6(String, UInt16)
    case unix(String)

    var family: Int32 {
        switch self {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        case .unix: AF_UNIX
        }
    }

    var description: String {
        switch self {
        case .ipv4(let host, let port): "\(host):\(port)"
        case .ipv6(let host, let port): "[\(host)]:\(port)"
        case .unix(let path): path
        }
    }

    /// Calls `body` with this address as a `sockaddr`.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch self {
        case .ipv4(let host, let port):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6(let host, let port):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        case .unix(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
    }
}

/// What one non-blocking read of a peer found.
struct PeerRead {
    var bytes: [UInt8] = []
    /// The other side closed (recv returned 0).
    var eof = false
    /// The errno of a failed recv (ECONNRESET after a reset).
    var error: Int32?
}

/// A bound, listening stream socket and its port (0 for Unix paths).
func listeningSocket(_ endpoint: PeerEndpoint, backlog: Int32, receiveBuffer: Int32? = nil) throws -> (fd: Int32, port: UInt16) {
    let fd = socket(endpoint.family, Int32(SOCK_STREAM.rawValue), 0)
    var one: Int32 = 1
    if endpoint.family != AF_UNIX { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
    if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
    guard endpoint.withSockAddr({ Glibc.bind(fd, $0, $1) }) == 0, listen(fd, backlog) == 0 else {
        let code = errno
        close(fd)
        throw PeerError("peer server could not bind \(endpoint): errno \(code)")
    }
    return (fd, boundPort(fd))
}

/// The port `fd` is bound to (0 for Unix sockets).
func boundPort(_ fd: Int32) -> UInt16 {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    switch Int32(storage.ss_family) {
    case AF_INET: return withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.load(as: sockaddr_in.self).sin_port) }
    case AF_INET6: return withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.load(as: sockaddr_in6.self).sin6_port) }
    default: return 0
    }
}

/// `HOST:PORT` (IPv6 in brackets) of either end of `fd`, as sockpit prints addresses.
func peerName(_ fd: Int32, remote: Bool) -> String {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { remote ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length) }
    }
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    func host() -> String { String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    switch Int32(storage.ss_family) {
    case AF_INET:
        var sin = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in.self) }
        inet_ntop(AF_INET, &sin.sin_addr, &text, socklen_t(text.count))
        return "\(host()):\(UInt16(bigEndian: sin.sin_port))"
    case AF_INET6:
        var sin6 = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in6.self) }
        inet_ntop(AF_INET6, &sin6.sin6_addr, &text, socklen_t(text.count))
        return "[\(host())]:\(UInt16(bigEndian: sin6.sin6_port))"
    default:
        return "?"
    }
}
