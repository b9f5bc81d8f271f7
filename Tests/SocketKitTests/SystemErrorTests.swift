// SystemErrorTests.swift — how failed system calls read: `call context: ENAME (message)`, and the
// errno name table. Also the package's one XCTest case, so `swift test`'s XCTest count is never 0.

import Glibc
@testable import SocketKit
import Testing
import XCTest

/// The XCTest half: `swift test` prints XCTest's "Executed N tests" line, and CI output must not
/// read "Executed 0 tests". This case asserts the error format every status line relies on.
final class SystemErrorFormatXCTests: XCTestCase {
    func testConnectRefusedReadsAsCallAddressNameAndMessage() {
        let error = SystemError(call: "connect", context: "127.0.0.1:9", code: ECONNREFUSED)
        XCTAssertEqual(error.description, "connect 127.0.0.1:9: ECONNREFUSED (Connection refused)")
        XCTAssertEqual(error.reason, "ECONNREFUSED (Connection refused)")
    }
}

@Suite struct SystemErrorTests {
    @Test func withoutContextTheCallIsFollowedByAColon() {
        #expect(SystemError(call: "epoll_create1", code: EMFILE).description == "epoll_create1: EMFILE (Too many open files)")
    }

    @Test func withContextReplacesOnlyTheContext() {
        let error = SystemError(call: "bind", context: "127.0.0.1:80", code: EACCES).with(context: "*:80")
        #expect(error.description == "bind *:80: EACCES (Permission denied)")
        #expect(error.code == EACCES)
        #expect(error.codeName == "EACCES")
    }

    @Test func anExplicitNameAndMessageWin() {
        let error = SystemError(call: "getaddrinfo", context: "x.invalid", code: EAI_NONAME, name: "EAI_NONAME",
                                message: "Name or service not known")
        #expect(error.description == "getaddrinfo x.invalid: EAI_NONAME (Name or service not known)")
    }

    @Test func unknownErrnoValuesStillPrint() {
        let error = SystemError(call: "recv", code: 4000)
        #expect(error.codeName == "E4000")
        #expect(error.description == "recv: E4000 (error 4000)")
    }

    @Test func messagesComeFromStrerror() {
        #expect(SystemError(call: "send", code: EPIPE).reason == "EPIPE (Broken pipe)")
        #expect(SystemError(call: "recv", code: ECONNRESET).reason == "ECONNRESET (Connection reset by peer)")
        #expect(SystemError(call: "bind", code: EADDRINUSE).reason == "EADDRINUSE (Address already in use)")
        #expect(SystemError(call: "connect", code: ETIMEDOUT).reason == "ETIMEDOUT (Connection timed out)")
        #expect(SystemError(call: "recv", code: EAGAIN).reason == "EAGAIN (Resource temporarily unavailable)")
    }

    @Test func aRealRefusedConnectReadsTheSameWay() throws {
        let system = SystemCalls()
        let port = try refusedPort(system)
        let fd = try system.openSocket(family: AF_INET, transport: .tcp)
        defer { system.close(fd) }
        let address = SocketAddress.ipv4(address: [127, 0, 0, 1], port: port)
        // Loopback may refuse at once or after EINPROGRESS; both are the kernel's to choose.
        do {
            if try !system.connect(fd, to: address) {
                waitReady(fd, POLLOUT)
                let code = system.pendingError(fd)
                #expect(code == ECONNREFUSED)
                #expect(SystemError(call: "connect", context: "\(address)", code: code).description
                    == "connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)")
            } else {
                Issue.record("connect to a closed port succeeded")
            }
        } catch {
            #expect(error.description == "connect 127.0.0.1:\(port): ECONNREFUSED (Connection refused)")
        }
    }
}

@Suite struct ErrnoNameTests {
    /// Cross-checks the generated table against Glibc's own constants.
    @Test(arguments: [
        (EPERM, "EPERM"), (ENOENT, "ENOENT"), (EINTR, "EINTR"), (EBADF, "EBADF"), (EAGAIN, "EAGAIN"),
        (EACCES, "EACCES"), (EEXIST, "EEXIST"), (EINVAL, "EINVAL"), (EMFILE, "EMFILE"), (ENFILE, "ENFILE"),
        (EPIPE, "EPIPE"), (ENAMETOOLONG, "ENAMETOOLONG"), (ENOTSOCK, "ENOTSOCK"), (EMSGSIZE, "EMSGSIZE"),
        (ENOPROTOOPT, "ENOPROTOOPT"), (EOPNOTSUPP, "EOPNOTSUPP"), (EAFNOSUPPORT, "EAFNOSUPPORT"),
        (EADDRINUSE, "EADDRINUSE"), (EADDRNOTAVAIL, "EADDRNOTAVAIL"), (ENETUNREACH, "ENETUNREACH"),
        (ECONNABORTED, "ECONNABORTED"), (ECONNRESET, "ECONNRESET"), (ENOBUFS, "ENOBUFS"), (EISCONN, "EISCONN"),
        (ENOTCONN, "ENOTCONN"), (ETIMEDOUT, "ETIMEDOUT"), (ECONNREFUSED, "ECONNREFUSED"),
        (EHOSTUNREACH, "EHOSTUNREACH"), (EALREADY, "EALREADY"), (EINPROGRESS, "EINPROGRESS"),
        (ECANCELED, "ECANCELED"), (ERFKILL, "ERFKILL"),
    ] as [(Int32, String)])
    func glibcConstantsHaveTheirOwnNames(code: Int32, name: String) {
        #expect(ErrnoName.name(code) == name)
    }

    @Test func numbersWithoutANameReadAsENumber() {
        #expect(ErrnoName.name(41) == "E41") // unused on Linux (EWOULDBLOCK is EAGAIN, 11)
        #expect(ErrnoName.name(0) == "E0")
        #expect(ErrnoName.name(133) == "E133")
        #expect(ErrnoName.name(-3) == "E-3")
    }
}
