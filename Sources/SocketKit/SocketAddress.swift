// SocketAddress.swift — IPv4, IPv6 and Unix socket addresses as values, and their sockaddr forms.

import Glibc

/// A socket address: what `bind`, `connect`, `accept` and `getsockname` speak.
///
/// Prints the way users type addresses: `127.0.0.1:5000`, `[::1]:80`, `/tmp/s.sock`.
public enum SocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// IPv4: four address bytes in network order and a port.
    case ipv4(address: [UInt8], port: UInt16)
    /// IPv6: sixteen address bytes, a port and the scope (interface) id for link-local addresses.
    case ipv6(address: [UInt8], port: UInt16, scopeID: UInt32)
    /// A Unix-domain path; empty for an unnamed socket (socketpair), `@name` for the abstract namespace.
    case unix(path: String)

    /// `127.0.0.1`, `0.0.0.0`, `::1`, `::`.
    public static let loopbackV4 = SocketAddress.ipv4(address: [127, 0, 0, 1], port: 0)

    /// Parses a numeric host (`127.0.0.1`, `::1`, `fe80::1%2`) with a port; nil when not numeric.
    public init?(numericHost host: String, port: UInt16) {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            self = .ipv4(address: withUnsafeBytes(of: v4.s_addr) { Array($0) }, port: port)
            return
        }
        var scope: UInt32 = 0
        var bare = host
        if let percent = host.firstIndex(of: "%") {
            bare = String(host[..<percent])
            let zone = String(host[host.index(after: percent)...])
            if let number = UInt32(zone) { scope = number } else { scope = if_nametoindex(zone) }
            if scope == 0 { return nil }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            self = .ipv6(address: withUnsafeBytes(of: v6) { Array($0) }, port: port, scopeID: scope)
            return
        }
        return nil
    }

    /// Reads a kernel-filled `sockaddr_storage` of `length` bytes. A Unix path is whatever bytes
    /// its owner chose (any but NUL; the abstract namespace allows NUL too), so `pathText` turns
    /// them into the text to keep: the default decodes UTF-8 (ill-formed bytes become U+FFFD); a
    /// caller that shows paths to people passes its sanitizer instead.
    public init?(storage: sockaddr_storage, length: socklen_t,
                 pathText: ([UInt8]) -> String = { String(decoding: $0, as: UTF8.self) }) {
        var storage = storage
        let family = Int32(storage.ss_family)
        switch family {
        case AF_INET:
            let sin = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self) }
            self = .ipv4(address: withUnsafeBytes(of: sin.sin_addr.s_addr) { Array($0) }, port: UInt16(bigEndian: sin.sin_port))
        case AF_INET6:
            let sin6 = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self) }
            self = .ipv6(address: withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }, port: UInt16(bigEndian: sin6.sin6_port), scopeID: sin6.sin6_scope_id)
        case AF_UNIX:
            let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
            let pathLength = max(0, Int(length) - pathOffset)
            let bytes = withUnsafeBytes(of: &storage) { raw in Array(raw[pathOffset ..< pathOffset + min(pathLength, 108)]) }
            if bytes.isEmpty {
                self = .unix(path: "")
            } else if bytes[0] == 0 {
                self = .unix(path: "@" + pathText(Array(bytes.dropFirst())))
            } else {
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                self = .unix(path: pathText(Array(bytes[..<end])))
            }
        default:
            return nil
        }
    }

    /// AF_INET, AF_INET6 or AF_UNIX.
    public var family: Int32 {
        switch self {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        case .unix: AF_UNIX
        }
    }

    /// The port for IP addresses; nil for Unix paths.
    public var port: UInt16? {
        switch self {
        case .ipv4(_, let port), .ipv6(_, let port, _): port
        case .unix: nil
        }
    }

    /// The same address with another port (IP only).
    public func with(port: UInt16) -> SocketAddress {
        switch self {
        case .ipv4(let address, _): .ipv4(address: address, port: port)
        case .ipv6(let address, _, let scope): .ipv6(address: address, port: port, scopeID: scope)
        case .unix: self
        }
    }

    /// The host part alone: `127.0.0.1`, `::1`, or the path.
    public var host: String {
        switch self {
        case .ipv4(let address, _):
            return address.map(String.init).joined(separator: ".")
        case .ipv6(let address, _, let scope):
            var raw = in6_addr()
            withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: address) }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            _ = inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return scope == 0 ? text : "\(text)%\(scope)"
        case .unix(let path):
            return path
        }
    }

    /// True for 127.0.0.0/8 and ::1.
    public var isLoopback: Bool {
        switch self {
        case .ipv4(let address, _): address.first == 127
        case .ipv6(let address, _, _): address == [UInt8](repeating: 0, count: 15) + [1]
        case .unix: true
        }
    }

    /// True for 0.0.0.0 and ::.
    public var isWildcard: Bool {
        switch self {
        case .ipv4(let address, _): address == [0, 0, 0, 0]
        case .ipv6(let address, _, _): address == [UInt8](repeating: 0, count: 16)
        case .unix: false
        }
    }

    public var description: String {
        switch self {
        case .ipv4(_, let port): "\(host):\(port)"
        case .ipv6(_, let port, _): "[\(host)]:\(port)"
        case .unix(let path): path.isEmpty ? "(unnamed)" : path
        }
    }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        switch self {
        case .ipv4(let address, let port):
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: address) }
            return try withUnsafePointer(to: &sin) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6(let address, let port, let scope):
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_scope_id = scope
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: address) }
            return try withUnsafePointer(to: &sin6) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        case .unix(let path):
            var sun = sockaddr_un()
            sun.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(path.utf8)
            if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 } // abstract namespace
            let capacity = MemoryLayout.size(ofValue: sun.sun_path)
            let count = min(bytes.count, capacity - 1)
            withUnsafeMutableBytes(of: &sun.sun_path) { raw in
                raw.copyBytes(from: bytes[..<count])
            }
            let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
            let length = bytes.first == 0 ? pathOffset + count : pathOffset + count + 1
            return try withUnsafePointer(to: &sun) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(length)) }
            }
        }
    }

    /// The longest Unix socket path the kernel accepts (107 bytes + NUL).
    public static let maxUnixPathLength = 107
}
