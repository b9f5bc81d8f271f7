// SyscallTraceTests.swift — every call reported to the tracer as `call(arguments) = result [ERRNO (message)]`,
// nothing formatted while tracing is off, EAGAIN and EINPROGRESS as values rather than errors.

import Glibc
import SocketKit
import Testing

@Suite struct SyscallTraceTests {
    @Test func recordsReadLikeStrace() {
        #expect(TraceRecord(call: "socket", arguments: "AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0", result: 7, errorCode: nil)
            .description == "socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0) = 7")
        #expect(TraceRecord(call: "connect", arguments: "7, 127.0.0.1:9", result: -1, errorCode: ECONNREFUSED)
            .description == "connect(7, 127.0.0.1:9) = -1 ECONNREFUSED (Connection refused)")
    }

    @Test func socketBindListenAcceptAndCloseAreTraced() throws {
        let system = SystemCalls()
        let log = TraceLog()
        system.tracer = { log.records.append($0) }
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        try system.bind(fd, to: .loopbackV4)
        try system.listen(fd, backlog: 5)
        #expect(try system.accept(fd) == nil)
        let udp = try system.openSocket(family: AF_INET6, transport: .udp)
        system.close(udp)
        system.close(fd)
        #expect(log.lines == [
            "socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0) = \(fd)",
            "bind(\(fd), 127.0.0.1:0) = 0",
            "listen(\(fd), 5) = 0",
            "accept4(\(fd), SOCK_NONBLOCK|SOCK_CLOEXEC) = -1 EAGAIN (Resource temporarily unavailable)",
            "socket(AF_INET6, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0) = \(udp)",
            "close(\(udp)) = 0",
            "close(\(fd)) = 0",
        ])
    }

    @Test func aFailingCallIsTracedWithItsErrnoAndThrown() throws {
        let system = SystemCalls()
        let first = try openListener(system)
        defer { system.close(first) }
        let port = try #require(try system.localAddress(first)?.port)
        let second = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(second) }
        let log = TraceLog()
        system.tracer = { log.records.append($0) }
        let error = #expect(throws: SystemError.self) { try system.bind(second, to: .ipv4(address: [127, 0, 0, 1], port: port)) }
        #expect(error?.description == "bind 127.0.0.1:\(port): EADDRINUSE (Address already in use)")
        #expect(log.lines == ["bind(\(second), 127.0.0.1:\(port)) = -1 EADDRINUSE (Address already in use)"])
        #expect(log.records.first?.errorCode == EADDRINUSE)
        #expect(log.records.first?.result == -1)
    }

    @Test func argumentsAreNotFormattedWhileTracingIsOff() throws {
        let system = SystemCalls()
        let counter = TraceLog()
        func arguments() -> String {
            counter.records.append(TraceRecord(call: "formatted", arguments: "", result: 0, errorCode: nil))
            return "none"
        }
        try system.call("getpid", arguments()) { getpid() }
        #expect(counter.records.isEmpty)
        system.tracer = { _ in }
        try system.call("getpid", arguments()) { getpid() }
        #expect(counter.records.count == 1)
    }

    @Test func theContextNamesWhatTheCallWasAbout() {
        let system = SystemCalls()
        let error = #expect(throws: SystemError.self) {
            try system.call("close", "-1", context: "#9") { Glibc.close(-1) }
        }
        #expect(error?.description == "close #9: EBADF (Bad file descriptor)")
    }

    @Test func wouldBlockIsAValueAndOtherErrorsStillThrow() throws {
        let system = SystemCalls()
        let (a, b) = try system.socketPair()
        defer { system.close(a); system.close(b) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let result = try system.callAllowingWouldBlock("recv", "") {
            buffer.withUnsafeMutableBytes { Glibc.recv(a, $0.baseAddress, $0.count, 0) }
        }
        guard case .wouldBlock = result else {
            Issue.record("expected .wouldBlock, got \(result)")
            return
        }
        #expect(throws: SystemError(call: "recv", code: EBADF)) {
            try system.callAllowingWouldBlock("recv", "") { Glibc.recv(-1, nil, 0, 0) }
        }
    }

    @Test func inProgressIsAWaitOnlyWhenAsked() throws {
        let system = SystemCalls()
        var calls = 0
        let asked = try system.callAllowingWouldBlock("connect", "", inProgressIsWait: true) { () -> Int32 in
            calls += 1
            errno = EINPROGRESS
            return -1
        }
        guard case .wouldBlock = asked else {
            Issue.record("expected .wouldBlock, got \(asked)")
            return
        }
        #expect(throws: SystemError(call: "connect", code: EINPROGRESS)) {
            try system.callAllowingWouldBlock("connect", "") { () -> Int32 in
                errno = EINPROGRESS
                return -1
            }
        }
        #expect(calls == 1)
    }
}
