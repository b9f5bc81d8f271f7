// SocketAddressTests.swift — numeric parsing, the printed forms users type back, and the sockaddr
// round trip (through memory and through the kernel's getsockname).

import Glibc
import SocketKit
import Testing

@Suite struct SocketAddressTests {
    @Test func parsesNumericIPv4() throws {
        let address = try #require(SocketAddress(numericHost: "127.0.0.1", port: 5000))
        #expect(address == .ipv4(address: [127, 0, 0, 1], port: 5000))
        #expect(address.description == "127.0.0.1:5000")
        #expect(address.host == "127.0.0.1")
        #expect(address.port == 5000)
        #expect(address.family == AF_INET)
        #expect(address.isLoopback)
        #expect(!address.isWildcard)
    }

    @Test func parsesNumericIPv6() throws {
        let address = try #require(SocketAddress(numericHost: "::1", port: 80))
        #expect(address == .ipv6(address: [UInt8](repeating: 0, count: 15) + [1], port: 80, scopeID: 0))
        #expect(address.description == "[::1]:80")
        #expect(address.host == "::1")
        #expect(address.family == AF_INET6)
        #expect(address.isLoopback)
        let wildcard = try #require(SocketAddress(numericHost: "::", port: 0))
        #expect(wildcard.isWildcard)
        #expect(wildcard.description == "[::]:0")
        #expect(SocketAddress(numericHost: "2001:db8::a:1", port: 443)?.description == "[2001:db8::a:1]:443")
        #expect(SocketAddress(numericHost: "::ffff:127.0.0.1", port: 1)?.description == "[::ffff:127.0.0.1]:1")
    }

    @Test func parsesScopedIPv6ByNumberAndByInterfaceName() throws {
        let numbered = try #require(SocketAddress(numericHost: "fe80::1%2", port: 80))
        #expect(numbered == .ipv6(address: [0xfe, 0x80] + [UInt8](repeating: 0, count: 13) + [1], port: 80, scopeID: 2))
        #expect(numbered.description == "[fe80::1%2]:80")
        let loopbackIndex = if_nametoindex("lo")
        #expect(loopbackIndex > 0)
        let named = try #require(SocketAddress(numericHost: "fe80::1%lo", port: 80))
        #expect(named.description == "[fe80::1%\(loopbackIndex)]:80")
    }

    @Test(arguments: ["localhost", "example.org", "1.2.3", "256.1.1.1", "127.0.0.1:80", "[::1]", "fe80::1%nosuchif0",
                      "fe80::1%0", "", " 127.0.0.1", "::1%"])
    func refusesWhatIsNotANumericHost(_ text: String) {
        #expect(SocketAddress(numericHost: text, port: 1) == nil)
    }

    @Test func wildcardAndLoopbackFlags() {
        #expect(SocketAddress.ipv4(address: [0, 0, 0, 0], port: 1).isWildcard)
        #expect(SocketAddress.ipv4(address: [127, 8, 9, 10], port: 1).isLoopback)
        #expect(!SocketAddress.ipv4(address: [10, 0, 0, 1], port: 1).isLoopback)
        #expect(SocketAddress.loopbackV4.description == "127.0.0.1:0")
    }

    @Test func unixPathsPrintAsTyped() {
        #expect(SocketAddress.unix(path: "/tmp/s.sock").description == "/tmp/s.sock")
        #expect(SocketAddress.unix(path: "@name").description == "@name")
        #expect(SocketAddress.unix(path: "").description == "(unnamed)")
        #expect(SocketAddress.unix(path: "/tmp/s.sock").port == nil)
        #expect(SocketAddress.unix(path: "/tmp/s.sock").family == AF_UNIX)
    }

    @Test func withPortChangesOnlyIPAddresses() {
        #expect(SocketAddress.loopbackV4.with(port: 7).description == "127.0.0.1:7")
        #expect(SocketAddress.ipv6(address: [0xfe, 0x80] + [UInt8](repeating: 0, count: 13) + [1], port: 1, scopeID: 3)
            .with(port: 9).description == "[fe80::1%3]:9")
        #expect(SocketAddress.unix(path: "/x").with(port: 9) == .unix(path: "/x"))
    }

    @Test(arguments: [
        SocketAddress.ipv4(address: [192, 0, 2, 33], port: 65535),
        SocketAddress.ipv4(address: [0, 0, 0, 0], port: 0),
        SocketAddress.ipv6(address: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [9], port: 8080, scopeID: 0),
        SocketAddress.ipv6(address: [0xfe, 0x80] + [UInt8](repeating: 0, count: 13) + [1], port: 22, scopeID: 7),
        SocketAddress.unix(path: "/tmp/sockpit.sock"),
        SocketAddress.unix(path: "@abstract-name"),
        SocketAddress.unix(path: "/tmp/" + String(repeating: "p", count: 102)),
    ])
    func sockaddrRoundTrip(_ address: SocketAddress) throws {
        let (storage, length) = address.withSockAddr { pointer, length in
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: Int(length))) }
            return (storage, length)
        }
        #expect(Int32(storage.ss_family) == address.family)
        #expect(SocketAddress(storage: storage, length: length) == address)
    }

    @Test func sockaddrLengthsAreWhatTheKernelExpects() {
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
        #expect(SocketAddress.loopbackV4.withSockAddr { $1 } == socklen_t(MemoryLayout<sockaddr_in>.size))
        #expect(SocketAddress(numericHost: "::1", port: 1)!.withSockAddr { $1 } == socklen_t(MemoryLayout<sockaddr_in6>.size))
        // A path carries its NUL; an abstract name is exactly its bytes (a NUL would become part of the name).
        #expect(SocketAddress.unix(path: "/a/b").withSockAddr { $1 } == socklen_t(pathOffset + 5))
        #expect(SocketAddress.unix(path: "@ab").withSockAddr { $1 } == socklen_t(pathOffset + 3))
        #expect(SocketAddress.maxUnixPathLength == 107)
    }

    @Test func unknownFamiliesAreNotAddresses() {
        var storage = sockaddr_storage()
        storage.ss_family = sa_family_t(AF_PACKET)
        #expect(SocketAddress(storage: storage, length: socklen_t(MemoryLayout<sockaddr_storage>.size)) == nil)
    }

    @Test func kernelReportsTheBoundIPv4AndIPv6Addresses() throws {
        let system = SystemCalls()
        let v4 = try system.openSocket(family: AF_INET, transport: .udp)
        defer { system.close(v4) }
        try system.bind(v4, to: .loopbackV4)
        let bound = try #require(try system.localAddress(v4))
        #expect(bound.host == "127.0.0.1")
        #expect(bound.port != 0)

        let v6 = try system.openSocket(family: AF_INET6, transport: .tcp)
        defer { system.close(v6) }
        try system.bind(v6, to: #require(SocketAddress(numericHost: "::1", port: 0)))
        let bound6 = try #require(try system.localAddress(v6))
        #expect(bound6.host == "::1")
        #expect(bound6.description == "[::1]:\(bound6.port!)")
    }

    @Test func kernelReportsBoundUnixPathsAndAbstractNames() throws {
        let system = SystemCalls()
        let directory = try makeTemporaryDirectory()
        defer { rmdir(directory) }
        let path = directory + "/s.sock"
        let named = try system.openSocket(family: AF_UNIX, transport: .unix)
        defer { system.close(named) }
        try system.bind(named, to: .unix(path: path))
        defer { try? system.unlink(path) }
        #expect(try system.localAddress(named) == .unix(path: path))

        let abstractName = "@sockpit-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let abstract = try system.openSocket(family: AF_UNIX, transport: .unix)
        defer { system.close(abstract) }
        try system.bind(abstract, to: .unix(path: abstractName))
        #expect(try system.localAddress(abstract) == .unix(path: abstractName))
    }
}
