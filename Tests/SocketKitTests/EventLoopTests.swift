// EventLoopTests.swift — the epoll set: readiness by token, level- and edge-triggered reports,
// modify and remove, hangups and errors, and the traced epoll_ctl calls.

import Glibc
import SocketKit
import Testing

@Suite struct EventLoopTests {
    @Test func reportsReadabilityWithTheTokenAndKeepsReportingWhileItHolds() throws {
        let system = SystemCalls()
        let loop = try EventLoop(system: system)
        let (a, b) = try system.socketPair()
        defer { system.close(a); system.close(b) }
        try loop.add(a, .readable, token: 42)
        #expect(try loop.wait(timeoutMilliseconds: 0).events.isEmpty)
        try system.send(b, bytes("x"))
        let first = try loop.wait(timeoutMilliseconds: 2000)
        #expect(!first.interrupted)
        #expect(first.events.count == 1)
        #expect(first.events.first?.token == 42)
        #expect(first.events.first?.readable == true)
        #expect(first.events.first?.writable == false)
        #expect(first.events.first?.hangup == false)
        #expect(first.events.first?.error == false)
        // Level-triggered: unread bytes are reported again.
        #expect(try loop.wait(timeoutMilliseconds: 0).events.map(\.token) == [42])
    }

    @Test func edgeTriggeredReportsOnlyNewArrivals() throws {
        let system = SystemCalls()
        let loop = try EventLoop(system: system)
        let (a, b) = try system.socketPair()
        defer { system.close(a); system.close(b) }
        try loop.add(a, [.readable, .edgeTriggered], token: 7)
        try system.send(b, bytes("one"))
        #expect(try loop.wait(timeoutMilliseconds: 2000).events.map(\.token) == [7])
        #expect(try loop.wait(timeoutMilliseconds: 0).events.isEmpty)
        try system.send(b, bytes("two"))
        #expect(try loop.wait(timeoutMilliseconds: 2000).events.map(\.token) == [7])
    }

    @Test func writabilityModifyAndRemove() throws {
        let system = SystemCalls()
        let loop = try EventLoop(system: system)
        let (a, b) = try system.socketPair()
        defer { system.close(a); system.close(b) }
        try loop.add(a, [.readable, .writable], token: 1)
        let ready = try loop.wait(timeoutMilliseconds: 2000).events
        #expect(ready.count == 1)
        #expect(ready.first?.writable == true)
        #expect(ready.first?.readable == false)
        try loop.modify(a, .readable, token: 2)
        #expect(try loop.wait(timeoutMilliseconds: 0).events.isEmpty)
        try system.send(b, bytes("x"))
        #expect(try loop.wait(timeoutMilliseconds: 2000).events.map(\.token) == [2])
        loop.remove(a)
        #expect(try loop.wait(timeoutMilliseconds: 0).events.isEmpty)
    }

    @Test func aPeerClosingIsAHangupAndReadable() throws {
        let system = SystemCalls()
        let loop = try EventLoop(system: system)
        let (a, b) = try system.socketPair()
        defer { system.close(a) }
        try loop.add(a, [.readable, .readHangup], token: 5)
        system.close(b)
        let event = try #require(try loop.wait(timeoutMilliseconds: 2000).events.first)
        #expect(event.token == 5)
        #expect(event.hangup)
        #expect(event.readable)
    }

    @Test func aRefusedConnectIsReportedAsAnErrorThenPendingError() throws {
        let system = SystemCalls()
        let loop = try EventLoop(system: system)
        let port = try refusedPort(system)
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        do {
            if try system.connect(fd, to: .ipv4(address: [127, 0, 0, 1], port: port)) {
                Issue.record("connect to a closed port succeeded")
                return
            }
        } catch {
            #expect(error.code == ECONNREFUSED) // refused synchronously: nothing left to wait for
            return
        }
        try loop.add(fd, .writable, token: 9)
        let event = try #require(try loop.wait(timeoutMilliseconds: 2000).events.first)
        #expect(event.token == 9)
        #expect(event.error)
        #expect(event.hangup)
        #expect(system.pendingError(fd) == ECONNREFUSED)
    }

    @Test func manyReadyDescriptorsAreAllReportedAcrossSmallBuffers() throws {
        let system = SystemCalls()
        let loop = try EventLoop(system: system, capacity: 1)
        var pairs: [(FileDescriptor, FileDescriptor)] = []
        defer { for (a, b) in pairs { system.close(a); system.close(b) } }
        for token in 0..<3 {
            let pair = try system.socketPair()
            pairs.append(pair)
            try loop.add(pair.0, .readable, token: UInt64(token))
            try system.send(pair.1, bytes("x"))
        }
        // The buffer doubles whenever a wait fills it, so one wake-up soon sees every ready socket.
        #expect(try loop.wait(timeoutMilliseconds: 2000).events.count == 1)
        #expect(try loop.wait(timeoutMilliseconds: 2000).events.count == 2)
        #expect(Set(try loop.wait(timeoutMilliseconds: 2000).events.map(\.token)) == [0, 1, 2])
    }

    @Test func addingTwiceIsEEXISTAndEpollCtlIsTraced() throws {
        let system = SystemCalls()
        let loop = try EventLoop(system: system)
        let (a, b) = try system.socketPair()
        defer { system.close(a); system.close(b) }
        let log = TraceLog()
        system.tracer = { log.records.append($0) }
        try loop.add(a, [.readable, .readHangup, .edgeTriggered], token: 3)
        #expect(throws: SystemError(call: "epoll_ctl", code: EEXIST)) { try loop.add(a, .writable, token: 3) }
        #expect(log.records.count == 2)
        #expect(log.records.first?.description.hasSuffix(", EPOLL_CTL_ADD, \(a), EPOLLIN|EPOLLRDHUP|EPOLLET) = 0") == true)
        #expect(log.records.last?.description.hasSuffix(", EPOLL_CTL_ADD, \(a), EPOLLOUT) = -1 EEXIST (File exists)") == true)
    }

    @Test func aTimeoutReturnsNothing() throws {
        let loop = try EventLoop(system: SystemCalls())
        let result = try loop.wait(timeoutMilliseconds: 20)
        #expect(result.events.isEmpty)
        #expect(!result.interrupted)
    }
}
