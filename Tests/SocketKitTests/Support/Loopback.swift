// Loopback.swift — small helpers for SocketKit tests: connected TCP pairs on 127.0.0.1:0, readiness
// waits with poll(2) (not SocketKit's EventLoop, so a loop bug cannot hide a socket bug), byte helpers.

import Glibc
import SocketKit
import Testing

/// Blocks until `fd` reports one of `events` (POLLIN, POLLOUT) or `milliseconds` pass; returns revents (0 on timeout).
@discardableResult
func waitReady(_ fd: FileDescriptor, _ events: Int32, milliseconds: Int32 = 5000) -> Int32 {
    var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
    while true {
        let count = poll(&entry, 1, milliseconds)
        if count < 0 && errno == EINTR { continue }
        return count > 0 ? Int32(entry.revents) : 0
    }
}

/// A TCP listener on 127.0.0.1 (kernel-chosen port), one client connected to it, and the accepted socket.
struct TCPLink {
    let listener: FileDescriptor
    let client: FileDescriptor
    let server: FileDescriptor
    let port: UInt16

    /// Opens the three sockets; the client's connect is allowed to complete before returning.
    init(_ system: SystemCalls) throws {
        listener = try openListener(system)
        port = try #require(try system.localAddress(listener)?.port)
        client = try system.openSocket(family: AF_INET, transport: .tcp)
        if try !system.connect(client, to: .ipv4(address: [127, 0, 0, 1], port: port)) {
            #expect(waitReady(client, POLLOUT) & Int32(POLLOUT) != 0)
            #expect(system.pendingError(client) == 0)
        }
        #expect(waitReady(listener, POLLIN) & Int32(POLLIN) != 0)
        server = try #require(try system.accept(listener)).fd
    }

    func close(_ system: SystemCalls) {
        for fd in [client, server, listener] { system.close(fd) }
    }
}

/// A listening TCP socket on 127.0.0.1:0.
func openListener(_ system: SystemCalls, backlog: Int32 = 8) throws -> FileDescriptor {
    let fd = try system.openSocket(family: AF_INET, transport: .tcp)
    try system.bind(fd, to: .loopbackV4)
    try system.listen(fd, backlog: backlog)
    return fd
}

/// A port on 127.0.0.1 that refuses connections: bound to find a free number, then closed.
func refusedPort(_ system: SystemCalls) throws -> UInt16 {
    let fd = try system.openSocket(family: AF_INET, transport: .tcp)
    defer { system.close(fd) }
    try system.bind(fd, to: .loopbackV4)
    return try #require(try system.localAddress(fd)?.port)
}

extension SystemCalls {
    /// Sends all of `bytes` (the test's sockets have room for small payloads).
    @discardableResult
    func send(_ fd: FileDescriptor, _ bytes: [UInt8]) throws -> Int? {
        try bytes.withUnsafeBytes { raw throws(SystemError) in try send(fd, raw) }
    }

    /// One `recv` of up to `capacity` bytes after waiting for readability: the bytes, [] at EOF, nil when none came.
    func receiveBytes(_ fd: FileDescriptor, capacity: Int = 4096) throws -> [UInt8]? {
        waitReady(fd, POLLIN)
        var buffer = [UInt8](repeating: 0, count: capacity)
        let count = try buffer.withUnsafeMutableBytes { raw throws(SystemError) in try receive(fd, into: raw) }
        return count.map { Array(buffer[0..<$0]) }
    }
}

/// A new empty directory under /tmp; the caller removes it.
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/sockpit-sk-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!).map { String(cString: $0) } }
    return try #require(path, "mkdtemp failed: errno \(errno)")
}

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Collects trace records (the tracer runs on the calling thread, so a plain class is enough).
final class TraceLog {
    var records: [TraceRecord] = []
    var lines: [String] { records.map(\.description) }
}
