// LoopbackPeers.swift — minimal blocking peers on 127.0.0.1 for the end-to-end tests.

import Foundation
import Glibc
import Synchronization

/// A client connection.
final class LoopbackPeer: Sendable {
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    static func connect(port: UInt16) throws -> LoopbackPeer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw CocoaError(.fileReadUnknown)
        }
        return LoopbackPeer(fd: fd)
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func receive(count: Int) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(10)
        while received.count < count && Date() < deadline {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        return received
    }

    func close() { Glibc.close(fd) }
}

/// A server that accepts one connection (in the background) and lets the test read from it.
final class LoopbackServer: Sendable {
    let port: UInt16
    private let fd: Int32
    private let accepted = AcceptedPeer()
    private let ready = DispatchSemaphore(value: 0)

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = fd
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(listening, $0, length) == 0 && listen(listening, 4) == 0 && getsockname(listening, $0, &length) == 0 }
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [accepted, ready] in
            let client = accept(listening, nil, nil)
            if client >= 0 { accepted.set(LoopbackPeer(fd: client)) }
            ready.signal()
        }
    }

    /// Waits for the connection and reads `count` bytes from it.
    func receive(count: Int) -> [UInt8] {
        guard ready.wait(timeout: .now() + 10) == .success, let peer = accepted.peer else { return [] }
        return peer.receive(count: count)
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        accepted.peer?.close()
    }
}

/// The accepted connection, handed from the accept thread to the test under a lock.
final class AcceptedPeer: Sendable {
    private let value = Mutex<LoopbackPeer?>(nil)
    func set(_ peer: LoopbackPeer) { value.withLock { $0 = peer } }
    var peer: LoopbackPeer? { value.withLock { $0 } }
}
