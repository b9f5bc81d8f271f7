// TestLoop.swift — drives TLS sessions the way sockpit's engine will: one EventLoop (epoll), the
// interest taken from each outcome, every wait bounded by a deadline. Plus loopback TCP helpers.

import Foundation
import Glibc
import SocketKit
import TLSKit
import Testing

/// One epoll set and the syscall layer for a test's sockets.
final class TestLoop {
    let system = SystemCalls()
    let loop: EventLoop
    private var registered: [FileDescriptor: Interest] = [:]
    /// Every socket this loop opened, closed by `closeAll`.
    private var opened: [FileDescriptor] = []

    init() throws {
        loop = try EventLoop(system: system)
    }

    deinit { closeAll() }

    func closeAll() {
        for fd in opened {
            loop.remove(fd)
            system.close(fd)
        }
        opened = []
        registered = [:]
    }

    /// Waits until `fd` is ready for `interest` or `deadline` passes; true when it was ready.
    func wait(_ fd: FileDescriptor, _ interest: Interest, until deadline: Date) -> Bool {
        !waitAny([(fd, interest)], until: deadline).isEmpty
    }

    /// Waits until one of the descriptors is ready for its interest (empty interests are not
    /// watched) or `deadline` passes; the ready ones, empty at the deadline.
    func waitAny(_ watches: [(FileDescriptor, Interest)], until deadline: Date) -> Set<FileDescriptor> {
        do {
            for (fd, interest) in watches {
                let current = registered[fd]
                if current == interest { continue }
                if current == nil { try loop.add(fd, interest, token: UInt64(fd)) } else { try loop.modify(fd, interest, token: UInt64(fd)) }
                registered[fd] = interest
            }
            let wanted = Set(watches.filter { !$0.1.isEmpty }.map(\.0))
            while Date() < deadline {
                let milliseconds = Int32(max(1, min(100, deadline.timeIntervalSinceNow * 1000)))
                let (events, _) = try loop.wait(timeoutMilliseconds: milliseconds)
                let ready = Set(events.map { FileDescriptor($0.token) }).intersection(wanted)
                if !ready.isEmpty { return ready }
            }
        } catch {
            Issue.record("epoll: \(error)")
        }
        return []
    }

    /// Closes one socket this loop opened.
    func close(_ fd: FileDescriptor) {
        guard let index = opened.firstIndex(of: fd) else { return }
        opened.remove(at: index)
        registered[fd] = nil
        loop.remove(fd)
        system.close(fd)
    }

    /// Shuts the session down (bounded) and closes its descriptor.
    func finish(_ session: TLSSession) {
        _ = drive(session.fd, timeout: 2) { session.shutdown() }
        close(session.fd)
    }

    /// A client and a server session of ours on the two ends of a loopback TCP connection.
    func sessionPair(client: TLSContext, server: TLSContext) throws -> (client: TLSSession, server: TLSSession) {
        let (listener, port) = try listen()
        let clientFD = try connect(port: port)
        let serverFD = try accept(listener)
        close(listener)
        return (try TLSSession(context: client, fd: clientFD, system: system), try TLSSession(context: server, fd: serverFD, system: system))
    }

    /// Steps both handshakes, each when its descriptor is ready, until neither says want (or the timeout).
    func handshake(_ client: TLSSession, _ server: TLSSession, timeout: Double = 10)
        -> (client: TLSOutcome<TLSHandshakeSummary>, server: TLSOutcome<TLSHandshakeSummary>) {
        let deadline = Date().addingTimeInterval(timeout)
        var clientOutcome = client.handshake()
        var serverOutcome = server.handshake()
        while clientOutcome.interest != nil || serverOutcome.interest != nil {
            let ready = waitAny([(client.fd, clientOutcome.interest ?? []), (server.fd, serverOutcome.interest ?? [])], until: deadline)
            if ready.isEmpty { break }
            if ready.contains(client.fd) { clientOutcome = client.handshake() }
            if ready.contains(server.fd) { serverOutcome = server.handshake() }
        }
        return (clientOutcome, serverOutcome)
    }

    /// Calls `operation` until it answers something other than wantRead/wantWrite, waiting for the
    /// readiness each answer names; gives up at the timeout, returning the last answer.
    func drive<T>(_ fd: FileDescriptor, timeout: Double = 10, _ operation: () -> TLSOutcome<T>) -> TLSOutcome<T> {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let outcome = operation()
            guard let interest = outcome.interest else { return outcome }
            if !wait(fd, interest, until: deadline) { return outcome }
        }
    }

    func handshake(_ session: TLSSession, timeout: Double = 10) -> TLSOutcome<TLSHandshakeSummary> {
        drive(session.fd, timeout: timeout) { session.handshake() }
    }

    /// Writes all of `bytes`; the outcome of the first write that did not finish, or `done(count)`.
    func writeAll(_ session: TLSSession, _ bytes: [UInt8], timeout: Double = 10) -> TLSOutcome<Int> {
        var sent = 0
        while sent < bytes.count {
            let outcome = drive(session.fd, timeout: timeout) {
                bytes.withUnsafeBytes { session.write(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            }
            guard case .done(let count) = outcome else { return outcome }
            sent += count
        }
        return .done(sent)
    }

    func writeAll(_ session: TLSSession, _ text: String, timeout: Double = 10) -> TLSOutcome<Int> {
        writeAll(session, Array(text.utf8), timeout: timeout)
    }

    /// Reads until `enough` holds for what arrived, the session ends or the timeout passes.
    /// `ending` is nil when `enough` was met, else the outcome that stopped it.
    func read(_ session: TLSSession, timeout: Double = 10, chunkLimit: Int = 65536,
              until enough: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], ending: TLSOutcome<Int>?, reads: [Int]) {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var reads: [Int] = []
        var buffer = [UInt8](repeating: 0, count: chunkLimit)
        while !enough(received) {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return (received, .wantRead, reads) }
            let outcome = drive(session.fd, timeout: remaining) { buffer.withUnsafeMutableBytes { session.read(into: $0) } }
            guard case .done(let count) = outcome else { return (received, outcome, reads) }
            reads.append(count)
            received += buffer[0..<count]
        }
        return (received, nil, reads)
    }

    /// Reads until the received text contains `text`.
    func read(_ session: TLSSession, untilContains text: String, timeout: Double = 10) -> (text: String, ending: TLSOutcome<Int>?) {
        let (bytes, ending, _) = read(session, timeout: timeout) { String(decoding: $0, as: UTF8.self).contains(text) }
        return (String(decoding: bytes, as: UTF8.self), ending)
    }

    // MARK: Sockets

    /// A non-blocking TCP connection to 127.0.0.1:`port`, connected.
    func connect(port: UInt16) throws -> FileDescriptor {
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        opened.append(fd)
        if try !system.connect(fd, to: .ipv4(address: [127, 0, 0, 1], port: port)) {
            #expect(wait(fd, .writable, until: Date().addingTimeInterval(10)))
            let code = system.pendingError(fd)
            if code != 0 { throw SystemError(call: "connect", context: "127.0.0.1:\(port)", code: code) }
        }
        return fd
    }

    /// A TCP listener on 127.0.0.1 with a kernel-chosen port.
    func listen() throws -> (fd: FileDescriptor, port: UInt16) {
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        opened.append(fd)
        try system.bind(fd, to: .loopbackV4)
        try system.listen(fd, backlog: 8)
        return (fd, try #require(try system.localAddress(fd)?.port))
    }

    /// The next connection on `listener` (waiting up to `timeout`).
    func accept(_ listener: FileDescriptor, timeout: Double = 10) throws -> FileDescriptor {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let (fd, _) = try system.accept(listener) {
                opened.append(fd)
                return fd
            }
            guard wait(listener, .readable, until: deadline) else { throw TestFailure("no connection on the listener within \(timeout) s") }
        }
    }

    /// Plain bytes on a socket before any TLS (for STARTTLS and hostile peers).
    func sendPlain(_ fd: FileDescriptor, _ bytes: [UInt8]) throws {
        var sent = 0
        let deadline = Date().addingTimeInterval(10)
        while sent < bytes.count {
            let count = try bytes.withUnsafeBytes { try system.send(fd, UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            if let count { sent += count } else if !wait(fd, .writable, until: deadline) { throw TestFailure("send stalled") }
        }
    }

    /// Plain bytes read until `enough` holds or the peer closes (bounded by `timeout`).
    func receivePlain(_ fd: FileDescriptor, timeout: Double = 10, until enough: ([UInt8]) -> Bool) throws -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !enough(received) {
            let count = try buffer.withUnsafeMutableBytes { try system.receive(fd, into: $0) }
            if let count {
                if count == 0 { break }
                received += buffer[0..<count]
            } else if !wait(fd, .readable, until: deadline) {
                break
            }
        }
        return received
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TLSOutcome {
    /// The value of `done`, else nil.
    var value: Value? {
        if case .done(let value) = self { return value }
        return nil
    }

    /// The error of `failed`, else nil.
    var error: TLSError? {
        if case .failed(let error) = self { return error }
        return nil
    }
}
