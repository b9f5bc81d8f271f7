// MorePeers.swift — peers built on the basic ones: a server that hands its connections to the
// test thread, a listener whose backlog is full (connects hang), a tiny HTTP server, and a
// temporary directory for files and Unix socket paths.

import Foundation
import Glibc

/// A server whose accepted connections the test drives itself, from its own thread.
final class PeerCollector: Sendable {
    let server: PeerServer
    let connections = Shared<[PeerConnection]>([])

    init(bind endpoint: PeerEndpoint = .ipv4("127.0.0.1", 0), receiveBuffer: Int32? = nil) throws {
        let connections = connections
        server = try PeerServer(bind: endpoint, receiveBuffer: receiveBuffer) { peer in connections.update { $0.append(peer) } }
    }

    var port: UInt16 { server.port }

    /// The `index`-th accepted connection, stepping `session` until it exists (nil after 10 s).
    func connection(_ index: Int, stepping session: EngineSession) -> PeerConnection? {
        guard session.pump(until: { connections.current.count > index }) else { return nil }
        return connections.current[index]
    }

    func stop() {
        server.stop()
        connections.current.forEach { $0.close() }
    }
}

/// A listener that never accepts, with its accept queue full: a connect to it gets no answer
/// (Linux drops SYNs to a full queue), which is how a test meets a connect timeout on loopback.
final class StuckListener {
    let fd: Int32
    let port: UInt16
    private var fillers: [Int32] = []

    /// Listens with `backlog` 0 and connects until a connect no longer completes (at most 8).
    init() throws {
        (fd, port) = try listeningSocket(.ipv4("127.0.0.1", 0), backlog: 0)
        for _ in 0..<8 {
            let (socket, completed) = Self.connect(port: port, within: 0.2)
            fillers.append(socket)
            if !completed { return }
        }
        throw PeerError("the accept queue of 127.0.0.1:\(port) never filled")
    }

    /// A non-blocking connect to 127.0.0.1:`port`; whether it completed within `seconds`.
    static func connect(port: UInt16, within seconds: Double) -> (fd: Int32, completed: Bool) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        let result = PeerEndpoint.ipv4("127.0.0.1", port).withSockAddr { Glibc.connect(fd, $0, $1) }
        if result == 0 { return (fd, true) }
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&descriptor, 1, Int32(seconds * 1000))
        return (fd, ready == 1)
    }

    deinit {
        fillers.forEach { close($0) }
        close(fd)
    }
}

/// An HTTP/1.1 server that answers every request with `response` and closes, keeping each request.
final class HTTPPeer: Sendable {
    let server: PeerServer
    let requests = Shared<[[UInt8]]>([])

    init(response: String = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n") throws {
        let requests = requests
        server = try PeerServer { peer in
            let request = peer.receive(until: { $0.count >= 4 && Array($0.suffix(4)) == Array("\r\n\r\n".utf8) })
            requests.update { $0.append(request) }
            peer.send(response)
            peer.close()
        }
    }

    var port: UInt16 { server.port }
    func stop() { server.stop() }
}

/// A fresh directory under /tmp (short, so Unix socket paths fit), removed with its contents.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/sockpit-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw PeerError("mkdtemp failed: errno \(errno)")
        }
        path = String(cString: made)
    }

    /// `path/name`.
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// The names in the directory, sorted.
    var names: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    }

    /// Creates the FIFO `path/name` and returns its path.
    func fifo(_ name: String) throws -> String {
        guard mkfifo(file(name), 0o600) == 0 else { throw PeerError("mkfifo \(file(name)) failed: errno \(errno)") }
        return file(name)
    }

    func read(_ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: file(name)).map { Array($0) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// True when this machine has IPv6 loopback (tests of `[::1]` skip without it).
func ipv6LoopbackAvailable() -> Bool {
    guard let socket = try? listeningSocket(.ipv6("::1", 0), backlog: 1) else { return false }
    close(socket.fd)
    return true
}

/// A file of `count` bytes cycling through every byte value, for transfers whose content matters.
func patternBytes(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed) &+ $0 >> 8) }
}
