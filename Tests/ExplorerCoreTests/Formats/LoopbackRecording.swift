// LoopbackRecording — real connections on loopback whose traffic becomes capture events: one end
// ("mine") plays sockpit's socket, whose chunks are recorded exactly as send and recv moved them,
// the other ("theirs") is its peer. Captures in these tests describe traffic that really happened.

import ExplorerCore
import Foundation
import Glibc
import SocketKit

/// A connected stream pair (TCP over IPv4 or IPv6, or a Unix stream) and the events of its "mine" end.
final class LoopbackRecording {
    let mine: Int32
    let theirs: Int32
    let socket: CaptureSocket
    /// When theirs plays a sockpit socket too (a connection to sockpit's own listener): its id.
    let theirsSocket: CaptureSocket?
    private(set) var events: [CaptureEvent] = []
    private var theirsOpen = true
    private var mineOpen = true

    /// Connects a fresh socket to a fresh listener on `endpoint` (port 0, or a path). `mineConnects`:
    /// mine is the connecting end; otherwise mine is the accepted one. With `theirsID`, theirs is
    /// recorded as sockpit's socket too.
    init(id: Int, endpoint: PeerEndpoint, mineConnects: Bool = true, theirsID: Int? = nil, note: String? = nil) throws {
        let (listener, port) = try listeningSocket(endpoint, backlog: 4)
        defer { close(listener) }
        let target: PeerEndpoint
        switch endpoint {
        case .ipv4(let host, _): target = .ipv4(host, port)
        case .ipv6(let host, _): target = .ipv6(host, port)
        case .unix: target = endpoint
        }
        let client = Glibc.socket(endpoint.family, Int32(SOCK_STREAM.rawValue), 0)
        guard target.withSockAddr({ Glibc.connect(client, $0, $1) }) == 0 else { throw PeerError("connect \(target): errno \(errno)") }
        let server = accept(listener, nil, nil)
        guard server >= 0 else { throw PeerError("accept: errno \(errno)") }
        for fd in [client, server] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        (mine, theirs) = mineConnects ? (client, server) : (server, client)
        let system = SystemCalls()
        let transport: Transport = endpoint.family == AF_UNIX ? .unix : .tcp
        let (mineFD, theirsFD) = (mine, theirs)
        socket = CaptureSocket(id: id, transport: transport, local: try system.localAddress(mineFD), remote: try system.peerAddress(mineFD),
                               initiator: mineConnects ? .local : .remote, note: note)
        theirsSocket = try theirsID.map { id throws(SystemError) in
            CaptureSocket(id: id, transport: transport, local: try system.localAddress(theirsFD),
                          remote: try system.peerAddress(theirsFD), initiator: mineConnects ? .remote : .local)
        }
        events.append(.opened(socket, .handshake, at: WallClock.now()))
        if let theirsSocket { events.append(.opened(theirsSocket, .handshake, at: WallClock.now())) }
    }

    /// A `socketpair(AF_UNIX, SOCK_STREAM)`, both ends sockpit's (as after sockpit's `pair`).
    init(pairOf mineID: Int, and theirsID: Int) throws {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0 else {
            throw PeerError("socketpair: errno \(errno)")
        }
        (mine, theirs) = (fds[0], fds[1])
        let unnamed = SocketAddress.unix(path: "")
        socket = CaptureSocket(id: mineID, transport: .unix, local: unnamed, remote: unnamed, initiator: .local, otherEnd: theirsID)
        theirsSocket = CaptureSocket(id: theirsID, transport: .unix, local: unnamed, remote: unnamed, initiator: .remote, otherEnd: mineID)
        let now = WallClock.now()
        events = [.opened(socket, .handshake, at: now), .opened(theirsSocket!, .handshake, at: now)]
    }

    /// Connects to a server that is already listening (a third-party peer): there is no theirs.
    init(id: Int, connectingTo endpoint: PeerEndpoint) throws {
        let client = Glibc.socket(endpoint.family, Int32(SOCK_STREAM.rawValue), 0)
        guard endpoint.withSockAddr({ Glibc.connect(client, $0, $1) }) == 0 else {
            close(client)
            throw PeerError("connect \(endpoint): errno \(errno)")
        }
        mine = client
        theirs = -1
        theirsOpen = false
        theirsSocket = nil
        let system = SystemCalls()
        socket = CaptureSocket(id: id, transport: .tcp, local: try system.localAddress(mine), remote: try system.peerAddress(mine))
        events.append(.opened(socket, .handshake, at: WallClock.now()))
    }

    /// Mine sends `request` and reads until the server closes (recorded as the peer's FIN).
    func request(_ request: [UInt8], timeout: Double = 30) throws -> [UInt8] {
        guard send(mine, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { throw PeerError("send: errno \(errno)") }
        events.append(.sent(socket: socket.id, bytes: request, at: WallClock.now()))
        let deadline = Date().addingTimeInterval(timeout)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var descriptor = pollfd(fd: mine, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) == 1 else { continue }
            let count = recv(mine, &buffer, buffer.count, 0)
            if count < 0 && errno == EAGAIN { continue }
            if count <= 0 {
                events.append(.finished(socket: socket.id, by: .remote, at: WallClock.now()))
                return response
            }
            events.append(.received(socket: socket.id, bytes: Array(buffer[0 ..< count]), at: WallClock.now()))
            response += buffer[0 ..< count]
        }
        throw PeerError("the server did not close within \(timeout) s")
    }

    /// Mine sends `outgoing` while theirs sends `incoming`, both at once, until each side has read
    /// everything; mine's sends and reads are recorded chunk by chunk. Returns what theirs read.
    /// Throws when mine reads anything but `incoming`, or after `timeout` seconds.
    @discardableResult
    func exchange(mineSends outgoing: [UInt8], theirsSend incoming: [UInt8], timeout: Double = 60) throws -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeout)
        var mineSent = 0, theirsSent = 0, mineRead = 0
        var theirsRead: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while mineSent < outgoing.count || theirsSent < incoming.count || mineRead < incoming.count || theirsRead.count < outgoing.count {
            guard Date() < deadline else { throw PeerError("exchange timed out: \(mineSent)/\(outgoing.count) sent, \(mineRead)/\(incoming.count) read") }
            var fds = [
                pollfd(fd: mine, events: Int16(POLLIN) | (mineSent < outgoing.count ? Int16(POLLOUT) : 0), revents: 0),
                pollfd(fd: theirs, events: Int16(POLLIN) | (theirsSent < incoming.count ? Int16(POLLOUT) : 0), revents: 0),
            ]
            _ = poll(&fds, 2, 100)
            if fds[0].revents & Int16(POLLOUT) != 0 {
                let count = sendSome(mine, outgoing, from: mineSent)
                if count > 0 {
                    events.append(.sent(socket: socket.id, bytes: Array(outgoing[mineSent ..< mineSent + count]), at: WallClock.now()))
                    mineSent += count
                }
            }
            if fds[1].revents & Int16(POLLOUT) != 0 {
                let count = sendSome(theirs, incoming, from: theirsSent)
                if count > 0, let theirsSocket {
                    events.append(.sent(socket: theirsSocket.id, bytes: Array(incoming[theirsSent ..< theirsSent + count]), at: WallClock.now()))
                }
                theirsSent += count
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = recv(mine, &buffer, buffer.count, 0)
                if count <= 0 { throw PeerError("mine read \(count) (errno \(errno)) after \(mineRead) bytes") }
                let chunk = Array(buffer[0 ..< count])
                guard mineRead + count <= incoming.count, chunk[...] == incoming[mineRead ..< mineRead + count] else {
                    throw PeerError("mine read bytes theirs did not send, at \(mineRead)")
                }
                events.append(.received(socket: socket.id, bytes: chunk, at: WallClock.now()))
                mineRead += count
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                let count = recv(theirs, &buffer, buffer.count, 0)
                if count > 0 {
                    theirsRead += buffer[0 ..< count]
                    if let theirsSocket { events.append(.received(socket: theirsSocket.id, bytes: Array(buffer[0 ..< count]), at: WallClock.now())) }
                }
            }
        }
        return theirsRead
    }

    /// Theirs shuts down its writing side; mine reads the EOF (recorded as the peer's FIN).
    func theirsFinish() throws {
        shutdown(theirs, Int32(SHUT_WR))
        if let theirsSocket { events.append(.finished(socket: theirsSocket.id, by: .local, at: WallClock.now())) }
        try awaitMineRead { count, _ in count == 0 }
        events.append(.finished(socket: socket.id, by: .remote, at: WallClock.now()))
    }

    /// Mine shuts down its writing side (`shutdown wr`); theirs reads the EOF.
    func mineFinish() throws {
        shutdown(mine, Int32(SHUT_WR))
        events.append(.finished(socket: socket.id, by: .local, at: WallClock.now()))
        var byte: UInt8 = 0
        var descriptor = pollfd(fd: theirs, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 5000) == 1, recv(theirs, &byte, 1, 0) == 0 else { throw PeerError("theirs saw no EOF") }
    }

    /// Theirs closes with RST (SO_LINGER 0); mine's read fails with ECONNRESET (recorded as the peer's reset).
    func theirsReset() throws {
        var value = linger(l_onoff: 1, l_linger: 0)
        setsockopt(theirs, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
        close(theirs)
        theirsOpen = false
        try awaitMineRead { count, error in count < 0 && error == ECONNRESET }
        events.append(.reset(socket: socket.id, by: .remote, at: WallClock.now()))
    }

    /// Theirs closes; mine reads the EOF (recorded as the peer's FIN, and as theirs' close when
    /// theirs is sockpit's).
    func theirsClose() throws {
        close(theirs)
        theirsOpen = false
        if let theirsSocket { events.append(.closed(socket: theirsSocket.id, at: WallClock.now())) }
        try awaitMineRead { count, _ in count == 0 }
        events.append(.finished(socket: socket.id, by: .remote, at: WallClock.now()))
    }

    /// Theirs reads the EOF of mine's close; recorded as theirs' peer FIN and close when theirs is sockpit's.
    func awaitTheirsEOF() throws {
        var byte: UInt8 = 0
        var descriptor = pollfd(fd: theirs, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 5000) == 1, recv(theirs, &byte, 1, 0) == 0 else { throw PeerError("theirs saw no EOF") }
        if let theirsSocket {
            events.append(.finished(socket: theirsSocket.id, by: .remote, at: WallClock.now()))
            events.append(.closed(socket: theirsSocket.id, at: WallClock.now()))
        }
    }

    /// Mine closes (recorded: its FIN if it has not sent one).
    func mineClose() {
        close(mine)
        mineOpen = false
        events.append(.closed(socket: socket.id, at: WallClock.now()))
    }

    private func awaitMineRead(until done: (Int, Int32) -> Bool) throws {
        var byte: UInt8 = 0
        var descriptor = pollfd(fd: mine, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 5000) == 1 else { throw PeerError("mine saw nothing within 5 s") }
        let count = recv(mine, &byte, 1, 0)
        guard done(count, errno) else { throw PeerError("mine read \(count), errno \(errno)") }
    }

    private func sendSome(_ fd: Int32, _ bytes: [UInt8], from offset: Int) -> Int {
        let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, min(bytes.count - offset, 1 << 18), Int32(MSG_NOSIGNAL)) }
        return max(count, 0)
    }

    deinit {
        if mineOpen { close(mine) }
        if theirsOpen { close(theirs) }
    }
}
