// SocketCalls.swift — the socket API (socket, bind, listen, accept, connect, send, recv, shutdown,
// close, socketpair) as typed, traced calls. Every socket is non-blocking and close-on-exec.

import CSocketKit
import Glibc

/// Stream over IP, datagrams over IP, or a Unix-domain stream.
public enum Transport: String, Sendable, CaseIterable {
    case tcp, udp, unix
}

/// Which direction `shutdown` closes.
public enum ShutdownHow: String, Sendable, CaseIterable {
    case read = "rd", write = "wr", both = "rdwr"

    /// The names `shutdown` takes, as in `shutdown(2)`'s `SHUT_RD`, `SHUT_WR`, `SHUT_RDWR`.
    public static let rd = ShutdownHow.read
    public static let wr = ShutdownHow.write
    public static let rdwr = ShutdownHow.both

    var constant: Int32 {
        switch self {
        case .read: Int32(SHUT_RD)
        case .write: Int32(SHUT_WR)
        case .both: Int32(SHUT_RDWR)
        }
    }
}

/// A file descriptor as the kernel gave it.
public typealias FileDescriptor = Int32

enum Names {
    static func family(_ family: Int32) -> String {
        switch family {
        case AF_INET: "AF_INET"
        case AF_INET6: "AF_INET6"
        case AF_UNIX: "AF_UNIX"
        default: "\(family)"
        }
    }

    /// `O_WRONLY|O_CREAT|O_NONBLOCK`, as a trace shows open(2)'s flags.
    static func openFlags(_ flags: Int32) -> String {
        var names = [flags & O_ACCMODE == O_WRONLY ? "O_WRONLY" : flags & O_ACCMODE == O_RDWR ? "O_RDWR" : "O_RDONLY"]
        for (flag, name) in [(O_CREAT, "O_CREAT"), (O_EXCL, "O_EXCL"), (O_TRUNC, "O_TRUNC"), (O_APPEND, "O_APPEND"),
                             (O_NONBLOCK, "O_NONBLOCK"), (O_CLOEXEC, "O_CLOEXEC")] where flags & flag != 0 {
            names.append(name)
        }
        return names.joined(separator: "|")
    }
}

extension SystemCalls {
    /// `socket(2)`: a new non-blocking, close-on-exec socket for `transport` in `family`.
    public func openSocket(family: Int32, transport: Transport) throws(SystemError) -> FileDescriptor {
        let type: Int32 = transport == .udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let typeName = transport == .udp ? "SOCK_DGRAM" : "SOCK_STREAM"
        return try call("socket", "\(Names.family(family)), \(typeName)|SOCK_NONBLOCK|SOCK_CLOEXEC, 0") {
            Glibc.socket(family, type | flags, 0)
        }
    }

    /// `bind(2)`.
    public func bind(_ fd: FileDescriptor, to address: SocketAddress) throws(SystemError) {
        try call("bind", "\(fd), \(address)", context: "\(address)") {
            address.withSockAddr { Glibc.bind(fd, $0, $1) }
        }
    }

    /// `listen(2)`.
    public func listen(_ fd: FileDescriptor, backlog: Int32) throws(SystemError) {
        try call("listen", "\(fd), \(backlog)") { Glibc.listen(fd, backlog) }
    }

    /// `accept4(2)`: the next pending connection (non-blocking, close-on-exec), or nil when none waits.
    public func accept(_ fd: FileDescriptor) throws(SystemError) -> (fd: FileDescriptor, peer: SocketAddress?)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = try callAllowingWouldBlock("accept4", "\(fd), SOCK_NONBLOCK|SOCK_CLOEXEC") {
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { csk_accept_nonblocking(fd, $0, &length) }
            }
        }
        guard case .done(let client) = result else { return nil }
        return (client, SocketAddress(storage: storage, length: length, pathText: unixPathText))
    }

    /// `connect(2)` on a non-blocking socket: true when connected at once, false when in progress
    /// (wait for writability, then `pendingError`).
    ///
    /// Only EINPROGRESS means "in progress". EAGAIN is an error: for a Unix socket it is the
    /// listener's full backlog (a non-blocking connect does not wait for room), for TCP no free
    /// local port.
    public func connect(_ fd: FileDescriptor, to address: SocketAddress) throws(SystemError) -> Bool {
        do {
            try call("connect", "\(fd), \(address)", context: "\(address)") { address.withSockAddr { Glibc.connect(fd, $0, $1) } }
            return true
        } catch {
            if error.code == EINPROGRESS { return false }
            if error.code == EAGAIN, address.family == AF_UNIX {
                throw SystemError(call: "connect", context: error.context, code: EAGAIN,
                                  message: "Resource temporarily unavailable: the listener's backlog is full")
            }
            throw error
        }
    }

    /// `getsockopt(SO_ERROR)`: the outcome of a non-blocking connect (0 when it succeeded).
    public func pendingError(_ fd: FileDescriptor) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let ok = try? call("getsockopt", "\(fd), SOL_SOCKET, SO_ERROR") {
            Glibc.getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length)
        }
        return ok == nil ? EBADF : value
    }

    /// `send(2)` with MSG_NOSIGNAL: bytes written, or nil when the socket buffer is full.
    public func send(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int? {
        let result = try callAllowingWouldBlock("send", "\(fd), \(bytes.count) bytes, MSG_NOSIGNAL") {
            Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        }
        if case .done(let count) = result { return count }
        return nil
    }

    /// `sendto(2)` with MSG_NOSIGNAL, for datagrams.
    public func send(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer, to address: SocketAddress) throws(SystemError) -> Int? {
        let result = try callAllowingWouldBlock("sendto", "\(fd), \(bytes.count) bytes, MSG_NOSIGNAL, \(address)", context: "\(address)") {
            address.withSockAddr { Glibc.sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, $1) }
        }
        if case .done(let count) = result { return count }
        return nil
    }

    /// `recv(2)`: bytes read (0 means the peer closed its side), or nil when nothing is waiting.
    public func receive(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int? {
        let result = try callAllowingWouldBlock("recv", "\(fd), \(buffer.count)") {
            Glibc.recv(fd, buffer.baseAddress, buffer.count, 0)
        }
        if case .done(let count) = result { return count }
        return nil
    }

    /// `recvfrom(2)`: one datagram and its sender, or nil when nothing is waiting. `truncated` is true
    /// when the datagram was longer than the buffer (MSG_TRUNC).
    public func receiveFrom(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError)
        -> (count: Int, sender: SocketAddress?, truncated: Bool)?
    {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = try callAllowingWouldBlock("recvfrom", "\(fd), \(buffer.count), MSG_TRUNC") {
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.recvfrom(fd, buffer.baseAddress, buffer.count, Int32(MSG_TRUNC), $0, &length)
                }
            }
        }
        guard case .done(let count) = result else { return nil }
        return (min(count, buffer.count), SocketAddress(storage: storage, length: length, pathText: unixPathText), count > buffer.count)
    }

    /// `shutdown(2)`.
    public func shutdown(_ fd: FileDescriptor, _ how: ShutdownHow) throws(SystemError) {
        let name = how == .read ? "SHUT_RD" : how == .write ? "SHUT_WR" : "SHUT_RDWR"
        try call("shutdown", "\(fd), \(name)") { Glibc.shutdown(fd, how.constant) }
    }

    /// `close(2)`. Errors are reported to the tracer but not thrown: the descriptor is gone either way.
    public func close(_ fd: FileDescriptor) {
        // Never retry close on EINTR on Linux: the descriptor is already released.
        let result = Glibc.close(fd)
        if let tracer {
            tracer(TraceRecord(call: "close", arguments: "\(fd)", result: Int(result), errorCode: result < 0 ? Glibc.errno : nil))
        }
    }

    /// `setsockopt(SO_LINGER, {on, 0})` so the next `close` sends RST instead of FIN.
    public func setAbortiveClose(_ fd: FileDescriptor) throws(SystemError) {
        var value = linger(l_onoff: 1, l_linger: 0)
        try call("setsockopt", "\(fd), SOL_SOCKET, SO_LINGER, {on, 0}") {
            Glibc.setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
        }
    }

    /// `getsockname(2)`.
    public func localAddress(_ fd: FileDescriptor) throws(SystemError) -> SocketAddress? {
        try nameCall("getsockname", fd) { Glibc.getsockname(fd, $0, $1) }
    }

    /// `getpeername(2)`.
    public func peerAddress(_ fd: FileDescriptor) throws(SystemError) -> SocketAddress? {
        try nameCall("getpeername", fd) { Glibc.getpeername(fd, $0, $1) }
    }

    private func nameCall(
        _ name: String, _ fd: FileDescriptor, _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(SystemError) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try call(name, "\(fd)") {
            withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, &length) } }
        }
        return SocketAddress(storage: storage, length: length, pathText: unixPathText)
    }

    /// `socketpair(AF_UNIX, SOCK_STREAM)`: two connected, non-blocking sockets.
    public func socketPair() throws(SystemError) -> (FileDescriptor, FileDescriptor) {
        var fds: [Int32] = [-1, -1]
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        try call("socketpair", "AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0") {
            Glibc.socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | flags, 0, &fds)
        }
        return (fds[0], fds[1])
    }

    /// Bytes received and waiting to be read (SIOCINQ), or nil when the kernel will not say.
    public func bytesUnread(_ fd: FileDescriptor) -> Int? {
        (try? call("ioctl", "\(fd), SIOCINQ") { csk_bytes_unread(fd) }).map(Int.init)
    }

    /// Bytes in the send queue not yet acknowledged (SIOCOUTQ).
    public func bytesUnacknowledged(_ fd: FileDescriptor) -> Int? {
        (try? call("ioctl", "\(fd), SIOCOUTQ") { csk_bytes_unacked(fd) }).map(Int.init)
    }

    /// Bytes in the send queue not yet sent (SIOCOUTQNSD).
    public func bytesUnsent(_ fd: FileDescriptor) -> Int? {
        (try? call("ioctl", "\(fd), SIOCOUTQNSD") { csk_bytes_unsent(fd) }).map(Int.init)
    }

    /// Datagrams the kernel dropped for this socket (SO_MEMINFO), or nil when unknown.
    public func droppedDatagrams(_ fd: FileDescriptor) -> Int? {
        (try? call("getsockopt", "\(fd), SOL_SOCKET, SO_MEMINFO") { csk_socket_drops(fd) }).map(Int.init)
    }

    /// `unlink(2)` for a Unix socket path we created.
    public func unlink(_ path: String) throws(SystemError) {
        try call("unlink", "\"\(path)\"", context: path) { Glibc.unlink(path) }
    }
}
