// LoopbackPeer.swift — the real peers sockpit talks to in these tests: a TCP server on 127.0.0.1:0
// that runs a script per connection on its own thread, and a UDP socket. Plain blocking Glibc
// calls with timeouts, independent of the code under test.
//
// A descriptor is closed only by the thread that uses it: tests run in parallel, and a number
// closed under a thread blocked in accept/recvfrom is soon reused by another test's socket, whose
// connections or datagrams that thread would then steal.

import Foundation
import Glibc
import SocketKit
import Synchronization

/// A blocking socket with 10 s send/receive timeouts.
struct PeerSocket: Sendable {
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Connects to 127.0.0.1:`port`; nil when refused.
    static func connect(port: UInt16) -> PeerSocket? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            Glibc.close(fd)
            return nil
        }
        return PeerSocket(fd: fd)
    }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }

    /// Reads until `predicate` holds, EOF, an error or the socket's timeout.
    func receive(until predicate: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], eof: Bool) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !predicate(received) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (received, true) }
            if count < 0 { return (received, false) }
            received += chunk[0..<count]
        }
        return (received, false)
    }

    func close() { Glibc.close(fd) }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}

/// A TCP server on 127.0.0.1:0 running `session` for each accepted connection on a new thread.
final class PeerServer: Sendable {
    let port: UInt16
    private let finished = ThreadLock(0)
    private let stopped = Atomic(false)

    init(_ session: @escaping @Sendable (PeerSocket) -> Void) {
        let (listener, port) = bindLoopback(Int32(SOCK_STREAM.rawValue))
        self.port = port
        Glibc.listen(listener, 16)
        Thread.detachNewThread { [self] in
            defer { Glibc.close(listener) }
            while waitReadable(listener, unless: stopped) {
                let client = accept(listener, nil, nil)
                if client < 0 { continue }
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                Thread.detachNewThread {
                    let peer = PeerSocket(fd: client)
                    session(peer)
                    peer.close()
                    self.finished.withLock { $0 += 1 }
                }
            }
        }
    }

    /// Sessions that have run to their end.
    var finishedSessions: Int { finished.withLock { $0 } }

    /// Waits until `count` sessions have finished (or 10 s).
    func waitForSessions(_ count: Int) -> Bool {
        let until = Date().addingTimeInterval(10)
        while finishedSessions < count && Date() < until { usleep(5_000) }
        return finishedSessions >= count
    }

    /// Stops accepting; the accepting thread closes the listener within 50 ms.
    func stop() { stopped.store(true, ordering: .sequentiallyConsistent) }
}

/// A UDP socket on 127.0.0.1:0 that answers each datagram with `answer(datagram)`, on its own thread.
final class UDPPeer: Sendable {
    let port: UInt16
    private let stopped = Atomic(false)
    /// What arrived, in order, with the sender's port.
    private let heard = ThreadLock<[(bytes: [UInt8], senderPort: UInt16)]>([])

    init(answer: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        let (socketFD, port) = bindLoopback(Int32(SOCK_DGRAM.rawValue))
        self.port = port
        Thread.detachNewThread { [self] in
            defer { Glibc.close(socketFD) }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while waitReadable(socketFD, unless: stopped) {
                var sender = sockaddr_in()
                var senderLength = socklen_t(MemoryLayout<sockaddr_in>.size)
                let count = withUnsafeMutablePointer(to: &sender) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                        buffer.withUnsafeMutableBytes { recvfrom(socketFD, $0.baseAddress, $0.count, 0, address, &senderLength) }
                    }
                }
                if count < 0 { continue }
                let datagram = Array(buffer[0..<count])
                heard.withLock { $0.append((datagram, UInt16(bigEndian: sender.sin_port))) }
                let reply = answer(datagram)
                _ = withUnsafePointer(to: &sender) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                        reply.withUnsafeBytes { sendto(socketFD, $0.baseAddress, $0.count, 0, address, senderLength) }
                    }
                }
            }
        }
    }

    var datagrams: [(bytes: [UInt8], senderPort: UInt16)] { heard.withLock { $0 } }

    /// Stops answering; the thread closes the socket within 50 ms.
    func stop() { stopped.store(true, ordering: .sequentiallyConsistent) }
}

/// Waits until `fd` is readable, checking `stopped` every 50 ms; false once stopped.
private func waitReadable(_ fd: Int32, unless stopped: borrowing Atomic<Bool>) -> Bool {
    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    while !stopped.load(ordering: .sequentiallyConsistent) {
        if poll(&entry, 1, 50) > 0 { return true }
    }
    return false
}

/// A socket of `type` bound to 127.0.0.1 on a kernel-chosen port.
func bindLoopback(_ type: Int32) -> (fd: Int32, port: UInt16) {
    let fd = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
    var address = PeerSocket.loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            _ = Glibc.bind(fd, $0, length)
            _ = getsockname(fd, $0, &length)
        }
    }
    return (fd, UInt16(bigEndian: address.sin_port))
}

/// A port on 127.0.0.1 where nothing listens (bound to learn a free number, then closed).
func refusedPort() -> UInt16 {
    let (fd, port) = bindLoopback(Int32(SOCK_STREAM.rawValue))
    Glibc.close(fd)
    return port
}
