// EventLoop.swift — the one epoll set: register descriptors with a token, wait for readiness.

import CSocketKit
import Glibc

/// What a descriptor is waited for.
public struct Interest: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let readable = Interest(rawValue: EPOLLIN.rawValue)
    public static let writable = Interest(rawValue: EPOLLOUT.rawValue)
    /// The peer shut down its writing side (EPOLLRDHUP).
    public static let readHangup = Interest(rawValue: EPOLLRDHUP.rawValue)
    /// Report a change once instead of while it holds (EPOLLET).
    public static let edgeTriggered = Interest(rawValue: EPOLLET.rawValue)
}

/// One readiness report.
public struct ReadyEvent: Sendable {
    public var token: UInt64
    public var readable: Bool
    public var writable: Bool
    /// EPOLLHUP or EPOLLRDHUP.
    public var hangup: Bool
    public var error: Bool

    public init(token: UInt64, readable: Bool, writable: Bool, hangup: Bool, error: Bool) {
        self.token = token
        self.readable = readable
        self.writable = writable
        self.hangup = hangup
        self.error = error
    }
}

/// A thin owner of an epoll descriptor. Single-threaded: the event-loop thread only.
public final class EventLoop {
    private let epollFD: Int32
    private var buffer: [epoll_event]
    private let system: SystemCalls

    public init(system: SystemCalls, capacity: Int = 256) throws(SystemError) {
        self.system = system
        self.epollFD = try system.call("epoll_create1", "EPOLL_CLOEXEC") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        self.buffer = Array(repeating: epoll_event(), count: capacity)
    }

    deinit { Glibc.close(epollFD) }

    /// Adds `fd`, reported with `token`.
    public func add(_ fd: FileDescriptor, _ interest: Interest, token: UInt64) throws(SystemError) {
        try control(EPOLL_CTL_ADD, "EPOLL_CTL_ADD", fd, interest, token)
    }

    /// Changes what `fd` is waited for.
    public func modify(_ fd: FileDescriptor, _ interest: Interest, token: UInt64) throws(SystemError) {
        try control(EPOLL_CTL_MOD, "EPOLL_CTL_MOD", fd, interest, token)
    }

    /// Stops watching `fd` (closing it also does this).
    public func remove(_ fd: FileDescriptor) {
        var event = epoll_event()
        _ = try? system.call("epoll_ctl", "\(epollFD), EPOLL_CTL_DEL, \(fd)") { epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event) }
    }

    private func control(_ op: Int32, _ opName: String, _ fd: FileDescriptor, _ interest: Interest, _ token: UInt64) throws(SystemError) {
        var event = epoll_event()
        event.events = interest.rawValue
        event.data.u64 = token
        try system.call("epoll_ctl", "\(epollFD), \(opName), \(fd), \(Self.describe(interest))") { epoll_ctl(epollFD, op, fd, &event) }
    }

    /// Waits up to `timeoutMilliseconds` (−1 = forever) and returns what is ready. An empty result
    /// with `interrupted` true means a signal arrived (e.g. SIGWINCH): the caller should still drain
    /// its keyboard. epoll_wait itself is not traced: it would flood the trace with the loop's heartbeat.
    public func wait(timeoutMilliseconds: Int32) throws(SystemError) -> (events: [ReadyEvent], interrupted: Bool) {
        let count = buffer.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeoutMilliseconds) }
        if count < 0 {
            let code = Glibc.errno
            if code == EINTR { return ([], true) }
            throw SystemError(call: "epoll_wait", code: code)
        }
        var events: [ReadyEvent] = []
        events.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            let raw = buffer[index]
            let flags = raw.events
            events.append(ReadyEvent(
                token: raw.data.u64,
                readable: flags & EPOLLIN.rawValue != 0,
                writable: flags & EPOLLOUT.rawValue != 0,
                hangup: flags & (EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0,
                error: flags & EPOLLERR.rawValue != 0))
        }
        // A full buffer means more may be ready: grow so one wake-up sees everyone next time.
        if Int(count) == buffer.count && buffer.count < 16_384 {
            buffer.append(contentsOf: Array(repeating: epoll_event(), count: buffer.count))
        }
        return (events, false)
    }

    static func describe(_ interest: Interest) -> String {
        var parts: [String] = []
        if interest.contains(.readable) { parts.append("EPOLLIN") }
        if interest.contains(.writable) { parts.append("EPOLLOUT") }
        if interest.contains(.readHangup) { parts.append("EPOLLRDHUP") }
        if interest.contains(.edgeTriggered) { parts.append("EPOLLET") }
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}
